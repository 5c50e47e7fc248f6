"""`ratsinfo oparl-validate` against a hand-written OParl 1.1 server: clean, then one fault per rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command

from ratsinfo.oparl.validate import RULES, FetchConfig, ValidateOptions, validate_server
from tests.oparl.fault_server import FAULTS, serve


def validate(url: str, **options: int) -> object:
    return validate_server(ValidateOptions(url=url, fetch=FetchConfig(delay=0), **options))


def test_the_clean_fixture_breaks_no_rule_and_every_check_ran() -> None:
    with serve() as server:
        report = validate(f"{server.base}/")

    assert report.ok, report.as_text()
    assert report.notes == [] and not report.incomplete
    assert report.objects["Paper"] == 5 and report.objects["File"] == 8  # 4 listed, 4 embedded


def test_every_rule_has_a_fault_of_its_own() -> None:
    assert set(FAULTS) == set(RULES)


@pytest.mark.parametrize("rule", sorted(FAULTS))
def test_an_injected_fault_is_reported_as_exactly_its_rule(rule: str) -> None:
    with serve(rule) as server:
        report = validate(f"{server.base}/")

    assert report.broken_rules() == {rule}, report.as_text()
    assert rule in report.as_text()


def test_the_command_prints_json_and_exits_1_when_a_rule_is_broken(capsys: pytest.CaptureFixture[str]) -> None:
    with serve("file-checksum") as server, pytest.raises(SystemExit) as exited:
        call_command("oparl_validate", f"{server.base}/", "--json", "--delay", "0")

    assert exited.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    [finding] = report["findings"]
    assert (finding["type"], finding["rule"], finding["count"]) == ("File", "file-checksum", 1)
    assert finding["examples"][0]["url"].endswith("/file/2")


def test_the_request_budget_is_kept_and_the_report_says_it_is_incomplete() -> None:
    with serve() as server:
        report = validate(f"{server.base}/", max_pages=1)
        small = validate_server(ValidateOptions(url=f"{server.base}/", fetch=FetchConfig(delay=0, max_requests=6)))

    assert report.ok
    assert small.requests == 6 and small.incomplete and "Abrufgrenze" in small.as_text()


def test_an_unreachable_server_exits_2_with_one_line() -> None:
    from django.core.management.base import CommandError

    with serve() as server:
        base = server.base
    with pytest.raises(CommandError) as caught:
        call_command("oparl_validate", f"{base}/", "--delay", "0")
    assert caught.value.returncode == 2 and "\n" not in str(caught.value)


def test_a_429_with_retry_after_is_waited_out_and_asked_again() -> None:
    with serve() as server:
        clean = validate(f"{server.base}/")
        server.throttled.add("/body/1/paper")
        server.requests = 0
        throttled = validate(f"{server.base}/")

    assert throttled.ok, throttled.as_text()
    assert throttled.requests == server.requests == clean.requests + 1


def test_odd_shapes_are_reported_and_do_not_stop_the_check() -> None:
    def odd(path: str, page: dict[str, Any]) -> dict[str, Any]:
        if path.endswith("/person"):
            return {**page, "data": ["Anna Meyer", 17], "pagination": ["kaputt"]}
        if path.endswith("/meeting"):
            return {**page, "links": {"next": 17}}
        return page

    with serve() as server:
        server.page_hook = odd
        report = validate(f"{server.base}/")

    assert report.broken_rules() == {"schema-type", "pagination-next"}, report.as_text()
    assert report.objects["Paper"] == 5  # the other lists were checked all the same
