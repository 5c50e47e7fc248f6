"""Faults of a foreign OParl server, counted per kind.

A large body repeats the same mistake thousands of times; the log names the first case of
each kind (with its URL) and the summary says how often it happened. Nothing here stops a run.
"""

from __future__ import annotations

import logging
from collections import Counter

log = logging.getLogger("ratsinfo.oparl.import")

# kinds, as the summary names them
EMPTY_LIST_ARRAY = "leere Liste als [] statt Listenobjekt"
SINGLE_OBJECT_LIST = "Liste antwortet mit Einzelobjekt"
DATA_OBJECT = "data ist ein Objekt statt einer Liste"
RAW_CONTROL = "rohe Tabulatoren/Zeilenumbrüche in JSON-Zeichenketten"
UNLISTED = "verlinktes Objekt in keiner Liste"
SHORT_AGS = "AGS/RGS ohne führende Null"
DUPLICATE_ID = "dieselbe id mehrfach in einer Liste"
NEXT_LOOP = "next-Link führt im Kreis"
REPEATING_PAGES = "Liste wiederholt nur bekannte Objekte"
DROPPED_FILTER = "next-Link lässt Filter weg"


class Faults:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.first: dict[str, str] = {}

    def note(self, kind: str, where: str, detail: str = "", n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[kind] += n
        text = f"{where}: {detail}" if detail else where
        if kind not in self.first:
            self.first[kind] = where
            log.warning("OParl-Serverfehler „%s“ (repariert, weitere Fälle nur gezählt): %s", kind, text)
        else:
            log.debug("OParl-Serverfehler „%s“: %s", kind, text)

    def summary(self) -> list[str]:
        return [f"{kind}: {n}× (zuerst {self.first[kind]})" for kind, n in self.counts.most_common()]

    def log_summary(self) -> None:
        for line in self.summary():
            log.warning("OParl-Serverfehler %s", line)
