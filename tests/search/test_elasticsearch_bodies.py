"""The Elasticsearch backend as data: template, mapping, analyzers, documents and request bodies.

No Elasticsearch server runs here; the live behaviour is proven by the contract suite
(test_backend_contract.py) whenever ELASTICSEARCH_URL is set. The client seam is a recorder.
"""

import json
import re
from typing import Any

import pytest

from catalog.search.backends import elasticsearch_body as body
from catalog.search.backends.base import SearchRequest
from catalog.search.backends.elasticsearch import ElasticsearchBackend, parse_search_response
from catalog.search.syntax import parse_query
from catalog.search.text import DIGIT_FOLDS, SCRIPT_FOLDS, normalize_script
from tests.search.corpus import CORPUS, PIPPI_ISBN13

pytestmark = pytest.mark.sqlite
FACETS = ("library", "format", "language", "year", "subject")


def test_swedish_analyzers_and_folded_subfields() -> None:
    analysis = body.analysis()
    assert analysis["filter"]["sv_snowball"] == {"type": "snowball", "language": "Swedish"}
    assert analysis["analyzer"]["sv_exact"]["filter"] == ["lowercase", "decimal_digit"]
    assert analysis["analyzer"]["sv_stem"]["filter"] == ["lowercase", "decimal_digit", "sv_snowball"]
    assert analysis["analyzer"]["sv_fold"]["filter"] == ["lowercase", "decimal_digit", "asciifolding"]
    properties = body.mappings()["properties"]
    assert properties["title"] == {
        "type": "text",
        "analyzer": "sv_exact",
        "fields": {
            "stem": {"type": "text", "analyzer": "sv_stem"},
            "fold": {"type": "text", "analyzer": "sv_fold"},
        },
    }
    assert properties["notes"] == {"type": "text", "analyzer": "sv_stem"}
    assert properties["library"] == {"type": "keyword"} and properties["year"] == {"type": "integer"}
    assert body.mappings()["dynamic"] == "strict"


def test_the_work_is_a_keyword_filtered_like_a_facet_but_never_counted() -> None:
    assert body.mappings()["properties"]["work"] == {"type": "keyword"}
    pippi = body.es_document(next(d for d in CORPUS if d["id"] == "7"), 1.1)
    assert pippi["work"] == "903" and pippi["hit"]["work"] == "903"
    untied = body.es_document(next(d for d in CORPUS if d["id"] == "8"), 1.0)
    assert untied["work"] is None and set(untied) <= set(body.mappings()["properties"])
    request = SearchRequest(filters={"work": ("901", "902"), "format": ("book",)}, facets=FACETS)
    search = body.search_body(request, parse_query(""))
    work_filter = {"terms": {"work": ["901", "902"]}}
    assert search["post_filter"] == {"bool": {"filter": [{"terms": {"format": ["book"]}}, work_filter]}}
    assert "work" not in search["aggs"]
    for name in FACETS:  # every facet is counted among the work's editions only
        assert work_filter in search["aggs"][name]["filter"]["bool"]["filter"]


def test_template_covers_every_generation() -> None:
    template = body.index_template("samsok")
    assert template["index_patterns"] == ["samsok-*"]
    assert template["template"]["mappings"] == body.mappings()


def test_document_fits_the_mapping() -> None:
    pippi = body.es_document(next(d for d in CORPUS if d["id"] == "7"), 1.1)
    assert set(pippi) <= set(body.mappings()["properties"])
    assert pippi["isbn"] == [PIPPI_ISBN13] and pippi["available"] is True
    assert pippi["library"] == ["Na", "Nyks", "Ty"] and pippi["year_asc"] == 1945
    assert pippi["hit"]["title"] == "Pippi Långstrump"


