"""The sample county generator and demo_county: determinism, realism, overlap, traps, ground truth."""

import io
import json
import re
import time
import tracemalloc
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pymarc
import pytest
from django.core.management import call_command

from catalog.mapping import extract_holdings, map_record
from catalog.mapping.formats import FORMATS
from sample import GROUND_TRUTH, LIBRARIES, generate_county
from sample.libraries import by_code

RECORDS = 3000


def read_records(path: Path) -> list[pymarc.Record]:
    if path.suffix == ".mrc":
        with path.open("rb") as handle:
            records = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
    else:
        records = pymarc.parse_xml_to_array(str(path))
    assert all(record is not None for record in records), f"unparseable record in {path.name}"
    return records


def read_truth(out: Path) -> list[dict[str, str]]:
    lines = (out / GROUND_TRUTH).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    generate_county(out, RECORDS, seed=7)
    return out


@pytest.fixture(scope="module")
def records(county: Path) -> dict[tuple[str, str], pymarc.Record]:
    """Every record of the county by (library code, 001)."""
    found = {}
    for library in LIBRARIES:
        for record in read_records(county / library.filename):
            found[(library.code, record["001"].data)] = record
    return found


@pytest.fixture(scope="module")
def mapped(records: dict[tuple[str, str], pymarc.Record]) -> dict[tuple[str, str], dict]:
    return {key: map_record(record) for key, record in records.items()}


