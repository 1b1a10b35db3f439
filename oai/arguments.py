"""A request's arguments, checked against OAI-PMH 2.0 (sections 3.1, 4): which verb, which
arguments it allows, none repeated, dates in one of the two granularities."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from oai.errors import OaiError

LISTS = ("ListIdentifiers", "ListRecords")
# verb -> (required arguments, optional arguments); resumptionToken is exclusive (below).
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
RESUMABLE = frozenset({"ListSets", *LISTS})
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    args: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """Datestamps a list asks for: ``start`` inclusive, ``end`` exclusive (None: open)."""

    start: datetime | None
    end: datetime | None


def parse(params: list[tuple[str, list[str]]]) -> OaiRequest:
    """The request, or the OaiError (badVerb, badArgument) that answers it."""
    values = dict(params)
    verbs = values.pop("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", _("The verb is missing, repeated or not an OAI-PMH verb."))
    verb = verbs[0]
    repeated = sorted(name for name, given in values.items() if len(given) > 1)
    if repeated:
        raise OaiError("badArgument", _("Repeated argument: %(names)s.") % {"names": ", ".join(repeated)})
    args = {name: given[0] for name, given in values.items()}
    if "resumptionToken" in args and verb in RESUMABLE:
        if len(args) > 1:
            raise OaiError("badArgument", _("resumptionToken is an exclusive argument."))
        return OaiRequest(verb, args)
    required, optional = VERBS[verb]
    unknown = sorted(set(args) - required - optional)
    if unknown:
        raise OaiError("badArgument", _("Illegal argument: %(names)s.") % {"names": ", ".join(unknown)})
    missing = sorted(required - set(args))
    if missing:
        raise OaiError("badArgument", _("Missing argument: %(names)s.") % {"names": ", ".join(missing)})
    if verb in LISTS:
        window(args)  # a bad date is a badArgument before anything else is looked at
    return OaiRequest(verb, args)


def _moment(value: str) -> tuple[datetime, timedelta]:
    """The datestamp's start and its length (a day or a second)."""
    try:
        if _DAY.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if _SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), timedelta(seconds=1)
    except ValueError:
        pass
    raise OaiError(
        "badArgument", _("%(value)s is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).") % {"value": value}
    )


def window(args: dict[str, str]) -> Window:
    """from/until as a window; both must have the same granularity and from ≤ until."""
    start = _moment(args["from"]) if "from" in args else None
    until = _moment(args["until"]) if "until" in args else None
    if start and until:
        if start[1] != until[1]:
            raise OaiError("badArgument", _("from and until must have the same granularity."))
        if start[0] > until[0]:
            raise OaiError("badArgument", _("from is later than until."))
    return Window(start[0] if start else None, until[0] + until[1] if until else None)


def datestamp(moment: datetime) -> str:
    """A datestamp at the repository's granularity (seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
