"""The one agenda numbering: Ö/N parts, sub-items, public part first."""

from ratsinfo.meetings.numbering import Slot, agenda_numbers, part_order


def test_public_and_nonpublic_parts_are_numbered_separately() -> None:
    slots = [Slot(True), Slot(True), Slot(False), Slot(False), Slot(True)]
    order = part_order(slots)
    assert order == [0, 1, 4, 2, 3]
    assert agenda_numbers([slots[i] for i in order]) == ["Ö 1", "Ö 2", "Ö 3", "N 1", "N 2"]


def test_sub_items_hang_under_the_main_item_before_them() -> None:
    slots = [Slot(True), Slot(True), Slot(True, True), Slot(True, True), Slot(True), Slot(False, True), Slot(False, True)]
    assert agenda_numbers(slots) == ["Ö 1", "Ö 2", "Ö 2.1", "Ö 2.2", "Ö 3", "N 1", "N 1.1"]


def test_an_empty_agenda_has_no_numbers() -> None:
    assert agenda_numbers([]) == []
