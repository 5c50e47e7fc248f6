"""Benchmark: server time of the Bürgerinfo's main pages on a large generated corpus.

    .venv/bin/python bench/portal.py --papers 100000 [--data-dir DIR] [--repeat 21]

Generates the corpus into a fresh SQLite file (or reuses the one in --data-dir), then requests
every main page through Django's full request/response cycle (test Client: URL routing,
middleware, ORM, templates; no network) as an anonymous visitor, and prints the median and
90th percentile per page, the SQL queries per page and the machine it ran on. Goal: median
under 30 ms per page on SQLite. The detail pages are the heaviest instance of their kind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_MS = 30.0




def setup(data_dir: Path) -> None:
    os.environ["RATSINFO_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'ratsinfo.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ratsinfo.settings"
    import django

    django.setup()


def pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, GROUP_KINDS, Organization, Person
    from ratsinfo.meetings.models import Meeting
    from ratsinfo.papers.models import Paper

    meeting = Meeting.objects.annotate(n=Count("agenda_items")).order_by("-n", "pk").first()
    paper = Paper.objects.public().annotate(n=Count("consultations")).order_by("-n", "pk").first()
    body = (
        Organization.objects.filter(kind__in=COUNCIL_BODY_KINDS)
        .annotate(n=Count("memberships"))
        .order_by("-n")
        .first()
    )
    group = (
        Organization.objects.filter(kind__in=GROUP_KINDS)
        .annotate(n=Count("memberships"))
        .order_by("-n")
        .first()
    )
    person = Person.objects.annotate(n=Count("memberships")).order_by("-n").first()
    month = Meeting.objects.order_by("-start").values_list("start", flat=True).first()
    assert meeting and paper and body and group and person and month, "Bestand ist leer"
    return [
        ("Startseite", "/"),
        ("Sitzungskalender (Liste, vergangen)", "/sitzungen/?zeit=vergangen"),
        ("Sitzungskalender (Monat)", f"/sitzungen/?ansicht=monat&monat={month:%Y-%m}"),
        ("Sitzung (größte Tagesordnung)", meeting.get_absolute_url()),
        ("Vorlagen (erste Seite)", "/vorlagen/"),
        ("Vorlagen (Seite 200, Keyset)", "DEEP"),
        ("Vorlagen gefiltert (Gremium+Jahr)", f"/vorlagen/?gremium={body.slug}&jahr={month:%Y}"),
        ("Vorlage (längste Beratungsfolge)", paper.get_absolute_url()),
        ("Gremien", "/gremien/"),
        ("Gremium (meiste Mitglieder)", body.get_absolute_url()),
        ("Fraktion/Gruppe", group.get_absolute_url()),
        ("Personen", "/personen/"),
        ("Person", person.get_absolute_url()),
        ("Suche „Satzung“", "/suche/?q=Satzung"),
        ("iCal alle Sitzungen", "/ical/sitzungen.ics"),
        ("RSS neue Vorlagen", "/feeds/vorlagen.rss"),
    ]


def deep_url(client: Any, steps: int) -> str:
    url = "/vorlagen/"
    for _ in range(steps):
        html = client.get(url).content.decode()
        m = re.search(r'href="(\?[^"]*)" rel="next"', html)
        if not m:
            break
        url = "/vorlagen/" + m.group(1).replace("&amp;", "&")
    return url


class _Counter:
    """execute_wrapper that records each SQL statement (works with DEBUG off)."""

    def __init__(self, sink: list[str]) -> None:
        self.sink = sink

    def __call__(self, execute: Any, sql: str, *rest: Any) -> Any:
        self.sink.append(sql)
        return execute(sql, *rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--data-dir", type=Path, help="vorhandenes Verzeichnis wiederverwenden (sonst temporär)"
    )
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ratsinfo-bench-portal-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, data_dir)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def run(args: argparse.Namespace, data_dir: Path) -> None:
    setup(data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ratsinfo.corpus.generator import generate
    from ratsinfo.papers.models import Paper

    call_command("migrate", verbosity=0)
    if not Paper.objects.exists():
        t0 = time.perf_counter()
        stats = generate(papers=args.papers, seed=args.seed, progress=True)
        print(f"Bestand erzeugt in {time.perf_counter() - t0:.0f} s: {stats}", file=sys.stderr)
    n_papers = Paper.objects.count()

    client = Client()
    rows = []
    for label, url in pages():
        if url == "DEEP":
            url = deep_url(client, 199)
        for _ in range(2):  # warm caches (templates, SQLite page cache)
            client.get(url)
        times, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        executed: list[str] = []
        with connection.execute_wrapper(_Counter(executed)):
            client.get(url)
        times.sort()
        rows.append(
            (
                label,
                statistics.median(times),
                times[int(len(times) * 0.9) - 1],
                statistics.median(cpu),
                len(executed),
            )
        )

    count_text = f"{n_papers:,}".replace(",", ".")
    print(
        f"\nBürgerinfo auf {count_text} Vorlagen (SQLite), je {args.repeat} Abrufe, Django-Test-Client"
    )
    print(f"Rechner: {machine()}; Systemlast (1 min) beim Ende: {os.getloadavg()[0]:.1f}\n")
    print(f"{'Seite':<40} {'Median':>9} {'p90':>9} {'CPU-Med.':>9} {'SQL':>5}")
    for label, median, p90, cpu_median, queries in rows:
        flag = "" if median <= GOAL_MS else "  > Ziel"
        print(f"{label:<40} {median:7.1f}ms {p90:7.1f}ms {cpu_median:7.1f}ms {queries:5d}{flag}")
    worst = max(r[1] for r in rows)
    worst_cpu = max(r[3] for r in rows)
    verdict = "erreicht" if worst <= GOAL_MS else "verfehlt"
    print(
        f"\nLangsamste Seite (Median): {worst:.1f} ms, CPU {worst_cpu:.1f} ms – Ziel {GOAL_MS:.0f} ms {verdict}"
    )
    print(
        "CPU-Median: Rechenzeit des Prozesses (mit SQLite); aussagekräftig, wenn fremde Last die Wanduhr verfälscht."
    )


if __name__ == "__main__":
    main()
