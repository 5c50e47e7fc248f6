"""Committee seats among Fraktionen and Gruppen (§ 71 NKomVG): d'Hondt, Hare-Niemeyer or Sainte-Laguë.

The method is the council's choice (set per Gemeinde in its Geschäftsordnung/Hauptsatzung). A tie for
the last seat is decided by lot (§ 71 Abs. 3): the result names the tied parties and leaves the draw to
the Rat's chair instead of deciding silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction


class SeatMethod(StrEnum):
    DHONDT = "dhondt"
    HARE_NIEMEYER = "hare_niemeyer"
    SAINTE_LAGUE = "sainte_lague"


METHOD_LABELS = {
    SeatMethod.DHONDT: "Höchstzahlverfahren nach d'Hondt",
    SeatMethod.HARE_NIEMEYER: "Hare-Niemeyer (Quotenverfahren)",
    SeatMethod.SAINTE_LAGUE: "Sainte-Laguë/Schepers",
}


@dataclass
class Distribution:
    seats: dict[str, int]
    # Parties with equal claims to the remaining `lot_seats` seats: the chair draws lots (§ 71 Abs. 3).
    lot_between: list[str] = field(default_factory=list)
    lot_seats: int = 0


def distribute(strengths: dict[str, int], seats: int, method: SeatMethod) -> Distribution:
    """Seats per Fraktion/Gruppe from its number of council members."""
    if seats < 0 or any(n < 0 for n in strengths.values()):
        raise ValueError("Sitze und Stärken dürfen nicht negativ sein.")
    if method == SeatMethod.HARE_NIEMEYER:
        return _hare_niemeyer(strengths, seats)
    divisor = (lambda k: Fraction(k + 1)) if method == SeatMethod.DHONDT else (lambda k: Fraction(2 * k + 1, 2))
    result = {name: 0 for name in strengths}
    for _ in range(seats):
        best = max(Fraction(n) / divisor(result[name]) for name, n in strengths.items()) if strengths else 0
        tied = [name for name, n in strengths.items() if n and Fraction(n) / divisor(result[name]) == best]
        if not tied:
            break
        left = seats - sum(result.values())
        if len(tied) > left:
            return Distribution(result, lot_between=sorted(tied), lot_seats=left)
        for name in tied[:left]:
            result[name] += 1
        if sum(result.values()) >= seats:
            break
    return Distribution(result)


def _hare_niemeyer(strengths: dict[str, int], seats: int) -> Distribution:
    total = sum(strengths.values())
    if total == 0:
        return Distribution({name: 0 for name in strengths})
    quotas = {name: Fraction(n * seats, total) for name, n in strengths.items()}
    result = {name: int(q) for name, q in quotas.items()}
    left = seats - sum(result.values())
    remainders = sorted({q - int(q) for q in quotas.values()}, reverse=True)
    for remainder in remainders:
        if left == 0:
            break
        tied = [name for name, q in quotas.items() if q - int(q) == remainder]
        if len(tied) > left:
            return Distribution(result, lot_between=sorted(tied), lot_seats=left)
        for name in tied:
            result[name] += 1
        left -= len(tied)
    return Distribution(result)
