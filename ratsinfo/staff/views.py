"""The staff work area at /verwaltung/: thin views over the domain services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratsinfo.staff.access import staff_required


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html", {})
