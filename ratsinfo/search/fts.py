"""The SQLite FTS5 table over the analysed term columns of `search_document` (external content,
kept in step by triggers), as migration 0005 creates it; `bulk.py` drops the triggers for a
rebuild and creates them again. PostgreSQL's index is the generated tsvector of migration 0002."""

COLUMNS = "title_terms, body_terms, part_terms, exact_terms, filter_terms"
_NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
_OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))

TABLE = (
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, "
    "content='search_document', content_rowid='id', tokenize='unicode61', detail=full)"
)
TRIGGERS = [
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {_OLD}); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_NEW}); END",
]
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
]
DROP_TABLE = "DROP TABLE IF EXISTS search_fts"
REBUILD = "INSERT INTO search_fts(search_fts) VALUES ('rebuild')"
