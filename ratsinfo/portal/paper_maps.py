"""Markers of the Vorlagen that name places: one Vorlage's map and the start page's map of the last months."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from ratsinfo.bodies.models import Body, Location
from ratsinfo.lib.access import Viewer
from ratsinfo.lib.geo import map_point
from ratsinfo.papers.models import Paper

RECENT_DAYS = 183  # "the last months": half a year of Vorlagen on the start page's map
MAP_PAPER_LIMIT = 60  # the newest ones; the list under the map stays readable


def places_of(viewer: Viewer) -> Prefetch:
    return Prefetch("locations", queryset=Location.objects.visible_to(viewer).order_by("description", "pk"))


def place_points(locations: Iterable[Location]) -> list[dict[str, Any]]:
    """One marker per place with coordinates, labelled with the place's name."""
    points = []
    for place in locations:
        point = map_point(place, place.description or str(place))
        if point is not None:
            # the label names the place: the list under it gives only the address
            point["place"] = ", ".join(x for x in (place.room, place.street_address, place.locality) if x)
            points.append(point)
    return points


def recent_papers_with_places(viewer: Viewer, body: Body | None = None) -> QuerySet[Paper]:
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    named = Paper.locations.through.objects.filter(paper_id=OuterRef("pk"))
    return (
        Paper.objects.visible_to(viewer).of_body(body).filter(Exists(named), date__gte=since)
        .only("pk", "slug", "reference", "name", "date").order_by("-date", "-pk")
        .prefetch_related(places_of(viewer))[:MAP_PAPER_LIMIT]
    )


def recent_paper_points(viewer: Viewer, body: Body | None = None) -> list[dict[str, Any]]:
    """Markers of the visible Vorlagen of the last months, of one Gemeinde or all (two queries)."""
    points = []
    for paper in recent_papers_with_places(viewer, body):
        label = f"{paper.reference} {paper.name}".strip() if paper.reference else paper.name
        for place in paper.locations.all():
            point = map_point(place, label, paper.get_absolute_url())
            if point is not None:
                points.append(point)
    return points
