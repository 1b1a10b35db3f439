"""Who is asking: the client's address, through the proxies this deployment trusts.

Behind the TLS proxy every request comes from the proxy's address, so counting REMOTE_ADDR would
count the whole county as one client. Each trusted proxy appends the address it received the request
from to X-Forwarded-For; with `TRUSTED_PROXY_HOPS` proxies in front, the client is the entry that
many places from the right. Entries further left were written by the client and are never believed.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    hops: int = settings.TRUSTED_PROXY_HOPS
    if hops < 1:
        return remote
    chain = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    chain = [part for part in chain if part]
    if len(chain) < hops:  # not through every trusted proxy (e.g. asked directly): only the peer is known
        return remote
    candidate = chain[-hops]
    try:
        return str(ip_address(candidate))
    except ValueError:  # a proxy that writes something else is misconfigured: fall back, do not trust it
        return remote
