"""Encoding repair: each real-world lie repaired deterministically and named."""

import pytest

from harvest import encoding
from harvest.records import parse_iso2709


@pytest.mark.parametrize(
    ("broken", "fixed", "repair"),
    [
        ("RÃ¤ksmÃ¶rgÃ¥s Ã…sa Ã–land", "Räksmörgås Åsa Öland", encoding.DOUBLE_ENCODED_UTF8),  # noqa: RUF001
        ("R√§ksm√∂rg√•s", "Räksmörgås", encoding.MAC_ROMAN_MOJIBAKE),
        ("Pietil\udc8a Sk\udc8arg\udc8crdsliv", "Pietilä Skärgårdsliv", encoding.INVALID_UTF8_AS_MAC_ROMAN),
        ("V\udce4xj\udcf6", "Växjö", encoding.INVALID_UTF8_AS_WINDOWS_1252),
    ],
)
def test_repairs_swedish_letters(broken: str, fixed: str, repair: str) -> None:
    repairs: set[str] = set()
    assert encoding.repair_text(broken, repairs) == fixed
    assert repairs == {repair}


def test_honest_text_is_left_alone() -> None:
    repairs: set[str] = set()
    for text in ("Åsa Öberg: Räksmörgås", "São Paulo", "√2 ≈ 1.41", "Ãbergs"):
        assert encoding.repair_text(text, repairs) == text
    assert repairs == set()


def _iso2709(fields: list[tuple[str, bytes]], leader9: bytes) -> bytes:
    directory, data, offset = b"", b"", 0
    for tag, value in fields:
        chunk = value + b"\x1e"
        directory += tag.encode() + b"%04d%05d" % (len(chunk), offset)
        data += chunk
        offset += len(chunk)
    base = 24 + len(directory) + 1
    length = base + len(data) + 1
    leader = b"%05dnam " % length + leader9 + b"22%05d   4500" % base
    return leader + directory + b"\x1e" + data + b"\x1d"


def test_utf8_record_whose_leader_says_marc8() -> None:
    raw = _iso2709([("001", b"1"), ("245", "10\x1faSkärgårdsliv".encode())], b" ")
    parsed = parse_iso2709(raw)
    assert parsed.record is not None and parsed.record["245"]["a"] == "Skärgårdsliv"
    assert parsed.repairs == [encoding.UTF8_LEADER_SAYS_MARC8]
    assert str(parsed.record.leader)[9] == "a"


def test_marc8_record_is_converted() -> None:
    raw = _iso2709([("001", b"1"), ("245", b"10\x1faSk\xe8arg\xeaardsliv")], b" ")  # MARC-8 umlaut, ring
    parsed = parse_iso2709(raw)
    assert parsed.record is not None and parsed.record["245"]["a"] == "Skärgårdsliv"
    assert parsed.repairs == []


def test_double_encoded_utf8_in_iso2709() -> None:
    raw = _iso2709([("001", b"1"), ("245", "10\x1faSkÃ¤rgÃ¥rdsliv".encode())], b"a")
    parsed = parse_iso2709(raw)
    assert parsed.record is not None and parsed.record["245"]["a"] == "Skärgårdsliv"
    assert parsed.repairs == [encoding.DOUBLE_ENCODED_UTF8]


def test_broken_structure_is_an_error_not_an_exception() -> None:
    parsed = parse_iso2709(b"00099nam a2200049   4500garbage\x1d")
    assert parsed.record is None and parsed.error


def test_double_encoded_utf8_in_marcxml() -> None:
    from harvest.records import parse_marcxml

    raw = (
        '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">SkÃ¤rgÃ¥rdsliv</subfield></datafield>'
        "</record>"
    ).encode()
    parsed = parse_marcxml(raw, (b"<wrap>", b"</wrap>"))
    assert parsed.record is not None and parsed.record["245"]["a"] == "Skärgårdsliv"
    assert parsed.repairs == [encoding.DOUBLE_ENCODED_UTF8]


@pytest.mark.parametrize("namespace", ['xmlns="http://www.loc.gov/MARC21/slim"', ""])
def test_stored_one_record_collection_parses_again(namespace: str) -> None:
    """OAI metadata may wrap the record in a <collection>: it is stored so, and re-read so."""
    from harvest.records import parse_by_format

    raw = (
        f"<collection {namespace}><record><leader>00000nam a2200000 a 4500</leader>"
        '<controlfield tag="001">42</controlfield></record></collection>'
    ).encode()
    parsed = parse_by_format(raw, "marcxml")
    assert parsed.error == "" and parsed.record is not None and parsed.record["001"].data == "42"
