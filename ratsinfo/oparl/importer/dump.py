"""Directory dumps: one file per fetched page, plus `index.jsonl` naming each page.

Layout::

    DIR/index.jsonl          one line per page, in fetch order:
                             {"n": 1, "file": "pages/0000001.json", "url": "...",
                              "kind": "system|list|object", "body": "<body url>", "list": "paper"}
    DIR/pages/0000001.json   the page exactly as the server sent it (bytes)

Replaying the index in order repeats the crawl without a network. A writer killed mid-way
leaves at most one torn last line, which the reader skips.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("ratsinfo.oparl.import")


@dataclass
class DumpEntry:
    n: int
    url: str
    kind: str
    body: str
    list: str
    file: str


class DumpWriter:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.dir = Path(directory)
        (self.dir / "pages").mkdir(parents=True, exist_ok=True)
        self.index_path = self.dir / "index.jsonl"
        self.n = sum(1 for _ in read_index(self.dir)) if self.index_path.exists() else 0
        self._index = open(self.index_path, "ab")  # noqa: SIM115 - kept open while crawling
        if self.index_path.stat().st_size:
            with open(self.index_path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    self._index.write(b"\n")

    def write(self, *, url: str, raw: bytes, kind: str, body: str = "", list_name: str = "") -> None:
        self.n += 1
        name = f"pages/{self.n:07d}.json"
        (self.dir / name).write_bytes(raw)
        line: dict[str, Any] = {"n": self.n, "file": name, "url": url, "kind": kind, "body": body, "list": list_name}
        self._index.write(orjson.dumps(line) + b"\n")
        self._index.flush()

    def close(self) -> None:
        self._index.close()


def read_index(directory: str | os.PathLike[str]) -> Iterator[DumpEntry]:
    path = Path(directory) / "index.jsonl"
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
                yield DumpEntry(int(item["n"]), str(item["url"]), str(item.get("kind", "list")),
                                str(item.get("body", "")), str(item.get("list", "")), str(item["file"]))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                log.warning("Dump: Zeile %s von %s unlesbar, übersprungen", number, path)


def read_page(directory: str | os.PathLike[str], entry: DumpEntry) -> bytes | None:
    try:
        return (Path(directory) / entry.file).read_bytes()
    except OSError as exc:
        log.warning("Dump: Seite %s (%s) fehlt: %s", entry.file, entry.url, exc)
        return None
