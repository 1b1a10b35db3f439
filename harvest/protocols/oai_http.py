"""The HTTP side of OAI-PMH: GET with gzip, timeouts, retries with backoff, 503 + Retry-After."""

import contextlib
import gzip
import http.client
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from email.utils import parsedate_to_datetime

from django.utils import timezone

from harvest.locations import check_url, open_url
from harvest.protocols.base import HarvestError

logger = logging.getLogger(__name__)
USER_AGENT = "Samsok-harvester/1.0 (+union catalogue; OAI-PMH 2.0)"


class OaiHttpClient:
    """Fetches one OAI-PMH request; transient trouble is retried, the rest raises HarvestError."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 60.0,
        retries: int = 5,
        backoff: float = 2.0,
        max_retry_after: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        check_url(base_url)  # an http(s) URL to a public host (harvest.locations)
        self.base_url = base_url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.sleep = sleep

    def url(self, params: dict[str, str]) -> str:
        separator = "&" if "?" in self.base_url else "?"
        return self.base_url + separator + urllib.parse.urlencode(params)

    def get(self, params: dict[str, str]) -> bytes:
        """The response body (decompressed); retries 503/5xx, timeouts and cut connections."""
        url = self.url(params)
        last_problem = ""
        for attempt in range(self.retries + 1):
            try:
                return self._fetch(url)
            except urllib.error.HTTPError as exc:
                if exc.code not in (429, 500, 502, 503, 504):
                    raise HarvestError(f"HTTP {exc.code} from {url}") from exc
                last_problem = f"HTTP {exc.code}"
                wait = self._retry_after(exc.headers.get("Retry-After"), attempt)
            except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                wait = self.backoff * (2**attempt)
            if attempt < self.retries:
                logger.info("OAI-PMH %s: %s, retrying in %.1fs", url, last_problem, wait)
                self.sleep(wait)
        raise HarvestError(f"giving up on {url} after {self.retries + 1} attempts: {last_problem}")

    def _fetch(self, url: str) -> bytes:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            url, headers={"Accept-Encoding": "gzip, deflate", "User-Agent": USER_AGENT}
        )
        with open_url(request, timeout=self.timeout) as response:
            body: bytes = response.read()
            encoding = (response.headers.get("Content-Encoding") or "").lower()
        try:
            if encoding == "gzip" or body[:2] == b"\x1f\x8b":
                return gzip.decompress(body)
            if encoding == "deflate":
                return zlib.decompress(body)
        except (OSError, zlib.error, EOFError) as exc:
            raise http.client.IncompleteRead(body) from exc
        return body

    def _retry_after(self, header: str | None, attempt: int) -> float:
        """Seconds from a Retry-After header (seconds or an HTTP date), else the backoff."""
        wait = self.backoff * (2**attempt)
        if header:
            value = header.strip()
            if value.isdigit():
                wait = float(value)
            else:
                with contextlib.suppress(TypeError, ValueError):
                    wait = (parsedate_to_datetime(value) - timezone.now()).total_seconds()
        return min(max(wait, 0.0), self.max_retry_after)
