"""Smoke test of the million-paper benchmark: bench/million.py end to end on 200 Vorlagen.

No timing is asserted (figures belong in bench/RESULTS.md with the machine); only that every
row of RESULTS.md is there, with a value and the limit measured beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from million import ROWS, with_other_sections  # noqa: E402


def _table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| Messung")]


def test_the_benchmark_harness_writes_every_row_beside_its_limit(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    args = [sys.executable, str(ROOT / "bench" / "million.py"), "--papers", "200", "--import-papers", "50",
            "--repeat", "3", "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RATSINFO_DATA_DIR"}}
    databases = ["SQLite"]
    test_db = os.environ.get("DATABASE_URL", "")
    if test_db.startswith("postgres"):  # a bench database of its own beside the test database
        args += ["--postgres-url", f"{test_db.rstrip('/')}_million_smoke"]
        databases.append("PostgreSQL")
    else:
        args.append("--sqlite-only")

    subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)

    text = out.read_text()
    assert "Maschine:" in text and "Kerne" in text
    rows = _table(text)
    for label in ROWS:
        for database in databases:
            found = [r for r in rows if r[0].startswith(label) and r[1].startswith(database)]
            assert found, (label, database, text)
            measured = [r for r in found if not r[2].startswith(("nicht gemessen", "noch nicht vorhanden"))]
            if label == "Suche":
                assert found[0][2].startswith("noch nicht vorhanden")  # no search backend yet
            elif not (label == "Import" and database == "PostgreSQL"):
                assert measured and all(r[3] != "–" and r[4] != "–" for r in measured), (label, database, found)
    portal_pages = [r for r in rows if r[0].startswith("Portal:") and r[1].startswith("SQLite")]
    assert len(portal_pages) >= 10 and all("ms /" in r[2] for r in portal_pages)


def test_a_new_run_keeps_the_sections_of_the_other_benchmarks(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark-Ergebnisse (bench/million.py)\n\nalt\n\n## Last (bench/load.py)\n\n| a |\n\n"
                   "## Suche (bench/search.py)\n\n| b |\n")
    text = with_other_sections(out, "# Benchmark-Ergebnisse (bench/million.py)\n\nneu\n")
    assert "neu" in text and "alt" not in text
    assert text.index("## Last (bench/load.py)") < text.index("## Suche (bench/search.py)")
    assert text.endswith("| b |\n")
