"""One contract, every backend: tantivy always, Elasticsearch when ELASTICSEARCH_URL is set.

Each test proves one search rule on the fixture corpus (tests/search/corpus.py).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.search import BACKENDS
from catalog.search.backends.base import SearchBackend, SearchRequest, SearchResult
from tests.search.corpus import CORPUS, PIPPI_ISBN10, PIPPI_ISBN13, doc

ALL_FACETS = ("library", "municipality", "format", "accessibility", "language", "year", "subject", "audience")


def _tantivy(path: Path) -> SearchBackend:
    from catalog.search.backends.tantivy import TantivyBackend

    return TantivyBackend(path)


def _elasticsearch(path: Path) -> SearchBackend:
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("Elasticsearch contract run needs ELASTICSEARCH_URL (no server configured here)")
    from catalog.search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url=url, index=f"samsok-test-{os.getpid()}")


@pytest.fixture(scope="module", params=BACKENDS.names())
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    factories = {"tantivy": _tantivy, "elasticsearch": _elasticsearch}
    if request.param not in factories:
        pytest.fail(f"search backend {request.param!r} has no factory in {__name__}: add one")
    engine = factories[request.param](tmp_path_factory.mktemp(request.param))
    engine.rebuild(CORPUS)
    yield engine
    drop = getattr(engine, "drop", None)
    if drop:
        drop()


def search(backend: SearchBackend, q: str = "", **options: object) -> SearchResult:
    return backend.search(SearchRequest(q=q, **options))  # type: ignore[arg-type]


def ids(result: SearchResult) -> list[int]:
    return [int(str(hit["id"])) for hit in result.hits]


def facet(result: SearchResult, name: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[name]}


pytestmark = pytest.mark.sqlite


class TestBackendContract:
    # --- Swedish relevance --------------------------------------------------------------------
    def test_stemming_finds_other_forms_and_exact_ranks_first(self, backend: SearchBackend) -> None:
        result = search(backend, "hundarna")
        assert ids(result)[0] == 1 and 2 in ids(result)
        assert ids(search(backend, "hund"))[0] == 2
        assert 3 in ids(search(backend, "böckerna"))

    def test_diacritics_fold_at_lower_weight(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "Ostersund")) == [4]
        assert ids(search(backend, "Björk"))[:2] == [5, 6]
        assert ids(search(backend, "Bjork"))[:2] == [6, 5]

    def test_phrase_matches_words_in_order(self, backend: SearchBackend) -> None:
        assert ids(search(backend, '"röda rummet"')) == [8]
        assert set(ids(search(backend, "rummet"))) == {8, 9}

    def test_last_word_matches_as_prefix(self, backend: SearchBackend) -> None:
        assert 7 in ids(search(backend, "pippi långstr"))
        assert 7 in ids(search(backend, "Pipp"))
        assert ids(search(backend, "Pipp ")) == []  # a finished word is not a prefix

    def test_typo_tolerance_for_long_words_only(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "långstrumo")) == [7]
        assert ids(search(backend, "Strindbreg")) == [8]
        assert ids(search(backend, "hudn ")) == []

    def test_field_prefixes(self, backend: SearchBackend) -> None:
        assert set(ids(search(backend, "author:lindgren"))) == {1, 7}
        assert ids(search(backend, "title:lindgren")) == [10]
        assert ids(search(backend, "subject:biografier")) == [10]
        assert set(ids(search(backend, "lindgren"))) == {1, 7, 10}

    @pytest.mark.parametrize("isbn", [PIPPI_ISBN13, "978-91-29-65780-7", PIPPI_ISBN10, "9129657806"])
    def test_isbn_10_and_13_with_or_without_hyphens(self, backend: SearchBackend, isbn: str) -> None:
        assert ids(search(backend, isbn)) == [7]
        assert ids(search(backend, f"isbn:{isbn}")) == [7]

    def test_boolean_operators(self, backend: SearchBackend) -> None:
        assert set(ids(search(backend, "lindgren -pippi"))) == {1, 10}
        assert set(ids(search(backend, "lindgren AND pippi"))) == {7}
        assert set(ids(search(backend, "strindberg OR pippi"))) == {7, 8}
        assert set(ids(search(backend, "pippi OR röda-rummet"))) == {7, 8}  # a hyphenated word is one clause
        assert ids(search(backend, "rummet-röda")) == []  # ... whose words match in order
        assert 7 not in ids(search(backend, "-pippi"))

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("!!!", []),  # nothing searchable: no hits rather than everything
            ('"', []),
            ('"röda rummet', [8]),
            ("((", []),
            ("a" * 2000, []),
            ("pippi " * 400, [7]),
            (":::", []),
            ("-", []),
            ("OR", []),
        ],
    )
    def test_garbage_never_errors(self, backend: SearchBackend, q: str, expected: list[int]) -> None:
        result = search(backend, q, facets=ALL_FACETS)
        assert ids(result) == expected and result.total == len(expected)
        assert set(result.facets) == set(ALL_FACETS)  # the facet panel still renders

    def test_unbalanced_quote_reads_as_phrase(self, backend: SearchBackend) -> None:
        assert ids(search(backend, '"röda rummet')) == [8]

    # --- other scripts, as a native reader searches ----------------------------------------
    def test_arabic_script_finds_the_romanized_record_and_the_romanized_form_too(
        self, backend: SearchBackend
    ) -> None:
        assert ids(search(backend, "كتاب الحيوان")) == [23]  # the 880 has full harakat
        assert ids(search(backend, "كِتَابُ الحَيَوَانِ")) == [23]
        assert ids(search(backend, '"كتاب الحيوان"')) == [23]
        assert ids(search(backend, "kitab al-hayawan")) == [23]
        assert ids(search(backend, "Kitāb al-ḥayawān")) == [23]
        assert ids(search(backend, "author:الجاحظ")) == [23]
        assert ids(search(backend, "title:الحيوان")) == [23]
        assert ids(search(backend, "author:jahiz")) == [23]

    @pytest.mark.parametrize(
        ("q", "why"),
        [
            ("احمد ليلى", "alef with hamza (أحمد) searched without it"),
            ("إحمد", "alef with hamza below"),
            ("ليلي", "alef maqsura (ليلى) searched with yeh"),
            ("المدينه الأولى", "teh marbuta (المدينة) searched with heh"),
            ("اغنية", "tatweel in the record (أغنيـــة)"),
            ("أغنـيـة المـديـنـة", "tatweel in the query"),
            ("ٱلمدينة ٱلأولى", "alef wasla"),
        ],
    )
    def test_arabic_letter_variants_fold(self, backend: SearchBackend, q: str, why: str) -> None:
        assert ids(search(backend, q)) == [24], why
        assert ids(search(backend, f'"{q}"')) == [24], why  # a phrase: no typo tolerance to help

    def test_persian_keheh_yeh_and_zero_width_non_joiner(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "هدایت")) == [25]  # Farsi yeh, as in the record
        assert ids(search(backend, "هدايت")) == [25]  # Arabic yeh
        assert ids(search(backend, "كوچك")) == [25]  # Arabic kaf for keheh
        assert ids(search(backend, "کوچک تهران")) == [25]
        # کتاب‌های is two words (ZWNJ); كتاب with Arabic kaf is the same word in both languages
        assert set(ids(search(backend, "کتاب"))) == {23, 25}

    def test_cyrillic_yo_reads_as_ye_and_ukrainian_letters_stay(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "зеленый шатер")) == [27]
        assert ids(search(backend, '"зеленый шатер"')) == [27]  # a phrase: no typo tolerance to help
        assert ids(search(backend, "Зелёный")) == [27]
        assert ids(search(backend, "улицкая")) == [27]
        assert ids(search(backend, "їжак ґава")) == [26]
        assert ids(search(backend, "izhak")) == [26]
        assert ids(search(backend, "іжак гава")) == []  # і is not ї, г is not ґ

    def test_finnish_and_sami_letters_fold_like_swedish_ones(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "kätilö")) == [28]
        assert ids(search(backend, "katilo")) == [28]
        assert ids(search(backend, "áhčážan")) == [29]
        assert ids(search(backend, "ahcazan valkeapaa")) == [29]

    def test_hits_carry_the_original_script_with_lang_and_dir(self, backend: SearchBackend) -> None:
        hit = search(backend, "الحيوان").hits[0]
        assert hit["title"] == "Kitāb al-ḥayawān"
        assert hit["title_lang"] == {"lang": "ar-Latn", "dir": "ltr"}
        assert hit["original"] == {
            "title": "كِتَابُ الحَيَوَانِ",
            "subtitle": "",
            "authors": ["الجاحظ، عمرو بن بحر"],
            "lang": "ar",
            "dir": "rtl",
        }
        russian = search(backend, "шатёр").hits[0]
        assert russian["title_lang"] == {"lang": "ru", "dir": "ltr"} and russian["original"] == {}
        assert search(backend, "áhčážan").hits[0]["title_lang"] == {"lang": "se", "dir": "ltr"}

    def test_suggest_offers_the_original_script_title(self, backend: SearchBackend) -> None:
        assert backend.suggest("كتاب الح") == ["كِتَابُ الحَيَوَانِ"]
        assert set(backend.suggest("كِتَا")) == {"كِتَابُ الحَيَوَانِ", "کتاب\u200cهای کوچک تهران"}
        assert backend.suggest("Kitab al") == ["Kitāb al-ḥayawān"]

    # --- ranking ------------------------------------------------------------------------------
    def test_title_above_subject_above_notes(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "sjön"))[:3] == [11, 12, 13]

    def test_more_holding_libraries_rank_higher(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "fågelboken")) == [15, 14]

    def test_newer_edition_ranks_slightly_higher(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "svampboken")) == [17, 16]

    def test_did_you_mean_offers_a_close_spelling(self, backend: SearchBackend) -> None:
        result = search(backend, "strimdberj")
        assert result.total == 0
        assert result.did_you_mean == "strindberg"
        assert search(backend, "pippi").did_you_mean is None

    # --- facets and filters -------------------------------------------------------------------
    def test_facet_counts_over_the_result(self, backend: SearchBackend) -> None:
        result = search(backend, "lindgren", facets=ALL_FACETS)
        assert facet(result, "library") == {"Nyks": 3, "Ty": 1, "Na": 1}
        assert facet(result, "municipality")["Nyköping"] == 3
        assert facet(result, "year") == {"1900-1949": 2, "2000-2009": 1}
        assert facet(result, "audience") == {"juvenile": 1}
        assert facet(result, "subject") == {"Barn": 1, "Hundar": 1, "Biografier": 1}

    def test_or_within_a_facet_and_across_facets(self, backend: SearchBackend) -> None:
        either = search(backend, filters={"format": ("film", "ebook")}, facets=ALL_FACETS)
        assert set(ids(either)) == {19, 20}
        both = search(backend, filters={"format": ("film", "ebook"), "language": ("eng",)})
        assert both.total == 0
        # the selected facet still counts its other values (multi-select), the others are filtered
        assert facet(either, "format")["book"] > 1
        assert facet(either, "library") == {"Sods": 2}

    def test_year_range_filter(self, backend: SearchBackend) -> None:
        assert set(ids(search(backend, year_from=2020, page_size=50))) == {17, 20, 21}
        assert set(ids(search(backend, year_from=1870, year_to=1946, page_size=50))) == {7, 8}

    def test_available_anywhere_and_at_a_library(self, backend: SearchBackend) -> None:
        assert set(ids(search(backend, available=True, page_size=50))) == {7, 18, 22}
        at_na = search(backend, available=True, filters={"library": ("Na",)}, page_size=50)
        assert ids(at_na) == [22]

    def test_library_counts_under_available_are_what_choosing_the_library_gives(
        self, backend: SearchBackend
    ) -> None:
        for chosen in [(), ("Na",)]:
            options = {"available": True, "filters": {"library": chosen}, "facets": ("library",)}
            counts = facet(search(backend, **options), "library")
            assert counts, chosen
            for library, count in counts.items():
                alone = search(backend, available=True, filters={"library": (library,)})
                assert alone.total == count, (chosen, library)

    def test_work_filter_narrows_to_the_editions_of_works(self, backend: SearchBackend) -> None:
        assert set(ids(search(backend, filters={"work": ("902",)}))) == {16, 17}
        both = search(backend, filters={"work": ("901", "902")}, facets=ALL_FACETS)
        assert set(ids(both)) == {14, 15, 16, 17}
        assert facet(both, "library") == {"Nyks": 2, "Ty": 3, "Na": 1, "Sods": 1}
        assert ids(search(backend, filters={"work": ("901",), "library": ("Ty",)})) == [15]
        assert ids(search(backend, "svampboken", filters={"work": ("901",)})) == []
        assert search(backend, filters={"work": ("999",)}, facets=ALL_FACETS).total == 0

    def test_accessible_media_are_a_multi_select_facet_and_filter(self, backend: SearchBackend) -> None:
        everything = search(backend, facets=ALL_FACETS)
        assert facet(everything, "accessibility") == {
            "easy_to_read": 2,
            "talking_book": 1,
            "large_print": 1,
            "sign_language": 1,
            "audiobook": 1,
        }
        easy = search(backend, filters={"accessibility": ("easy_to_read",)}, facets=ALL_FACETS)
        assert set(ids(easy)) == {16, 17}
        # a property of the title, not a format: the easy-to-read editions are a book and large print
        assert facet(easy, "format") == {"book": 1, "large_print": 1}
        assert facet(easy, "accessibility") == facet(everything, "accessibility")  # its own selection aside
        either = search(backend, filters={"accessibility": ("talking_book", "sign_language")}, page_size=50)
        assert set(ids(either)) == {14, 19}
        both = search(backend, filters={"accessibility": ("easy_to_read",), "format": ("book",)})
        assert ids(both) == [17]
        hit = search(backend, filters={"accessibility": ("large_print",)}).hits[0]
        assert hit["accessibility"] == ["easy_to_read", "large_print"]
        assert search(backend, "röda rummet").hits[0]["accessibility"] == []

    def test_the_accessible_editions_of_several_works_in_one_search(self, backend: SearchBackend) -> None:
        """What the result list asks for its "Finns också som …" line (catalog.versions)."""
        codes = ("easy_to_read", "sign_language", "large_print", "braille", "talking_book", "audiobook")
        found = search(
            backend, filters={"work": ("901", "902", "903"), "accessibility": codes}, page_size=100
        )
        assert {(hit["id"], hit["work"]) for hit in found.hits} == {
            ("14", "901"),
            ("16", "902"),
            ("17", "902"),
        }

    # --- sort and paging ----------------------------------------------------------------------
    def test_title_sort_is_swedish(self, backend: SearchBackend) -> None:
        result = search(backend, filters={"library": ("Sods",)}, sort="title", page_size=50)
        titles = [hit["title"] for hit in result.hits]
        assert titles == ["Apan", "Fågelboken", "Zorro", "Åsa-Nisse", "Ärlig talat", "Ödets makt"]

    def test_year_sorts(self, backend: SearchBackend) -> None:
        newest = search(backend, filters={"library": ("Sods",)}, sort="year_desc", page_size=50)
        assert [hit["year"] for hit in newest.hits][:3] == [2022, 2021, 2018]
        oldest = search(backend, filters={"library": ("Sods",)}, sort="year_asc", page_size=50)
        assert oldest.hits[0]["year"] == 1960
        assert oldest.hits[-1]["year"] is None  # unknown year last either way
        assert newest.hits[-1]["year"] is None

    def test_paging(self, backend: SearchBackend) -> None:
        everything = search(backend, sort="title", page_size=100)
        assert everything.total == len(CORPUS)
        pages = [search(backend, sort="title", page=n, page_size=5) for n in range(1, len(CORPUS) // 5 + 2)]
        assert [i for page in pages for i in ids(page)] == ids(everything)
        assert all(page.total == len(CORPUS) for page in pages)

    def test_empty_query_browses_everything(self, backend: SearchBackend) -> None:
        assert search(backend, "", page_size=1).total == len(CORPUS)

    def test_browsing_lists_the_most_held_titles_first(self, backend: SearchBackend) -> None:
        assert ids(search(backend, "", page_size=3)) == [15, 22, 7]
        assert ids(search(backend, "", filters={"library": ("Sods",)}, page_size=3)) == [15, 22, 21]

    # --- hits, suggestions, get ---------------------------------------------------------------
    def test_hit_fields(self, backend: SearchBackend) -> None:
        hit = search(backend, PIPPI_ISBN13).hits[0]
        assert hit["title"] == "Pippi Långstrump"
        assert hit["authors"] == ["Lindgren, Astrid"]
        assert hit["year"] == 1945 and hit["isbns"] == [PIPPI_ISBN13]
        assert hit["libraries"] == ["Na", "Nyks", "Ty"] and hit["available_at"] == ["Nyks", "Ty"]
        assert hit["work"] == "903" and search(backend, "röda rummet").hits[0]["work"] == ""

    def test_suggest_titles_and_authors(self, backend: SearchBackend) -> None:
        assert backend.suggest("pipp") == ["Pippi Långstrump"]
        assert "Lindgren, Astrid" in backend.suggest("Lind")
        assert "Östersund förr och nu" in backend.suggest("oster")
        assert backend.suggest("") == []

    def test_get_and_ping(self, backend: SearchBackend) -> None:
        document = backend.get("7")
        assert document is not None and document["title"] == "Pippi Långstrump"
        assert backend.get("999999") is None
        assert backend.ping()


@pytest.mark.parametrize("make", [_tantivy, _elasticsearch], ids=["tantivy", "elasticsearch"])
def test_a_facet_with_more_values_than_it_shows_keeps_the_most_common(make: Any, tmp_path: Path) -> None:
    """40 subjects once each, "Ödlor" five times: the 30 shown start with Ödlor (last in the alphabet)."""
    rare = [doc(n, f"Bok {n}", subjects=(f"Ämne {n:02d}",)) for n in range(1, 41)]
    common = [doc(n, f"Ödlebok {n}", subjects=("Ödlor",)) for n in range(41, 46)]
    engine = make(tmp_path)
    engine.rebuild(rare + common)
    try:
        values = engine.search(SearchRequest(facets=("subject",))).facets["subject"]
        assert (values[0].value, values[0].count) == ("Ödlor", 5)
        assert len(values) == 30
    finally:
        getattr(engine, "drop", lambda: None)()
