"""Money in plan pages: „1.234,50“, and „–“ where there is nothing (never „0,00“)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from ratsinfo.measures.exports import german_money

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "–"
    return german_money(amount) if amount else "–"
