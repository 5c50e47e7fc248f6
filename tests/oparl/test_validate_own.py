"""`ratsinfo oparl-validate` against ratsinfo's own OParl server, served on a live port."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from ratsinfo.oparl.validate import FetchConfig, ValidateOptions, validate_server
from ratsinfo.papers.models import Paper, PaperState
from tests.oparl.conftest import OPARL_SECRET


def test_our_own_server_breaks_no_rule_of_the_spec(live_server: Any, oparl_town: Any) -> None:
    # Vorlagen of three different days, so both filters have something to cut
    for day in (1, 2):
        older = Paper.objects.create(body=oparl_town.body, name=f"Anfrage {day}", reference=f"AF/000{day}/2021-2026",
                                     state=PaperState.FREIGEGEBEN)
        stamp = oparl_town.paper.created - dt.timedelta(days=day)
        Paper.objects.filter(pk=older.pk).update(created=stamp, modified=stamp)

    report = validate_server(ValidateOptions(url=f"{live_server.url}/oparl/v1.1/", fetch=FetchConfig(delay=0)))

    assert report.ok, report.as_text()
    assert not report.incomplete and report.notes == []  # filters, paging and downloads were checked
    # every kind of object was seen, the files were downloaded and compared
    assert {"System", "Body", "Paper", "Meeting", "AgendaItem", "Consultation", "File", "Organization",
            "Person", "Membership", "Location", "LegislativeTerm"} <= set(report.objects)
    assert OPARL_SECRET not in report.as_text()


def test_the_command_exits_0_on_a_clean_server_and_prints_json(live_server: Any, oparl_town: Any,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    call_command("oparl_validate", f"{live_server.url}/oparl/v1.1/", "--json", "--delay", "0")

    out = capsys.readouterr().out
    assert '"ok": true' in out and '"findings": []' in out


def test_an_address_that_is_no_oparl_system_exits_2_with_one_line(live_server: Any, oparl_town: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("oparl_validate", f"{live_server.url}/oparl/v1.1/paper/{oparl_town.paper.pk}", "--delay", "0")
    assert caught.value.returncode == 2
    assert "kein OParl-1.1-System" in str(caught.value) and "\n" not in str(caught.value)
