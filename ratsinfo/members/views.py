"""Mein Ratsinfo at /mein-ratsinfo/: the council member's side. Thin views; rules live in the domain apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratsinfo.members.access import member_required


@member_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "members/start.html", {})
