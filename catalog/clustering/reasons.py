"""Merge reasons as librarians read them: stored in English (stable, searchable), shown translated.

``explain("similar title and author (0.96), year 2012, 159 p.")`` → in Swedish "titel och
författare lika (0.96), år 2012, 159 s."; a reason it does not know is shown as stored.
"""

import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _

_VALUED = (
    (re.compile(r"^same LIBRIS id (?P<value>.+)$"), lambda v: _("same LIBRIS id %(value)s") % v),
    (re.compile(r"^same ISBN (?P<value>.+)$"), lambda v: _("same ISBN %(value)s") % v),
    (re.compile(r"^same EAN (?P<value>.+)$"), lambda v: _("same EAN %(value)s") % v),
    (
        re.compile(r"^same publisher number (?P<value>.+)$"),
        lambda v: _("same publisher number %(value)s") % v,
    ),
    (re.compile(r"^holdings of (?P<value>.+)$"), lambda v: _("holdings of %(value)s") % v),
)
_FUZZY = re.compile(
    r"^similar title and author \((?P<score>[0-9.]+)\)(?:, year (?P<year>\d+))?(?:, (?P<pages>\d+) p\.)?$"
)


def _plain(reason: str) -> str | None:
    plain = {
        "same title/author/year": _("same title/author/year"),
        "split out by a librarian": _("split out by a librarian"),
        "merged by a librarian": _("merged by a librarian"),
    }
    return plain.get(reason)


def _fuzzy(match: re.Match[str]) -> str:
    text = _("similar title and author (%(score)s)") % {
        "score": number_format(float(match["score"]), decimal_pos=2)
    }
    if match["year"]:
        text += ", " + _("year %(year)s") % {"year": match["year"]}
    if match["pages"]:
        text += ", " + _("%(pages)s p.") % {"pages": match["pages"]}
    return text


def explain(reason: str) -> str:
    """The stored merge reason in the active language."""
    if not reason:
        return ""
    plain = _plain(reason)
    if plain is not None:
        return plain
    fuzzy = _FUZZY.match(reason)
    if fuzzy:
        return _fuzzy(fuzzy)
    for pattern, render in _VALUED:
        found = pattern.match(reason)
        if found:
            return render(found.groupdict())
    return reason
