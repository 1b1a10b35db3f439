"""One small HTTP GET for the live providers: a whole-request deadline and a size cap."""

import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlencode

from catalog.availability.base import ProviderError

MAX_RESPONSE_BYTES = 2 * 1024 * 1024
USER_AGENT = "Samsok-availability/1.0"


def http_get(url: str, params: Mapping[str, str], timeout: float, accept: str = "*/*") -> bytes:
    """GET url?params and return the body, or raise ProviderError.

    The socket timeout bounds each read; the deadline bounds the whole answer, so a server that
    dribbles one byte a second cannot hold the lookup longer than `timeout`.
    """
    deadline = time.monotonic() + timeout
    separator = "&" if "?" in url else "?"
    full_url = f"{url}{separator}{urlencode(params)}" if params else url
    if not full_url.startswith(("http://", "https://")):
        raise ProviderError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(full_url, headers={"Accept": accept, "User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            return _read_until(response, deadline)
    except urllib.error.HTTPError as exc:
        raise ProviderError(f"HTTP {exc.code} from {url}") from None
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad URLs
        raise ProviderError(f"{url}: {exc}") from None


def _read_until(response: object, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ProviderError("answer took longer than the timeout")
        chunk = response.read1(65536)  # type: ignore[attr-defined]
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ProviderError("answer too large")
        chunks.append(chunk)
