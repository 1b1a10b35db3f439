"""The patron pages' county: four libraries, a dozen titles made from real MARC.

Records are built with pymarc, mapped with the real `catalog.mapping.map_record`, stored as
SourceRecords with Holdings, grouped into Clusters and (optionally) indexed through the real
search backend, so the pages under test see what a harvested county would give them.
"""

from dataclasses import dataclass, field

import pymarc

from catalog.mapping import map_record
from catalog.models import Cluster, Library
from tests.world.places import library, source
from tests.world.shelves import Copy, index_titles, shelve, title

LIBRARIES = ["Nyks", "Ty", "Na", "Sods"]

# (key, title, subtitle, author, year, isbn, language, leader/06-07, 008 extras, subjects, holdings)
# holdings: list of (library code, status, queue)
TITLES = [
    (
        "pippi",
        "Pippi Långstrump",
        "",
        "Lindgren, Astrid",
        1945,
        "9789129657807",
        "swe",
        "am",
        ["Barn", "Humor"],
        [("Nyks", "available", None), ("Ty", "available", None), ("Na", "on_loan", 2)],
    ),
    (
        "pippi-en",
        "Pippi Longstocking",
        "",
        "Lindgren, Astrid",
        2007,
        "9780142402498",
        "eng",
        "am",
        ["Barn"],
        [("Sods", "available", None)],
    ),
    (
        "bröderna",
        "Bröderna Lejonhjärta",
        "",
        "Lindgren, Astrid",
        1973,
        "9789129688313",
        "swe",
        "am",
        ["Barn", "Fantasy"],
        [("Nyks", "on_loan", 4), ("Ty", "on_loan", 1)],
    ),
    (
        "emil",
        "Emil i Lönneberga",
        "",
        "Lindgren, Astrid",
        1963,
        "9789129688320",
        "swe",
        "im",
        ["Barn"],
        [("Na", "available", None)],
    ),
    (
        "röda",
        "Röda rummet",
        "skildringar ur artist- och författarlivet",
        "Strindberg, August",
        1879,
        "9789100137472",
        "swe",
        "am",
        ["Stockholm", "Satir"],
        [("Sods", "available", None), ("Nyks", "not_for_loan", None)],
    ),
    (
        "hemsöborna",
        "Hemsöborna",
        "",
        "Strindberg, August",
        1887,
        "9789100148089",
        "swe",
        "am",
        ["Skärgården"],
        [("Ty", "available", None)],
    ),
    (
        "kallocain",
        "Kallocain",
        "roman från 2000-talet",
        "Boye, Karin",
        1940,
        "9789100125288",
        "swe",
        "am",
        ["Dystopier"],
        [("Na", "on_loan", None), ("Sods", "on_loan", None)],
    ),
    (
        "utvandrarna",
        "Utvandrarna",
        "",
        "Moberg, Vilhelm",
        1949,
        "9789100129781",
        "swe",
        "am",
        ["Emigration", "Småland"],
        [
            ("Nyks", "available", None),
            ("Ty", "available", None),
            ("Na", "available", None),
            ("Sods", "available", None),
        ],
    ),
    (
        "mumin",
        "Kometen kommer",
        "",
        "Jansson, Tove",
        1946,
        "9789150116037",
        "swe",
        "am",
        ["Mumintrollen", "Barn"],
        [("Ty", "in_transit", None)],
    ),
    (
        "doktor",
        "Doktor Glas",
        "",
        "Söderberg, Hjalmar",
        1905,
        "9789174290677",
        "swe",
        "am",
        ["Stockholm"],
        [("Nyks", "available", None)],
    ),
    (
        "araby",
        "ألف ليلة وليلة",
        "",
        "Okänd",
        1990,
        "9789953870501",
        "ara",
        "am",
        ["Sagor"],
        [("Sods", "available", None)],
    ),
    (
        "xss",
        '<script>alert("x")</script><b>Farlig</b> titel',
        "",
        '"><img src=x onerror=alert(1)>',
        2001,
        "",
        "swe",
        "am",
        ["<i>ämne</i>"],
        [("Nyks", "available", None)],
    ),
]


def marc_record(
    key: str,
    title: str,
    subtitle: str,
    author: str,
    year: int,
    isbn: str,
    language: str,
    leader_type: str,
    subjects: list[str],
) -> pymarc.Record:
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader(f"00000n{leader_type} a2200000 i 4500")
    record.add_field(pymarc.Field(tag="001", data=f"rec-{key}"))
    fixed = f"010101s{year}    sw            000 0 {language} d"
    record.add_field(pymarc.Field(tag="008", data=fixed))
    if isbn:
        record.add_field(
            pymarc.Field(
                tag="020", indicators=pymarc.Indicators(" ", " "), subfields=[pymarc.Subfield("a", isbn)]
            )
        )
    record.add_field(
        pymarc.Field(
            tag="041", indicators=pymarc.Indicators(" ", " "), subfields=[pymarc.Subfield("a", language)]
        )
    )
    record.add_field(
        pymarc.Field(
            tag="100",
            indicators=pymarc.Indicators("1", " "),
            subfields=[pymarc.Subfield("a", author), pymarc.Subfield("4", "aut")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="084",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[pymarc.Subfield("a", "Hcg"), pymarc.Subfield("2", "kssb/8")],
        )
    )
    title_subfields = [pymarc.Subfield("a", title)]
    if subtitle:
        title_subfields.append(pymarc.Subfield("b", subtitle))
    record.add_field(
        pymarc.Field(tag="245", indicators=pymarc.Indicators("1", "0"), subfields=title_subfields)
    )
    record.add_field(
        pymarc.Field(
            tag="264",
            indicators=pymarc.Indicators(" ", "1"),
            subfields=[
                pymarc.Subfield("a", "Stockholm"),
                pymarc.Subfield("b", "Bonnier"),
                pymarc.Subfield("c", str(year)),
            ],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="520",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[pymarc.Subfield("a", f"Om {title}.")],
        )
    )
    for subject in subjects:
        record.add_field(
            pymarc.Field(
                tag="650",
                indicators=pymarc.Indicators(" ", "7"),
                subfields=[pymarc.Subfield("a", subject), pymarc.Subfield("2", "sao")],
            )
        )
    return record


@dataclass
class County:
    libraries: dict[str, Library] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)

    def cluster(self, key: str) -> Cluster:
        return self.clusters[key]


def build_county(index: bool = True) -> County:
    county = County(libraries={code: library(code) for code in LIBRARIES})
    for key, name, subtitle, author, year, isbn, language, leader, subjects, holdings in TITLES:
        record = marc_record(key, name, subtitle, author, year, isbn, language, leader, subjects)
        county.clusters[key] = shelve_marc(
            key,
            record,
            isbn,
            [Copy(code, status, queue=queue, shelf="Vuxen") for code, status, queue in holdings],
        )
    if index:
        index_titles(county.clusters.values())
    return county


def shelve_marc(key: str, record: pymarc.Record, isbn: str, copies: list[Copy]) -> Cluster:
    """One title held by each copy's library, each library's record merged into one cluster."""
    data = map_record(record)
    cluster = title(data, work_key="pippi|lindgren" if key.startswith("pippi") else f"{key}|work")
    reason = f"same ISBN {isbn}" if isbn else "same title+author+year"
    for position, copy in enumerate(copies):
        own = source(library(copy.library))
        member = shelve(
            cluster,
            own,
            f"rec-{key}",
            [copy],
            data=data,
            raw=record.as_marc(),
            merge_reason=reason if position else "",
        )
        if position == 0:
            cluster.display_record = member
            cluster.save(update_fields=["display_record"])
    return cluster
