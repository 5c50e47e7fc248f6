"""The full-text index as the newest migration that changed it made it, for the bulk rebuild
(bulk.py), which drops the SQLite triggers or the PostgreSQL GIN index, writes every row and
builds the index once at the end. The statements themselves stay in their migrations."""

import importlib

_SQLITE = importlib.import_module("ratsinfo.search.migrations.0005_filter_terms")  # FTS5 with filter_terms
_POSTGRES = importlib.import_module("ratsinfo.search.migrations.0002_fulltext")  # the tsvector and its GIN index

TRIGGERS: list[str] = _SQLITE.TRIGGERS
DROP_TRIGGERS: list[str] = _SQLITE.DROP_TRIGGERS
REBUILD: str = _SQLITE.REBUILD
GIN_INDEX: str = _POSTGRES.POSTGRES[1]
DROP_GIN_INDEX: str = _POSTGRES.POSTGRES_REVERSE[0]
