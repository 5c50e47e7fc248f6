"""The demo municipality (`ratsinfo demo`).

Contract: `build_demo()` builds the whole demo into the current (empty, migrated) database and
returns the demo Body. It imports the seed Vorlage through the importer and then calls
`ratsinfo.measures.demo.build_measures_demo(body)` for the Maßnahmenplan part.
"""

from __future__ import annotations

from ratsinfo.bodies.models import Body


def build_demo() -> Body:
    raise NotImplementedError("wird vom Foundation-Issue gebaut")
