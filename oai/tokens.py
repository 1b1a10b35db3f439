"""Resumption tokens that carry their whole state, signed (django.core.signing, SECRET_KEY):
nothing is kept on the server, so a restarted web server, another worker or another host of the
same instance continues a harvest where it was.

A list is a keyset walk through (datestamp, id) up to ``bound``, the moment of its first page
(or an earlier ``until``): a title changed during the harvest gets a datestamp after the bound,
so the walk neither meets it again nor skips one that had not changed; the next incremental
harvest (``from`` = this one's responseDate) brings the new version.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from oai.errors import OaiError

LIFETIME = timedelta(days=1)
_SALT = "oai.resumption"


@dataclass(frozen=True)
class ListState:
    """Where a ListIdentifiers/ListRecords walk stands."""

    verb: str
    prefix: str
    set_spec: str
    start: datetime | None  # from, inclusive
    bound: datetime  # the last datestamp the walk may list
    size: int  # completeListSize, counted on the first page
    cursor: int = 0  # items listed before this page
    after: tuple[datetime, int] | None = None  # (datestamp, id) of the last item listed

    def advanced(self, count: int, last: tuple[datetime, int]) -> "ListState":
        return replace(self, cursor=self.cursor + count, after=last)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def issue(state: ListState) -> tuple[str, datetime]:
    """The token for the page after ``state.after`` and when it expires."""
    payload = {
        "v": state.verb,
        "m": state.prefix,
        "s": state.set_spec,
        "f": _iso(state.start),
        "u": _iso(state.bound),
        "n": state.size,
        "c": state.cursor,
        "a": [_iso(state.after[0]), state.after[1]] if state.after else None,
    }
    return signing.dumps(payload, salt=_SALT, compress=True), timezone.now() + LIFETIME


def redeem(token: str, verb: str) -> ListState:
    """The state a token carries; badResumptionToken if it is forged, expired or another verb's."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LIFETIME)
        if data["v"] != verb:
            raise ValueError(verb)
        after = data["a"]
        return ListState(
            verb=verb,
            prefix=str(data["m"]),
            set_spec=str(data["s"]),
            start=datetime.fromisoformat(data["f"]) if data["f"] else None,
            bound=datetime.fromisoformat(data["u"]),
            size=int(data["n"]),
            cursor=int(data["c"]),
            after=(datetime.fromisoformat(after[0]), int(after[1])) if after else None,
        )
    except signing.SignatureExpired as exc:
        raise OaiError("badResumptionToken", _("The resumption token has expired.")) from exc
    except (signing.BadSignature, ValueError, KeyError, TypeError, IndexError) as exc:
        message = _("The resumption token is not valid for this request.")
        raise OaiError("badResumptionToken", message) from exc
