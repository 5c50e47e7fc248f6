"""Polite HTTP for the validator: one connection, a request budget, a pause, Retry-After honoured."""

from __future__ import annotations

import email.utils
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

USER_AGENT = "ratsinfo-oparl-validate (OParl 1.1 conformance check)"


class BudgetExhausted(Exception):
    """--max-requests is used up; the checks that need more requests are skipped."""


@dataclass
class FetchConfig:
    max_requests: int = 1000
    delay: float = 0.0  # seconds between two requests
    timeout: float = 30.0
    max_wait: float = 60.0  # longest Retry-After honoured; a longer one ends that request as failed
    retries: int = 2  # after 429/503


@dataclass
class Answer:
    url: str
    status: int
    headers: httpx.Headers
    data: Any = None  # parsed JSON, None when not JSON
    error: str = ""  # why there is no usable JSON ("" when there is)


def retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value.strip() else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class Fetcher:
    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self.requests = 0
        self._last = 0.0
        self._cache: dict[str, Answer] = {}
        self.client = httpx.Client(timeout=config.timeout, follow_redirects=True,
                                   limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                                   headers={"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.client.close()

    def _take_turn(self) -> None:
        """Count one request against the budget and keep the pause since the previous one."""
        if self.requests >= self.config.max_requests:
            raise BudgetExhausted
        pause = self._last + self.config.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.requests += 1

    def _send(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        for attempt in range(self.config.retries + 1):
            self._take_turn()
            try:
                response = self.client.get(url, params=params)
            finally:
                self._last = time.monotonic()
            wait = retry_after(response.headers.get("Retry-After"))
            if response.status_code not in (429, 503) or attempt == self.config.retries:
                return response
            if wait is None:
                wait = 2.0 ** attempt
            if wait > self.config.max_wait:
                return response
            time.sleep(wait)
        raise AssertionError("unreachable")

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Answer:
        key = url + ("?" + str(sorted(params.items())) if params else "")
        if key in self._cache:
            return self._cache[key]
        try:
            response = self._send(url, params)
        except httpx.HTTPError as exc:
            answer = Answer(url, 0, httpx.Headers(), error=f"{type(exc).__name__}: {exc}"[:200])
        else:
            answer = Answer(str(response.url), response.status_code, response.headers)
            if response.status_code != 200:
                answer.error = f"HTTP {response.status_code}"
            try:
                answer.data = orjson.loads(response.content)
            except orjson.JSONDecodeError:
                answer.error = answer.error or (
                    f"kein JSON ({response.headers.get('Content-Type', 'ohne Content-Type')})")
        self._cache[key] = answer
        return answer

    def download(self, url: str, max_bytes: int) -> tuple[int, str] | str:
        """(size, sha-512 hex) of the bytes at url, or why not; stops reading after max_bytes."""
        self._take_turn()
        digest, size = hashlib.sha512(), 0
        try:
            with self.client.stream("GET", url, headers={"Accept": "*/*"}) as response:
                if response.status_code != 200:
                    return f"HTTP {response.status_code}"
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return f"größer als {max_bytes} Bytes, nicht geprüft"
                    digest.update(chunk)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:200]
        finally:
            self._last = time.monotonic()
        return size, digest.hexdigest()
