"""The container health check: ask /healthz the way the TLS-terminating proxy would.

    python -m portal.healthcheck [URL]

A plain request to localhost would be refused by ALLOWED_HOSTS and redirected by
SECURE_SSL_REDIRECT, so the request carries the first allowed host name and the proxy's
`X-Forwarded-Proto: https`. Exit 0 when /healthz answers 200, 1 otherwise (with the reason).
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def probe(url: str, allowed_hosts: str) -> str | None:
    """None when healthy, else why not."""
    host = allowed_hosts.split(",")[0].strip().strip(".*") or "localhost"
    headers = {"Host": host, "X-Forwarded-Proto": "https"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the operator's own URL)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return None if response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}: {error.read(300).decode(errors='replace')}"
    except OSError as error:
        return str(error)


def main(argv: list[str]) -> int:
    problem = probe(argv[1] if len(argv) > 1 else DEFAULT_URL, os.environ.get("ALLOWED_HOSTS", ""))
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
