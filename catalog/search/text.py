"""Text rules shared by every backend: diacritic folding, Swedish sort keys, word tokens."""

import re
import unicodedata

# Swedish collation: å ä ö are letters of their own after z (in that order); other accented
# letters sort as their base letter, ü as y, æ as ä and ø as ö (as in Swedish dictionaries).
_SORT_SPECIAL = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}
_LEADING_ARTICLES = re.compile(r"^(the|a|an|en|ett|der|die|das|le|la|les|el)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Östersund" -> "ostersund", "Björk" -> "bjork"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ø", "o").replace("æ", "ae")
    )


def sort_key(title: str) -> str:
    """A byte-order key that sorts titles the Swedish way (å ä ö after z), articles ignored.

    Engines compare the key bytewise, so å/ä/ö are mapped to the three ASCII characters right
    after "z" and everything else is folded to its base letter.
    """
    text = _LEADING_ARTICLES.sub("", title.strip().lower())
    return " ".join(text.translate(_SORT_TABLE).split())[:200]


class _SortTable(dict[int, str]):
    """str.translate table for sort_key, learning each character once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = _SORT_SPECIAL.get(char) or (fold(char) if char.isalnum() else " ")
        return self[code]


_SORT_TABLE = _SortTable()


def words(text: str) -> list[str]:
    """Word tokens (letters and digits) as the engines' simple tokenizer sees them."""
    return [word for word in _NON_WORD.split(text) if word and word != "_"]