def test_search_body_scores_filters_and_counts_facets_multi_select() -> None:
    request = SearchRequest(q="pippi", filters={"format": ("book", "ebook")}, available=True, facets=FACETS)
    search = body.search_body(request, parse_query(request.q))
    assert search["query"]["function_score"]["field_value_factor"]["field"] == "popularity"
    assert search["post_filter"] == {
        "bool": {"filter": [{"terms": {"format": ["book", "ebook"]}}, {"term": {"available": True}}]}
    }
    # the format facet counts without its own filter; the others with it
    assert search["aggs"]["format"]["filter"] == {"bool": {"filter": [{"term": {"available": True}}]}}
    assert {"terms": {"format": ["book", "ebook"]}} in search["aggs"]["library"]["filter"]["bool"]["filter"]
    assert search["aggs"]["year"]["aggs"]["values"]["range"]["ranges"][-1] == {"key": "2020-", "from": 2020}
    assert (search["from"], search["size"], search["track_total_hits"]) == (0, 20, True)


def test_available_at_a_library_sort_and_paging() -> None:
    request = SearchRequest(filters={"library": ("Na",)}, available=True, sort="title", page=3, page_size=10)
    search = body.search_body(request, parse_query(""))
    assert {"terms": {"available_at": ["Na"]}} in search["post_filter"]["bool"]["filter"]
    assert search["sort"] == [{"title_sort": "asc"}, {"id": "asc"}]
    assert search["query"] == {"match_all": {}} and search["from"] == 20


def test_library_facet_under_available_counts_where_a_copy_is_on_the_shelf() -> None:
    request = SearchRequest(filters={"library": ("Na",)}, available=True, facets=("library", "format"))
    aggs = body.search_body(request, parse_query(""))["aggs"]
    assert aggs["library"]["aggs"]["values"]["terms"]["field"] == "available_at"
    assert aggs["library"]["filter"]["bool"]["filter"] == [{"term": {"available": True}}]
    assert aggs["format"]["aggs"]["values"]["terms"]["field"] == "format"
    assert {"terms": {"available_at": ["Na"]}} in aggs["format"]["filter"]["bool"]["filter"]


def test_query_tree_becomes_match_queries_never_query_string() -> None:
    query = body.text_query(parse_query('title:"röda rummet" -film isbn:91-29-65780-6 långstr'))
    must = query["bool"]["must"]
    assert must[0]["bool"]["should"][0] == {
        "match_phrase": {"title": {"query": "röda rummet", "boost": 18.0}}
    }
    assert must[1] == {"term": {"isbn": {"value": PIPPI_ISBN13, "boost": 20.0}}}
    prefix = [q for q in must[2]["bool"]["should"] if "prefix" in q]
    assert {"prefix": {"title.fold": {"value": "langstr", "boost": 3.2}}} in prefix
    assert query["bool"]["must_not"][0]["bool"]["should"][0] == {
        "match": {"title": {"query": "film", "boost": 12.0}}
    }
    for garbage in ['"', "!!!", "a" * 2000, "title:", "((a OR"]:
        assert "query_string" not in json.dumps(body.text_query(parse_query(garbage)))


def test_suggest_body_escapes_the_prefix() -> None:
    suggest = body.suggest_body("c++ for", 8)
    assert suggest["query"] == {"prefix": {"suggest": "c++ for"}}
    assert suggest["aggs"]["suggest"]["terms"]["include"] == "c\\+\\+\\ for.*"


def test_alias_swap_is_one_atomic_call() -> None:
    assert body.alias_swap("samsok", "samsok-2", ["samsok-1"]) == {
        "actions": [
            {"remove": {"index": "samsok-1", "alias": "samsok"}},
            {"add": {"index": "samsok-2", "alias": "samsok"}},
        ]
    }


def test_parse_search_response() -> None:
    response = {
        "hits": {"total": {"value": 2}, "hits": [{"_source": {"hit": {"id": "7", "title": "Pippi"}}}]},
        "aggregations": {
            "library": {
                "values": {"buckets": [{"key": "Ty", "doc_count": 1}, {"key": "Na", "doc_count": 2}]}
            },
            "year": {
                "values": {
                    "buckets": [{"key": "-1899", "doc_count": 0}, {"key": "1900-1949", "doc_count": 2}]
                }
            },
        },
    }
    result = parse_search_response(response, ("library", "year"))
    assert result.total == 2 and result.hits == [{"id": "7", "title": "Pippi"}]
    assert [(v.value, v.count) for v in result.facets["library"]] == [("Na", 2), ("Ty", 1)]
    assert [v.value for v in result.facets["year"]] == ["1900-1949"]


