"""Character encodings as libraries really deliver them, repaired deterministically.

What we meet in Swedish feeds (see ../shared/testdata/swedish-marc and marc-edge-cases):

- ISO 2709 whose leader/09 is ``a`` (UTF-8) or blank (MARC-8), and records whose leader says
  MARC-8 although the bytes are UTF-8 (the commonest lie: the export tool never set leader/09);
- stray legacy bytes inside UTF-8: ``Pietil\\x8a`` is Mac Roman "ä", ``\\xe4`` is Windows-1252 "ä";
- double-encoded UTF-8: "Ã¥" for "å" (UTF-8 read as Windows-1252/Latin-1 and encoded again) and
  "√•" for "å" (UTF-8 read as Mac Roman).

And characters PostgreSQL cannot store (U+0000 in text and jsonb; a lone surrogate is not even
UTF-8): one such character in one record made every run of its source fail, so they are removed or
replaced before anything is written.

Every repair is named (the constants below) so the record can say what was done to it.
"""

import re

# Names recorded in SourceRecord.repairs.
UTF8_LEADER_SAYS_MARC8 = "utf8-leader-says-marc8"
INVALID_UTF8_AS_MAC_ROMAN = "invalid-utf8-bytes-as-mac-roman"
INVALID_UTF8_AS_WINDOWS_1252 = "invalid-utf8-bytes-as-windows-1252"
INVALID_UTF8_REPLACED = "invalid-utf8-bytes-replaced"
DOUBLE_ENCODED_UTF8 = "double-encoded-utf8"
MAC_ROMAN_MOJIBAKE = "mac-roman-mojibake"
NUL_REMOVED = "nul-characters-removed"
SURROGATES_REPLACED = "unpaired-surrogates-replaced"

# Letters a Swedish catalogue needs; a lone legacy byte that decodes to one of these in Mac Roman
# is taken as Mac Roman (Windows-1252 would give typographic symbols such as "Š" or "Œ" instead).
_NORDIC_LETTERS = set("åäöÅÄÖéÉüÜæøÆØáàèíóúñçß")

# UTF-8 of U+00C0..U+00FF starts with byte C3 (C2 for U+0080..U+00BF). Read as Windows-1252 the
# lead byte shows as "Ã"/"Â"; read as Mac Roman C3 shows as "√". Only these leads are repaired:
# wider patterns would also match honest text.
_CP1252_CONTINUATION = "".join(
    sorted({bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xC0)})
)
_MAC_CONTINUATION = "".join(sorted({bytes([b]).decode("mac_roman") for b in range(0x80, 0xC0)}))
_DOUBLE_CP1252 = re.compile("[ÂÃ][" + re.escape(_CP1252_CONTINUATION) + "]")
_DOUBLE_MAC = re.compile("√[" + re.escape(_MAC_CONTINUATION) + "]")
_SURROGATE = re.compile("[\udc80-\udcff]+")
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")
# Anything a repair could apply to; most strings are checked with this one search only.
SUSPECT = re.compile("[\x00ÂÃ√\ud800-\udfff]")


def legacy_byte(byte: int) -> tuple[str, str]:
    """One byte that is not valid UTF-8 → (character, repair name); deterministic."""
    mac = bytes([byte]).decode("mac_roman")
    if byte < 0xA0 and mac in _NORDIC_LETTERS:
        return mac, INVALID_UTF8_AS_MAC_ROMAN
    cp = bytes([byte]).decode("cp1252", "ignore")
    if cp and (byte >= 0xA0 or cp.isalpha()):
        return cp, INVALID_UTF8_AS_WINDOWS_1252
    if mac.isalpha():
        return mac, INVALID_UTF8_AS_MAC_ROMAN
    return "\ufffd", INVALID_UTF8_REPLACED


def _repair_surrogates(text: str, repairs: set[str]) -> str:
    """Bytes kept as lone surrogates by the ``surrogateescape`` decoder → legacy characters."""

    def replace(match: re.Match[str]) -> str:
        chars = []
        for char in match.group(0):
            fixed, repair = legacy_byte(ord(char) - 0xDC00)
            chars.append(fixed)
            repairs.add(repair)
        return "".join(chars)

    return _SURROGATE.sub(replace, text)


def _undo_double_encoding(text: str, pattern: re.Pattern[str], codec: str) -> str | None:
    """Re-read each suspicious run as UTF-8 bytes; None when nothing could be repaired."""
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        try:
            fixed = match.group(0).encode(codec).decode("utf-8")
        except UnicodeError:
            return match.group(0)
        changed = True
        return fixed

    result = pattern.sub(replace, text)
    return result if changed else None


def repair_text(text: str, repairs: set[str]) -> str:
    """Repair one decoded string; adds the names of the repairs made to ``repairs``."""
    if not SUSPECT.search(text):
        return text
    if _SURROGATE.search(text):
        text = _repair_surrogates(text, repairs)
    fixed = _undo_double_encoding(text, _DOUBLE_CP1252, "cp1252")
    if fixed is not None:
        text = fixed
        repairs.add(DOUBLE_ENCODED_UTF8)
    fixed = _undo_double_encoding(text, _DOUBLE_MAC, "mac_roman")
    if fixed is not None:
        text = fixed
        repairs.add(MAC_ROMAN_MOJIBAKE)
    return _storable(text, repairs)


def _storable(text: str, repairs: set[str]) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "")
        repairs.add(NUL_REMOVED)
    if _ANY_SURROGATE.search(text):  # e.g. "\ud800" escaped in JSON: no byte it could have been
        text = _ANY_SURROGATE.sub("\ufffd", text)
        repairs.add(SURROGATES_REPLACED)
    return text


def storable(text: str) -> str:
    """``text`` as PostgreSQL can store it (for messages and ids that are not MARC data);
    the same string when nothing needed doing."""
    if "\x00" not in text and not _ANY_SURROGATE.search(text):
        return text
    return _storable(text, set())


def has_suspect_bytes(raw: bytes) -> bool:
    """Whether a record's UTF-8 bytes hold what ``SUSPECT`` looks for (Â, Ã, √, NUL). Substring
    tests, not a regular expression: a fast byte search each, a fifth of the regex's time."""
    return b"\xc3\x82" in raw or b"\xc3\x83" in raw or b"\xe2\x88\x9a" in raw or b"\x00" in raw


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def iso2709_is_utf8(raw: bytes) -> tuple[bool, list[str]]:
    """Decide how to read an ISO 2709 record: (read as UTF-8?, repairs implied by the decision).

    Leader/09 ``a`` means UTF-8. A blank leader/09 means MARC-8, unless the bytes are valid UTF-8
    with non-ASCII content: MARC-8 combining diacritics are single bytes (E0-FE) followed by
    ASCII, which is never valid UTF-8 in practice, so such a record is UTF-8 that lies.
    """
    if raw[9:10] == b"a":
        return True, []
    if raw.isascii():
        return False, []
    if is_utf8(raw):
        return True, [UTF8_LEADER_SAYS_MARC8]
    return False, []
