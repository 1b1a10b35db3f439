"""How each format is encoded the real way: leader/06-07, 007, 008/18-34, 300 and RDA 336-338.

The format mapping reads formats back from exactly these positions (see
``catalog.mapping.formats``); the sample county must say "audiobook" the way a library system
says it, not by a private flag.
"""

from sample.works import Manifestation

# format/carrier → leader/06-07
LEADER_TYPES = {
    "book": "am",
    "large_print": "am",
    "ebook": "am",
    "audiobook": "im",
    "talking_book": "im",
    "music": "jm",
    "film": "gm",
    "game": "mm",
    "map": "em",
    "serial": "as",
    "other": "om",
}
FIELD_007 = {
    "large_print": ("tb",),
    "ebook": ("cr |n|||||||||",),
    "audiobook/cd": ("sd fsngnnmmned",),
    "audiobook/online": ("sr fsngnnmmned", "cr |n|||||||||"),
    "talking_book": ("sd fungnn|||e|",),
    "music": ("sd fsngnnmmned",),
    "film": ("vd cvaizq",),
    "game": ("co cg|||||||||",),
    "map": ("aj canzn",),
    "other": ("ou",),
}
# RDA content / media / carrier: (Swedish term, code) as LIBRIS writes them.
RDA = {
    "print": (("Text", "txt"), ("utan medierande enhet", "n"), ("volym", "nc")),
    "online-text": (("Text", "txt"), ("dator", "c"), ("onlineresurs", "cr")),
    "online-audio": (("tal", "spw"), ("dator", "c"), ("onlineresurs", "cr")),
    "cd": (("tal", "spw"), ("audio", "s"), ("ljudskiva", "sd")),
    "daisy": (("tal", "spw"), ("audio", "s"), ("ljudskiva", "sd")),
    "music": (("framförd musik", "prm"), ("audio", "s"), ("ljudskiva", "sd")),
    "dvd": (("tvådimensionell rörlig bild", "tdi"), ("video", "v"), ("videoskiva", "vd")),
    "disc": (("datorprogram", "cop"), ("dator", "c"), ("datorskiva", "cd")),
    "sheet": (("kartografisk bild", "cri"), ("utan medierande enhet", "n"), ("blad", "nb")),
    "kit": (("tredimensionell form", "tdf"), ("utan medierande enhet", "n"), ("objekt", "nr")),
    "braille": (("taktil text", "tct"), ("utan medierande enhet", "n"), ("volym", "nc")),
}
COUNTRY = {
    **{"swe": "sw ", "eng": "enk", "ara": "le ", "per": "ir ", "som": "so ", "fin": "fi "},
    **{"ukr": "un ", "sme": "no ", "fit": "sw "},
}
# 007 of a braille book: tactile (f), braille (b), literary braille, contracted (MARC 21 007/00-09).
BRAILLE_007 = "fb a b|||n"


def leader(m: Manifestation, isbd: bool, status: str) -> str:
    """24 characters; length and base address are filled in by the writer."""
    return f"00000{status}{LEADER_TYPES[m.format]} a2200000 {'i' if isbd else 'c'} 4500"


def fields_007(m: Manifestation) -> tuple[str, ...]:
    if m.version == "braille":
        return (BRAILLE_007,)
    key = f"{m.format}/{m.carrier}" if m.format == "audiobook" else m.format
    return FIELD_007.get(key, ())


def _material_008(m: Manifestation) -> str:
    work, fmt = m.work, m.format
    audience = work.audience
    if fmt in ("book", "large_print", "ebook"):
        form = "f" if m.version == "braille" else {"large_print": "d", "ebook": "o"}.get(fmt, " ")
        literary = "0" if work.kind == "nonfiction" else "1"
        return f"    {audience}{form}     000 {literary} "
    if fmt in ("audiobook", "talking_book", "music"):
        composition = "pp" if fmt == "music" else "nn"
        form = "o" if m.carrier == "online" else " "
        text = "  " if fmt == "music" else ("f " if work.kind != "nonfiction" else "  ")
        return f"{composition}n {audience}{form}      {text} n "
    if fmt == "film":
        return f"{min(m.minutes, 999):03d} {audience}          vl"
    if fmt == "game":
        return f"    {audience}q  g        "
    if fmt == "map":
        return "       a     0   "
    if fmt == "serial":
        return "mr p       0    0"
    return f"nnn {audience}          bn"


