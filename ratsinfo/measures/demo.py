"""Demo content of the Maßnahmenplan (Ahlhorn), called by `ratsinfo.corpus.demo.build_demo`."""

from __future__ import annotations

from ratsinfo.bodies.models import Body


def build_measures_demo(body: Body) -> None:
    """Adds the Ahlhorn plan to the demo. Until the measures app exists this adds nothing."""
