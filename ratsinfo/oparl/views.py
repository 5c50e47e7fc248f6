"""The OParl 1.1 API: thin views over `serializers` and `pagination`.

Always the anonymous public view (also for logged-in staff), JSON via orjson,
`Access-Control-Allow-Origin: *` on every answer, errors as OParl Error objects.

Decisions where the spec leaves room:
- Ids are `<RATSINFO_PUBLIC_BASE_URL or request host>/oparl/v1.1/<type>/<pk>`; the body's lists
  are `/oparl/v1.1/body/<pk>/<type>` (all ten, the six of 1.1 included).
- Lists are ordered by id and paged by key (`after`/`before`/`last`, see pagination.py), limit
  100 by default, at most 1000; `pagination` names only elementsPerPage (a total would cost a
  count over the whole table on every page).
- Deleted and no longer public objects appear as `{id, type, created, modified, deleted: true}`
  in lists with `modified_since` and at their own id; never with content. Vorlagen still in
  Entwurf/Mitzeichnung were never released and stay unknown (404).
- Files: accessUrl serves inline (only what a browser shows without running it, see
  files.downloads), downloadUrl as attachment; a file imported without a copy points accessUrl at
  its original; a placeholder without content, or one whose bytes are missing, keeps the mandatory
  accessUrl, which answers 404 (OParl error); only a stored file has a downloadUrl. A deleted file
  answers 410.
- Locations are shared by bodies: every body's location list holds all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ratsinfo.bodies.models import Body
from ratsinfo.files import downloads
from ratsinfo.lib.forms import is_id
from ratsinfo.meetings.models import Meeting
from ratsinfo.oparl import serializers as s
from ratsinfo.oparl import types as t
from ratsinfo.oparl.openapi import openapi
from ratsinfo.oparl.pagination import ListParams, OParlError, fetch_page, page_links

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
ERROR_TYPE = "https://schema.oparl.org/1.1/Error"
_web_paths: dict[str, str] | None = None


def json_response(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type=JSON_TYPE, status=status)


def error_response(status: int, message: str) -> HttpResponse:
    return json_response({"type": ERROR_TYPE, "message": message}, status=status)


def oparl_endpoint(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """CORS for everyone, only reading methods, and OParl errors instead of HTML pages.

    Exempt from CSRF: the API never changes state, and a POST must get the OParl 405 error
    object, not Django's HTML 403 page.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in {"GET", "HEAD"}:
            response = error_response(405, "Die OParl-Schnittstelle ist nur lesbar (GET).")
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except OParlError as exc:
                response = error_response(exc.status, exc.message)
            except Exception:
                logger.exception("OParl-Anfrage %s fehlgeschlagen", request.path)
                response = error_response(500, "Interner Fehler des Servers.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def context(request: HttpRequest) -> s.Ctx:
    global _web_paths
    if _web_paths is None:
        _web_paths = s.web_paths()
    site = settings.PUBLIC_BASE_URL or f"{request.scheme}://{request.get_host()}"
    return s.Ctx(site=site, api=site + reverse("oparl:system").rstrip("/"), web_paths=_web_paths)


def not_found(what: str) -> OParlError:
    return OParlError(404, f"{what} gibt es hier nicht.")


# --- Single objects ---------------------------------------------------------------------------


@oparl_endpoint
def system(request: HttpRequest) -> HttpResponse:
    ctx = context(request)
    span = Body.objects.aggregate(created=Min("created"), modified=Max("modified"))
    first: Any = Body.objects.visible_to(s.ANON).order_by("pk").values("name", "contact_email", "contact_name",
                                                                   "website").first() or {}
    data = t.System(
        id=ctx.api + "/",
        body=ctx.api + "/body",
        name=f"Ratsinformationssystem {first.get('name', '')}".strip(),
        contactEmail=first.get("contact_email"),
        contactName=first.get("contact_name"),
        website=first.get("website") or ctx.site + "/",
        created=s.ts(span["created"]),
        modified=s.ts(span["modified"]),
        web=ctx.site + "/",
    ).to_json()
    return json_response(data)


def _object(request: HttpRequest, kind: s.Kind, pk: int) -> HttpResponse:
    ctx = context(request)
    rows = list(kind.visible().filter(pk=pk).values(*kind.fields))
    if rows:
        return json_response(kind.build(rows, ctx)[0])
    hidden = list(kind.tombstone_candidates().filter(pk=pk).values("id", "created", "modified"))
    if hidden:
        # Deleted or no longer public: clients that had it learn that it is gone.
        return json_response(s.tombstone(kind, hidden[0], ctx))
    raise not_found(f"{kind.name} {pk}")


def _pk(value: str | int) -> int:
    if not is_id(value):  # beyond any database key: unknown, not a server error
        raise not_found(f"Objekt {str(value)[:40]}")
    return int(value)


@oparl_endpoint
def object_detail(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    return _object(request, s.KINDS[kind], _pk(pk))


# --- Lists ------------------------------------------------------------------------------------


def _list(request: HttpRequest, kind: s.Kind, scope: Callable[[QuerySet[Any]], QuerySet[Any]]) -> HttpResponse:
    params = ListParams.from_query(request.GET)
    ctx = context(request)
    fields: tuple[str, ...] = kind.fields
    if params.with_tombstones:
        qs = scope(kind.tombstone_candidates()).annotate(
            _visible=Exists(kind.visible().filter(pk=OuterRef("pk")))
        )
        fields = (*fields, "_visible")
    else:
        qs = scope(kind.visible())
    page = fetch_page(qs, params, fields)
    data = {
        "data": s.build_rows(kind, page.rows, ctx),
        "pagination": {"elementsPerPage": params.limit},
        "links": page_links(ctx.site + request.path, params, page),
    }
    return json_response(data)


def _body(pk: int) -> Body:
    body = Body.objects.visible_to(s.ANON).filter(pk=pk).first()
    if body is None:
        raise not_found(f"Body {pk}")
    return body


@oparl_endpoint
def body_list(request: HttpRequest) -> HttpResponse:
    return _list(request, s.KINDS["body"], lambda qs: qs)


@oparl_endpoint
def body_sublist(request: HttpRequest, pk: str, kind: str) -> HttpResponse:
    body = _body(_pk(pk))
    single = not Body.objects.exclude(pk=body.pk).exists()
    k = s.KINDS[kind]
    return _list(request, k, lambda qs: k.body_filter(qs, body, single))


@oparl_endpoint
def organization_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    pk = _pk(pk)
    through = Meeting.organizations.through.objects
    return _list(
        request, s.KINDS["meeting"], lambda qs: qs.filter(Exists(through.filter(meeting_id=OuterRef("pk"), organization_id=pk))))


@oparl_endpoint
def organization_consultations(request: HttpRequest, pk: int) -> HttpResponse:
    pk = _pk(pk)
    return _list(request, s.KINDS["consultation"], lambda qs: qs.filter(organization_id=pk))


# --- File contents ----------------------------------------------------------------------------


def _file_response(request: HttpRequest, pk: int, attachment: bool) -> HttpResponseBase:
    pk = _pk(pk)
    file = downloads.visible_file(s.ANON, pk)
    if file is None:
        if s.KINDS["file"].tombstone_candidates().filter(pk=pk, deleted=True).exists():
            raise OParlError(410, f"Datei {pk} wurde gelöscht.")
        raise not_found(f"Datei {pk}")
    if not file.content and file.external_access_url and not attachment:
        return HttpResponseRedirect(file.external_access_url)
    response = downloads.file_response(request, file, attachment=attachment)
    if response is None:
        raise OParlError(404, f"Zu Datei {pk} liegt kein Inhalt vor.")
    return response


@oparl_endpoint
def file_access(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _file_response(request, pk, attachment=False)


@oparl_endpoint
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _file_response(request, pk, attachment=True)


@oparl_endpoint
def openapi_description(request: HttpRequest) -> HttpResponse:
    return json_response(openapi())


@oparl_endpoint
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise OParlError(404, "Diese Adresse gibt es in der OParl-Schnittstelle nicht.")


@oparl_endpoint
def to_system(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("oparl:system"))

