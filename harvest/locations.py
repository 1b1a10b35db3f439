"""Where a source may be read from: files under the harvest file root, URLs of public hosts.

A source's location is typed by staff, but reading it runs with the portal's own rights: a path
such as /etc/passwd or the data dir's secret key, or a URL to an address inside the network (a
database, a cloud metadata service), would be stored as records anyone on staff can read. So a
file must lie under ``HARVEST_FILE_ROOT`` (symlinks and ``..`` resolved first), and a URL must
lead to public addresses only: every address its host name resolves to, and the address actually
connected to (so a name that later resolves elsewhere, or a redirect, cannot reach inside), unless
``HARVEST_ALLOW_PRIVATE_URLS`` is on. Checked when a source is added and again when it is read.
"""

import http.client
import ipaddress
import socket
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.utils.translation import gettext as _

from harvest.protocols.base import HarvestError

WEB_SCHEMES = ("http", "https")


class LocationRefused(HarvestError):
    """The location is one a source may not read (the message says why, in the user's language)."""


def file_roots() -> list[Path]:
    """Folders file sources may read: ``HARVEST_FILE_ROOT``, else the data dir's ``files`` and
    ``demo`` (where ``make demo`` writes) — never the data dir itself, which holds the secret
    key, the SQLite database and the mail folder."""
    if settings.HARVEST_FILE_ROOT:
        return [Path(settings.HARVEST_FILE_ROOT).resolve()]
    data = Path(settings.DATA_DIR)
    return [(data / "files").resolve(), (data / "demo").resolve()]


def allowed_file(location: str) -> Path:
    """The file a path or ``file://`` URL names, resolved; LocationRefused outside the roots."""
    path = Path(location)
    if location.startswith("file:"):
        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            raise LocationRefused(_("A file:// address must name a file on this server."))
        path = Path(url2pathname(parts.path))
    resolved = path.expanduser().resolve()
    roots = file_roots()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise LocationRefused(
            _("%(path)s is outside the folder that harvested files are read from (%(root)s).")
            % {"path": location, "root": ", ".join(str(root) for root in roots)}
        )
    return resolved


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local …)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _refuse_internal(host: str, address: str) -> None:
    if not settings.HARVEST_ALLOW_PRIVATE_URLS and not is_public(address):
        raise LocationRefused(
            _(
                "%(host)s is an internal address (%(address)s); harvesting from it is turned off "
                "(HARVEST_ALLOW_PRIVATE_URLS)."
            )
            % {"host": host, "address": address}
        )


def check_url(url: str) -> None:
    """LocationRefused unless ``url`` is http(s) and its host resolves to public addresses only.
    A name that does not resolve now passes: reading it fails, and connections are checked too."""
    parts = urlsplit(url)
    if parts.scheme not in WEB_SCHEMES or not parts.hostname:
        raise LocationRefused(_("%(url)s is not an http:// or https:// address.") % {"url": url})
    if settings.HARVEST_ALLOW_PRIVATE_URLS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError):
        return
    for *_rest, sockaddr in found:
        _refuse_internal(parts.hostname, str(sockaddr[0]))


def check_source_location(protocol: str, location: str) -> None:
    """The check made when a source is added: a MARC file source names an allowed file or a
    public URL; an OAI-PMH source a public URL."""
    if protocol == "marc-file" and not location.startswith(WEB_SCHEMES):
        allowed_file(location)
    else:
        check_url(location)


# -- reading URLs --------------------------------------------------------------------------------


def _connect_public(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """``socket.create_connection``, refusing an internal peer before a byte is sent."""
    sock = socket.create_connection(address, *args, **kwargs)
    try:
        _refuse_internal(address[0], str(sock.getpeername()[0]))
    except LocationRefused:
        sock.close()
        raise
    return sock


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public  # type: ignore[method-assign]


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public  # type: ignore[method-assign]


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http(s) only (urllib would follow one to ftp://)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in WEB_SCHEMES:
            raise LocationRefused(_("%(url)s is not an http:// or https:// address.") % {"url": newurl})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler, _RedirectHandler)


def open_url(request: urllib.request.Request | str, timeout: float) -> Any:
    """``urlopen`` for a source's URL: checked first, and every connection (redirects included)
    refused if it reaches an internal address."""
    check_url(request.full_url if isinstance(request, urllib.request.Request) else request)
    return _OPENER.open(request, timeout=timeout)
