"""The one way to read request input: Django forms, with id fields that know the key range.

Query strings are parsed by a `QueryForm`: `QueryForm(request.GET).value("jahr")` is the cleaned
value, or the field's default when the parameter is missing or invalid (a filter page ignores a
broken parameter instead of failing). Views that must reject bad input (the OParl API) read
`form.errors` instead.

Every database id coming from outside goes through `validate_id` (1 .. 2**63-1): beyond that
range SQLite raises OverflowError instead of finding nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict

ID_MAX = 2**63 - 1
ID_MESSAGE = "„%(value)s“ ist keine gültige Nummer (erlaubt sind ganze Zahlen von %(minimum)s bis 9223372036854775807)."


def is_id(value: Any, minimum: int = 1) -> bool:
    """True for an int or an ASCII digit string inside the key range (never int() on "²")."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and minimum <= int(text) <= ID_MAX


def validate_id(value: Any) -> None:
    if not is_id(value):
        raise ValidationError(ID_MESSAGE, code="invalid_id", params={"value": str(value)[:40], "minimum": 1})


class IdField(forms.Field):
    """A database id (or a key cursor, `minimum=0`) from a query string or form: .. 2**63-1."""

    def __init__(self, *, minimum: int = 1, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.minimum = minimum

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not is_id(value, self.minimum):
            raise ValidationError(ID_MESSAGE, code="invalid_id", params={"value": str(value)[:40], "minimum": self.minimum})
        return int(str(value).strip())


def _int_keys(field: forms.ModelChoiceField) -> bool:
    key = field.to_field_name or "pk"
    model = field.queryset.model  # type: ignore[union-attr]
    model_field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    return isinstance(model_field, models.IntegerField | models.AutoField)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field with the key range checked before the query."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not isinstance(value, models.Model) and _int_keys(self) and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field with every key's range checked before the `pk__in` query (SQLite overflows)."""

    def _check_values(self, value: Any) -> Any:
        if _int_keys(self):
            for item in value if isinstance(value, list | tuple) else []:
                if not isinstance(item, models.Model) and not is_id(item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(item)[:40]}
                    )
        return super()._check_values(value)  # type: ignore[misc]


def model_field_classes(model: type[models.Model], names: list[str]) -> dict[str, type[forms.Field]]:
    """`Meta.field_classes` for a ModelForm: every relation gets the range-checked field."""
    out: dict[str, type[forms.Field]] = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            out[name] = ModelMultipleChoiceField
        elif field.many_to_one or field.one_to_one:
            out[name] = ModelChoiceField
    return out


class QueryForm(forms.Form):
    """Base of every query-string form: cleaned values with the field defaults for anything invalid."""

    def __init__(self, data: QueryDict | dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else {}, **kwargs)
        self.is_valid()

    def value(self, name: str) -> Any:
        if name in self.cleaned_data and self.cleaned_data[name] not in (None, ""):
            return self.cleaned_data[name]
        return self.fields[name].initial

    def invalid(self, name: str) -> bool:
        return name in self.errors


class IdConverter:
    """`<id:pk>` in URL patterns: only keys a database can hold match (anything else is a 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if not is_id(value):
            raise ValueError(value)
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def install_range_checks() -> None:
    """Every relation form field in the project — the admin's, generated ModelForms', hand-written
    ones — checks the key range before its query (Django's own fields pass any id to the database,
    and SQLite overflows beyond 64 bits). Called once from the ops app's ready()."""
    if getattr(forms.ModelChoiceField, "_ratsinfo_range_checked", False):
        return
    choice_to_python = forms.ModelChoiceField.to_python
    multiple_check = forms.ModelMultipleChoiceField._check_values  # type: ignore[attr-defined]

    def to_python(self: forms.ModelChoiceField, value: Any) -> Any:
        if value not in self.empty_values and not isinstance(value, models.Model) and _int_keys(self) and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return choice_to_python(self, value)

    def check_values(self: forms.ModelMultipleChoiceField, value: Any) -> Any:
        if _int_keys(self):
            for item in value if isinstance(value, list | tuple) else []:
                if not isinstance(item, models.Model) and not is_id(item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(item)[:40]}
                    )
        return multiple_check(self, value)

    from django.contrib.admin.widgets import AutocompleteMixin

    autocomplete_optgroups = AutocompleteMixin.optgroups

    def optgroups(self: Any, name: str, value: list[str], attr: Any = None) -> Any:
        # The admin's autocomplete widget looks up whatever value was posted when it re-renders.
        remote = self.field.remote_field.model._meta
        key = remote.get_field(getattr(self.field.remote_field, "field_name", remote.pk.attname))
        if isinstance(key, models.IntegerField | models.AutoField):
            value = [v for v in value if v == "" or is_id(v)]
        return autocomplete_optgroups(self, name, value, attr)

    AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign,assignment]
    forms.ModelChoiceField.to_python = to_python  # type: ignore[method-assign]
    forms.ModelMultipleChoiceField._check_values = check_values  # type: ignore[attr-defined]
    forms.ModelChoiceField._ratsinfo_range_checked = True  # type: ignore[attr-defined]
