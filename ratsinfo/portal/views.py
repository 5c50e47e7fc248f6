"""Public pages (Bürgerinfo). Views stay thin: every queryset goes through `visible_to(viewer_of(request))`
(see queries.py); a non-public object answers 404 exactly like a missing one."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Exists, OuterRef, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone

from ratsinfo.accounts.audit import record_event
from ratsinfo.accounts.models import AuditKind
from ratsinfo.accounts.second_factor import after_password_login
from ratsinfo.bodies.access import viewer_of
from ratsinfo.bodies.models import (
    COUNCIL_BODY_KINDS,
    GROUP_KINDS,
    Body,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.files import downloads
from ratsinfo.files.models import File, FileRole
from ratsinfo.lib.access import Viewer
from ratsinfo.lib.forms import QueryForm
from ratsinfo.lib.geo import map_point
from ratsinfo.meetings.models import Meeting
from ratsinfo.papers.models import PaperType
from ratsinfo.portal import paper_maps, queries
from ratsinfo.portal.models import LegalPage, LegalPageKind
from ratsinfo.portal.paging import keyset_page, small_page
from ratsinfo.portal.templatetags.buergerinfo import WEEKDAYS
from ratsinfo.search import service as search_service
from ratsinfo.search.forms import SearchForm, cursor_param

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
MAX_QUERY_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class YearQuery(QueryForm):
    jahr = forms.IntegerField(required=False, min_value=1900, max_value=2200)


def _param(request: HttpRequest, name: str, max_length: int = MAX_QUERY_LENGTH) -> str:
    """A query parameter as plain text: no control characters (PostgreSQL rejects NUL), bounded."""
    return _CONTROL.sub(" ", request.GET.get(name, ""))[:max_length].strip()


# --- Gemeinden ------------------------------------------------------------------------------
# Where one installation serves several Gemeinden (a Landkreis, an aggregator), each has its own
# start page and lists under /gemeinden/<slug>/: the same views, given the Gemeinde (`scope`).
# The lists without prefix show every Gemeinde's records, as they always have.


def gemeinde_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view` for the Gemeinde named in the address; one the visitor may not see, or none, is a 404."""

    @functools.wraps(view)
    def for_gemeinde(request: HttpRequest, slug: str) -> HttpResponse:
        gemeinde = get_object_or_404(Body.objects.visible_to(viewer_of(request)), slug=slug)
        return view(request, gemeinde=gemeinde)

    return for_gemeinde


def gemeinde_list(request: HttpRequest) -> HttpResponse:
    gemeinden = Body.objects.visible_to(viewer_of(request)).order_by("pk").only("name", "short_name", "slug")
    return render(request, "portal/gemeinde_list.html", {"gemeinden": list(gemeinden)})


# --- Start page ---------------------------------------------------------------------------


