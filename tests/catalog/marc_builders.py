"""Tiny pymarc builders for the project's own test records (not third-party data)."""

from pymarc import Field, Indicators, Leader, Record, Subfield


def datafield(tag: str, *pairs: str, ind: str = "  ") -> Field:
    """datafield("245", "a", "Titel", "c", "Ansvar", ind="10")."""
    subs = [Subfield(code=pairs[i], value=pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subs)


def marc(leader: str = "00000cam a2200000 a 4500", f008: str = "", *more: Field) -> Record:
    record = Record(leader=Leader(leader))
    if f008:
        record.add_field(Field(tag="008", data=f008))
    for field in more:
        record.add_field(field)
    return record


def book_008(year: str = "2017", lang: str = "swe", form: str = " ", audience: str = " ") -> str:
    """A 40-character books 008 with the given date1, language, form of item (23), audience (22)."""
    value = list("170327s" + year + "    sw " + " " * 28)
    value[22], value[23] = audience, form
    value[35:38] = list(lang)
    return "".join(value[:40])
