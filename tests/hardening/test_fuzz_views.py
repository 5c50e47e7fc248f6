"""Every view, found in the URL configuration (a new view is fuzzed without a new test), gets
generated values in every query parameter and form field it shows or reads, by GET and POST,
anonymously and as the Sitzungsdienst: never a 500, and an answer that is not a success leaves
no row behind.

Bounded for the suite (RATSINFO_FUZZ_EXAMPLES per view and persona, default 3); a longer run by
hand: `RATSINFO_FUZZ_EXAMPLES=200 .venv/bin/pytest tests/hardening/test_fuzz_views.py`, optionally
with `RATSINFO_FUZZ_ROUTES=<regex>` to pick routes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratsinfo.lib.forms import QueryForm
from ratsinfo.oparl.pagination import ListQuery
from tests.conftest import login_with_second_factor
from tests.measures.factories import World
from tests.oparl.conftest import OParlTown

EXAMPLES = int(os.environ.get("RATSINFO_FUZZ_EXAMPLES", "2"))
# Always sent besides the generated ones, to every parameter at once (each found a 500 once).
EDGE_VALUES = ["²", "99999999999999999999", "9999-12-31T23:59:59.999999-14:00", "\x00"]
ONLY = re.compile(os.environ.get("RATSINFO_FUZZ_ROUTES", ""))  # by hand: fuzz only the routes matching
# Object pages of the admin take any text as object id and are Django's own; its list and add pages are fuzzed.
SKIPPED_ROUTES = re.compile(r"<path:object_id>|<int:content_type_id>|^logout/|^abmelden/")
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern) and not SKIPPED_ROUTES.search(route):
            yield prefix + route


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def _query_names() -> set[str]:
    """Every query parameter a view reads through a form (the project's one pattern)."""
    names = set(ListQuery.base_fields)
    todo = list(QueryForm.__subclasses__())
    while todo:
        form = todo.pop()
        names |= set(form.base_fields)
        todo += form.__subclasses__()
    return names | {"q", "seite", "monat", "art", "gremium", "urheber", "buchstabe", "ansicht", "zeit"}


def _candidates(name: str, body: str | None, pool: dict[str, list[str]]) -> list[str]:
    if body and "|" in body and "[" not in body:
        return body.strip("()").split("|")
    if name in pool:
        return pool[name]
    return pool["pk"] if name.endswith("id") or name == "pk" else ["x"]


def concrete_paths(route: str, pool: dict[str, list[str]]) -> list[str]:
    """The route with its parameters filled in, every combination of up to three candidates each."""
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    paths = [route]
    for m in _PARAM.finditer(route):
        name = m.group("name") or m.group("rname")
        options = _candidates(name, m.group("body"), pool)[:3]
        paths = [p.replace(m.group(0), o, 1) for p in paths for o in options]
    return ["/" + p for p in paths]


def value_strategy() -> st.SearchStrategy[str]:
    edges = st.sampled_from([
        "", "0", "-1", "1", "²", "٣", "99999999999999999999", "9" * 5000, "1e9", "0x10", "NaN", "\x00", "' OR 1=1 --",
        "0001-01-01", "9999-12-31T23:59:59.999999-14:00", "2024-02-30", "2024-13", "<script>", "ä" * 300, "aktuell",
    ])
    return st.one_of(edges, st.text(max_size=40), st.integers().map(str))


@pytest.fixture
def fuzz_town(oparl_town: OParlTown, world: World, sitzungsdienst: User) -> dict[str, Any]:
    sitzungsdienst.groups.add(Group.objects.get(name="Quartiersmanagement"))  # also the plan's edit forms
    pool: dict[str, list[str]] = {"pk": ["1", "2", "3"]}
    slugs: list[str] = []
    for model in apps.get_models():
        if any(f.name == "slug" for f in model._meta.fields) and model._meta.app_label != "admin":
            slugs += [s for s in model.objects.values_list("slug", flat=True)[:3] if s]
    pool["slug"] = list(dict.fromkeys([world.plan.slug, *slugs]))
    pool["app_label"] = ["bodies", "measures"]
    pool["rest"] = ["unbekannt"]
    return {"pool": pool, "user": sitzungsdienst}


# Rows some requests write by design: the audit log, a member's last visit, the worker's heartbeat.
WRITTEN_BY_DESIGN = {"accounts.AuditEvent", "members.LastVisit", "ops.WorkerHeartbeat"}


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count() for m in apps.get_models()
        if m.__module__.startswith("ratsinfo.") and m._meta.label not in WRITTEN_BY_DESIGN
    }


def _form_fields(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)) - {"csrfmiddlewaretoken"}


# Answers in the 5xx range that are the point of a view, not an error.
INTENDED_5XX = {"/readyz": 503}


def _ok(path: str, status: int) -> bool:
    return status < 500 or INTENDED_5XX.get(path) == status


CASES: list[int] = [0]  # requests sent with generated or edge values, for the closing line


def _fuzz_route(route: str, pool: dict[str, list[str]], staff: Client, anonymous: Client) -> None:
    paths = concrete_paths(route, pool)
    path = next((p for p in paths if staff.get(p).status_code != 404), paths[0])
    page = staff.get(path)
    assert _ok(path, page.status_code), path
    html = page.content.decode(errors="replace") if "html" in page.get("Content-Type", "") else ""
    names = sorted(_form_fields(html) | _query_names())

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.dictionaries(st.sampled_from(names), st.lists(value_strategy(), min_size=1, max_size=2), max_size=8),
           as_staff=st.booleans(), post=st.booleans())
    def probe(data: dict[str, list[str]], as_staff: bool, post: bool) -> None:
        client = staff if as_staff else anonymous
        CASES[0] += 1
        if not post:
            response = client.get(path, data)
            assert _ok(path, response.status_code), (path, data)
            return
        before = _counts()
        response = client.post(path, data)
        assert _ok(path, response.status_code), (path, data)
        if response.status_code not in (301, 302, 303):
            assert _counts() == before, f"{path} ließ nach {response.status_code} Zeilen zurück: {data}"

    for value in EDGE_VALUES:
        for post in (False, True):
            probe.hypothesis.inner_test(data={n: [value] for n in names}, as_staff=True, post=post)  # type: ignore[attr-defined]
    probe()


def test_no_view_answers_500_to_generated_input(fuzz_town: dict[str, Any]) -> None:
    """One world for all views (building it per view would cost more than the fuzzing)."""
    staff = login_with_second_factor(Client(raise_request_exception=False), fuzz_town["user"])  # staff area too
    anonymous = Client(raise_request_exception=False)
    routes = all_routes()
    assert len(routes) > 40 and "massnahmen/<slug:slug>/beschluss/" in routes and "v1.1/body" in " ".join(routes)
    failures = []
    fuzzed = list(filter(ONLY.search, routes))
    for route in fuzzed:
        try:
            _fuzz_route(route, fuzz_town["pool"], staff, anonymous)
        except AssertionError as exc:
            failures.append(f"{route}: {str(exc)[:300]}")
    print(f"\nFuzzing: {len(fuzzed)} Routen, {CASES[0]} Fälle, {len(failures)} mit Fehler (500)")  # -s shows it
    assert failures == [], "\n".join(failures)
