"""Committee seats under § 71 NKomVG: a Rat of 32 (CDU 13, SPD 10, Grüne/KA/Linke 5, FDP 2, AfD 2), 9 seats."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratsinfo.bodies.seats import SeatMethod, distribute

RAT = {"CDU": 13, "SPD": 10, "Grüne/KA/Linke": 5, "FDP": 2, "AfD": 2}


def test_dhondt_favours_the_large_groups() -> None:
    result = distribute(RAT, 9, SeatMethod.DHONDT)
    assert result.seats == {"CDU": 5, "SPD": 3, "Grüne/KA/Linke": 1, "FDP": 0, "AfD": 0} and not result.lot_between


def test_hare_niemeyer_leaves_the_last_seat_to_the_lot() -> None:
    result = distribute(RAT, 9, SeatMethod.HARE_NIEMEYER)
    assert result.seats == {"CDU": 4, "SPD": 3, "Grüne/KA/Linke": 1, "FDP": 0, "AfD": 0}
    assert (result.lot_between, result.lot_seats) == (["AfD", "FDP"], 1)


def test_sainte_lague_gives_the_small_groups_a_seat() -> None:
    result = distribute(RAT, 9, SeatMethod.SAINTE_LAGUE)
    assert result.seats == {"CDU": 3, "SPD": 3, "Grüne/KA/Linke": 1, "FDP": 1, "AfD": 1}


def test_negative_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negativ"):
        distribute({"CDU": -1}, 3, SeatMethod.DHONDT)


@given(
    st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(min_value=1, max_value=40), min_size=1),
    st.integers(min_value=0, max_value=25),
    st.sampled_from(list(SeatMethod)),
)
def test_every_seat_is_given_or_drawn_by_lot(strengths: dict[str, int], seats: int, method: SeatMethod) -> None:
    result = distribute(strengths, seats, method)
    assert sum(result.seats.values()) + result.lot_seats == seats
    assert result.lot_seats < max(len(result.lot_between), 1) or result.lot_seats == 0
