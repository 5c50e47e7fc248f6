"""The hardening tests use the OParl town and the Maßnahmenplan world of their own suites."""

from tests.measures.conftest import qm_client, quartiersmanager, world
from tests.oparl.conftest import oparl_town

__all__ = ["oparl_town", "qm_client", "quartiersmanager", "world"]
