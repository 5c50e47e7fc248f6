"""The one numbering of an agenda: public part `Ö 1` …, non-public part `N 1` …, sub-items `Ö 5.1`.

Used by the staff screens, the demo and the Maßnahmenplan, so every agenda reads the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Slot:
    public: bool
    sub_item: bool = False


def agenda_numbers(slots: Sequence[Slot]) -> list[str]:
    """Numbers for items in their final order (all public items before the non-public ones).

    A sub-item belongs to the main item before it in the same part; a sub-item opening a part
    becomes a main item (there is nothing to hang it under).
    """
    numbers: list[str] = []
    main = {True: 0, False: 0}
    sub = {True: 0, False: 0}
    for slot in slots:
        prefix = "Ö" if slot.public else "N"
        if slot.sub_item and main[slot.public]:
            sub[slot.public] += 1
            numbers.append(f"{prefix} {main[slot.public]}.{sub[slot.public]}")
        else:
            main[slot.public] += 1
            sub[slot.public] = 0
            numbers.append(f"{prefix} {main[slot.public]}")
    return numbers


def part_order(slots: Sequence[Slot]) -> list[int]:
    """Indexes of `slots` with the public part first, each part keeping its own order (stable)."""
    return sorted(range(len(slots)), key=lambda i: not slots[i].public)
