"""The record page's description: every mapped field of Cluster.data, labelled, in reading order.

Cluster.data follows the mapping contract (ARCHITECTURE "Cross-area contracts" 1). Values are
read defensively: a harvested record may lack any field or carry an unexpected shape.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.accessible import accessible_label
from opac.labels import audience_label, format_label, language_label, relator_label


def _item_text(item: object) -> str:
    if isinstance(item, dict):
        for key in ("term", "name", "text", "title", "url", "value"):
            if item.get(key):
                return str(item[key])
        return ""
    return "" if item is None else str(item)


def as_list(value: object) -> list[str]:
    """Any mapped value as a list of non-empty strings (dicts give their term/name/text)."""
    items = value if isinstance(value, list | tuple) else [value]
    return [text for text in (_item_text(item).strip() for item in items) if text]


def full_title(data: dict[str, object]) -> str:
    """ "Title : subtitle", as citation tools and feeds show a title."""
    return " : ".join(as_list([data.get("title"), data.get("subtitle")]))


def names(value: object) -> list[str]:
    return as_list(value)


def people(value: object) -> list[str]:
    """Names with their role in parentheses where the record gives one."""
    result = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and item.get("name"):
            code = str(item.get("role") or "").strip()
            # The main author's role goes without saying; other roles are worth a word.
            role = relator_label(code) if code and code.lower() != "aut" else ""
            result.append(f"{item['name']} ({role})" if role else str(item["name"]))
        elif isinstance(item, str) and item:
            result.append(item)
    return result


def safe_links(value: object) -> list[dict[str, str]]:
    """Only http(s) links: a harvested 856 must never become a javascript: or data: URL."""
    links = []
    for item in value if isinstance(value, list) else []:
        url = str(item.get("url", "")) if isinstance(item, dict) else str(item)
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc:
            text = str(item.get("text") or "") if isinstance(item, dict) else ""
            links.append({"url": url, "text": text or url})
    return links


@dataclass
class DetailRow:
    label: Promise | str
    values: list[str] = field(default_factory=list)
    kind: str = "text"  # text | subjects | links | long
    links: list[dict[str, str]] = field(default_factory=list)
    language: dict[str, str] = field(default_factory=dict)  # lang and dir when not the page's


def subject_links(value: object) -> list[dict[str, str]]:
    """Each subject term as a link to a search for everything with that subject."""
    return [
        {"url": "/sok/?" + urlencode({"subject": term}), "text": term}
        for term in dict.fromkeys(as_list(value))
    ]


def author_links(value: object) -> list[dict[str, str]]:
    """Each author as a link to an author search (a phrase, so "Lindgren, Astrid" stays together)."""
    links = []
    for name in dict.fromkeys(names(value)):
        phrase = name.replace('"', " ")
        links.append({"url": "/sok/?" + urlencode({"q": f'author:"{phrase}"'}), "text": name})
    return links


def _text_rows(data: dict[str, object]) -> list[DetailRow]:
    year = data.get("year")
    return [
        DetailRow(_("Author"), people(data.get("authors"))),
        DetailRow(_("Contributors"), people(data.get("contributors"))),
        DetailRow(_("Statement of responsibility"), as_list(data.get("responsibility"))),
        DetailRow(_("Format"), [format_label(code) for code in as_list(data.get("formats"))]),
        DetailRow(
            _("Accessible media"), [accessible_label(code) for code in as_list(data.get("accessibility"))]
        ),
        DetailRow(_("Language"), [language_label(code) for code in as_list(data.get("languages"))]),
        DetailRow(_("Edition"), as_list(data.get("edition"))),
        DetailRow(_("Published"), [", ".join(as_list([data.get("place"), data.get("publisher")]))]),
        DetailRow(_("Year"), [str(year)] if year else []),
        DetailRow(_("Extent"), as_list(data.get("extent"))),
        DetailRow(_("Series"), as_list(data.get("series"))),
        DetailRow(_("Audience"), [audience_label(code) for code in as_list(data.get("audience"))]),
        DetailRow(_("Genre"), as_list(data.get("genres"))),
        DetailRow(_("Classification"), classification_codes(data.get("classifications"))),
    ]


def classification_codes(value: object) -> list[str]:
    """SAB, DDC …: "Hcg (kssb/8)"; the scheme is what 084 $2 says."""
    codes = value if isinstance(value, list) else []
    return [
        f"{item['code']} ({item['scheme']})" if item.get("scheme") else str(item["code"])
        for item in codes
        if isinstance(item, dict) and item.get("code")
    ]


def _identifier_rows(data: dict[str, object]) -> list[DetailRow]:
    invalid = [str(_("%(isbn)s (invalid)") % {"isbn": isbn}) for isbn in as_list(data.get("invalid_isbns"))]
    return [
        DetailRow(_("ISBN"), as_list(data.get("isbns")) + invalid),
        DetailRow(_("ISSN"), as_list(data.get("issns"))),
        DetailRow(_("EAN"), as_list(data.get("eans"))),
        DetailRow(_("LIBRIS id"), as_list(data.get("libris_id"))),
        DetailRow(_("System numbers"), as_list(data.get("system_numbers"))),
    ]


def original_script_rows(data: dict[str, object]) -> list[DetailRow]:
    """Responsibility, edition, imprint and series in the original script (880), marked with
    their language and direction."""
    original = data.get("original_script")
    if not isinstance(original, dict) or not original:
        return []
    language = {"lang": str(original.get("lang") or ""), "dir": str(original.get("dir") or "ltr")}
    published = ", ".join(as_list([original.get("place"), original.get("publisher")]))
    rows = [
        DetailRow(
            _("Statement of responsibility in original script"), as_list(original.get("responsibility"))
        ),
        DetailRow(_("Edition in original script"), as_list(original.get("edition"))),
        DetailRow(_("Published in original script"), [published] if published else []),
        DetailRow(_("Series in original script"), as_list(original.get("series"))),
    ]
    for row in rows:
        row.language = language
    return rows


def description_rows(data: dict[str, object]) -> list[DetailRow]:
    """The rows of the record's description list; empty fields are left out."""
    rows = [
        *_text_rows(data),
        *original_script_rows(data),
        DetailRow(_("Subjects"), kind="subjects", links=subject_links(data.get("subjects"))),
        DetailRow(_("Summary"), as_list(data.get("summary")), kind="long"),
        DetailRow(_("Contents"), as_list(data.get("contents")), kind="long"),
        DetailRow(_("Notes"), as_list(data.get("notes")), kind="long"),
        *_identifier_rows(data),
        DetailRow(_("Online"), kind="links", links=safe_links(data.get("links"))),
    ]
    return [row for row in rows if any(row.values) or row.links]
