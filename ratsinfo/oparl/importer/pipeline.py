"""Fetching ahead: each list of a body is read by its own thread into a small bounded queue
while the main thread writes, and consecutive pages that are already there are written together.

The network and the database overlap (sqlite3, psycopg and sockets release the GIL); the number
of requests in flight is capped by the client (`ClientConfig.connections`), and each queue
holds at most `AHEAD` pages, so memory stays bounded however long a list is.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from ratsinfo.oparl.importer.client import Client, ListPage, iter_list

AHEAD = 4  # pages fetched ahead per list (bounded memory: lists × AHEAD parsed pages)
GROUP_PATIENCE = 0.5  # seconds to wait for one more page of a group
GROUP_SECONDS = 1.0  # a group is written at the latest this long after its first page arrived
_DONE = object()


class ListFeed:
    def __init__(self, client: Client, list_url: str, filters: dict[str, str], resume_url: str | None,
                 keep_raw: bool) -> None:
        self.outcome: dict[str, Any] = {}
        self.error: BaseException | None = None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._args = (client, list_url, filters, resume_url, keep_raw)
        self._thread = threading.Thread(target=self._run, name="oparl-list-feed", daemon=True)

    def start(self) -> ListFeed:
        self._thread.start()
        return self

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        client, list_url, filters, resume_url, keep_raw = self._args
        try:
            for page in iter_list(client, list_url, filters, resume_url=resume_url, outcome=self.outcome):
                if not keep_raw:
                    page.raw = b""
                if not self._put(page):
                    return
        except BaseException as exc:  # handed to the main thread
            self.error = exc
        finally:
            self._put(_DONE)

    def groups(self, max_objects: int, patience: float = GROUP_PATIENCE,
               budget: float = GROUP_SECONDS) -> Iterator[list[ListPage]]:
        """Runs of consecutive pages up to `max_objects` entries: the next page (waiting for it as
        long as it takes), then further pages as long as each arrives within `patience` seconds
        and the group is younger than `budget` seconds (a slow server gets its pages written one
        by one, a fast one in large groups; a kill loses at most about `budget` of work)."""
        try:
            done = False
            while not done:
                first = self._queue.get()
                if first is _DONE:
                    break
                group = [first]
                size = len(first.data)
                deadline = time.monotonic() + budget
                while size < max_objects and (left := deadline - time.monotonic()) > 0:
                    try:
                        nxt = self._queue.get(timeout=min(patience, left))
                    except queue.Empty:
                        break
                    if nxt is _DONE:
                        done = True
                        break
                    group.append(nxt)
                    size += len(nxt.data)
                yield group
            self._raise()
        finally:
            self.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self._stop.set()