def field_008(m: Manifestation, entered: str, catalogued_here: bool) -> str:
    """40 characters: entered, date type and dates, country, material part, language, source."""
    date_type, date2 = ("c", "9999") if m.format == "serial" else ("s", "    ")
    country = COUNTRY.get(m.work.language, "sw ")
    if m.format in ("music", "film", "game", "audiobook", "talking_book", "other"):
        country = "sw "
    language = (
        m.work.language if m.format not in ("game", "map") else ("eng" if m.format == "game" else "swe")
    )
    if m.original:
        language = m.work.original_language
    source = "d" if catalogued_here else " "
    value = f"{entered}{date_type}{m.year:04d}{date2}{country}{_material_008(m)}{language} {source}"
    assert len(value) == 40, (m.format, value)
    return value


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} tim., {rest} min." if hours else f"{rest} min."


def extent(m: Manifestation, rda: bool, size_cm: int) -> list[tuple[str, str]]:
    """300 subfields (without ISBD punctuation; the cataloguer adds it)."""
    pages = f"{m.pages} sidor" if rda else f"{m.pages} s."
    fmt, carrier = m.format, m.carrier
    if m.version == "braille":
        volumes = max(2, m.pages // 120)
        return [("a", f"{volumes} {'volymer' if rda else 'vol.'} (punktskrift)"), ("c", "30 cm")]
    if fmt in ("book", "large_print"):
        illustrated = m.work.kind == "children" or m.work.kind == "nonfiction"
        return [
            ("a", pages),
            *([("b", "illustrationer" if rda else "ill.")] if illustrated else []),
            ("c", f"{size_cm} cm"),
        ]
    if fmt == "ebook":
        return [("a", f"1 onlineresurs ({pages})")]
    if fmt == "audiobook":
        if carrier == "online":
            return [("a", f"1 ljudfil ({_duration(m.minutes)})")]
        discs = max(1, m.minutes // 75)
        return [
            ("a", f"{discs} CD-skiv{'or' if discs > 1 else 'a'} ({_duration(m.minutes)})"),
            ("c", "12 cm"),
        ]
    if fmt == "talking_book":
        return [("a", f"1 CD-skiva (DAISY) ({_duration(m.minutes)})")]
    if fmt == "music":
        return [("a", f"1 CD-skiva ({_duration(m.minutes)})"), ("b", "digital, stereo"), ("c", "12 cm")]
    if fmt == "film":
        return [("a", f"1 DVD-skiva ({_duration(m.minutes)})"), ("b", "ljud, färg"), ("c", "12 cm")]
    if fmt == "game":
        return [("a", "1 Blu-ray-skiva"), ("b", "ljud, färg"), ("c", "12 cm")]
    if fmt == "map":
        return [("a", "1 karta"), ("b", "färg"), ("c", "70 x 100 cm, vikt till 25 x 12 cm")]
    if fmt == "serial":
        return [("a", "volymer" if rda else "v."), ("b", "ill."), ("c", f"{size_cm + 6} cm")]
    return [("a", "1 påse (1 bok, 1 ljudbok, 1 leksak)")]


def rda_key(m: Manifestation) -> str:
    if m.format == "ebook":
        return "online-text"
    if m.format == "audiobook":
        return "online-audio" if m.carrier == "online" else "cd"
    if m.format == "music":
        return "music"
    return m.carrier if m.carrier in RDA else "print"


def rda_fields(m: Manifestation) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    content, media, carrier = RDA[rda_key(m)]
    return [
        ("336", " ", " ", [("a", content[0]), ("b", content[1]), ("2", "rdacontent")]),
        ("337", " ", " ", [("a", media[0]), ("b", media[1]), ("2", "rdamedia")]),
        ("338", " ", " ", [("a", carrier[0]), ("b", carrier[1]), ("2", "rdacarrier")]),
    ]
