"""Text rules shared by every backend: script normalization, diacritic folding, Swedish sort keys,
word tokens."""

import re
import unicodedata

# Swedish collation: å ä ö are letters of their own after z (in that order); other accented
# letters sort as their base letter, ü as y, æ as ä and ø as ö (as in Swedish dictionaries).
_SORT_SPECIAL = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}
_LEADING_ARTICLES = re.compile(r"^(the|a|an|en|ett|der|die|das|le|la|les|el)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")

# Spellings a native reader takes for the same word, folded to one form before anything is
# indexed or searched (the Elasticsearch analyzers get the same table as a mapping char filter).
# Arabic and Persian as Lucene's ArabicNormalizer and PersianNormalizer fold them: alef with
# hamza or madda -> bare alef, alef maqsura and Farsi yeh -> yeh, keheh -> kaf, teh marbuta and
# the heh variants -> heh; tatweel and the harakat dropped. Beyond Lucene: alef wasla -> alef,
# superscript alef dropped, ZWNJ (Persian "می‌خوانم") a word break as Lucene's PersianCharFilter
# makes it. Russian yo -> ye (Ukrainian yi, ye and ghe with upturn are letters of their own).
SCRIPT_FOLDS: dict[str, str] = {
    "\u0622": "\u0627",  # آ alef with madda above
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0649": "\u064a",  # ى alef maqsura
    "\u06cc": "\u064a",  # ی Farsi yeh
    "\u06d2": "\u064a",  # ے yeh barree
    "\u06a9": "\u0643",  # ک keheh
    "\u0629": "\u0647",  # ة teh marbuta
    "\u06c0": "\u0647",  # ۀ heh with yeh above
    "\u06c1": "\u0647",  # heh goal
    "\u0640": "",  # tatweel
    "\u0670": "",  # superscript alef
    **{chr(code): "" for code in range(0x064B, 0x0660)},  # harakat, shadda, sukun, hamza marks
    "\u200c": " ",  # zero-width non-joiner
    "\u0451": "\u0435",  # Cyrillic yo -> ye
    "\u0401": "\u0415",
}


# Every decimal digit (Arabic-Indic ٣, Persian ۳ …) reads as its ASCII digit, as Elasticsearch's
# decimal_digit filter makes it.
DIGIT_FOLDS: dict[str, str] = {
    chr(code): str(unicodedata.decimal(chr(code)))
    for code in range(0x80, 0x20000)
    if unicodedata.decimal(chr(code), None) is not None
}
_SCRIPT_TABLE = str.maketrans(SCRIPT_FOLDS | DIGIT_FOLDS)
# Every character folded is beyond Latin (from Cyrillic on): Latin text, most of a Swedish
# catalogue, is told apart by one scan for such a character (a translate costs ten times as much).
_BEYOND_LATIN = re.compile("[\u0400-\U0010ffff]")
assert min(SCRIPT_FOLDS | DIGIT_FOLDS) >= "\u0400"


def normalize_script(text: str) -> str:
    """Text as search compares it, in any script: "كِتَابُ" -> "كتاب", "Ёлка" -> "Елка", "٢٠٢٣" ->
    "2023". Latin text is left as it is (its folding is the analyzers' `fold` variant)."""
    if text.isascii() or not _BEYOND_LATIN.search(text):
        return text
    return text.translate(_SCRIPT_TABLE)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Östersund" -> "ostersund", "Björk" -> "bjork". Only
    letters that fold to ASCII lose them, as the engines' ASCII folding does: the Ukrainian
    "ї" and the Cyrillic "й" are letters of their own."""
    return normalize_script(text.lower()).translate(_FOLD_TABLE)


class _FoldTable(dict[int, str]):
    """str.translate table for fold, learning each character once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        self[code] = _FOLD_SPECIAL.get(char) or (bare if bare.isascii() else char)
        return self[code]


_FOLD_SPECIAL = {"ø": "o", "æ": "ae"}
_FOLD_TABLE = _FoldTable()


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
    return [word for word in _NON_WORD.split(normalize_script(text)) if word and word != "_"]
