"""Synthetic municipal corpus for tests and benchmarks (`ratsinfo generate`).

`generate(papers=N, seed=S)` fills the current database with a fictitious Lower Saxony
municipality: one Body (Gemeinde) with its Wahlperioden, Gremien of every kind (Rat,
Verwaltungsausschuss with non-public sessions, Fachausschüsse, Ortsräte, Fraktionen and a
Gruppe, Verwaltung with Fachbereiche, external bodies), people with German names and their
Mitgliedschaften, Orte, about one Sitzung per eight Vorlagen with a Tagesordnung (public part
Ö …, non-public part N …, results and vote counts for past sessions), N Vorlagen of every
type with text sections, a Beratungsfolge of one to three steps linked to agenda items,
Dateien with text (no stored bytes: size and SHA-512 are those of the generated text), and
related/superordinated Vorlagen. About 10 % of the Vorlagen are non-public.

Deterministic: the same N and seed in an empty database give byte-identical rows, timestamps
included (all dates are derived from a fixed calendar; the corpus ends in October 2026).

Appending: every call creates a new Body. References (`BV/0240/2021-2026`, `AN/0012/…`,
amendments and answers as `<parent>-1`) are unique per Body. Slugs are global, so when the
database already holds a Body (the demo, an import, an earlier run), the slugs of the new
Vorlagen, Gremien and Personen get a prefix `g<k>-` (k = number of bodies + 1, increased until
unused); in an empty database there is no prefix and paper slugs read `BV-0240-2021-2026`.

Fast: rows are tuples with precomputed ids (no model instances, no save(), no history rows),
written per chunk of 2,000 Vorlagen with `executemany` (SQLite) or `COPY` (PostgreSQL) by a
writer thread while the next chunk is generated; a transaction is committed every 50,000
Vorlagen (inside a test's transaction these are savepoints). Memory stays bounded for any N:
at most two chunks are in flight, and Sitzungen are closed (closing agenda items, invitation
and minutes files) as soon as no later Vorlage can reach them. On PostgreSQL the id sequences
are reset at the end so that ordinary inserts continue after the generated ids. Outside a
transaction SQLite gets `synchronous=OFF` while generating (synthetic data) and restored afterwards.
Benchmark: bench/generate.py (figures in bench/README.md).

Dates: Vorlagen span N/400 years (one to twenty) up to 30.09.2026; Sitzungen run until
31.10.2026 (end of the Wahlperiode 2021-2026); those after 30.09.2026 are planned
(terminiert/eingeladen, no results), earlier ones are durchgeführt with results.

Using a large corpus from other tests (see tests/corpus/fixtures.py)::

    from tests.corpus.fixtures import corpus, wipe_corpus

    @pytest.fixture(scope="module")
    def big_corpus(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            stats = corpus(papers=10_000, seed=1)   # generate(); returns GenerateStats
        yield stats
        with django_db_blocker.unblock():
            wipe_corpus(stats)                       # leave the test database empty again

Tests that read it still need `@pytest.mark.django_db` (their own transaction is rolled
back; the module's corpus stays until the fixture's teardown). 10,000 Vorlagen take about
5 s on SQLite (in-memory test database) and on PostgreSQL; tests/corpus/test_generator.py
runs exactly this pattern on both. Mark such tests `@pytest.mark.slow`.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
import sys
import time as _time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.text import slugify

from ratsinfo.bodies.models import Body, LegislativeTerm, Location, Membership, Organization, Person
from ratsinfo.corpus import filetext
from ratsinfo.corpus import textpool as tp
from ratsinfo.files.models import File
from ratsinfo.lib.bulkwrite import Table, Writer, max_id, reset_sequences
from ratsinfo.lib.slugs import translit, unique_slug
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperState, reference_slug
from ratsinfo.search.models import Extraction
from ratsinfo.search.outbox import marking_new_rows

CHUNK = 2000
CHUNKS_PER_TRANSACTION = 25  # commit every 50,000 Vorlagen
BERLIN = ZoneInfo("Europe/Berlin")
PAPER_END = date(2026, 9, 30)  # last Vorlage
CALENDAR_END = date(2026, 10, 31)  # end of the Wahlperiode 2021-2026, last Sitzung
AS_OF = date(2026, 9, 30)  # sessions after this day are planned (no results yet)
PAPERS_PER_YEAR = 400  # a mid-sized Gemeinde; above 20 years the corpus just gets denser
MIN_LEAD_DAYS = 7  # a Vorlage reaches its first Sitzung at least a week after its date

# type, reference prefix (None: `<parent>-n`), weight, probability non-public
PAPER_TYPES = [
    ("Beschlussvorlage", "BV", 42, 0.11),
    ("Mitteilungsvorlage", "MV", 12, 0.05),
    ("Informationsvorlage", "IV", 8, 0.04),
    ("Antrag", "AN", 12, 0.02),
    ("Änderungsantrag", None, 4, 0.02),
    ("Anfrage", "AF", 9, 0.05),
    ("Antwort", None, 8, 0.05),
    ("Dringlichkeitsvorlage", "DV", 5, 0.45),
]


@dataclass
class GenerateStats:
    papers: int = 0
    meetings: int = 0
    agenda_items: int = 0
    files: int = 0
    persons: int = 0
    organizations: int = 0
    seconds: float = 0.0
    consultations: int = 0
    sections: int = 0
    memberships: int = 0
    rows: int = 0  # every row written, link tables included
    body_id: int = 0
    slug_prefix: str = ""


def generate(*, papers: int, seed: int = 1, progress: bool = False) -> GenerateStats:
    """Fill the database with a synthetic Gemeinde with `papers` Vorlagen (see module doc)."""
    if papers < 0:
        raise ValueError("papers muss >= 0 sein")
    return _Generator(papers, seed, progress).run()


# --------------------------------------------------------------------------- row writer
# (the shared bulk-write module: executemany on SQLite, COPY on PostgreSQL)

class _Fill(dict):
    """Placeholder values for str.format_map, drawn lazily (only what a template uses)."""

    def __init__(self, fillers: dict[str, Callable[[], str]]):
        super().__init__()
        self.fillers = fillers

    def __missing__(self, key: str) -> str:
        value = self.fillers[key]()
        self[key] = value
        return value


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + ",00"


def _de(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


@dataclass
class _Org:
    id: int
    key: str
    kind: str
    name: str
    short: str
    genitive: str = ""
    public: bool = True
    weight: float = 0.0  # share of the Sitzungen
    hour: int = 18
    location: int | None = None


class _Agenda:
    __slots__ = ("items", "np", "pub")

    def __init__(self, public_meeting: bool):
        self.pub = 5 if public_meeting else 0  # Ö 1-5 are the fixed opening items
        self.np = 0 if public_meeting else 4  # the VA numbers everything N 1 …
        self.items: list[tuple[str, str, str, str, bool]] = []  # number, name, result, votes, public


# --------------------------------------------------------------------------- generator


class _Generator:
    def __init__(self, papers: int, seed: int, progress: bool):
        self.n = papers
        self.seed = seed
        self.rng = random.Random(seed)
        self.rand = self.rng.random
        self.text_rng = random.Random(f"{seed}:anlagen")  # file texts: their own stream
        self.pool: filetext.Pool | None = None
        self.progress = progress
        self.stats = GenerateStats()
        self._dt_cache: dict[datetime, Any] = {}
        self._d_cache: dict[date, Any] = {}
        ops = connection.ops
        self._adapt_dt: Callable[[datetime], Any] = ops.adapt_datetimefield_value
        self._adapt_d: Callable[[date], Any] = ops.adapt_datefield_value
        if connection.vendor == "sqlite":
            # What Django's SQLite backend stores for an aware datetime (naive UTC as text), without
            # its per-call settings lookups.
            self._adapt_dt = lambda v: str(v.astimezone(UTC).replace(tzinfo=None))
        json_field = Paper._meta.get_field("keywords")
        self.j: Callable[[Any], Any] = lambda v: json_field.get_db_prep_save(v, connection)

    # -- value adapters (memoised: many rows share a timestamp)

    def dt(self, value: datetime) -> Any:
        cache = self._dt_cache
        try:
            return cache[value]
        except KeyError:
            if len(cache) > 50_000:
                cache.clear()
            adapted = cache[value] = self._adapt_dt(value)
            return adapted

    def d(self, value: date | None) -> Any:
        if value is None:
            return None
        cache = self._d_cache
        try:
            return cache[value]
        except KeyError:
            adapted = cache[value] = self._adapt_d(value)
            return adapted

    # Fast draws (random.choice/randint/sample cost several µs each in the hot loop).

    def pick(self, seq: Any) -> Any:
        return seq[int(self.rand() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.rand() * (b - a + 1))

    def sample(self, seq: list[Any], k: int) -> list[Any]:
        rand = self.rand
        pool = list(seq)
        n = len(pool)
        out = []
        for i in range(k):
            j = i + int(rand() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
            out.append(pool[i])
        return out

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    # -- driver

    def run(self) -> GenerateStats:
        started = _time.perf_counter()
        self._tables()
        with transaction.atomic(), marking_new_rows(self.indexed):
            self._setup()
            self._flush()
        relaxed = connection.vendor == "sqlite" and not connection.in_atomic_block
        if relaxed:
            # Synthetic data: skip the fsyncs at WAL checkpoints while generating (a power cut could
            # lose the newest chunks, never older data); restored below.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        bar = None
        if self.progress and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=self.n, unit=" Vorlagen", desc="Generiere", dynamic_ncols=True)
        writer = Writer()
        try:
            start = 0
            while start < self.n:
                group_end = min(self.n, start + CHUNK * CHUNKS_PER_TRANSACTION)
                with transaction.atomic(), marking_new_rows(self.indexed):
                    try:
                        for a in range(start, group_end, CHUNK):
                            b = min(group_end, a + CHUNK)
                            self._papers(a, b)
                            self._close_meetings(self.paper_dates[b] if b < self.n else None)
                            writer.put(self._take_all())
                            if bar is not None:
                                bar.update(b - a)
                    finally:
                        writer.drain()  # never commit or roll back while the writer works
                    writer.check()
                start = group_end
            with transaction.atomic():
                with marking_new_rows(self.indexed):
                    self._close_meetings(None)
                    self._flush()
                self._reset_sequences()
                # What the public sees now has been public (OParl may later report it as deleted).
                # Only this Gemeinde's rows: appending must not touch another body's history.
                Paper.objects.filter(body_id=self.body_id).mark_ever_public()
                File.objects.filter(body_id=self.body_id).mark_ever_public()
                AgendaItem.objects.filter(meeting__organizations__body_id=self.body_id).mark_ever_public()
                # Withdrawn Vorlagen were released before they were withdrawn: OParl reports them
                # as deleted to clients that synced them.
                withdrawn = Paper.objects.filter(body_id=self.body_id, state=PaperState.ZURUECKGEZOGEN, public=True)
                withdrawn.update(ever_public=True)
                File.objects.filter(paper__in=withdrawn, public=True).update(ever_public=True)
        finally:
            writer.close()
            if bar is not None:
                bar.close()
            if relaxed:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous=NORMAL")
        s = self.stats
        s.papers = self.t_paper.count
        s.meetings = self.t_meeting.count
        s.agenda_items = self.t_item.count
        s.files = self.t_file.count
        s.persons = self.t_person.count
        s.organizations = self.t_org.count
        s.consultations = self.t_cons.count
        s.sections = self.t_section.count
        s.memberships = self.t_membership.count
        s.rows = sum(t.count for t in self.all_tables)
        s.seconds = _time.perf_counter() - started
        return s

    def _tables(self) -> None:
        base = {"deleted": False, "keywords": [], "source_url": None}
        oparl = ["id", "created", "modified"]
        self.t_location = Table(
            Location,
            [*oparl, "description", "street_address", "room", "postal_code", "sub_locality", "locality"],
            {**base, "geojson": None},
        )
        self.t_body = Table(
            Body,
            [*oparl, "name", "short_name", "website", "license", "license_valid_since", "ags", "rgs",
             "contact_email", "contact_name", "location_id", "slug"],
            {**base, "oparl_since": None, "equivalent": [], "classification": "Gemeinde", "letterhead": "", "logo": ""},
        )
        self.t_term = Table(LegislativeTerm, [*oparl, "body_id", "name", "start_date", "end_date"], base)
        self.t_org = Table(
            Organization,
            [*oparl, "body_id", "name", "short_name", "slug", "kind", "classification", "posts", "parent_id",
             "start_date", "end_date", "location_id", "meetings_public"],
            {**base, "website": "", "external_body": "", "predecessor_id": None, "council_members_listen": None,
             "former_member_access_days": 0},
        )
        self.t_person = Table(
            Person,
            [*oparl, "body_id", "name", "family_name", "given_name", "form_of_address", "titles", "gender",
             "email", "status", "slug"],
            {**base, "affix": "", "phone": [], "life": "", "life_source": "", "location_id": None, "user_id": None,
             "photo": "", "photo_alt": "", "electoral_area": "", "public_contact": "", "contact_consent": False},
        )
        self.t_membership = Table(
            Membership,
            [*oparl, "person_id", "organization_id", "role", "voting_right", "on_behalf_of_id", "start_date",
             "end_date"],
            {**base, "deputy": False},
        )
        self.t_meeting = Table(
            Meeting,
            [*oparl, "name", "meeting_state", "start", "end", "location_id", "public"],
            {**base, "cancelled": False, "license": ""},
        )
        self.t_meeting_org = Table(Meeting.organizations.through, ["id", "meeting_id", "organization_id"])
        self.t_participant = Table(Meeting.participants.through, ["id", "meeting_id", "person_id"])
        self.t_item = Table(
            AgendaItem,
            [*oparl, "meeting_id", "number", "order", "name", "public", "result", "resolution_text",
             "votes_yes", "votes_no", "votes_abstain", "votes_conflicted"],
            {**base, "start": None, "end": None, "ever_public": False},
        )
        self.t_paper = Table(
            Paper,
            [*oparl, "keywords", "body_id", "name", "reference", "slug", "date", "paper_type", "public", "state",
             "published_at"],
            {"deleted": False, "source_url": None, "license": "", "ever_public": False, "created_by_id": None,
             "version": 1, "reserved_to_council": False, "follow_up_of_id": None, "amends_id": None, "received_on": None},
        )
        self.t_section = Table(PaperSection, ["id", "paper_id", "order", "heading", "text"])
        self.t_cons = Table(
            Consultation,
            [*oparl, "paper_id", "organization_id", "meeting_id", "agenda_item_id", "order", "planned_date",
             "role", "authoritative"],
            {**base, "license": ""},
        )
        self.t_file = Table(
            File,
            [*oparl, "body_id", "name", "file_name", "mime_type", "date", "size", "sha512", "text", "public",
             "role", "order", "paper_id", "meeting_id", "agenda_item_id"],
            {**base, "content": "", "external_access_url": "", "license": "", "ever_public": False,
             "public_version_id": None, "is_redacted_version": False},
        )
        # What text extraction got from each file (the search indexes files from it).
        self.t_extraction = Table(
            Extraction, ["id", "file_id", "state", "reason", "text", "pages", "sha512", "finished_at"]
        )
        self.t_udo = Table(Paper.under_direction_of.through, ["id", "paper_id", "organization_id"])
        self.t_orig_p = Table(Paper.originator_persons.through, ["id", "paper_id", "person_id"])
        self.t_orig_o = Table(Paper.originator_organizations.through, ["id", "paper_id", "organization_id"])
        self.t_related = Table(Paper.related_papers.through, ["id", "from_paper_id", "to_paper_id"])
        self.t_super = Table(Paper.superordinated_papers.through, ["id", "from_paper_id", "to_paper_id"])
        # Parents before children (the FKs are deferred, but keep the order anyway).
        self.all_tables = [
            self.t_location, self.t_body, self.t_term, self.t_org, self.t_person, self.t_membership,
            self.t_meeting, self.t_meeting_org, self.t_participant, self.t_paper, self.t_section,
            self.t_item, self.t_cons, self.t_file, self.t_extraction, self.t_udo, self.t_orig_p, self.t_orig_o,
            self.t_related, self.t_super,
        ]
        for table in self.all_tables:
            table.next_id = itertools.count(max_id(table.model) + 1).__next__
        # What the search index follows is marked in each transaction that writes it (search/outbox.py).
        self.indexed = [table.model for table in self.all_tables]

    def _take_all(self) -> list[tuple[Table, list[tuple[Any, ...]]]]:
        extraction = self.t_extraction
        for row in self.t_file.rows:  # id, created, …, sha512 (9), text (10): extracted, like the worker does
            text = row[10]
            extraction.rows.append((extraction.next_id(), row[0], "fertig", "", text, 1 + len(text) // 3000, row[9],
                                    row[1]))
        return [(table, table.take()) for table in self.all_tables if table.rows]

    def _flush(self) -> None:
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            for table, rows in self._take_all():
                table.write(cursor, rows)
        finally:
            cursor.close()

    def _reset_sequences(self) -> None:
        reset_sequences([t.model for t in self.all_tables])

    # -- the structure: body, terms, places, bodies, people, calendar

    def _setup(self) -> None:
        rng = self.rng
        existing = Body.objects.count()
        prefix = ""
        if existing:
            k = existing + 1
            while True:
                prefix = f"g{k}-"
                if not (
                    Paper.objects.filter(slug__startswith=prefix).exists()
                    or Organization.objects.filter(slug__startswith=prefix).exists()
                    or Person.objects.filter(slug__startswith=prefix).exists()
                ):
                    break
                k += 1
        self.prefix = prefix
        self.stats.slug_prefix = prefix

        town, ortsteile = tp.TOWNS[self.seed % len(tp.TOWNS)]
        self.town = town
        self.ortsteile = ortsteile
        self.town_slug = slugify(translit(town))

        # The span: ~400 Vorlagen a year, at least one and at most twenty years.
        years = min(20.0, max(1.0, self.n / PAPERS_PER_YEAR))
        self.start = PAPER_END - timedelta(days=round(years * 365.25))
        workdays = []
        day = self.start
        while day <= PAPER_END:
            if day.weekday() < 5:
                workdays.append(day)
            day += timedelta(days=1)
        count = len(workdays)
        self.paper_dates = [workdays[i * count // self.n] for i in range(self.n)] if self.n else []
        setup_ts = self.dt(self.at(self.start - timedelta(days=30), 8))
        self.setup_ts = setup_ts

        # Places
        self.loc_rathaus = self.t_location.next_id()
        plz = f"2{rng.randint(6000, 9999)}"
        self.t_location.rows.append(
            (self.loc_rathaus, setup_ts, setup_ts, f"Rathaus {town}", "Rathausplatz 1", "Ratssaal", plz, "", town)
        )
        self.loc_room = self.t_location.next_id()
        self.t_location.rows.append(
            (self.loc_room, setup_ts, setup_ts, f"Rathaus {town}", "Rathausplatz 1", "Sitzungszimmer 1", plz, "", town)
        )
        self.loc_dgh = {}
        for ot in ortsteile[1:]:
            lid = self.t_location.next_id()
            self.loc_dgh[ot] = lid
            self.t_location.rows.append(
                (lid, setup_ts, setup_ts, f"Dorfgemeinschaftshaus {ot}", f"{rng.choice(tp.STREETS)} {rng.randint(1, 40)}",
                 "Saal", plz, ot, town)
            )

        # Body
        self.body_id = self.t_body.next_id()
        self.stats.body_id = self.body_id
        name = f"Gemeinde {town}" + (f" ({prefix.strip('-')})" if prefix else "")
        self.t_body.rows.append(
            (self.body_id, setup_ts, setup_ts, name, town, f"https://www.{self.town_slug}.example",
             "https://creativecommons.org/licenses/by/4.0/", setup_ts, f"03459{rng.randint(100, 999)}",
             f"0345900{rng.randint(10000, 99999)}", f"ratsbuero@{self.town_slug}.example", "Ratsbüro",
             self.loc_rathaus, unique_slug(Body, self.town_slug))
        )

        # Wahlperioden (Lower Saxony: five years from 1 November)
        self.terms: list[tuple[int, str, date, date]] = []
        for year in range(2001, 2026, 5):
            t_start, t_end = date(year, 11, 1), date(year + 5, 10, 31)
            if t_end < self.start:
                continue
            tid = self.t_term.next_id()
            tname = f"{year}-{year + 5}"
            self.terms.append((tid, tname, t_start, t_end))
            self.t_term.rows.append((tid, setup_ts, setup_ts, self.body_id, f"Wahlperiode {tname}", self.d(t_start), self.d(t_end)))
        self.term_starts = [t[2] for t in self.terms]

        self._organizations()
        self._people()
        self._calendar()

    def term_index(self, day: date) -> int:
        return max(0, bisect.bisect_right(self.term_starts, day) - 1)

    def _org_row(self, org: _Org, classification: str = "", parent: int | None = None,
                 start: date | None = None, end: date | None = None, posts: list[str] | None = None) -> None:
        slug = self.prefix + slugify(translit(org.name))
        while slug in self.org_slugs:
            slug += "-2"
        self.org_slugs.add(slug)
        self.t_org.rows.append(
            (org.id, self.setup_ts, self.setup_ts, self.body_id, org.name, org.short, slug, org.kind, classification,
             self.j(posts or []), parent, self.d(start), self.d(end), org.location, org.public)
        )

    def _organizations(self) -> None:
        town = self.town
        self.org_slugs: set[str] = set()
        first_start = self.terms[0][2]

        def new(key: str, kind: str, name: str, short: str, **kw: Any) -> _Org:
            return _Org(self.t_org.next_id(), key, kind, name, short, **kw)

        self.rat = new("rat", "rat", f"Rat der Gemeinde {town}", "Rat", genitive="des Rates", weight=1.3, hour=19,
                       location=self.loc_rathaus)
        self.va = new("va", "verwaltungsausschuss", "Verwaltungsausschuss", "VA", genitive="des Verwaltungsausschusses",
                      public=False, weight=2.4, hour=17, location=self.loc_room)
        self._org_row(self.rat, "Gremium", posts=["Ratsvorsitzende/r", "Bürgermeister/in"])
        self._org_row(self.va, "Gremium", posts=["Vorsitz", "Beigeordnete/r"])
        self.committees: dict[str, _Org] = {}
        for key, cname, short, gen in tp.COMMITTEES:
            org = new(key, "fachausschuss", cname, short, genitive=gen, weight=1.0, hour=18, location=self.loc_rathaus)
            self.committees[key] = org
            self._org_row(org, "Fachausschuss", posts=["Vorsitzende/r", "stellv. Vorsitzende/r"])
        self.ortsraete: list[_Org] = []
        for ot in self.ortsteile[1:]:
            org = new(f"or-{ot}", "ortsrat", f"Ortsrat {ot}", f"Ortsrat {ot}", genitive=f"des Ortsrates {ot}",
                      weight=0.5, hour=19, location=self.loc_dgh[ot])
            self.ortsraete.append(org)
            self._org_row(org, "Ortsrat", posts=["Ortsbürgermeister/in"])
        self.fraktionen: dict[str, _Org] = {}
        for short, fname, _w in tp.PARTIES:
            org = new(f"fr-{short}", "fraktion", fname, short)
            self.fraktionen[short] = org
            self._org_row(org, "Fraktion", start=first_start, posts=["Fraktionsvorsitzende/r"])
        # A Gruppe of three small parties in the newest term (like the seed's Gruppe).
        last_term_start = self.terms[-1][2]
        self.gruppe_parties = ("GRÜNE", "UWG", "LINKE")
        self.gruppe = new("gruppe", "gruppe", "Gruppe GRÜNE – UWG – LINKE", "Gruppe GRÜNE-UWG-LINKE")
        self._org_row(self.gruppe, "Gruppe", start=last_term_start, posts=["Gruppensprecher/in"])
        self.verwaltung = new("verwaltung", "verwaltung", f"Gemeindeverwaltung {town}", "Verwaltung")
        self._org_row(self.verwaltung, "Verwaltung", posts=["Bürgermeister/in"])
        self.departments: dict[str, _Org] = {}
        for key, dname, short in tp.DEPARTMENTS:
            org = new(key, "fachbereich", dname, short)
            self.departments[key] = org
            self._org_row(org, "Fachbereich", parent=self.verwaltung.id, posts=["Fachbereichsleitung"])
        self.others: list[_Org] = []
        for kind, oname, short in tp.OTHER_BODIES:
            org = new(kind, kind, oname.format(town=town), short)
            self.others.append(org)
            self._org_row(org, "externes Gremium" if kind != "sonstige" else "Beirat", start=first_start)
        self.meeting_orgs = [self.rat, self.va, *self.committees.values(), *self.ortsraete]

    # -- people

    def _new_person(self, gender: str | None = None, status: str = "") -> tuple[int, str]:
        rng = self.rng
        gender = gender or rng.choice(("weiblich", "männlich"))
        given = rng.choice(tp.GIVEN_NAMES_F if gender == "weiblich" else tp.GIVEN_NAMES_M)
        family = rng.choice(tp.FAMILY_NAMES)
        titles = ["Dr."] if rng.random() < 0.04 else []
        full = " ".join([*titles, given, family])
        base = self.prefix + slugify(translit(f"{given} {family}"))
        n = self.person_slugs.get(base, 0) + 1
        self.person_slugs[base] = n
        slug = base if n == 1 else f"{base}-{n}"
        pid = self.t_person.next_id()
        mail = f"{translit(given)}.{translit(family)}@rat.{self.town_slug}.example".lower()
        self.t_person.rows.append(
            (pid, self.setup_ts, self.setup_ts, self.body_id, full, family, given,
             "Frau" if gender == "weiblich" else "Herr", self.j(titles), gender, self.j([mail] if status else []),
             self.j([status] if status else []), slug)
        )
        self.person_names[pid] = full
        return pid, gender

    def _member(self, person: int, org: _Org | int, role: str, start: date, end: date | None,
                voting: bool = True, on_behalf_of: int | None = None) -> None:
        org_id = org if isinstance(org, int) else org.id
        ts = self.dt(self.at(start, 8))
        self.t_membership.rows.append(
            (self.t_membership.next_id(), ts, ts, person, org_id, role, voting, on_behalf_of,
             self.d(start), self.d(end))
        )

    def _people(self) -> None:
        rng = self.rng
        self.person_slugs: dict[str, int] = {}
        self.person_names: dict[int, str] = {}
        # voting members per (org id, term index), for participants and vote counts
        self.voters: dict[tuple[int, int], list[int]] = {}
        # Fraktion/Gruppe (org) and its chair per term, for Anträge and Anfragen
        self.groups_by_term: list[list[tuple[_Org, int]]] = []
        party_members: dict[str, list[tuple[int, str]]] = {p[0]: [] for p in tp.PARTIES}
        mayor: tuple[int, str] | None = None
        dept_heads: dict[str, int] = {}
        last = len(self.terms) - 1
        for ti, (_tid, _tname, t_start, t_end) in enumerate(self.terms):
            end = None if ti == last else t_end
            start = t_start
            # Bürgermeister/in: re-elected half of the time
            if mayor is None or rng.random() < 0.5:
                g = rng.choice(("weiblich", "männlich"))
                mayor = self._new_person(g, "Bürgermeisterin" if g == "weiblich" else "Bürgermeister")
            mayor_id, mayor_g = mayor
            self._member(mayor_id, self.rat, "Bürgermeisterin" if mayor_g == "weiblich" else "Bürgermeister", start, end)
            self._member(mayor_id, self.va, "Vorsitz", start, end)
            self._member(mayor_id, self.verwaltung, "Bürgermeisterin" if mayor_g == "weiblich" else "Bürgermeister",
                         start, end)
            # Seats (32) by largest remainder over jittered weights
            weights = {p: w * rng.uniform(0.75, 1.25) for p, _n, w in tp.PARTIES}
            total = sum(weights.values())
            quotas = {p: 32 * w / total for p, w in weights.items()}
            seats = {p: int(q) for p, q in quotas.items()}
            for p in sorted(quotas, key=lambda p: quotas[p] - seats[p], reverse=True)[: 32 - sum(seats.values())]:
                seats[p] += 1
            council: dict[str, list[tuple[int, str]]] = {}
            for p, _n, _w in tp.PARTIES:
                keep = [m for m in party_members[p] if rng.random() < 0.65][: seats[p]]
                while len(keep) < seats[p]:
                    keep.append(self._new_person(status="Ratsmitglied"))
                council[p] = keep
                party_members[p] = keep
            in_gruppe = ti == last
            rat_voters = [mayor_id]
            chair_done = False
            groups: list[tuple[_Org, int]] = []
            for p, members in council.items():
                fr = self.fraktionen[p]
                behalf = self.gruppe.id if in_gruppe and p in self.gruppe_parties else fr.id
                for k, (pid, g) in enumerate(members):
                    frau = g == "weiblich"
                    if not chair_done:
                        role, chair_done = ("Ratsvorsitzende" if frau else "Ratsvorsitzender"), True
                    else:
                        role = "Ratsfrau" if frau else "Ratsherr"
                    m_end = end
                    # Now and then someone leaves mid-term and a successor (Nachrücker/in) follows.
                    if k > 0 and rng.random() < 0.06:
                        m_end = t_start + timedelta(days=rng.randint(300, 1500))
                        succ, sg = self._new_person(status="Ratsmitglied")
                        self._member(succ, self.rat, "Ratsfrau" if sg == "weiblich" else "Ratsherr",
                                     m_end + timedelta(days=1), end, on_behalf_of=behalf)
                        self._member(succ, fr, "Mitglied", m_end + timedelta(days=1), end)
                    self._member(pid, self.rat, role, start, m_end, on_behalf_of=behalf)
                    fr_role = ("Fraktionsvorsitzende" if frau else "Fraktionsvorsitzender") if k == 0 else (
                        "stellv. Fraktionsvorsitzende" if frau else "stellv. Fraktionsvorsitzender") if k == 1 else "Mitglied"
                    self._member(pid, fr, fr_role, start, m_end)
                    rat_voters.append(pid)
                if members and not (in_gruppe and p in self.gruppe_parties):
                    groups.append((fr, members[0][0]))
            if in_gruppe:
                gmembers = [m for p in self.gruppe_parties for m in council[p]]
                for k, (pid, g) in enumerate(gmembers):
                    self._member(pid, self.gruppe, ("Gruppensprecherin" if g == "weiblich" else "Gruppensprecher")
                                 if k == 0 else "Mitglied", start, end)
                if gmembers:
                    groups.append((self.gruppe, gmembers[0][0]))
            self.groups_by_term.append(groups)
            self.voters[(self.rat.id, ti)] = rat_voters
            # Verwaltungsausschuss: Bürgermeister/in + 10 Beigeordnete by party strength; Grundmandate advise.
            ranked = sorted(council, key=lambda p: seats[p], reverse=True)
            beig: list[int] = []
            share = {p: 10 * seats[p] / 32 for p in council}
            alloc = {p: int(share[p]) for p in council}
            for p in sorted(share, key=lambda p: share[p] - alloc[p], reverse=True)[: 10 - sum(alloc.values())]:
                alloc[p] += 1
            for p in ranked:
                behalf = self.gruppe.id if in_gruppe and p in self.gruppe_parties else self.fraktionen[p].id
                members = council[p]
                for pid, g in members[: alloc[p]]:
                    self._member(pid, self.va, "Beigeordnete" if g == "weiblich" else "Beigeordneter", start, end,
                                 on_behalf_of=behalf)
                    beig.append(pid)
                if alloc[p] == 0 and members:
                    self._member(members[0][0], self.va, "Mitglied mit Grundmandat (beratend)", start, end,
                                 voting=False, on_behalf_of=behalf)
            self.voters[(self.va.id, ti)] = [mayor_id, *beig]
            # Fachausschüsse: 9 voting council members + 2 co-opted citizens without vote
            pool = [pid for p in ranked for pid, _g in council[p]]
            for ci, org in enumerate(self.committees.values()):
                rot = pool[ci * 3 % len(pool):] + pool[: ci * 3 % len(pool)]
                chosen = rot[:9]
                for k, pid in enumerate(chosen):
                    role = "Vorsitz" if k == 0 else "stellv. Vorsitz" if k == 1 else "Mitglied"
                    self._member(pid, org, role, start, end)
                for _ in range(2):
                    cid, _g = self._new_person()
                    self._member(cid, org, "hinzugewähltes Mitglied", start, end, voting=False)
                self.voters[(org.id, ti)] = chosen
            # Ortsräte: 7 members, mostly local people
            for org in self.ortsraete:
                members_or = [self._new_person()[0] for _ in range(5)] + rng.sample(pool, 2)
                for k, pid in enumerate(members_or):
                    role = "Ortsbürgermeister/in" if k == 0 else "stellv. Ortsbürgermeister/in" if k == 1 else "Mitglied"
                    self._member(pid, org, role, start, end)
                self.voters[(org.id, ti)] = members_or
            # Verwaltung: heads of the Fachbereiche (change now and then)
            for key, org in self.departments.items():
                if key not in dept_heads or rng.random() < 0.3:
                    dept_heads[key] = self._new_person(status="Verwaltung")[0]
                self._member(dept_heads[key], org, "Fachbereichsleitung", start, end)
            # External bodies: a few members each
            for org in self.others:
                for k in range(4):
                    pid = self._new_person()[0] if k else rng.choice(pool)
                    self._member(pid, org, "Sprecher/in" if k == 0 else "Mitglied", start, end)

    # -- Sitzungskalender

    def _calendar(self) -> None:
        rng = self.rng
        total = max(len(self.meeting_orgs) * 2, round(self.n / 8))
        weight_sum = sum(o.weight for o in self.meeting_orgs)
        span = (CALENDAR_END - self.start).days
        planned: list[tuple[date, int, int, _Org]] = []
        for oi, org in enumerate(self.meeting_orgs):
            count = max(1, round(total * org.weight / weight_sum))
            spacing = span / count
            for k in range(count):
                day = self.start + timedelta(days=int((k + rng.uniform(0.15, 0.85)) * spacing))
                if day.weekday() >= 4:  # sessions Monday to Thursday
                    day -= timedelta(days=day.weekday() - 3)
                planned.append((day, org.hour, oi, org))
        planned.sort(key=lambda p: (p[0], p[1], p[2]))
        self.org_dates: dict[int, list[date]] = {o.id: [] for o in self.meeting_orgs}
        self.org_mids: dict[int, list[int]] = {o.id: [] for o in self.meeting_orgs}
        # per meeting: (id, day, org, public, done, name, created, modified, prev day, location)
        self.meetings: list[tuple[int, date, _Org, bool, bool, str, Any, Any, date | None, int | None]] = []
        self.meeting_index: dict[int, int] = {}
        numbers: dict[tuple[int, int], int] = {}
        prev: dict[int, date] = {}
        self.open_agendas: dict[int, _Agenda] = {}
        self.meeting_voters: dict[int, int] = {}
        for day, hour, _oi, org in planned:
            mid = self.t_meeting.next_id()
            ti = self.term_index(day)
            key = (org.id, ti)
            numbers[key] = numbers.get(key, 0) + 1
            name = f"{numbers[key]}. Sitzung {org.genitive}"
            done = day < AS_OF
            state = "durchgeführt" if done else ("eingeladen" if day <= AS_OF + timedelta(days=14) else "terminiert")
            start = datetime.combine(day, time(hour), tzinfo=BERLIN)
            end = start + timedelta(minutes=rng.randint(75, 210))
            created = self.dt(self.at(day - timedelta(days=21), 8))
            modified = self.dt(self.at(day + timedelta(days=10), 9) if done else self.at(day - timedelta(days=7), 9))
            self.t_meeting.rows.append(
                (mid, created, modified, name, state, self.dt(start), self.dt(end), org.location, org.public)
            )
            self.t_meeting_org.rows.append((self.t_meeting_org.next_id(), mid, org.id))
            voters = self.voters.get(key) or self.voters[(org.id, len(self.terms) - 1)]
            present = voters if len(voters) < 4 else rng.sample(voters, len(voters) - rng.randint(0, 2))
            self.meeting_voters[mid] = len(present)
            if done:
                for pid in sorted(present):
                    self.t_participant.rows.append((self.t_participant.next_id(), mid, pid))
            if len(self.t_participant.rows) > 20_000:
                self._flush()  # N = 1,000,000 means 125,000 Sitzungen: keep memory bounded
            self.meeting_index[mid] = len(self.meetings)
            self.meetings.append((mid, day, org, org.public, done, name, created, modified, prev.get(org.id), org.location))
            prev[org.id] = day
            self.org_dates[org.id].append(day)
            self.org_mids[org.id].append(mid)
        self.close_ptr = 0
        self._text_setup()

    # -- Vorlagen

    def _text_setup(self) -> None:
        self.cur_date = self.start
        ri = self.randint
        pick = self.pick
        self.fillers: dict[str, Callable[[], str]] = {
            "town": lambda: self.town,
            "ort": lambda: pick(self.ortsteile),
            "ort2": lambda: pick(self.ortsteile),
            "strasse": lambda: pick(tp.STREETS),
            "flur": lambda: pick(tp.FIELD_NAMES),
            "bplan": lambda: str(ri(1, 180)),
            "fnp": lambda: str(ri(10, 90)),
            "verein": lambda: pick(tp.CLUBS).format(ort=pick(self.ortsteile)),
            "kita": lambda: pick(tp.KITAS),
            "gebaeude": lambda: pick(tp.BUILDINGS).format(
                ort=pick(self.ortsteile), town=self.town, kita=pick(tp.KITAS)),
            "fluss": lambda: pick(tp.RIVERS),
            "betrag": lambda: _money(ri(2, 900) * 1000 + ri(0, 9) * 100),
            "betrag2": lambda: _money(ri(1, 60) * 1000),
            "th": lambda: str(ri(1, 5)),
            "produkt": lambda: f"{ri(1, 5)}{ri(1, 9)}.{ri(1, 9)}{ri(0, 9)}.{ri(0, 9)}{ri(0, 9)}",
            "anzahl": lambda: str(ri(3, 480)),
            "grz": lambda: str(ri(2, 4)),
            "baujahr": lambda: str(ri(1962, 1985)),
            "alter": lambda: str(ri(22, 34)),
            "monat": lambda: pick(tp.MONTHS),
            "kwp": lambda: str(ri(20, 180)),
            "prozent": lambda: str(ri(20, 70)),
            "monate": lambda: str(ri(3, 14)),
            "flurstueck": lambda: f"{ri(10, 400)}/{ri(1, 30)}",
            "flurnr": lambda: str(ri(1, 30)),
            "fbnr": lambda: str(ri(1, 5)),
            "zweck": lambda: pick(("die Energiekosten der Schulen", "die Unterhaltung der Gemeindestraßen",
                                         "die Unterbringung von Geflüchteten", "den Winterdienst",
                                         "die Erneuerung der Heizungsanlage im Rathaus")),
            "jahr": lambda: str(self.cur_date.year),
            "jahr1": lambda: str(self.cur_date.year + 1),
            "jahr2": lambda: str(self.cur_date.year + 2),
            "jahr4": lambda: str(self.cur_date.year + 4),
            "jahr_prev": lambda: str(self.cur_date.year - 1),
            "datum": lambda: _de(self.cur_date - timedelta(days=ri(10, 120))),
            "datum2": lambda: _de(self.cur_date - timedelta(days=ri(1, 9))),
        }
        self.topic_keys = list(tp.TOPICS)
        kw_field = Paper._meta.get_field("keywords")
        self.topic_keywords = {
            k: kw_field.get_db_prep_save(v[2], connection) for k, v in tp.TOPICS.items()
        }
        self.empty_keywords = kw_field.get_db_prep_save([], connection)
        weights = [t[2] for t in PAPER_TYPES]
        total = sum(weights)
        acc, self.type_cum = 0, []
        for w in weights:
            acc += w
            self.type_cum.append(acc / total)
        self.counters: dict[tuple[str | None, int], int] = {}
        self.amendable: deque[list[Any]] = deque(maxlen=300)  # [id, reference, name, suffixes used]
        self.open_questions: deque[tuple[int, str, str, int]] = deque(maxlen=500)
        self.recent_by_topic: dict[str, deque[int]] = {k: deque(maxlen=50) for k in tp.TOPICS}

    def fill(self) -> _Fill:
        return _Fill(self.fillers)

    def _chain(self, ptype: str, topic: str) -> list[tuple[_Org, str]]:
        r = self.rng.random()
        fa = self.committees[tp.TOPICS[topic][0]]
        rat, va = self.rat, self.va
        if ptype in ("Beschlussvorlage", "Antrag"):
            if topic == "verwaltung" or r < 0.25:
                return [(fa, "Vorberatung"), (va, "Vorberatung"), (rat, "Entscheidung")]
            if r < 0.35 and ptype == "Beschlussvorlage":
                return [(self.pick(self.ortsraete), "Anhörung"), (fa, "Vorberatung"), (va, "Entscheidung")]
            if r < 0.43 and ptype == "Beschlussvorlage":
                return [(va, "Entscheidung")]
            return [(fa, "Vorberatung"), (va, "Entscheidung")]
        if ptype == "Dringlichkeitsvorlage":
            return [(va, "Entscheidung")] if r < 0.7 else [(va, "Vorberatung"), (rat, "Entscheidung")]
        if ptype == "Änderungsantrag":
            return [(rat if r < 0.5 else va, "Entscheidung")]
        if ptype in ("Mitteilungsvorlage", "Informationsvorlage"):
            if r < 0.7:
                return [(fa, "Kenntnisnahme")]
            if r < 0.85:
                return [(self.pick(self.ortsraete), "Kenntnisnahme")]
            return [(fa, "Kenntnisnahme"), (rat, "Kenntnisnahme")]
        # Anfrage, Antwort
        return [(rat, "Kenntnisnahme")] if r < 0.6 else [(fa, "Kenntnisnahme")]

    def _result(self, role: str, voters: int) -> tuple[str, int | None, int | None, int | None, int | None]:
        rng = self.rng
        r = rng.random()
        if role == "Kenntnisnahme":
            return ("zur Kenntnis genommen" if r < 0.96 else "vertagt"), None, None, None, None
        conflicted = 1 if rng.random() < 0.03 and voters > 3 else 0
        present = voters - conflicted
        kinds: tuple[tuple[float, str], ...]
        if role == "Entscheidung":
            kinds = ((0.48, "einstimmig beschlossen"), (0.78, "mehrheitlich beschlossen"), (0.86, "geändert beschlossen"),
                     (0.93, "abgelehnt"), (0.97, "vertagt"), (1.0, "zurückgezogen"))
        else:
            kinds = ((0.65, "einstimmig beschlossen"), (0.88, "mehrheitlich beschlossen"), (0.94, "geändert beschlossen"),
                     (0.98, "vertagt"), (1.0, "abgelehnt"))
        result = next(k for p, k in kinds if r < p)
        if result in ("vertagt", "zurückgezogen"):
            return result, None, None, None, None
        if result == "einstimmig beschlossen":
            return result, present, 0, 0, conflicted or None
        no = self.randint(1, max(1, present // 3))
        abstain = self.randint(0, min(2, present - no))
        yes = present - no - abstain
        if result == "abgelehnt":
            yes, no = min(yes, no), max(yes, no)
        elif yes <= no:
            yes, no = no + 1, min(yes, no)
        return result, yes, no, abstain, conflicted or None

    def _sections(self, ptype: str, title: str, f: _Fill, decider: str, extra: dict[str, str]) -> list[tuple[str, str]]:
        pick = self.pick
        topic = extra["topic"]
        mandate = pick(tp.MANDATES).format_map(f)
        reasons = self.sample(tp.REASONS[topic], min(len(tp.REASONS[topic]), self.randint(2, 4)))
        reasons += self.sample(tp.GENERIC_REASONS, self.randint(1, 3))
        body = " ".join(s.format_map(f) for s in reasons)
        finance = pick(tp.FINANCE).format_map(f)
        if ptype in ("Beschlussvorlage", "Dringlichkeitsvorlage"):
            forms = (
                f"{decider} stimmt dem Vorhaben „{extra['subject']}“ in der vorgelegten Fassung zu.",
                f"{decider} beschließt die Maßnahme „{extra['subject']}“ wie in der Sach- und Rechtslage dargestellt.",
                f"{decider} beschließt: {extra['subject']}.",
            )
            form = forms[2] if "„" in extra["subject"] else pick(forms)  # no quotes within quotes
            proposal = f"{form} Die Verwaltung wird beauftragt, {mandate}."
            secs = [("Beschlussvorschlag", proposal), ("Sach- und Rechtslage", body), ("Finanzielle Auswirkungen", finance)]
            if ptype == "Dringlichkeitsvorlage":
                secs.insert(1, ("Begründung der Dringlichkeit", "Die Entscheidung kann nicht bis zur nächsten "
                                "ordentlichen Sitzung aufgeschoben werden, da Fristen einzuhalten sind."))
            return secs
        if ptype in ("Mitteilungsvorlage", "Informationsvorlage"):
            return [("Sachverhalt", body), ("Finanzielle Auswirkungen", finance)]
        if ptype == "Antrag":
            text = f"Die Verwaltung wird beauftragt, {extra['motion']} zu prüfen und {mandate}."
            return [("Beschlussvorschlag", text), ("Begründung", body)]
        if ptype == "Änderungsantrag":
            text = (f"Der Beschlussvorschlag der Vorlage {extra['parent']} wird wie folgt ergänzt: "
                    f"Die Verwaltung wird zusätzlich beauftragt, {mandate}.")
            return [("Beschlussvorschlag", text), ("Begründung", body)]
        if ptype == "Anfrage":
            qs = self.sample(tp.QUESTIONS, self.randint(2, 4))
            return [("Anfrage", "\n".join(f"{i}. {q.format_map(f)}" for i, q in enumerate(qs, 1))),
                    ("Begründung", body)]
        answers = self.sample(tp.ANSWERS, self.randint(2, 4))
        return [("Antwort der Verwaltung", "\n".join(f"Zu {i}.: {a.format_map(f)}" for i, a in enumerate(answers, 1)))]

    def _attachments(self, drawn: list[tuple[str, str]], day: date) -> list[tuple[str, str]]:
        """Two Anlagen: the drawn ones (or more from the text stream), each with 6–24 sentences."""
        if self.pool is None:
            trand = self.text_rng.random
            self.pool = filetext.Pool(trand, lambda: {
                "ort": self.ortsteile[int(trand() * len(self.ortsteile))],
                "datum": _de(self.start + timedelta(days=int(trand() * 3000))),
                "datum2": _de(self.start + timedelta(days=int(trand() * 3000))),
                "betrag": _money(2000 + int(trand() * 900) * 1000),
                "ref": f"BV/{1 + int(trand() * 900):04d}/2021-2026",
            })
        trand = self.text_rng.random
        while len(drawn) < 2:
            aname, atext = tp.ATTACHMENTS[int(trand() * len(tp.ATTACHMENTS))]
            drawn.append((aname, atext.format_map({
                "ort": self.ortsteile[int(trand() * len(self.ortsteile))], "betrag": _money(int(trand() * 900) * 1000),
                "bplan": str(1 + int(trand() * 180)), "datum": _de(day),
            })))
        return [(name, f"{text}\n\n{self.pool.text(6 + int(trand() * 19))}") for name, text in drawn[:2]]

    def _papers(self, a: int, b: int) -> None:
        rng = self.rng
        pick = self.pick
        rand = rng.random
        dt = self.dt
        d_ = self.d
        at = self.at
        paper_rows = self.t_paper.rows
        section_rows = self.t_section.rows
        cons_rows = self.t_cons.rows
        item_rows = self.t_item.rows
        file_rows = self.t_file.rows
        t_section, t_cons, t_item, t_file = self.t_section, self.t_cons, self.t_item, self.t_file
        body_id = self.body_id
        last_drafts = self.n - max(1, self.n // 200)
        for i in range(a, b):
            day = self.paper_dates[i]
            self.cur_date = day
            ti = self.term_index(day)
            term_name = self.terms[ti][1]
            ptype, prefix, _w, p_np = PAPER_TYPES[bisect.bisect_left(self.type_cum, rand())]
            topic = pick(self.topic_keys)
            public = rand() >= p_np
            state = "freigegeben"
            if i >= last_drafts:
                state = "entwurf" if rand() < 0.5 else "mitzeichnung"
            elif rand() < 0.005:
                state = "zurueckgezogen"
            f = self.fill()
            groups = self.groups_by_term[ti]
            group, chair = groups[int(rand() * len(groups))]
            parent: list[Any] | None = None
            question: tuple[int, str, str, int] | None = None
            if ptype == "Änderungsantrag":
                if self.amendable:
                    parent = self.amendable[int(rand() * len(self.amendable))]
                else:
                    ptype, prefix = "Antrag", "AN"
            elif ptype == "Antwort":
                if self.open_questions:
                    question = self.open_questions.popleft()
                else:
                    ptype, prefix = "Anfrage", "AF"
            pid = self.t_paper.next_id()
            if parent is not None:
                parent[3] += 1
                reference = f"{parent[1]}-{parent[3]}"
            elif question is not None:
                reference = f"{question[1]}-1"
            else:
                key = (prefix, ti)
                num = self.counters[key] = self.counters.get(key, 0) + 1
                reference = f"{prefix}/{num:04d}/{term_name}"
            subject = (pick(tp.NONPUBLIC_SUBJECTS) if not public and ptype in ("Beschlussvorlage", "Dringlichkeitsvorlage")
                       else pick(tp.SUBJECTS[topic])).format_map(f)
            extra = {"topic": topic, "subject": subject}
            if ptype in ("Beschlussvorlage", "Dringlichkeitsvorlage"):
                title = subject
            elif ptype in ("Mitteilungsvorlage", "Informationsvorlage"):
                f["subject"] = subject
                f["bericht"] = pick(tp.REPORTS).format_map(f)
                title = pick(tp.INFO_SUBJECTS).format_map(f)
            elif ptype == "Antrag":
                motion = pick(tp.MOTION_SUBJECTS).format_map(f)
                extra["motion"] = f"das Anliegen „{motion}“"
                title = f"Antrag der {group.name} auf {motion}"
            elif ptype == "Änderungsantrag":
                assert parent is not None
                extra["parent"] = parent[1]
                pname = parent[2] if len(parent[2]) < 120 else parent[2][:117] + "…"
                title = f"Änderungsantrag der {group.name} zur Vorlage {parent[1]} „{pname}“"
            elif ptype == "Anfrage":
                q = pick(tp.QUESTION_SUBJECTS).format_map(f)
                title = f"Anfrage der {group.name}: {q}"
            else:
                assert question is not None
                title = f"Antwort der Verwaltung auf die Anfrage {question[1]} ({question[2]})"
                if len(title) > 900:
                    title = title[:899] + "…"
            chain = self._chain(ptype, topic)
            decider = {"rat": f"Der Rat der Gemeinde {self.town}", "verwaltungsausschuss": "Der Verwaltungsausschuss"}.get(
                chain[-1][0].kind, "Der Ausschuss")
            sections = self._sections(ptype, title, f, decider, extra)
            created = at(day, 7, int(rand() * 59))
            # Beratungsfolge with Sitzungen and Tagesordnungspunkte
            step_day = day + timedelta(days=MIN_LEAD_DAYS + int(rand() * 15))
            last_touch = created
            paper_is_public = public and state == "freigegeben"
            resolution = sections[0][1] if sections[0][0] == "Beschlussvorschlag" else ""
            for order, (org, role) in enumerate(chain, 1):
                dates = self.org_dates[org.id]
                idx = bisect.bisect_left(dates, step_day)
                cid = t_cons.next_id()
                if idx < len(dates):
                    mid = self.org_mids[org.id][idx]
                    mday = dates[idx]
                    m = self.meetings[self.meeting_index[mid]]
                    agenda = self.open_agendas.get(mid)
                    if agenda is None:
                        agenda = self.open_agendas[mid] = _Agenda(m[3])
                    item_public = paper_is_public and m[3]
                    if item_public:
                        agenda.pub += 1
                        number, item_order = f"Ö {agenda.pub}", 100 + agenda.pub
                    else:
                        agenda.np += 1
                        number, item_order = f"N {agenda.np}", 200_000 + agenda.np
                    if m[4]:
                        result, yes, no, abstain, conflicted = self._result(role, self.meeting_voters[mid])
                        res_text = resolution if resolution and "beschlossen" in result else ""
                        touched = at(mday + timedelta(days=3), 10)
                        if touched > last_touch:
                            last_touch = touched
                    else:
                        result, yes, no, abstain, conflicted, res_text = "", None, None, None, None, ""
                    aid = t_item.next_id()
                    item_rows.append((aid, m[6], m[7], mid, number, item_order, title, item_public, result, res_text,
                                      yes, no, abstain, conflicted))
                    votes = f"Ja {yes}, Nein {no}, Enthaltungen {abstain}" if yes is not None else ""
                    agenda.items.append((number, f"{title} ({reference})", result, votes, item_public))
                    cons_rows.append((cid, m[6], m[7], pid, org.id, mid, aid, order, d_(mday), role,
                                      role == "Entscheidung"))
                    step_day = mday + timedelta(days=2 + int(rand() * 8))
                else:
                    ts = dt(created)
                    cons_rows.append((cid, ts, ts, pid, org.id, None, None, order, d_(step_day), role,
                                      role == "Entscheidung"))
                    step_day += timedelta(days=14)
            c_ts = dt(created)
            m_ts = dt(last_touch)
            slug = self.prefix + reference_slug(reference)
            # Released (or later withdrawn) Vorlagen were published with their first agenda: recorded as such.
            published = None if state in ("entwurf", "mitzeichnung") else c_ts
            paper_rows.append((pid, c_ts, m_ts, self.topic_keywords[topic], body_id, title, reference, slug, d_(day),
                               ptype, public, state, published))
            for order, (heading, text) in enumerate(sections, 1):
                section_rows.append((t_section.next_id(), pid, order, heading, text))
            # Dateien: the Vorlage as PDF (text = all sections) and two Anlagen
            main_text = f"{ptype}\nVorlage Nr.: {reference}\n{_de(day)}\n\n{title}\n\n" + "\n\n".join(
                f"{h}:\n{t}" for h, t in sections)
            raw = main_text.encode()
            file_rows.append((t_file.next_id(), c_ts, c_ts, body_id, f"{ptype} {reference}", f"{slug}.pdf",
                              "application/pdf", d_(day), len(raw), hashlib.sha512(raw).hexdigest(), main_text,
                              public, "main", 0, pid, None, None))
            drawn = []
            if ptype in ("Beschlussvorlage", "Antrag", "Dringlichkeitsvorlage"):
                for _k in range(int(rand() * 3)):
                    aname, atext = tp.ATTACHMENTS[int(rand() * len(tp.ATTACHMENTS))]
                    drawn.append((aname, atext.format_map(f)))
            # Every Vorlage has two Anlagen with pages of text (from their own random stream, so the
            # rest of the corpus stays what it was for a seed).
            for k, (aname, atext) in enumerate(self._attachments(drawn, day)):
                raw = atext.encode()
                file_rows.append((t_file.next_id(), c_ts, c_ts, body_id, f"Anlage {k + 1}: {aname}",
                                  f"{slug}-anlage-{k + 1}.pdf", "application/pdf", d_(day), len(raw),
                                  hashlib.sha512(raw).hexdigest(), atext, public, "auxiliary", k + 1, pid, None,
                                  None))
            # Federführung, Urheber, Bezüge
            dept = self.departments[tp.TOPICS[topic][1]]
            self.t_udo.rows.append((self.t_udo.next_id(), pid, dept.id))
            if ptype in ("Antrag", "Änderungsantrag", "Anfrage"):
                self.t_orig_o.rows.append((self.t_orig_o.next_id(), pid, group.id))
                self.t_orig_p.rows.append((self.t_orig_p.next_id(), pid, chair))
            else:
                self.t_orig_o.rows.append((self.t_orig_o.next_id(), pid, dept.id))
            if parent is not None:
                self.t_super.rows.append((self.t_super.next_id(), pid, parent[0]))
            elif question is not None:
                self.t_super.rows.append((self.t_super.next_id(), pid, question[0]))
            recent = self.recent_by_topic[topic]
            if ptype == "Beschlussvorlage" and recent and rand() < 0.12:
                other = recent[int(rand() * len(recent))]
                self.t_related.rows.append((self.t_related.next_id(), pid, other))
                self.t_related.rows.append((self.t_related.next_id(), other, pid))
            recent.append(pid)
            # Only public Vorlagen get amendments and answers: their titles quote the parent.
            if not paper_is_public:
                pass
            elif ptype in ("Beschlussvorlage", "Antrag") and parent is None:
                self.amendable.append([pid, reference, title, 0])
            elif ptype == "Anfrage":
                self.open_questions.append((pid, reference, title[:200], ti))

    # -- closing Sitzungen: fixed agenda items, invitation and minutes

    def _close_meetings(self, before: date | None) -> None:
        limit = None if before is None else before + timedelta(days=MIN_LEAD_DAYS)
        meetings = self.meetings
        while self.close_ptr < len(meetings):
            m = meetings[self.close_ptr]
            if limit is not None and m[1] >= limit:
                break
            self.close_ptr += 1
            self._close(m)

    def _close(self, m: tuple[Any, ...]) -> None:
        mid, day, org, public, done, name, created, modified, prev, location = m
        agenda = self.open_agendas.pop(mid, None) or _Agenda(public)
        item_rows = self.t_item.rows
        ok = "einstimmig beschlossen" if done else ""
        minutes = f"Genehmigung der Niederschrift über die Sitzung vom {_de(prev)}" if prev else "Genehmigung der Niederschrift"
        if public:
            openers = ["Eröffnung der Sitzung", "Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit",
                       "Feststellung der Tagesordnung", minutes, "Einwohnerfragestunde"]
            closers = ["Bericht des Bürgermeisters über wichtige Angelegenheiten" if org.kind == "rat"
                       else "Mitteilungen der Verwaltung", "Anfragen und Anregungen"]
        else:
            openers = ["Eröffnung der Sitzung", "Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit",
                       "Feststellung der Tagesordnung", minutes]
            closers = ["Mitteilungen des Bürgermeisters", "Anfragen und Anregungen"]
        fixed: list[tuple[str, int, str, bool, str]] = []
        for k, title in enumerate(openers, 1):
            fixed.append(((f"Ö {k}" if public else f"N {k}"), k, title, public, ok if title == minutes else ""))
        for k, title in enumerate(closers, 1):
            if public:
                agenda.pub += 1
                fixed.append((f"Ö {agenda.pub}", 100_000 + k, title, True, ""))
            else:
                agenda.np += 1
                fixed.append((f"N {agenda.np}", 200_000 + agenda.np, title, False, ""))
        if public:
            agenda.pub += 1
            fixed.append((f"Ö {agenda.pub}", 300_000, "Schließung der Sitzung", True, ""))
        else:
            agenda.np += 1
            fixed.append((f"N {agenda.np}", 300_000, "Schließung der Sitzung", False, ""))
        for number, order, title, pub, result in fixed:
            item_rows.append((self.t_item.next_id(), created, modified, mid, number, order, title, pub, result, "",
                              None, None, None, None))
        # Files: invitation and (for past sessions) minutes; the non-public part only non-public.
        items = agenda.items
        pub_items = [it for it in items if it[4]]
        np_items = [it for it in items if not it[4]]
        head = f"{name}\n{_de(day)}\nOrt: {'Rathaus' if location in (self.loc_rathaus, self.loc_room) else 'Dorfgemeinschaftshaus'}"
        date_ = self.d(day - timedelta(days=14))
        if public:
            self._meeting_file(mid, created, "Einladung", f"einladung-{mid}.pdf", "invitation", 0, date_, True,
                               head + "\n\nTagesordnung – öffentlicher Teil\n" + "\n".join(f"{n} {t}" for n, t, *_ in pub_items))
            if np_items:
                self._meeting_file(mid, created, "Einladung – nichtöffentlicher Teil", f"einladung-{mid}-n.pdf",
                                   "invitation", 1, date_, False,
                                   head + "\n\nTagesordnung – nichtöffentlicher Teil\n" + "\n".join(f"{n} {t}" for n, t, *_ in np_items))
        else:
            self._meeting_file(mid, created, "Einladung", f"einladung-{mid}.pdf", "invitation", 0, date_, False,
                               head + "\n\nTagesordnung (nichtöffentlich)\n" + "\n".join(f"{n} {t}" for n, t, *_ in items))
        if done:
            mdate = self.d(day + timedelta(days=10))

            def protocol(lines: list[tuple[str, str, str, str, bool]]) -> str:
                return head + "\n\nNiederschrift\n\n" + "\n".join(
                    f"{n} {t}\nErgebnis: {r}" + (f" ({v})" if v else "") for n, t, r, v, _p in lines)

            if public:
                self._meeting_file(mid, modified, "Niederschrift", f"niederschrift-{mid}.pdf", "results_protocol", 2,
                                   mdate, True, protocol(pub_items))
                if np_items:
                    self._meeting_file(mid, modified, "Niederschrift – nichtöffentlicher Teil",
                                       f"niederschrift-{mid}-n.pdf", "results_protocol", 3, mdate, False,
                                       protocol(np_items))
            else:
                self._meeting_file(mid, modified, "Niederschrift", f"niederschrift-{mid}.pdf", "results_protocol", 2,
                                   mdate, False, protocol(items))

    def _meeting_file(self, mid: int, ts: Any, name: str, file_name: str, role: str, order: int, day: Any,
                      public: bool, text: str) -> None:
        raw = text.encode()
        self.t_file.rows.append((self.t_file.next_id(), ts, ts, self.body_id, name, file_name, "application/pdf",
                                 day, len(raw), hashlib.sha512(raw).hexdigest(), text, public, role, order, None, mid,
                                 None))
