"""Coordinates of a `bodies.Location` (OParl: `geojson`, a GeoJSON Feature or Point, lon/lat)."""

from __future__ import annotations

from typing import Any


def point_of(geojson: Any) -> tuple[float, float] | None:
    """(latitude, longitude) of a GeoJSON Point or Point Feature; None for anything else."""
    if not isinstance(geojson, dict):
        return None
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    if not isinstance(coords, list | tuple) or len(coords) < 2:
        return None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def point_feature(lat: float, lon: float, name: str = "") -> dict[str, Any]:
    """A GeoJSON Point Feature as OParl's Location.geojson carries it (coordinates lon, lat)."""
    feature: dict[str, Any] = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}}
    feature["properties"] = {"name": name} if name else {}
    return feature


def map_point(location: Any, label: str, url: str = "") -> dict[str, Any] | None:
    """One marker for the map partial, or None when the location has no coordinates."""
    if location is None or (point := point_of(location.geojson)) is None:
        return None
    return {"lat": point[0], "lon": point[1], "label": label, "place": str(location), "url": url}