@pytest.mark.sqlite
def test_same_seed_gives_identical_bytes_with_any_workers_and_another_seed_does_not(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_county(first, 800, seed=11)
    generate_county(second, 800, seed=11, workers=2)
    generate_county(other, 800, seed=12)
    names = [library.filename for library in LIBRARIES] + [GROUND_TRUTH, "libraries.json"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / GROUND_TRUTH).read_bytes() != (other / GROUND_TRUTH).read_bytes()


@pytest.mark.sqlite
def test_libraries_json_lists_ten_swedish_libraries_with_both_file_formats(county: Path) -> None:
    libraries = json.loads((county / "libraries.json").read_text(encoding="utf-8"))
    assert len(libraries) >= 8
    assert len({entry["code"] for entry in libraries}) == len(libraries)
    assert {entry["file_format"] for entry in libraries} == {"mrc", "xml"}
    assert {entry["holdings_profile"] for entry in libraries} == {"852", "949", "952"}
    assert any("ö" in entry["municipality"] or "ä" in entry["municipality"] for entry in libraries)
    for entry in libraries:
        assert entry["email"] and entry["branches"] and entry["card_number_pattern"]
        assert 55 < entry["latitude"] < 70 and 10 < entry["longitude"] < 25
        assert (county / entry["file"]).exists()


def test_files_parse_with_pymarc_and_match_the_ground_truth(
    county: Path, records: dict[tuple[str, str], pymarc.Record]
) -> None:
    truth = read_truth(county)
    assert len(truth) == RECORDS == len(records)
    assert {(row["library"], row["local_id"]) for row in truth} == set(records)
    per_library = Counter(row["library"] for row in truth)
    assert all(per_library[library.code] > 0 for library in LIBRARIES)


def test_iso2709_is_byte_identical_to_pymarc_serialization(county: Path) -> None:
    raw = (county / "Hdg.mrc").read_bytes()
    chunks = [chunk + b"\x1d" for chunk in raw.split(b"\x1d") if chunk]
    for chunk in chunks[:200]:
        record = next(iter(pymarc.MARCReader(io.BytesIO(chunk), to_unicode=True, force_utf8=True)))
        assert record.as_marc() == chunk


def test_ground_truth_is_consistent(county: Path, mapped: dict[tuple[str, str], dict]) -> None:
    truth = read_truth(county)
    work_of, format_of = {}, {}
    for row in truth:
        assert work_of.setdefault(row["manifestation"], row["work"]) == row["work"]
        assert format_of.setdefault(row["manifestation"], row["format"]) == row["format"]
        assert row["format"] in FORMATS
        assert mapped[(row["library"], row["local_id"])]["formats"][0] == row["format"]
    held = Counter((row["library"], row["manifestation"]) for row in truth)
    assert max(held.values()) == 1, "a library holds each manifestation in one record"


def test_overlap_like_a_real_county(county: Path) -> None:
    truth = read_truth(county)
    holders = defaultdict(set)
    for row in truth:
        holders[row["manifestation"]].add(row["library"])
    shared = sum(1 for libraries in holders.values() if len(libraries) > 1) / len(holders)
    assert 0.33 <= shared <= 0.47, shared
    assert max(len(libraries) for libraries in holders.values()) >= 8
    formats = Counter(row["format"] for row in truth)
    assert formats["book"] > RECORDS / 2
    assert set(formats) >= {"book", "ebook", "audiobook", "talking_book", "music", "film"}


def test_copies_differ_in_cataloguing_but_agree_on_the_facts(
    county: Path, records: dict[tuple[str, str], pymarc.Record], mapped: dict[tuple[str, str], dict]
) -> None:
    groups = defaultdict(list)
    for row in read_truth(county):
        groups[row["manifestation"]].append((row["library"], row["local_id"]))
    isbn_writings, missing_isbn, both_publication_fields = set(), 0, set()
    for keys in groups.values():
        facts = {(mapped[key]["year"], mapped[key]["formats"][0]) for key in keys}
        assert len(facts) == 1, keys
        # A manifestation's own ISBNs: one, or two bindings (inb. + hft.); a series' is not its own.
        isbns = {
            isbn for key in keys for isbn in mapped[key]["isbns"] if isbn not in mapped[key]["set_isbns"]
        }
        assert len(isbns) <= 2, (keys, isbns)
        for key in keys:
            record = records[key]
            isbn_writings.update(f.value().split(" ")[0] for f in record.get_fields("020"))
            missing_isbn += bool(isbns) and not mapped[key]["isbns"]
            both_publication_fields.update(f.tag for f in record.get_fields("260", "264"))
    assert any("-" in value for value in isbn_writings) and any(len(value) == 10 for value in isbn_writings)
    assert any(len(value) == 13 and value.isdigit() for value in isbn_writings)
    assert missing_isbn > 0
    assert both_publication_fields == {"260", "264"}


def test_variation_real_catalogues_show(
    county: Path, records: dict[tuple[str, str], pymarc.Record], mapped: dict[tuple[str, str], dict]
) -> None:
    """Each variation the merger must see through (or must not fall for) occurs in the county."""
    seen: Counter[str] = Counter()
    for key, data in mapped.items():
        record = records[key]
        title_a = " ".join(sf for f in record.get_fields("245") for sf in f.get_subfields("a"))
        seen["subtitle in $a"] += " : " in title_a
        seen["roman as other title"] += data["subtitle"] in ("roman", "novell")
        seen["GMD in $a"] += "[" in title_a
        seen["GMD in $h"] += any(f.get_subfields("h") for f in record.get_fields("245"))
        seen["initials"] += any(
            a["name"].endswith(".") and len(a["name"].split(", ")[-1]) == 2 for a in data["authors"][:1]
        )
        seen["no 008"] += not record.get_fields("008")
        seen["partial 008"] += any(len(f.data) < 40 for f in record.get_fields("008"))
        seen["two ISBNs"] += len([i for i in data["isbns"] if i not in data["set_isbns"]]) > 1
        seen["ISBN in $z"] += bool(data["invalid_isbns"])
        seen["series ISBN"] += bool(data["set_isbns"])
        seen["part number"] += bool(data["parts"])
        seen["translation"] += any(f.get_subfields("h") for f in record.get_fields("041"))
    assert all(seen[name] for name in seen), seen
    by_work: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in read_truth(county):
        data = mapped[(row["library"], row["local_id"])]
        by_work[row["work"]].add((data["formats"][0], str(data["year"])))
    # reprints: one work, the same format in several years
    assert any(len({year for fmt, year in found if fmt == "book"}) > 1 for found in by_work.values())


def test_traps_share_a_work_but_are_different_manifestations(
    county: Path, mapped: dict[tuple[str, str], dict]
) -> None:
    by_manifestation = {}
    for row in read_truth(county):
        by_manifestation.setdefault(
            row["manifestation"], (row["work"], mapped[(row["library"], row["local_id"])])
        )
    by_work = defaultdict(list)
    for work, data in by_manifestation.values():
        by_work[work].append(data)
    other_format, other_edition = 0, 0
    for manifestations in by_work.values():
        seen = set()
        for data in manifestations:
            key = (data["formats"][0], data["year"])
            assert key not in seen, "two manifestations of one work never share format and year"
            seen.add(key)
        formats = {data["formats"][0] for data in manifestations}
        other_format += len(formats) > 1
        other_edition += len(manifestations) > len(formats)
    assert other_format >= 20 and other_edition >= 3
    # Different works with the same title (by different authors) and series volumes sharing 245 $a.
    titles = defaultdict(set)
    for work, data in by_manifestation.values():
        titles[data["title_sort"].split(". ")[0]].add(work)
    assert any(len(works) > 1 for works in titles.values())


def _description_key(data: dict) -> tuple[str, str, object, str]:
    """What a cataloguer compares without identifiers: title, first author, year, format."""
    title = " ".join(re.sub(r"[\W_]+", " ", data["title_sort"].lower()).split())
    name = data["authors"][0]["name"] if data["authors"] else ""
    author = " ".join(sorted(re.sub(r"[\W\d_]+", " ", name.lower()).split()))
    return title, author, data["year"], data["formats"][0]


def test_different_manifestations_can_always_be_told_apart(
    county: Path, mapped: dict[tuple[str, str], dict]
) -> None:
    """Ground truth is fair: no two manifestations look alike on title + author + year + format."""
    manifestations_of = defaultdict(set)
    for row in read_truth(county):
        manifestations_of[_description_key(mapped[(row["library"], row["local_id"])])].add(
            row["manifestation"]
        )
    clashes = {key: found for key, found in manifestations_of.items() if len(found) > 1}
    assert not clashes


def test_holdings_follow_each_library_profile(records: dict[tuple[str, str], pymarc.Record]) -> None:
    libraries = by_code()
    statuses = Counter()
    for (code, _), record in records.items():
        holdings = extract_holdings(record, libraries[code].holdings_profile, code)
        assert holdings, (code, record["001"].data)
        assert all(holding["library"] == code and holding["call_number"] for holding in holdings)
        statuses.update((libraries[code].holdings_profile, holding["status"]) for holding in holdings)
        assert all(holding["due_date"] for holding in holdings if holding["status"] == "on_loan")
    assert statuses[("949", "on_loan")] and statuses[("952", "on_loan")] and statuses[("949", "available")]
    assert statuses[("952", "not_for_loan")] and statuses[("852", "unknown")]


def test_swedish_first_with_foreign_languages_and_scripts(mapped: dict[tuple[str, str], dict]) -> None:
    languages = Counter(data["languages"][0] for data in mapped.values() if data["languages"])
    assert languages.most_common(1)[0][0] == "swe"
    assert {"eng", "ara", "per", "som"} <= set(languages)
    assert any(ch in data["title"] for data in mapped.values() for ch in "åäö")


@pytest.mark.sqlite
def test_scaling_smoke_2000_records_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    summary = generate_county(tmp_path / "county", 2000, seed=3)
    seconds = time.perf_counter() - started
    assert summary.records == 2000 == sum(summary.records_per_library.values())
    assert seconds < 15, f"2000 records took {seconds:.1f} s"


def test_memory_stays_flat_as_the_county_grows(tmp_path: Path) -> None:
    """Streaming: four times the records must not need four times the memory."""
    tracemalloc.start()
    generate_county(tmp_path / "small", 300, seed=3)
    small_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    generate_county(tmp_path / "bigger", 1200, seed=3)
    bigger_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert bigger_peak < small_peak * 1.5 + 1_000_000, (small_peak, bigger_peak)


@pytest.mark.sqlite
def test_generate_county_command_prints_a_summary_last(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("generate_county", records=300, seed=2, out=str(tmp_path / "c"), stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("generated 300 records") and "records/s" in last
    assert json.loads((tmp_path / "c" / "generation.json").read_text())["records"] == 300


def _demo_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from catalog.models import Branch, Cluster, Holding, Library, SourceRecord, StaffMember
    from harvest.models import Source
    from ill.models import RouteStop, TransportClosure, TransportRoute

    return {
        "routes": TransportRoute.objects.count(),
        "stops": RouteStop.objects.count(),
        "closures": TransportClosure.objects.count(),
        "libraries": Library.objects.count(),
        "branches": Branch.objects.count(),
        "sources": Source.objects.count(),
        "records": SourceRecord.objects.count(),
        "holdings": Holding.objects.count(),
        "clusters": Cluster.objects.count(),
        "users": get_user_model().objects.count(),
        "staff": StaffMember.objects.count(),
    }


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_demo_county_twice_duplicates_nothing(settings: pytest.FixtureRequest) -> None:
    settings.CELERY_BROKER_URL = None  # the embedded default: indexing runs in-process  # type: ignore[attr-defined]
    first_out, second_out = io.StringIO(), io.StringIO()
    call_command("demo_county", records=150, seed=5, stdout=first_out)
    first = _demo_counts()
    call_command("demo_county", records=150, seed=5, stdout=second_out)
    assert _demo_counts() == first
    assert first["libraries"] == len(LIBRARIES) == first["sources"]
    assert first["records"] == 150 and first["holdings"] >= 150 and 0 < first["clusters"] < 150
    assert first["users"] == 3 == first["staff"]
    # Every library on one of the three routes; Värmdö's summer pause this year and next.
    assert (first["routes"], first["stops"], first["closures"]) == (3, len(LIBRARIES), 2)
    assert "already generated" in second_out.getvalue() and "150 unchanged" in second_out.getvalue()
    demo_dir = Path(settings.DATA_DIR) / "demo"  # type: ignore[attr-defined]
    credentials = (demo_dir / "credentials.txt").read_text().splitlines()[1:]
    assert len(credentials) == 3
    for line in credentials:
        assert line.split(" ")[1] not in first_out.getvalue() + second_out.getvalue()
    assert second_out.getvalue().strip().splitlines()[-1].startswith("demo_county: 10 libraries, 150 records")


# --- everyone in the county: other languages and scripts, accessible editions (issue 16) -------
Records = dict[tuple[str, str], pymarc.Record]
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _language(record: pymarc.Record) -> str:
    fixed = record.get("008")
    return fixed.data[35:38] if fixed is not None and len(fixed.data) == 40 else ""


def _form_of_item(record: pymarc.Record) -> str | None:
    """008/23 of a book, None when the copy has no full 008 (some are catalogued without)."""
    fixed = record.get("008")
    return fixed.data[23] if fixed is not None and len(fixed.data) == 40 else None


def _genres(record: pymarc.Record) -> set[str]:
    return {value for field in record.get_fields("655") for value in field.get_subfields("a")}


def test_non_latin_titles_are_romanized_with_a_linked_880_in_their_own_script(records: Records) -> None:
    scripts = {"ara": ("(3/r", ARABIC_SCRIPT), "per": ("(3/r", ARABIC_SCRIPT), "ukr": ("(N", CYRILLIC)}
    seen = Counter()
    for record in records.values():
        language = _language(record)
        if language not in scripts or record.leader[6] != "a":
            continue
        code, letters = scripts[language]
        title, linked = record["245"], record.get_fields("880")
        assert title.get_subfields("6") == ["880-01"], record
        assert len(linked) == 1 and linked[0].get_subfields("6") == [f"245-01/{code}"]
        assert letters.search(linked[0]["a"]) and not letters.search(title["a"])
        seen[language] += 1
    assert all(seen[language] for language in scripts), seen


def test_books_in_the_national_minority_languages(records: Records, mapped: dict) -> None:
    books = Counter(
        _language(record)
        for key, record in records.items()
        if mapped[key]["formats"] == ["book"] and _language(record) in ("fin", "sme", "fit")
    )
    assert set(books) == {"fin", "sme", "fit"}
    sami_titles = [record["245"]["a"] for record in records.values() if _language(record) == "sme"]
    assert any(letter in title for title in sami_titles for letter in "áčđŋšŧž")


def test_a_few_per_cent_of_the_collection_is_in_other_languages(mapped: dict) -> None:
    languages = Counter(data["languages"][0] for data in mapped.values() if data["languages"])
    other = sum(count for language, count in languages.items() if language not in ("swe", "eng"))
    assert 0.03 <= other / sum(languages.values()) <= 0.12
    assert languages["fit"] < languages["fin"]


def test_one_work_in_ordinary_large_print_and_easy_to_read_editions(county: Path, records: Records) -> None:
    editions: dict[str, set[str]] = defaultdict(set)
    for row in read_truth(county):
        record = records[(row["library"], row["local_id"])]
        genres = _genres(record)
        if "Lättläst" in genres:
            assert row["format"] == "book" and "Lättläst" in record["250"]["a"]
            editions[row["work"]].add("easy_read")
        elif row["format"] == "large_print":
            assert any(f.data.startswith("tb") for f in record.get_fields("007"))
            assert _form_of_item(record) in ("d", None)
            editions[row["work"]].add("large_print")
        elif row["format"] == "book" and "Punktskriftsböcker" not in genres:
            editions[row["work"]].add("book")
    assert any(found == {"book", "large_print", "easy_read"} for found in editions.values())


def test_daisy_talking_books_and_braille(records: Records, mapped: dict) -> None:
    talking = [key for key, data in mapped.items() if data["formats"] == ["talking_book"]]
    assert talking
    for key in talking:
        record = records[key]
        assert record.leader[6] == "i" and record["007"].data.startswith("s")
        assert any("Talbok" in note["a"] for note in record.get_fields("500"))
    assert any(
        "DAISY" in field.get_subfields("b") for key in talking for field in records[key].get_fields("347")
    )
    assert any("Talböcker" in _genres(records[key]) for key in talking)
    braille = [record for record in records.values() if "Punktskriftsböcker" in _genres(record)]
    assert braille
    for record in braille:
        assert record["007"].data.startswith("fb") and record.leader[6] == "a"
        assert _form_of_item(record) in ("f", None)
        assert any("Punktskrift" in note["a"] for note in record.get_fields("500"))


def test_films_in_swedish_sign_language(records: Records, mapped: dict) -> None:
    signed = [key for key, record in records.items() if record.get("546") is not None]
    assert signed
    for key in signed:
        record = records[key]
        assert record.leader[6] == "g" and mapped[key]["formats"] == ["film"]
        assert record["041"].get_subfields("a") == ["sgn"] and "sgn" in mapped[key]["languages"]
        assert "teckenspråk" in unicodedata.normalize("NFC", record["546"]["a"])  # some libraries write NFD
