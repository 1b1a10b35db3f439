"""What a LIBRIS MARC export source asks for: its export profile and the request's parameters.

The profile is a Java properties file (``locations=Nyks Nyk Fle``, ``holdtype=interleaved`` …),
stored on the source (``Source.export_profile``) and posted as it is with every request; only what
the harvester depends on is read and checked here. The export address may carry the fixed
parameters ``deleted`` (ignore | export | append) and ``virtualDelete`` (true | false); ``from`` and
``until`` are each run's window (libris/librisxl, ``marc_export/marc-export-documentation.md``).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.utils.translation import gettext as _

# Settings of the profile the harvester reads, with the values it can work with (lower case).
CHOICES = {
    "holdtype": ("interleaved", "after"),
    "format": ("iso2709", "marcxml"),
    "characterencoding": ("utf-8", "iso-8859-1", "latin1strip"),
    "composestrategy": ("compose", "decompose", "composelatin1", "none"),
    "authtype": ("interleaved", "after", "none"),
}
SWITCHES = [kind + change for kind in ("bib", "hold", "auth") for change in ("create", "update", "delete")]
SWITCHES += [code + "hyphenate" for code in ("isbn", "isbnde", "issn", "issnde")]
SWITCHES += ["move240to244", "move0359", "lcsh", "sab", "efilter", "biblevel"]
DELETED_MODES = ("ignore", "export", "append")
DEFAULT_DELETED = "export"
DEFAULT_VIRTUAL_DELETE = "true"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_SEPARATOR = re.compile(r"(?<!\\)(?:\s*[=:]\s*|\s+)")


class ProfileError(ValueError):
    """The profile or the export address cannot be used (the message says why)."""


@dataclass(frozen=True)
class ExportProfile:
    properties: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.properties.get(key, default).strip()

    @property
    def locations(self) -> list[str]:
        return self.get("locations").split()

    @property
    def holdings_after(self) -> bool:
        """Holdings as records of their own after each bib (else merged into it, with $5 sigel)."""
        return self.get("holdtype", "interleaved").lower() == "after"

    @property
    def marcxml(self) -> bool:
        return self.get("format", "ISO2709").lower() == "marcxml"

    @property
    def latin1(self) -> bool:
        return self.get("characterencoding", "UTF-8").lower() != "utf-8"


def parse_properties(text: str) -> dict[str, str]:
    """A Java properties file: ``key=value``, ``key: value`` or ``key value``; ``#``/``!`` comments;
    a line ending in a backslash goes on; backslash escapes (``G\\:050``, ``\\u00e5``)."""
    properties: dict[str, str] = {}
    logical = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not logical and (not stripped or stripped[0] in "#!"):
            continue
        if _continues(stripped):
            logical += stripped[:-1]
            continue
        logical += stripped
        parts = _SEPARATOR.split(logical, maxsplit=1)
        properties[_unescape(parts[0])] = _unescape(parts[1]) if len(parts) > 1 else ""
        logical = ""
    return properties


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[index + 2 : index + 6]):
                out.append(chr(int(text[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(_ESCAPES.get(following, following))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def parse_profile(text: str) -> ExportProfile:
    """The profile, checked: it names the libraries to export and has values the harvester reads."""
    if not text.strip():
        raise ProfileError(_("A LIBRIS export source needs an export profile (a properties file)."))
    profile = ExportProfile(parse_properties(text))
    if not profile.locations:
        raise ProfileError(_("The export profile names no libraries: set locations to their sigels."))
    for key, allowed in CHOICES.items():
        _check(key, profile.get(key), allowed)
    for key in SWITCHES:
        _check(key, profile.get(key), ("on", "off"))
    return profile


def _check(key: str, value: str, allowed: tuple[str, ...]) -> None:
    if value and value.lower() not in allowed:
        raise ProfileError(
            _("%(key)s=%(value)s: expected one of %(allowed)s.")
            % {"key": key, "value": value, "allowed": ", ".join(allowed)}
        )


@dataclass(frozen=True)
class ExportAddress:
    """The export URL without its query, and the fixed parameters its query set."""

    base: str
    deleted: str = DEFAULT_DELETED
    virtual_delete: str = DEFAULT_VIRTUAL_DELETE

    def request_url(self, start: str, end: str) -> str:
        # Written out, not urlencoded: the export server splits its query string on & and = and
        # reads the times as they stand, so an escaped ":" (%3A) would not parse there.
        query = f"from={start}&until={end}&deleted={self.deleted}&virtualDelete={self.virtual_delete}"
        return f"{self.base}?{query}"


def parse_address(url: str) -> ExportAddress:
    """The export URL; its query may set ``deleted`` and ``virtualDelete``, nothing else."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(params) - {"deleted", "virtualDelete"})
    if unknown:
        raise ProfileError(
            _("The export address may set only deleted and virtualDelete, not %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    deleted = params.get("deleted", DEFAULT_DELETED).lower()
    virtual = params.get("virtualDelete", DEFAULT_VIRTUAL_DELETE).lower()
    _check("deleted", deleted, DELETED_MODES)
    _check("virtualDelete", virtual, ("true", "false"))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return ExportAddress(base, deleted, virtual)
