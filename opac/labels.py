"""Display labels for the fixed vocabularies: formats, MARC language codes, item statuses."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FORMAT_LABELS: dict[str, Promise] = {
    "book": _("Book"),
    "ebook": _("E-book"),
    "audiobook": _("Audiobook"),
    "talking_book": _("Talking book"),
    "large_print": _("Large print"),
    "music": _("Music"),
    "film": _("Film"),
    "game": _("Game"),
    "map": _("Map"),
    "serial": _("Journal"),
    "other": _("Other"),
}

LANGUAGE_LABELS: dict[str, Promise] = {
    "swe": _("Swedish"),
    "eng": _("English"),
    "ara": _("Arabic"),
    "fin": _("Finnish"),
    "ger": _("German"),
    "fre": _("French"),
    "spa": _("Spanish"),
    "ita": _("Italian"),
    "nor": _("Norwegian"),
    "nob": _("Norwegian"),
    "dan": _("Danish"),
    "ice": _("Icelandic"),
    "som": _("Somali"),
    "per": _("Persian"),
    "fas": _("Persian"),
    "pol": _("Polish"),
    "rus": _("Russian"),
    "ukr": _("Ukrainian"),
    "tur": _("Turkish"),
    "kur": _("Kurdish"),
    "tir": _("Tigrinya"),
    "bos": _("Bosnian"),
    "hrv": _("Croatian"),
    "srp": _("Serbian"),
    "chi": _("Chinese"),
    "jpn": _("Japanese"),
    "smi": _("Sami"),
    "sme": _("Northern Sami"),
    "smj": _("Lule Sami"),
    "sma": _("Southern Sami"),
    "fit": _("Meänkieli"),
    "sgn": _("Sign language"),
    "swl": _("Swedish Sign Language"),
    "yid": _("Yiddish"),
    "rom": _("Romani"),
    "lat": _("Latin"),
    "gre": _("Greek"),
    "dut": _("Dutch"),
    "por": _("Portuguese"),
    "est": _("Estonian"),
    "mul": _("Several languages"),
    "und": _("Undetermined"),
    "zxx": _("No linguistic content"),
}

# The status words patrons read on holdings lines (statuses are catalog.models.ItemStatus values).
STATUS_LABELS: dict[str, Promise] = {
    "available": _("Available"),
    "on_loan": _("On loan"),
    "in_transit": _("In transit"),
    "on_hold_shelf": _("On the hold shelf"),
    "ordered": _("Ordered"),
    "not_for_loan": _("Not for loan"),
    "unknown": _("Status unknown"),
}

# Target audience as mapping gives it (008/22 codes normalized), else free text from 385.
AUDIENCE_LABELS: dict[str, Promise] = {
    "children": _("Children"),
    "young_adult": _("Young adults"),
    "adult": _("Adults"),
    "general": _("General"),
    "specialized": _("Specialists"),
}

# MARC relator codes (mapping gives authors' and contributors' roles as codes).
RELATOR_LABELS: dict[str, Promise] = {
    "aut": _("author"),
    "ill": _("illustrator"),
    "trl": _("translator"),
    "edt": _("editor"),
    "nrt": _("narrator"),
    "cmp": _("composer"),
    "prf": _("performer"),
    "drt": _("director"),
    "ctb": _("contributor"),
    "pht": _("photographer"),
    "lyr": _("lyricist"),
    "adp": _("adapter"),
}

FORMAT_ICONS = set(FORMAT_LABELS)


def format_label(code: str) -> str:
    return str(FORMAT_LABELS.get(code, code))


def format_icon(code: str) -> str:
    """The id of the format's symbol in static/img/icons.svg."""
    return code if code in FORMAT_ICONS else "other"


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, STATUS_LABELS["unknown"]))


def relator_label(code: str) -> str:
    """A role for display: known relator codes translated, free-text roles as given."""
    return str(RELATOR_LABELS.get(code.strip().rstrip(".").lower(), code.strip()))


def audience_label(code: str) -> str:
    return str(AUDIENCE_LABELS.get(code, code))
