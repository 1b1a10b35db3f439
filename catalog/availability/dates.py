"""Due dates as library systems write them: ISO dates, SIP2 timestamps, dates with zones."""

import datetime as dt
import re

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})")


def parse_due_date(text: str | None) -> dt.date | None:
    """The date part of '2023-08-31 23:59:00 CEST', '20230831    235900' or '2019-10-01'."""
    if not text:
        return None
    text = text.strip()
    match = _ISO.search(text) or _COMPACT.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
