"""The full-text index as the newest migration that changed it made it, for the bulk rebuild
(bulk.py), which drops the SQLite triggers or the PostgreSQL GIN index, writes every row and
builds the index once at the end. The statements themselves stay in their migrations."""

import importlib

_SQLITE = importlib.import_module("ratsinfo.search.migrations.0005_filter_terms")  # FTS5 with filter_terms
_POSTGRES = importlib.import_module("ratsinfo.search.migrations.0007_filter_lexemes")  # the tsvector, its GIN index

TRIGGERS: list[str] = _SQLITE.TRIGGERS
DROP_TRIGGERS: list[str] = _SQLITE.DROP_TRIGGERS
REBUILD: str = _SQLITE.REBUILD
GIN_INDEX: str = _POSTGRES.GIN_INDEX
DROP_GIN_INDEX: str = _POSTGRES.DROP_GIN_INDEX
# The PostgreSQL vector's own lexemes (facet values, recency bucket): the search builds its queries with them.
FILTER_PREFIX: str = _POSTGRES.PREFIX
BUCKET_BITS: int = _POSTGRES.BUCKET_BITS
LEVEL_BITS: int = _POSTGRES.LEVEL_BITS
LEVELS: int = _POSTGRES.LEVELS
TITLE_VECTOR: str = _POSTGRES.TITLE_VECTOR  # (as its index has it: Vorlagen only)
