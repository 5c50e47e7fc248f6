"""Markers of the plan's measures that have a place with coordinates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ratsinfo.lib.geo import map_point
from ratsinfo.measures.models import Measure, Plan


def measure_points(plan: Plan, measure: Measure | None = None) -> list[dict[str, Any]]:
    measures = [measure] if measure is not None else (
        Measure.objects.alive().filter(plan=plan, location__isnull=False).select_related("location")
    )
    url = lambda m: reverse("measures:measure", kwargs={"slug": plan.slug, "pk": m.pk})  # noqa: E731
    points = (map_point(m.location, str(m), url(m)) for m in measures)
    return [p for p in points if p is not None]
