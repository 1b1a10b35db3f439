"""The container health checks (docker-compose.yml), exit 0 when healthy, 1 with the reason.

    python -m portal.healthcheck [URL]           web: /healthz answers 200
    python -m portal.healthcheck --worker NAME   a Celery worker answers a ping (NAME@this host)
    python -m portal.healthcheck --scheduler     beat's heartbeat is fresh (portal.heartbeat)

For the web check, a plain request to localhost would be refused by ALLOWED_HOSTS and redirected
by SECURE_SSL_REDIRECT, so the request carries the first allowed host name and the proxy's
`X-Forwarded-Proto: https`.
"""

import os
import socket
import sys
import urllib.error
import urllib.request

from portal.celery import app

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


def ping_worker(name: str) -> str | None:
    """None when the Celery worker node `name` (NAME@host; NAME alone: on this host) answers."""
    node = name if "@" in name else f"{name}@{socket.gethostname()}"
    try:
        replies = app.control.ping(destination=[node], timeout=5.0)
    except Exception as error:  # the broker is down: the worker cannot work either
        return f"{node}: {type(error).__name__}: {error}"
    return None if any(node in reply for reply in replies or []) else f"{node} did not answer a ping"


def scheduler_heartbeat() -> str | None:
    import django

    django.setup()
    from portal.heartbeat import problem

    return problem()


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--worker"] and len(argv) == 3:
        problem = ping_worker(argv[2])
    elif argv[1:] == ["--scheduler"]:
        problem = scheduler_heartbeat()
    else:
        problem = probe(argv[1] if len(argv) > 1 else DEFAULT_URL, os.environ.get("ALLOWED_HOSTS", ""))
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
