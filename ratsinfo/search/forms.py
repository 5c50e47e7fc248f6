"""The query string of /suche/, validated at the boundary: bad values are dropped, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from ratsinfo.papers.models import PaperType
from ratsinfo.search.backends import Cursor
from ratsinfo.search.models import Kind
from ratsinfo.search.service import Filters

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURSOR = re.compile(r"(-?\d+(?:\.\d+)?(?:e-?\d+)?|\d{4}-\d{2}-\d{2})~(\d{1,18})")


class SearchForm(forms.Form):
    q = forms.CharField(label="Suchbegriff oder Vorlagen-Nr.", required=False, max_length=800)
    art = forms.ChoiceField(label="Art", required=False, choices=[("", "alle Arten"), *Kind.choices])
    vorlagenart = forms.ChoiceField(label="Vorlagenart", required=False, choices=[("", "alle"), *PaperType.choices])
    gremium = forms.IntegerField(label="Gremium", required=False, min_value=1, max_value=2**62)
    jahr = forms.IntegerField(label="Jahr", required=False, min_value=1900, max_value=2200)
    von = forms.DateField(label="von", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.DateField(label="bis", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sortierung = forms.ChoiceField(
        label="Sortierung", required=False, choices=[("", "nach Relevanz"), ("datum", "neueste zuerst")]
    )
    nach = forms.RegexField(regex=_CURSOR, required=False, max_length=60)
    format = forms.ChoiceField(required=False, choices=[("", "HTML"), ("json", "JSON")])

    def value(self, name: str) -> Any:
        """A cleaned value, or empty if the visitor's value was invalid (the filter is dropped)."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def query(self) -> str:
        raw = _CONTROL.sub(" ", self.data.get("q", "") or "")
        return " ".join(raw.split())[:200]

    def filters(self) -> Filters:
        return Filters(
            kind=self.value("art") or "", paper_type=self.value("vorlagenart") or "",
            gremium=self.value("gremium"), year=self.value("jahr"), date_from=self.value("von"),
            date_to=self.value("bis"), by_date=self.value("sortierung") == "datum",
        )

    def cursor(self) -> Cursor | None:
        raw = self.value("nach")
        match = _CURSOR.fullmatch(raw or "")
        if match is None:
            return None
        value, pk = match.groups()
        if len(value) == 10 and value[4] == "-":
            try:
                return Cursor(dt.date.fromisoformat(value), int(pk))
            except ValueError:
                return None
        return Cursor(float(value), int(pk))

    @property
    def wants_json(self) -> bool:
        return self.value("format") == "json"

    @property
    def invalid(self) -> list[str]:
        self.is_valid()
        return [str(self.fields[name].label or name) for name in self.errors if name not in ("nach", "format")]


def cursor_param(cursor: Cursor | None) -> str:
    if cursor is None:
        return ""
    value = cursor.value
    text = value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, str) else repr(float(value))
    return f"{text}~{cursor.id}"
