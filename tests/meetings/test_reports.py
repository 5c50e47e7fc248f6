"""Beschlusskontrolle and Sitzungsgeld (§ 55 NKomVG)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pypdfium2
import pytest

from ratsinfo.meetings.models import (
    AgendaItemResult,
    AllowanceRate,
    AttendanceStatus,
    Implementation,
    ImplementationState,
)
from ratsinfo.meetings.planning import compose_agenda, waiting_papers
from ratsinfo.meetings.recording import MeetingError, record_attendance, record_result
from ratsinfo.meetings.reports import (
    ALLOWANCE_COLUMNS,
    allowance_rows,
    allowances,
    implementation_report,
    overdue,
    table_csv,
    update_implementation,
)
from tests.meetings.conftest import Council

pytestmark = pytest.mark.django_db


def _decided(council: Council) -> Implementation:
    jos = council.meeting()
    (item,) = compose_agenda(jos, waiting_papers(jos))
    record_result(item, AgendaItemResult.EINSTIMMIG)
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    (decision,) = compose_agenda(va, waiting_papers(va))
    outcome = record_result(decision, AgendaItemResult.UNGEAENDERT)
    assert outcome.implementation is not None
    return outcome.implementation


def test_beschlusskontrolle_overdue_until_done_and_reported(council: Council, sitzungsdienst) -> None:  # type: ignore[no-untyped-def]
    impl = _decided(council)
    update_implementation(impl, due_date=dt.date(2022, 12, 31), state=ImplementationState.IN_PROGRESS,
                          note="Angebote werden eingeholt.", user=sitzungsdienst, today=dt.date(2022, 11, 1))
    assert list(overdue(dt.date(2023, 1, 2))) == [impl]
    pdf = implementation_report(council.body, Implementation.objects.all())
    doc = pypdfium2.PdfDocument(pdf)
    text = doc[0].get_textpage().get_text_range()
    assert "Angebote werden eingeholt." in text and "Fachbereich 2" in text
    update_implementation(impl, state=ImplementationState.DONE, today=dt.date(2023, 1, 5))
    impl.refresh_from_db()
    assert impl.done_on == dt.date(2023, 1, 5) and not overdue(dt.date(2023, 2, 1)).exists()
    with pytest.raises(MeetingError):
        update_implementation(impl, state="vergessen")


def test_a_rejected_decision_or_a_vorberatung_opens_no_implementation(council: Council) -> None:
    jos = council.meeting()
    (item,) = compose_agenda(jos, waiting_papers(jos))
    record_result(item, AgendaItemResult.ABGELEHNT)
    assert not Implementation.objects.exists()
    record_result(item, AgendaItemResult.EINSTIMMIG, requires_action=True)  # marked while recording
    assert Implementation.objects.filter(item=item).exists()


def test_sitzungsgeld_per_member_and_day_with_chair_rate(council: Council) -> None:
    AllowanceRate.objects.create(body=council.body, valid_from=dt.date(2021, 11, 1), member_amount=Decimal("30"), chair_amount=Decimal("45"))
    AllowanceRate.objects.create(body=council.body, organization=council.va, valid_from=dt.date(2021, 11, 1),
                                 member_amount=Decimal("40"), chair_amount=Decimal("60"))
    first, same_day = council.meeting(), council.meeting(council.va, dt.date(2022, 10, 6), hour=20)
    later = council.meeting(day=dt.date(2022, 11, 3))
    person = council.members[0]
    record_attendance(first, person, AttendanceStatus.PRESENT, chair=True)
    record_attendance(same_day, person, AttendanceStatus.PRESENT)
    record_attendance(later, person, AttendanceStatus.PRESENT)
    record_attendance(later, council.members[1], AttendanceStatus.EXCUSED)
    (line,) = allowances(council.body, dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    # 06.10.: two meetings, one day, the higher amount (45 as chair vs 40 in the VA); 03.11.: 30.
    assert (line.meetings, line.chaired, line.amount) == (2, 1, Decimal("75"))
    csv_text = table_csv(ALLOWANCE_COLUMNS, allowance_rows([line]))
    assert "Mitglied 1;2;1;75,00" in csv_text


def test_the_public_sees_the_state_of_public_decisions_only(council: Council, citizen_client) -> None:  # type: ignore[no-untyped-def]
    from ratsinfo.meetings.publication import send_invitation

    jos_step = council.paper.consultations.get(organization=council.jos)
    jos_step.role, jos_step.authoritative = "Entscheidung", True
    jos_step.save()
    jos = council.meeting()
    (item,) = compose_agenda(jos, waiting_papers(jos))
    send_invitation(jos, late_reason="Test")
    impl = record_result(item, AgendaItemResult.UNGEAENDERT).implementation
    assert impl is not None
    update_implementation(impl, due_date=dt.date(2023, 3, 31), state=ImplementationState.IN_PROGRESS, note="intern: Angebote")
    page = citizen_client.get(council.paper.get_absolute_url()).content.decode()
    assert "Umsetzung des Beschlusses: in Bearbeitung (vorgesehen bis 31.03.2023), Fachbereich 2" in page
    assert "intern: Angebote" not in page
    item.public = False
    item.save()
    assert "Umsetzung des Beschlusses" not in citizen_client.get(council.paper.get_absolute_url()).content.decode()