def test_accessible_media_are_a_keyword_document_field_filter_and_facet() -> None:
    assert body.mappings()["properties"]["accessibility"] == {"type": "keyword"}
    svamp = body.es_document(next(d for d in CORPUS if d["id"] == "16"), 1.0)
    assert svamp["accessibility"] == ["easy_to_read", "large_print"]
    assert svamp["hit"]["accessibility"] == ["easy_to_read", "large_print"]
    assert set(svamp) <= set(body.mappings()["properties"])
    request = SearchRequest(
        filters={"accessibility": ("large_print", "talking_book"), "format": ("book",)},
        facets=("format", "accessibility"),
    )
    search = body.search_body(request, parse_query(""))
    chosen = {"terms": {"accessibility": ["large_print", "talking_book"]}}
    assert search["post_filter"] == {"bool": {"filter": [{"terms": {"format": ["book"]}}, chosen]}}
    # counted without its own selection (OR within), under the format selection (AND across)
    aggregation = search["aggs"]["accessibility"]
    assert aggregation["filter"] == {"bool": {"filter": [{"terms": {"format": ["book"]}}]}}
    assert aggregation["aggs"]["values"] == {"terms": {"field": "accessibility", "size": 10}}
    assert chosen in search["aggs"]["format"]["filter"]["bool"]["filter"]
    response = {
        "hits": {"total": {"value": 3}, "hits": []},
        "aggregations": {
            "accessibility": {
                "values": {
                    "buckets": [{"key": "large_print", "doc_count": 1}, {"key": "braille", "doc_count": 2}]
                }
            }
        },
    }
    counted = parse_search_response(response, ("accessibility",)).facets["accessibility"]
    assert [(v.value, v.count) for v in counted] == [("braille", 2), ("large_print", 1)]


