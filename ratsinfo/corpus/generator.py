"""Synthetic municipal corpus for tests and benchmarks (`ratsinfo generate`).

Contract used by other tests: `generate(papers=N, seed=S)` fills the current database
deterministically and returns counts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GenerateStats:
    papers: int = 0
    meetings: int = 0
    agenda_items: int = 0
    files: int = 0
    persons: int = 0
    organizations: int = 0
    seconds: float = 0.0


def generate(*, papers: int, seed: int = 1, progress: bool = False) -> GenerateStats:
    raise NotImplementedError("wird vom Generator-Issue gebaut")
