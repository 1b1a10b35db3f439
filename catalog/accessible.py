"""Accessible media, declared once: what the mapping recognises, the index and the facet hold,
the query builder filters on and the pages name (the codes are the `accessibility` values).

Two kinds (bibliotekslagen §4-5 names both): *properties of a title* — easy-to-read Swedish
(lättläst) and sign language (teckenspråk) — which any format may have (a book can be a book and
easy-to-read), and *versions* — large print (storstil), braille (punktskrift), talking book
(talbok, DAISY) and audiobook (ljudbok) — each a manifestation of its own, never merged with the
ordinary edition. Which MARC codes give each is catalog.mapping.accessibility's business.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

# The national talking-book service (MTM, Myndigheten för tillgängliga medier): a plain link.
LEGIMUS_URL = "https://www.legimus.se/"


@dataclass(frozen=True)
class AccessibleKind:
    """One accessible medium: `code` is the facet value, `version` tells a version from a property."""

    code: str
    label: str | Promise
    version: bool

    def also_as(self, libraries: int) -> str:
        """ "som storstil på 2 bibliotek": the phrase for "Finns också …" (catalog.versions)."""
        return _ALSO_AS[self.code](libraries) % {"count": libraries}


ACCESSIBLE: tuple[AccessibleKind, ...] = (
    AccessibleKind("easy_to_read", _("Easy to read"), version=False),
    AccessibleKind("sign_language", pgettext_lazy("accessible medium", "Sign language"), version=False),
    AccessibleKind("large_print", _("Large print"), version=True),
    AccessibleKind("braille", _("Braille"), version=True),
    AccessibleKind("talking_book", _("Talking book"), version=True),
    AccessibleKind("audiobook", _("Audiobook"), version=True),
)
ACCESSIBLE_BY_CODE = {kind.code: kind for kind in ACCESSIBLE}
ACCESSIBLE_CODES: tuple[str, ...] = tuple(kind.code for kind in ACCESSIBLE)
ACCESSIBLE_VERSIONS = frozenset(kind.code for kind in ACCESSIBLE if kind.version)

# Whole phrases per kind (prepositions differ: "som storstil", "i punktskrift", "på teckenspråk").
_ALSO_AS = {
    "easy_to_read": lambda n: ngettext(
        "as easy-to-read at %(count)d library", "as easy-to-read at %(count)d libraries", n
    ),
    "sign_language": lambda n: ngettext(
        "in sign language at %(count)d library", "in sign language at %(count)d libraries", n
    ),
    "large_print": lambda n: ngettext(
        "in large print at %(count)d library", "in large print at %(count)d libraries", n
    ),
    "braille": lambda n: ngettext("in braille at %(count)d library", "in braille at %(count)d libraries", n),
    "talking_book": lambda n: ngettext(
        "as a talking book at %(count)d library", "as a talking book at %(count)d libraries", n
    ),
    "audiobook": lambda n: ngettext(
        "as an audiobook at %(count)d library", "as an audiobook at %(count)d libraries", n
    ),
}


def accessible_label(code: str) -> str:
    kind = ACCESSIBLE_BY_CODE.get(code)
    return str(kind.label) if kind else code


def in_order(codes: set[str] | list[str]) -> list[str]:
    """Known codes in declaration order (unknown ones dropped)."""
    return [code for code in ACCESSIBLE_CODES if code in codes]


assert set(_ALSO_AS) == set(ACCESSIBLE_CODES)
