"""880 alternate graphic representation: linked to its field by $6, mapped with script, lang, dir."""

from pathlib import Path

import pymarc
import pytest

from catalog.language_tags import TextLanguage, language_tag, script_of, text_language
from catalog.mapping import map_record
from catalog.mapping.original_script import Linkage, linkage, original_script
from tests.catalog import script_records
from tests.catalog.marc_builders import book_008, datafield, marc

pytestmark = pytest.mark.sqlite


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("245-01/(3/r", Linkage("245", "Arab", True)),
        ("100-01/(N", Linkage("100", "Cyrl", False)),
        ("260-04", Linkage("260", "", False)),  # LIBRIS writes no script code
        ("245-01//r", Linkage("245", "", True)),  # the sample generator's form
        ("650-00/$1", Linkage("650", "Hani", False)),
        ("245-02/(2/r", Linkage("245", "Hebr", True)),
        ("", None),
        ("abc-01", None),
    ],
)
def test_linkage(value: str, expected: Linkage | None) -> None:
    assert linkage(value) == expected


def test_arabic_880s_map_like_the_fields_they_stand_for() -> None:
    data = map_record(script_records.arabic_book())
    assert data["title"] == "Kitāb al-ḥayawān" and data["languages"] == ["ara"]
    original = data["original_script"]
    assert original["title"] == "كِتَابُ الحَيَوَانِ"
    assert original["responsibility"] == "الجاحظ ؛ تحقيق عبد السلام هارون"
    assert original["authors"] == ["الجاحظ، عمرو بن بحر"]
    assert original["publisher"] == "دار الكتب العلمية"  # the Arabic comma is ISBD punctuation too
    assert original["place"] == "بيروت"
    assert original["edition"] == "الطبعة ٣."
    assert original["series"] == ["سلسلة التراث"]
    assert (original["script"], original["lang"], original["dir"]) == ("Arab", "ar", "rtl")


def test_persian_and_ukrainian_get_their_own_language_tags() -> None:
    persian = map_record(script_records.persian_book())["original_script"]
    assert (persian["title"], persian["lang"], persian["dir"]) == ("کتاب\u200cهای کوچک تهران", "fa", "rtl")
    ukrainian = map_record(script_records.ukrainian_book())["original_script"]
    assert ukrainian["title"] == "Їжак і ґава" and ukrainian["subtitle"] == "казки для дітей"
    assert (ukrainian["authors"], ukrainian["lang"], ukrainian["dir"]) == (["Жадан, Сергій"], "uk", "ltr")


def test_records_without_880_have_no_original_script() -> None:
    for record in (script_records.russian_book(), script_records.finnish_book(), script_records.sami_book()):
        assert map_record(record)["original_script"] == {}


def test_an_880_without_a_usable_linkage_is_left_out() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008("2001", "ara"),
        datafield("245", "a", "Kitāb", ind="10"),
        datafield("880", "a", "كتاب", ind="10"),  # no $6
    )
    assert original_script(record) == {}


def test_script_and_direction_from_the_text_when_6_has_no_code() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008("2001", "heb"),
        datafield("245", "6", "880-01", "a", "Sefer ha-dikduk", ind="10"),
        datafield("880", "6", "245-01", "a", "ספר הדקדוק", ind="10"),
    )
    found = original_script(record)
    assert (found["title"], found["script"], found["lang"], found["dir"]) == (
        "ספר הדקדוק",
        "Hebr",
        "he",
        "rtl",
    )


def test_libris_cjk_record_with_880s(shared_testdata: Path) -> None:
    path = shared_testdata / "swedish-marc/librisxl/historical-bib/11311266.iso2709"
    with open(path, "rb") as handle:
        record = next(r for r in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True) if r)
    data = map_record(record)
    assert data["title"] == "0-4 sui zhineng xunlian baike quanshu"
    original = data["original_script"]
    assert original["title"] == "0-4岁智能训练百科全书"
    assert (original["place"], original["publisher"]) == ("哈尔滨", "黑龙江科学技术出版社")
    assert original["contributors"] == ["张倩"] and "婴幼儿" in original["subjects"][0]
    assert (original["script"], original["lang"], original["dir"]) == ("Hani", "zh", "ltr")


@pytest.mark.parametrize(
    ("code", "script", "tag"),
    [
        ("ara", "Arab", "ar"),
        ("ara", "Latn", "ar-Latn"),
        ("per", "Arab", "fa"),
        ("rus", "Cyrl", "ru"),
        ("ukr", "Latn", "uk-Latn"),
        ("sme", "Latn", "se"),
        ("fit", "Latn", "fit"),
        ("som", "Latn", "so"),
        ("swe", "Latn", "sv"),
        ("yid", "Hebr", "yi"),
        ("chi", "Hani", "zh"),
        ("jpn", "Hani", "ja"),
        ("xxx", "Latn", ""),
        ("swe", "", "sv"),
    ],
)
def test_language_tags(code: str, script: str, tag: str) -> None:
    assert language_tag(code, script) == tag


def test_text_language_reads_the_script_off_the_letters() -> None:
    assert script_of("0-4岁") == "Hani" and script_of("«Зелёный»") == "Cyrl" and script_of("123") == ""
    romanized = text_language(["ara"], "Kitāb al-ḥayawān")
    assert romanized is not None and (romanized.lang, romanized.dir) == ("ar-Latn", "ltr")
    arabic = text_language(["ara", "eng"], "كتاب")
    assert arabic is not None and (arabic.lang, arabic.dir) == ("ar", "rtl")
    assert text_language([], "Pippi") == TextLanguage("", "ltr")  # language unknown: no lang to give
    assert text_language(["swe"], "") is None
