"""Settings, the personal calendar feed, and Anträge/Anfragen of Mein Ratsinfo."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ratsinfo.bodies.access import viewer_for, viewer_of
from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, Organization
from ratsinfo.members import motions, queries, services
from ratsinfo.members.access import member_required
from ratsinfo.members.forms import MotionForm, SettingsForm
from ratsinfo.papers.models import Paper
from ratsinfo.portal.feeds import _base_url, _calendar, _calendar_response, _event


@member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    found = services.settings_of(request.user)  # type: ignore[arg-type]
    organizations = Organization.objects.visible_to(viewer_of(request)).filter(kind__in=COUNCIL_BODY_KINDS).order_by("name")
    form = SettingsForm(request.POST or None, instance=found, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Ihre Einstellungen sind gespeichert.")
        return redirect("members:settings")
    token = request.session.pop("members_new_feed_token", None)
    feed_url = request.build_absolute_uri(f"/mein-ratsinfo/kalender/{token}.ics") if token else None
    return render(request, "members/settings.html", {"form": form, "found": found, "feed_url": feed_url})


@member_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponseBase:
    # Shown once on the next page (from the session), never stored in clear.
    request.session["members_new_feed_token"] = services.renew_feed_token(request.user)  # type: ignore[arg-type]
    messages.success(request, "Ihre neue Kalenderadresse ist erstellt; die bisherige gilt nicht mehr.")
    return redirect("members:settings")


@member_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponseBase:
    services.revoke_feed_token(request.user)  # type: ignore[arg-type]
    messages.success(request, "Ihre Kalenderadresse ist gesperrt.")
    return redirect("members:settings")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's meetings as iCal; the address itself is the secret (no session)."""
    user = services.user_of_feed_token(token)
    if user is None:
        raise Http404("Unbekannte oder gesperrte Kalenderadresse.")
    meetings = queries.my_meetings(viewer_for(user)).filter(start__isnull=False).order_by("-start")[:500]
    base = _base_url(request)
    host = base.split("://", 1)[-1].split("/", 1)[0] or "ratsinfo"
    cal = _calendar("Meine Sitzungen")
    for meeting in meetings:
        cal.add_component(_event(meeting, base, host))
    response = _calendar_response(cal.to_ical(), "meine-sitzungen.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def motion_list(request: HttpRequest) -> HttpResponse:
    groups = motions.groups_of(request.user)  # type: ignore[arg-type]
    form = MotionForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            draft = motions.create_draft(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except services.MembersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Ihr Entwurf ist gespeichert. Mitglieder Ihrer Fraktion/Gruppe können ihn mitzeichnen.")
            return redirect("members:motion", pk=draft.pk)
    drafts = motions.drafts_of(request.user).order_by("-modified")[:50]  # type: ignore[arg-type]
    return render(request, "members/motions.html", {"form": form, "drafts": drafts, "groups": groups})


@member_required
def motion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = motions.drafts_of(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if draft is None:
        raise Http404("Dieser Entwurf gehört nicht zu Ihrer Fraktion oder Gruppe.")
    paper = Paper.objects.visible_to(viewer_of(request)).filter(pk=draft.paper_id or 0).first()
    signatures = draft.signatures.select_related("person").order_by("at")
    return render(request, "members/motion.html", {"draft": draft, "paper": paper, "signatures": signatures})


@member_required
@require_POST
def motion_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if action not in ("mitzeichnen", "einreichen"):
        raise Http404("Unbekannte Aktion.")
    try:
        if action == "mitzeichnen":
            motions.cosign(request.user, pk)  # type: ignore[arg-type]
            messages.success(request, "Sie haben mitgezeichnet.")
        else:
            motions.submit(request.user, pk)  # type: ignore[arg-type]
            messages.success(request, "Eingereicht: der Sitzungsdienst hat den Vorgang erhalten.")
    except services.MembersError as error:
        messages.error(request, str(error))
    return redirect("members:motion", pk=pk)
