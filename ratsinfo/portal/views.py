"""Public pages. Views stay thin: every queryset goes through `visible_to(request.user)`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ratsinfo.bodies.models import Organization, Person
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper


def home(request: HttpRequest) -> HttpResponse:
    return paper_list(request)


def paper_list(request: HttpRequest) -> HttpResponse:
    papers = Paper.objects.visible_to(request.user).order_by("-date", "-pk")[:100]
    return render(request, "portal/paper_list.html", {"papers": papers})


def paper_detail(request: HttpRequest, slug: str) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.visible_to(request.user), slug=slug)
    return render(request, "portal/paper_detail.html", {"paper": paper})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    items = AgendaItem.objects.visible_to(request.user).filter(meeting=meeting)
    return render(request, "portal/meeting_detail.html", {"meeting": meeting, "items": items})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    return render(request, "portal/organization_detail.html", {"organization": organization})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), slug=slug)
    return render(request, "portal/person_detail.html", {"person": person})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