def home(request: HttpRequest, gemeinde: Body | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    meetings = queries.meeting_rows(viewer, gemeinde)
    upcoming = list(meetings.filter(start__gte=queries.start_of_today()).order_by("start", "pk")[:6])
    recent_meetings: list[Meeting] = []
    if len(upcoming) < 3:
        recent_meetings = list(meetings.filter(start__lt=queries.start_of_today()).order_by("-start", "-pk")[:6])
    return render(
        request,
        "portal/home.html",
        {
            "scope": gemeinde,
            "upcoming": upcoming,
            "recent_meetings": recent_meetings,
            "papers": list(queries.paper_rows(viewer, gemeinde).order_by("-date", "-pk")[:8]),
            "decisions": queries.recent_decisions(viewer, limit=8, body=gemeinde),
            "paper_points": paper_maps.recent_paper_points(viewer, gemeinde),
            "plan_decisions": queries.recent_decisions(viewer, limit=5, kinds=PLAN_BODY_KINDS, body=gemeinde),
        },
    )


# --- Sitzungskalender ---------------------------------------------------------------------


def _organization_filter(request: HttpRequest, gemeinde: Body | None) -> tuple[Organization | None, bool]:
    """The `gremium` filter; (None, True) if it names no visible Gremium (of this Gemeinde)."""
    slug = _param(request, "gremium")
    if not slug:
        return None, False
    org = Organization.objects.visible_to(viewer_of(request)).of_body(gemeinde).filter(slug=slug).first()
    return org, org is None


def _filter_bodies(viewer: Viewer, gemeinde: Body | None) -> list[Organization]:
    return list(
        Organization.objects.visible_to(viewer).of_body(gemeinde)
        .filter(
            Exists(Meeting.organizations.through.objects.filter(organization_id=OuterRef("pk")))
        )
        .order_by("name")
        .only("pk", "name", "slug")
    )


def meeting_list(request: HttpRequest, gemeinde: Body | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    org, unknown_org = _organization_filter(request, gemeinde)
    view = "monat" if request.GET.get("ansicht") == "monat" or "monat" in request.GET else "liste"
    when = "vergangen" if request.GET.get("zeit") == "vergangen" else "kommend"
    qs = queries.meeting_rows(viewer, gemeinde).filter(start__isnull=False)
    if org is not None:
        qs = queries.meetings_of(qs, org)
    context: dict[str, Any] = {
        "scope": gemeinde,
        "bodies": _filter_bodies(viewer, gemeinde),
        "organization": org,
        "unknown_org": unknown_org,
        "view": view,
        "when": when,
    }
    if view == "monat":
        context.update(_month_context(request, qs))
    else:
        if when == "kommend":
            qs = qs.filter(start__gte=queries.start_of_today())
            page = keyset_page(request, qs, key="start", descending=False)
        else:
            qs = qs.filter(start__lt=queries.start_of_today())
            page = keyset_page(request, qs, key="start", descending=True)
        context["page"] = page
    return render(request, "portal/meeting_list.html", context)


def _parse_month(raw: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", raw.strip())
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return year, month


def _month_context(request: HttpRequest, qs: Any) -> dict[str, Any]:
    today = timezone.localdate()
    parsed = _parse_month(request.GET.get("monat", ""))
    year, month = parsed if parsed else (today.year, today.month)
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    meetings = list(
        qs.filter(
            start__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            start__lt=dt.datetime.combine(after, dt.time.min, tzinfo=tz),
        ).order_by("start", "pk")[:500]
    )
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    weeks = [
        [
            {"date": day, "in_month": day.month == month, "meetings": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    prev_month = dt.date(year - (month == 1), (month - 2) % 12 + 1, 1)
    return {
        "month_label": f"{MONTHS[month - 1]} {year}",
        "month_value": f"{year:04d}-{month:02d}",
        "prev_month": f"{prev_month.year:04d}-{prev_month.month:02d}",
        "next_month": f"{after.year:04d}-{after.month:02d}",
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "month_meetings": meetings,
        "days": sorted(by_day.items()),
        "invalid_month": bool(request.GET.get("monat")) and parsed is None,
    }


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    meeting = get_object_or_404(queries.meetings_for_list(viewer), pk=pk)
    items, hidden_count = queries.agenda_of(meeting, viewer)
    files = list(
        File.objects.visible_to(viewer)
        .filter(meeting=meeting, agenda_item__isnull=True)
        .order_by("order", "pk")
    )
    invitation = [f for f in files if f.role == FileRole.INVITATION]
    protocol = [
        f for f in files if f.role in (FileRole.RESULTS_PROTOCOL, FileRole.VERBATIM_PROTOCOL)
    ]
    others = [f for f in files if f.role not in (FileRole.INVITATION, FileRole.RESULTS_PROTOCOL,
                                                 FileRole.VERBATIM_PROTOCOL)]
    return render(
        request,
        "portal/meeting_detail.html",
        {
            "meeting": meeting,
            "public_items": [i for i in items if i.public],
            "nonpublic_items": [i for i in items if not i.public],
            "hidden_count": hidden_count,
            "invitation": invitation,
            "protocol": protocol,
            "other_files": others,
            "map_points": [p for p in [map_point(meeting.location, "Sitzungsort")] if p],
            "gemeinden": Body.objects.visible_to(viewer).holding(meeting).only("name", "slug"),  # lazy
        },
    )


# --- Vorlagen -----------------------------------------------------------------------------


def _filtered_papers(request: HttpRequest, gemeinde: Body | None) -> tuple[Any, dict[str, Any], bool]:
    """The visible Vorlagen (of the Gemeinde) with the query string's filters, the filters applied,
    and whether the `gremium` filter named no Gremium."""
    qs = queries.paper_rows(viewer_of(request), gemeinde)
    filters: dict[str, Any] = {}
    paper_type = request.GET.get("art", "")
    if paper_type in PaperType.values:
        qs = qs.filter(paper_type=paper_type)
        filters["art"] = paper_type
    org, unknown_org = _organization_filter(request, gemeinde)
    if org is not None:
        qs = queries.papers_in_consultation_of(qs, org)
        filters["gremium"] = org
    year = YearQuery(request.GET).value("jahr")
    if year is not None:
        qs = qs.filter(date__gte=dt.date(year, 1, 1), date__lt=dt.date(year + 1, 1, 1))
        filters["jahr"] = year
    originator = _originator_filter(request)
    if originator is not None:
        qs = queries.papers_originated_by(qs, originator)
        filters["urheber"] = originator
    return qs, filters, unknown_org


def paper_list(request: HttpRequest, gemeinde: Body | None = None) -> HttpResponse:
    qs, filters, unknown_org = _filtered_papers(request, gemeinde)
    this_year = timezone.localdate().year
    return render(
        request,
        "portal/paper_list.html",
        {
            "scope": gemeinde,
            "page": keyset_page(request, qs, key="date", descending=True, nullable=True),
            "filters": filters,
            "unknown_org": unknown_org,
            "paper_types": PaperType.choices,
            "bodies": list(
                Organization.objects.visible_to(viewer_of(request)).of_body(gemeinde)
                .filter(kind__in=COUNCIL_BODY_KINDS)
                .order_by("name")
                .only("name", "slug")
            ),
            "years": list(range(this_year + 1, this_year - 15, -1)),
        },
    )


def _originator_filter(request: HttpRequest) -> Person | Organization | None:
    slug = _param(request, "urheber")
    if not slug:
        return None
    person = Person.objects.visible_to(viewer_of(request)).filter(slug=slug).first()
    if person is not None:
        return person
    return Organization.objects.visible_to(viewer_of(request)).filter(slug=slug).first()


def paper_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_of(request)
    paper = get_object_or_404(queries.paper_with_details(viewer), slug=slug)
    files = list(paper.files.all())
    places = list(paper.locations.all())
    return render(
        request,
        "portal/paper_detail.html",
        {
            "paper": paper,
            "places": places,
            "map_points": paper_maps.place_points(places),
            "main_files": [f for f in files if f.role == FileRole.MAIN],
            "attachments": [f for f in files if f.role != FileRole.MAIN],
            **queries.papers_linked_to(viewer, paper),
            "consultations": list(paper.consultations.all()),
            "similar": search_service.related_papers(viewer, paper),
        },
    )


# --- Gremien, Fraktionen, Personen --------------------------------------------------------

# External actors (Polizei, Kita, companies: EXTERN) are no Gremien: they are the Maßnahmenplan's Akteure.
PLAN_BODY_KINDS = (
    OrganizationKind.SOZIALTRAEGERKONFERENZ, OrganizationKind.ARBEITSGRUPPE, OrganizationKind.PROJEKTSTEUERUNGSGRUPPE,
)
KIND_GROUPS = [
    ("Rat und Ausschüsse", COUNCIL_BODY_KINDS),
    ("Fraktionen und Gruppen", GROUP_KINDS),
    (
        "Weitere Gremien",
        (
            OrganizationKind.SOZIALTRAEGERKONFERENZ,
            OrganizationKind.ARBEITSGRUPPE,
            OrganizationKind.PROJEKTSTEUERUNGSGRUPPE,
            OrganizationKind.SONSTIGE,
        ),
    ),
    ("Verwaltung", (OrganizationKind.VERWALTUNG, OrganizationKind.FACHBEREICH)),
]
ART_FILTERS = {"rat": 0, "fraktionen": 1, "weitere": 2, "verwaltung": 3}


def organization_list(request: HttpRequest, gemeinde: Body | None = None) -> HttpResponse:
    art = request.GET.get("art", "")
    groups = KIND_GROUPS if art not in ART_FILTERS else [KIND_GROUPS[ART_FILTERS[art]]]
    kinds = [kind for _, ks in groups for kind in ks]
    # Order by group, then name, so one numbered page can be regrouped in the template.
    rank: dict[str, int] = {kind: i for i, (_, ks) in enumerate(KIND_GROUPS) for kind in ks}
    orgs = list(
        Organization.objects.visible_to(viewer_of(request)).of_body(gemeinde)
        .filter(kind__in=kinds)
        .only("name", "short_name", "slug", "kind", "start_date", "end_date")
    )
    orgs.sort(key=lambda o: (rank.get(o.kind, 99), o.name.lower()))
    for o in orgs:
        o.group_label = KIND_GROUPS[rank.get(o.kind, 2)][0]  # type: ignore[attr-defined]
    page = small_page(request, orgs, per_page=100)
    return render(request, "portal/organization_list.html", {"scope": gemeinde, "page": page, "art": art, "art_filters": [
        ("", "Alle"), ("rat", "Rat und Ausschüsse"), ("fraktionen", "Fraktionen und Gruppen"),
        ("weitere", "Weitere Gremien"), ("verwaltung", "Verwaltung"),
    ]})  # fmt: skip


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_of(request)
    org = get_object_or_404(
        Organization.objects.visible_to(viewer).select_related("parent", "location", "body"), slug=slug
    )
    now = queries.start_of_today()
    meetings = queries.meetings_of(queries.meeting_rows(viewer).filter(start__isnull=False), org)
    context: dict[str, Any] = {
        "organization": org,
        "current": queries.current_members(org, viewer),
        "former": small_page(request, queries.former_members(org, viewer), per_page=25),
        "upcoming": [],
        "past": [],
        "in_consultation": queries.recently_consulted_papers(org, viewer),
    }
    # Fraktionen and most other bodies hold no meetings: one index probe saves two walks
    # through the whole calendar.
    if Meeting.organizations.through.objects.filter(organization_id=org.pk).exists():
        context["upcoming"] = list(meetings.filter(start__gte=now).order_by("start", "pk")[:5])
        context["past"] = list(meetings.filter(start__lt=now).order_by("-start", "-pk")[:5])
    context["has_meetings"] = org.kind in COUNCIL_BODY_KINDS or bool(
        context["upcoming"] or context["past"]
    )
    if org.is_group:
        papers = queries.paper_rows(viewer).order_by("-date", "-pk")
        context["originated"] = list(queries.papers_originated_by(papers, org)[:10])
        context["represented"] = list(
            queries.membership_rows(viewer)
            .filter(on_behalf_of=org)
            .active_on()
            .order_by("organization__name", "person__family_name", "person__name")
        )
    return render(request, "portal/organization_detail.html", context)


def person_list(request: HttpRequest, gemeinde: Body | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    qs = Person.objects.visible_to(viewer).of_body(gemeinde).prefetch_related(queries.group_memberships_prefetch(viewer))
    letter = request.GET.get("buchstabe", "").strip()[:1].upper()
    if letter.isalpha():
        qs = qs.filter(
            Q(family_name__istartswith=letter) | Q(family_name="", name__istartswith=letter)
        )
    page = small_page(request, qs.order_by("family_name", "given_name", "name", "pk"), per_page=50)
    return render(
        request,
        "portal/person_list.html",
        {"scope": gemeinde, "page": page, "letter": letter, "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_of(request)
    person = get_object_or_404(Person.objects.visible_to(viewer).select_related("body"), slug=slug)
    memberships = list(
        queries.membership_rows(viewer)
        .filter(person=person)
        .order_by("-start_date", "organization__name")
    )
    current, former = queries.split_current(memberships)
    originated = list(
        queries.papers_originated_by(queries.paper_rows(viewer), person).order_by("-date", "-pk")[:10]
    )
    groups = [m.organization for m in current if m.organization.kind in GROUP_KINDS]
    return render(
        request,
        "portal/person_detail.html",
        {"person": person, "current": current, "former": former, "originated": originated, "groups": groups},
    )


PHOTO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def person_photo(request: HttpRequest, slug: str) -> HttpResponseBase:
    person = get_object_or_404(Person.objects.visible_to(viewer_of(request)).exclude(photo=""), slug=slug)
    suffix = "." + (person.photo.name or "").rsplit(".", 1)[-1].lower()
    if suffix not in PHOTO_TYPES:
        raise Http404
    try:
        handle = person.photo.open("rb")
    except OSError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=PHOTO_TYPES[suffix])


# --- Suche --------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over everything the visitor may see (ratsinfo.search)."""
    form = SearchForm(request.GET)
    q, filters = form.query, form.filters()
    results = search_service.search(viewer_of(request), q, filters, after=form.cursor()) if q else None
    if form.wants_json:
        hits = [hit.as_json() for hit in results.hits] if results else []
        return JsonResponse({
            "query": q, "total": results.total if results else 0, "results": hits,
            "total_is_lower_bound": results.capped if results else False,
            "next": cursor_param(results.next_cursor) if results else "",
        }, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/search.html", {
        "q": q, "form": form, "filters": filters, "results": results,
        "next_cursor": cursor_param(results.next_cursor) if results else "",
        "is_first": form.cursor() is None,
    })


# --- Dateien, Barrierefreiheit, Anmeldung, Fehler -----------------------------------------


def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    viewer = viewer_of(request)
    file = downloads.visible_file(viewer, pk)
    if file is None:
        raise Http404("Datei nicht vorhanden")
    if not file.content and file.external_access_url.startswith(("https://", "http://")):
        return HttpResponseRedirect(file.external_access_url)
    response = downloads.file_response(request, file)
    if response is None:  # bytes missing: answer like a file that does not exist
        raise Http404("Datei nicht vorhanden")
    if not viewer.is_public and downloads.visible_file(None, pk) is None:
        record_event(AuditKind.DOWNLOAD, request=request, obj=file)  # a non-public file left the house
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    body = Body.objects.visible_to(viewer_of(request)).order_by("pk").first()
    statement = LegalPage.objects.filter(kind=LegalPageKind.BARRIEREFREIHEIT).first()
    return render(request, "portal/accessibility.html", {"body": body, "statement": statement})


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Impressum or Datenschutzerklärung: the installation's own text (admin), else a notice."""
    body = Body.objects.visible_to(viewer_of(request)).order_by("pk").first()
    page = LegalPage.objects.filter(kind=kind).first()
    return render(request, "portal/legal_page.html", {
        "body": body, "page": page, "title": LegalPageKind(kind).label,
    })


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # Staff without a second factor set up, and accounts with one, go there first.
        return after_password_login(self.request, super().get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.RATSINFO_OIDC_ENABLED}


class LogoutView(auth_views.LogoutView):
    next_page = "/"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_form.html"
    email_template_name = "portal/password_reset_email.txt"
    subject_template_name = "portal/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")
    extra_context = {"title": "Passwort vergessen", "intro": "Geben Sie die E-Mail-Adresse Ihres Kontos an. "
                     "Sie erhalten einen Link, mit dem Sie ein neues Passwort setzen.", "submit": "Link anfordern"}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/password_message.html"
    extra_context = {"title": "E-Mail unterwegs", "message": "Wenn ein Konto mit dieser Adresse besteht, ist eine "
                     "E-Mail mit einem Link zum Setzen eines neuen Passworts unterwegs."}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_form.html"
    success_url = reverse_lazy("portal:password_reset_complete")
    extra_context = {"title": "Neues Passwort setzen", "submit": "Passwort speichern"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_message.html"
    extra_context = {"title": "Passwort gesetzt", "message": "Ihr neues Passwort ist gespeichert. Sie können sich jetzt anmelden."}


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No database access here: the error may be the database itself.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
