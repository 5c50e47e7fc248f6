"""German text analysis shared by both backends: the same terms at index and query time.

A word is lower-cased, folded (ß→ss, ä→ae …, so "Massnahmenplan" and "Buergerhaus" match) and
stemmed with Snowball German (PyStemmer), so "Bebauungsplans" finds "Bebauungsplan". Numbers
lose leading zeros so "0240", "240" and "BV/0240/2021-2026" meet. Compound parts
("Integrationskonzept" → "konzept") come from a vocabulary of the stems the index has seen as
words of their own (no decompounding library on PyPI fitted, see README), and go to a separate,
low-weighted column, so exact hits rank above compound-part hits.

The query language: words (all must match), "a phrase", prefix* – nothing else is syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"ß": "ss", "ä": "ae", "ö": "oe", "ü": "ue", "ẞ": "ss"})
_STEMMER = Stemmer.Stemmer("german")
MIN_PART = 4  # shortest compound part worth indexing ("Plan", "Haus")
MIN_COMPOUND = 8  # shorter words are not split
MAX_WORD = 60  # longer "words" are noise (hashes, base64): not indexed


@lru_cache(maxsize=500_000)
def fold(word: str) -> str:
    """Lower case, ß/umlauts spelled out, other accents dropped; ASCII letters and digits only."""
    word = word.lower().translate(_FOLD)
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word if c.isascii() and c.isalnum())


def words(text: str) -> Iterator[str]:
    """Folded words of `text` in order (numbers without leading zeros)."""
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if not word or len(word) > MAX_WORD:
            continue
        if word.isdigit():
            word = word.lstrip("0") or "0"
        yield word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return word if word.isdigit() else _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """The indexed terms of `text`, in order (positions matter for phrases)."""
    return [stem(w) for w in words(text)]


def compound_candidates(term: str) -> list[tuple[str, str]]:
    """(head, modifier) splits of a stemmed term, longest head first; a Fugen-s is dropped."""
    if len(term) < MIN_COMPOUND or term.isdigit():
        return []
    found = []
    for cut in range(MIN_PART, len(term) - MIN_PART + 1):
        modifier, head = term[:cut], term[cut:]
        if modifier.endswith("s") and len(modifier) > MIN_PART:
            modifier = modifier[:-1]  # Fugen-s: "Integrations|konzept"
        found.append((head, stem(modifier)))
    return found


# Words that municipal compounds are commonly built from: a base vocabulary, so that splitting
# works from the first document on; the index adds every stem it sees (search.Term).
BASE_WORDS = """
Abfall Abwasser Angebot Anlage Antrag Arbeit Ausbau Ausschuss Bahnhof Bau Bebauung Bedarf Beitrag
Beratung Bericht Beschluss Betreuung Bildung Brücke Bürger Dorf Energie Entwicklung Erneuerung
Fahrzeug Familie Feuerwehr Finanz Fläche Förderung Friedhof Garten Gebäude Gebiet Gebühr Gemeinde
Gesellschaft Gesundheit Gewerbe Grund Grundstück Gruppe Hafen Halle Haus Haushalt Hilfe Hof Integration
Investition Jahr Jugend Kinder Kindergarten Kirche Klima Konferenz Konzept Kosten Kreis Kultur Land
Leistung Markt Maßnahme Mittel Mobilität Nachbarschaft Netz Ordnung Ort Park Personal Plan Planung
Platz Programm Projekt Quartier Rat Recht Rad Raum Satzung Schule Schutz Senioren Sicherheit Sozial
Sport Stadt Stelle Steuer Straße Strom Struktur Träger Umwelt Unterhaltung Verein Verfahren Verkehr
Vertrag Verwaltung Wald Wasser Weg Wirtschaft Wohnung Wohnen Zentrum Ziel Zuschuss
"""


@lru_cache(maxsize=1)
def base_vocabulary() -> frozenset[str]:
    return frozenset(stem(w) for w in words(BASE_WORDS))


def candidate_parts(terms: Iterable[str]) -> set[str]:
    """Every string that could be a part of one of `terms` (to look up in the vocabulary at once)."""
    return {part for term in set(terms) for pair in compound_candidates(term) for part in pair}


def compound_parts(term: str, known: Container[str]) -> list[str]:
    """Known stems a compound is made of: the longest known head and its modifier if known,
    else the longest known modifier ("Windenergie|anlagen" when "Anlage" is not yet known)."""
    candidates = compound_candidates(term)
    for head, modifier in candidates:
        if head in known:
            return [head, modifier] if modifier in known else [head]
    for _head, modifier in reversed(candidates):
        if modifier in known:
            return [modifier]
    return []


@dataclass
class Query:
    """A parsed search: each clause must match. A clause is a term list (phrase if longer than
    one) with a prefix flag for its last term."""

    clauses: list[tuple[list[str], bool]] = field(default_factory=list)
    # Stem -> the inflected form as typed, if it differs (documents with that form rank higher).
    exact: dict[str, str] = field(default_factory=dict)
    # Folded words as typed, for highlighting snippets.
    highlight: list[tuple[str, bool]] = field(default_factory=list)
    # Clause index -> the (term, is prefix) a prefix clause stands for (service.expand_prefixes):
    # one term per doclist instead of the engine merging every term of the prefix.
    alternatives: dict[int, list[tuple[str, bool]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def loosened(query: Query) -> Query:
    """The query with each phrase as its words, each required: what an index without positions
    can answer (a superset of the matches, to check the phrases on)."""
    loose = Query(exact=query.exact, highlight=query.highlight)
    for i, (terms, prefix) in enumerate(query.clauses):
        if i in query.alternatives:
            loose.alternatives[len(loose.clauses)] = query.alternatives[i]
        for j, term in enumerate(terms):
            loose.clauses.append(([term], prefix and j == len(terms) - 1))
    return loose


def has_phrase(query: Query) -> bool:
    return any(len(terms) > 1 for terms, _ in query.clauses)


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
MAX_CLAUSES = 12


def parse(text: str) -> Query:
    """Words, "phrases" and prefix* from a search box; anything else is ignored, never an error."""
    query = Query()
    for match in _TOKEN.finditer(text):
        phrase, bare = match.groups()
        if phrase is not None:
            found = list(words(phrase))
            if found:
                query.clauses.append(([stem(w) for w in found], False))
                query.highlight.extend((w, False) for w in found)
            continue
        prefix = bare.endswith("*")
        pieces = list(words(bare))
        if not pieces:
            continue
        if prefix and len(pieces[-1]) >= 2:
            # The prefix of what was typed, not of its stem ("Integr*" is not a word to stem).
            head = [stem(w) for w in pieces[:-1]]
            query.clauses.append(([*head, pieces[-1]], True))
            query.highlight.extend([*((w, False) for w in pieces[:-1]), (pieces[-1], True)])
        elif len(pieces) > 1:
            # "BV/0240/2021-2026" or "Nord-Süd": the parts in order, as a phrase.
            query.clauses.append(([stem(w) for w in pieces], False))
            query.highlight.extend((w, False) for w in pieces)
        else:
            query.clauses.append(([stem(pieces[0])], False))
            query.highlight.append((pieces[0], False))
            if stem(pieces[0]) != pieces[0]:
                query.exact[stem(pieces[0])] = pieces[0]
    query.clauses = query.clauses[:MAX_CLAUSES]
    return query


_FACET_PREFIX = {"kind": "k", "year": "y", "paper_type": "t", "gremium": "g"}


def filter_term(facet: str, value: str | int) -> str:
    """The index term of one facet value ("kvorlage", "y2021", "tbeschlussvorlage", "g12")."""
    return _FACET_PREFIX[facet] + (fold(value) if isinstance(value, str) else str(value))


def facet_of(term: str) -> tuple[str, str]:
    """(facet, value as in the term) of a filter term: the inverse of filter_term."""
    facet = next(f for f, prefix in _FACET_PREFIX.items() if term.startswith(prefix))
    return facet, term[len(_FACET_PREFIX[facet]) :]


def filter_terms(kind: str, year: int | None, paper_type: str, gremium_ids: Iterable[int]) -> str:
    """A document's facet values as terms of their own column: on SQLite a filter is then an
    intersection of doclists inside FTS5, not a test of every match of a common word. Search
    terms never reach that column (backends.py)."""
    out = [filter_term("kind", kind)]
    if year:
        out.append(filter_term("year", year))
    if paper_type:
        out.append(filter_term("paper_type", paper_type))
    out.extend(filter_term("gremium", g) for g in sorted(gremium_ids))
    return " ".join(out)
