"""Why a harvest stopped, in the words it is stored and logged in, and in the reader's language.

A run stopped by the mass-deletion guard keeps its reason as English text (Source.attention_reason
and the run's "mass_deletion" entry in HarvestRun.errors): that is what the log, the admin and the
command line show. The staff pages show it through `translated()`, which knows the reason by its
wording (made by `mass_deletion()`, the one place it is written) and renders it with gettext and
the numbers it carries, so a Swedish page reads Swedish, reasons stored before this too. Text it
does not know (a provider's own error) is shown as it was stored.
"""

import re

from django.utils.translation import ngettext


def mass_deletion(deleting: int, baseline: int, share: float) -> str:
    """The English reason a run stops before deleting more than `share` of `baseline` records."""
    return (
        f"the run would delete {deleting} of {baseline} records (more than {share:.0%}); "
        "confirm on the source to go ahead"
    )


_MASS_DELETION = re.compile(
    r"the run would delete (?P<deleting>\d+) of (?P<baseline>\d+) records "
    r"\(more than (?P<percent>\d+)%\); confirm on the source to go ahead"
)


def translated(text: str) -> str:
    """A stored reason in the active language (known reasons), else the text unchanged."""
    found = _MASS_DELETION.fullmatch(text.strip()) if text else None
    if found is None:
        return text
    numbers = {name: int(value) for name, value in found.groupdict().items()}
    return (
        ngettext(
            "The run would delete %(deleting)d of %(baseline)d record (more than %(percent)d%%); "
            "confirm on the source to go ahead.",
            "The run would delete %(deleting)d of %(baseline)d records (more than %(percent)d%%); "
            "confirm on the source to go ahead.",
            numbers["baseline"],
        )
        % numbers
    )
