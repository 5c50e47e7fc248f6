"""The OParl importer: `ratsinfo oparl-import URL | --from-dir DIR`, `ratsinfo oparl-dump URL DIR`.

Layers, outside in:
- client.py   HTTP with retries, backoff, Retry-After, HTML-with-200 detection; list walking
              that survives looping, repeating and filter-dropping `next` links.
- pipeline.py every list of a body fetched ahead in its own thread (bounded queues), pages
              that have arrived written together in one transaction.
- faults.py   server faults counted per kind (logged once, summed up at the end).
- dump.py     one file per fetched page plus index.jsonl; replaying it repeats the crawl.
- clean.py    tolerant repair of foreign JSON ("N/A", object where a list belongs, wrong
              types, control characters, 1.0 type URLs) before the strict pydantic types.
- mapping.py  OParl objects -> Django models by `source_url`, page by page with bulk writes,
              history rows and the uniqueness repairs real data needs.
- fastwrite.py new objects and their history rows through ratsinfo.lib.bulkwrite
              (executemany on SQLite, COPY on PostgreSQL; shared with the generator).
- run.py      crawl or replay, one transaction per group of pages with its cursor, pending references,
              incremental runs (modified_since), summary; an incomplete run says what is missing.
- files.py    --with-files: file bytes, checked and stored; tasks.py extracts their text.

Decisions:
- Imported Vorlagen are public and freigegeben (OParl only publishes public data).
- A reference repeated within one body is kept with a suffix: "X/1 (2)" (logged), so the
  number stays visible and searchable; a re-import keeps the suffix.
- Missing required parents (membership -> person/organization, agenda item -> meeting,
  consultation -> paper) park the object in PendingObject; missing optional targets leave the
  field empty and a PendingLink. Both are resolved at the end of the run, fetching the
  targets by URL; what still cannot be read is skipped with a log line naming the URL. No
  stub objects ever show up in the portal.
- Files are placeholders with `external_access_url` unless `--with-files` copies their bytes
  (then their `modified` stays the source's, so a re-import finds them unchanged).
- Every body of a system is its own Gemeinde; an object fetched by URL without a body of its
  own goes to a body of the same run, never to another source's.
- Deletions arrive as OParl tombstones (`deleted: true`) and soft-delete our row.
- Objects identical to one already applied in this run (embedded in a paper and again in
  the 1.1 consultation/file lists, or repeated across pages) are recognised by a content
  fingerprint and not written again; the set of fingerprints is capped (bounded memory).
"""