class Recorder:
    """Stands in for the elasticsearch client: records calls, answers like a fresh cluster."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.indices = self

    def __getattr__(self, name: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            if name == "get_alias":
                return {"samsok-1": {"aliases": {"samsok": {}}}}
            if name == "bulk":
                return {"items": [{"index": {"status": 201}}]}
            return None

        return call


def test_rebuild_builds_a_new_generation_then_swaps_the_alias() -> None:
    client = Recorder()
    backend = ElasticsearchBackend(url=None, index="samsok", client=client)
    assert backend.rebuild(CORPUS[:3]) == 3
    names = [name for name, _ in client.calls]
    assert names == [
        "put_index_template",
        "create",
        "bulk",
        "put_settings",
        "refresh",
        "get_alias",
        "update_aliases",
        "delete",
    ]
    new_index = client.calls[1][1]["index"]
    operations = client.calls[2][1]["operations"]
    assert operations[0] == {"index": {"_index": new_index, "_id": "1"}}
    swap = client.calls[6][1]["actions"]
    assert swap == [
        {"remove": {"index": "samsok-1", "alias": "samsok"}},
        {"add": {"index": new_index, "alias": "samsok"}},
    ]
    assert client.calls[7][1] == {"index": "samsok-1"}


# --- scripts: the analyzers fold what tantivy's side folds in Python ---------------------------
# What Lucene's ArabicNormalizer, PersianNormalizer and PersianCharFilter fold (their sources'
# constants): the mapping char filter must fold each of them the same way.
LUCENE_FOLDS = {
    "\u0622": "\u0627",  # ALEF_MADDA -> ALEF
    "\u0623": "\u0627",  # ALEF_HAMZA_ABOVE
    "\u0625": "\u0627",  # ALEF_HAMZA_BELOW
    "\u0649": "\u064a",  # DOTLESS_YEH -> YEH
    "\u0629": "\u0647",  # TEH_MARBUTA -> HEH
    **{chr(code): "" for code in (0x0640, *range(0x064B, 0x0653))},  # TATWEEL, harakat, SHADDA, SUKUN
    "\u06cc": "\u064a",  # FARSI_YEH -> YEH
    "\u06d2": "\u064a",  # YEH_BARREE -> YEH
    "\u06a9": "\u0643",  # KEHEH -> KAF
    "\u06c0": "\u0647",  # HEH_YEH -> HEH
    "\u06c1": "\u0647",  # HEH_GOAL -> HEH
    "\u0654": "",  # HAMZA_ABOVE
    "\u200c": " ",  # ZWNJ (PersianCharFilter)
}


def _es_rule(rule: str) -> tuple[str, str]:
    """A mapping char filter rule read as Elasticsearch reads it: split at =>, trim, unescape."""
    left, right = re.fullmatch(r"(.*)\s*=>\s*(.*)\s*", rule).groups()  # type: ignore[union-attr]
    return _unescape(left.strip()), _unescape(right.strip())


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def test_every_analyzer_folds_scripts_first_with_the_table_tantivy_uses() -> None:
    analysis = body.analysis()
    assert analysis["char_filter"]["script_fold"]["type"] == "mapping"
    rules = dict(_es_rule(rule) for rule in analysis["char_filter"]["script_fold"]["mappings"])
    assert rules == SCRIPT_FOLDS
    assert all(len(source) == 1 for source in rules)  # ES refuses an empty left side
    for name in ("sv_exact", "sv_stem", "sv_fold"):
        assert analysis["analyzer"][name]["char_filter"] == ["script_fold"]
        assert analysis["analyzer"][name]["tokenizer"] == "standard"
    assert rules["\u200c"] == " "  # escaped, so Elasticsearch's trim keeps the space


def test_the_table_folds_everything_lucenes_arabic_and_persian_normalizers_fold() -> None:
    for char, folded in LUCENE_FOLDS.items():
        assert SCRIPT_FOLDS[char] == folded, hex(ord(char))
    assert normalize_script("كِتَابُ أحمد إلى مكتبة") == "كتاب احمد الي مكتبه"
    assert normalize_script("کتاب‌های یک") == "كتاب هاي يك"
    assert normalize_script("Зелёный ЁЖ, їжак ґава") == "Зеленый ЕЖ, їжак ґава"
    assert normalize_script("Östersund") == "Östersund"


def test_digits_of_every_script_read_as_ascii_as_decimal_digit_makes_them() -> None:
    assert normalize_script("٢٠١٩ ۱۴۰۲ ৩") == "2019 1402 3"
    assert DIGIT_FOLDS["\u0663"] == "3" and DIGIT_FOLDS["\u06f3"] == "3"
    assert all(len(digit) == 1 and digit.isdigit() for digit in DIGIT_FOLDS.values())
    assert not set(DIGIT_FOLDS) & set(SCRIPT_FOLDS)  # decimal_digit, not the mapping, folds them


def test_documents_carry_the_original_script_for_the_analyzers_and_the_hit() -> None:
    arabic = body.es_document(next(d for d in CORPUS if d["id"] == "23"), 1.0)
    assert "كِتَابُ الحَيَوَانِ" in arabic["title"]  # as catalogued: Elasticsearch folds it itself
    assert "Kitāb al-ḥayawān" in arabic["title"]
    assert "الجاحظ، عمرو بن بحر" in arabic["author"] and "دار الكتب العلمية" in arabic["notes"]
    assert arabic["hit"]["original"]["dir"] == "rtl" and arabic["hit"]["title_lang"]["lang"] == "ar-Latn"
    assert "كتاب الحيوان\x1fكِتَابُ الحَيَوَانِ" in arabic["suggest"]


def test_query_words_arrive_normalized() -> None:
    query = body.text_query(parse_query("كِتَابُ шатёр"))
    first = query["bool"]["must"][0]["bool"]["should"][0]
    assert first == {"match": {"title": {"query": "كتاب", "boost": 12.0}}}
    assert query["bool"]["must"][1]["bool"]["should"][0]["match"]["title"]["query"] == "шатер"
