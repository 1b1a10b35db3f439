"""Benchmark merging: clustering throughput and pairwise precision/recall against ground truth.

    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_merge.py --records 1000000

Runs in a throw-away test database (created and dropped here). By default the records are the
generator's sample county (``sample``: MARC files per library + ground_truth.tsv), parsed
and mapped with ``catalog.mapping`` like a harvest. With ``--synthetic`` they are generated here as
normalized data (what ``catalog.mapping.map_record`` produces), with the variation union
catalogues show between libraries: ISBN missing in some copies, LIBRIS id only in
copy-catalogued records, title case/punctuation/article differences, inverted author names,
missing years, typos, and hard negatives (the same title/author/year in another format or as
another printing with its own ISBN). About 40 % of titles are held by several libraries.

The synthetic set's second printings have the first's title, author, year and publisher and no
extent: only the ISBN tells them apart, and a copy without it (and without a LIBRIS id) could be
either. So the figures are also reported without such records (``undeterminable``), and without
the twin printings altogether (``twin_printings``); the first figures count everything.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from math import comb
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")  # a development run: no SECRET_KEY needed

import django

django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402

WORD_TEXT = (
    "sommar vinter natt dag hav skog stad hem resa dröm ljus mörker hjärta röst vind eld vatten "
    "sten fjäll ö bro väg flicka pojke mor far syster bror vän fiende kung drottning häxa drake "
    "mumin katt hund häst fågel varg björn räv mus trädgård hus slott kyrka skola bibliotek bok "
    "brev hemlighet minne tid år liv död kärlek krig fred sång saga historia mysteriet fallet "
    "mordet spåret skuggan tystnaden rösten flykten vägen hemkomsten början slutet första sista "
    "stora lilla gamla nya röda blå gröna svarta vita gyllene okända glömda förlorade heliga"
)
FIRST_TEXT = "Tove Astrid Selma Henning Kerstin Jonas Camilla Håkan Åsa Maj Lars Sara Viveca Fredrik Linn"
LAST_TEXT = "Jansson Lindgren Lagerlöf Mankell Ekman Gardell Läckberg Nesser Sjöwall Andersson Öberg Nilsson"
WORDS, FIRST, LAST = WORD_TEXT.split(), FIRST_TEXT.split(), LAST_TEXT.split()
COMMON_TITLES = ["Dikter", "Noveller", "Kokboken", "Resan", "Hemma"]
ARTICLES = {"the": "The ", "en": "En ", "ett": "Ett "}


def random_title(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(COMMON_TITLES)
    words = [rng.choice(WORDS) for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5)))]
    return " ".join(words).capitalize()


def manifestations(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Ground-truth titles: works with one or more manifestations (formats, printings)."""
    found: list[dict[str, Any]] = []
    isbn_counter = 0
    while len(found) < count:
        title = random_title(rng)
        author = (
            (rng.choice(FIRST) + f"{rng.randrange(1000)}", rng.choice(LAST)) if rng.random() < 0.95 else None
        )
        year = rng.randrange(1950, 2026)
        variants = [("book", year)]
        if rng.random() < 0.15:
            variants.append((rng.choice(("audiobook", "ebook", "talking_book", "large_print")), year))
        if rng.random() < 0.05:
            variants.append(("book", year))  # another printing, own ISBN: a hard negative
        if rng.random() < 0.08:
            variants.append(("book", year + rng.randrange(1, 10)))  # a new edition
        for fmt, yr in variants:
            isbn_counter += 1
            body = "91" + str((isbn_counter * 7_919_317 + 1_234_567) % 10**7).zfill(7)
            found.append(
                {
                    "truth": len(found),
                    "title": title,
                    "author": author,
                    "year": yr,
                    "format": fmt,
                    "isbn": isbn13(body),
                    "libris_id": str(10_000_000 + len(found)) if rng.random() < 0.6 else None,
                }
            )
    return found[:count]


def isbn13(body9: str) -> str:
    digits = "978" + body9
    return digits + str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10)


def copy_of(manifestation: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One library's record of a manifestation, catalogued its own way."""
    title = manifestation["title"]
    if rng.random() < 0.2:
        title = title.upper() if rng.random() < 0.5 else title.lower()
    if rng.random() < 0.2:
        title += rng.choice((".", " :", " /", "!"))
    if rng.random() < 0.05:
        title = ARTICLES[rng.choice(list(ARTICLES))] + title
    if rng.random() < 0.01 and len(title) > 4:
        cut = rng.randrange(1, len(title) - 1)
        title = title[:cut] + title[cut + 1 :]  # a typo
    authors = []
    if manifestation["author"]:
        first, last = manifestation["author"]
        authors = [{"name": f"{last}, {first}" if rng.random() < 0.9 else f"{first} {last}", "role": "aut"}]
    copy_catalogued = rng.random() < 0.5
    return {
        "title": title,
        "title_sort": title.lower(),
        "authors": authors,
        "year": manifestation["year"] if rng.random() > 0.03 else None,
        "formats": [manifestation["format"]],
        "isbns": [manifestation["isbn"]] if rng.random() > 0.12 else [],
        "eans": [],
        "libris_id": manifestation["libris_id"] if copy_catalogued else None,
        "publisher": "Förlaget",
        "languages": ["swe"],
    }


Described = dict[int, tuple[str, Any, str, int]]


def generate(
    total: int, libraries: int, seed: int, described: Described | None = None
) -> list[tuple[int, int, dict[str, Any]]]:
    """(library index, truth id, data) for `total` records; ~40 % of titles held by several.
    ``described`` gets each manifestation's description: (title, author, format, year)."""
    rng = random.Random(seed)
    titles = manifestations(total, rng)  # more than enough: most titles have several copies
    if described is not None:
        described.update({m["truth"]: (m["title"], m["author"], m["format"], m["year"]) for m in titles})
    records: list[tuple[int, int, dict[str, Any]]] = []
    for manifestation in titles:
        copies = 1 if rng.random() < 0.6 else min(libraries, 2 + int(rng.expovariate(1 / 3)))
        for library in rng.sample(range(libraries), copies):
            records.append((library, manifestation["truth"], copy_of(manifestation, rng)))
            if len(records) >= total:
                return records
    return records


def county(total: int, seed: int) -> tuple[list[tuple[str, str, dict[str, Any]]], dict[tuple[str, str], str]]:
    """The generator's sample county (sample), read back and mapped like a harvest does."""
    import tempfile

    import pymarc

    from catalog.mapping import map_record
    from sample.county import GROUND_TRUTH, generate_county

    out = Path(tempfile.mkdtemp(prefix="samsok-bench-merge-"))
    started = time.perf_counter()
    summary = generate_county(out, total, seed=seed)
    print(
        f"sample county: {summary.records:,} records, {summary.multi_held_share:.0%} of titles held "
        f"by several libraries, generated in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    truth: dict[tuple[str, str], str] = {}
    with (out / GROUND_TRUTH).open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            code, local_id, manifestation, *_ = line.rstrip("\n").split("\t")
            truth[(code, local_id)] = manifestation
    records: list[tuple[str, str, dict[str, Any]]] = []
    started = time.perf_counter()
    for path in sorted(out.glob("*.mrc")) + sorted(out.glob("*.xml")):
        if path.suffix == ".xml":
            parsed = pymarc.parse_xml_to_array(str(path))
        else:
            parsed = list(pymarc.MARCReader(path.open("rb"), to_unicode=True, force_utf8=True))
        for record in parsed:
            if record is not None:
                records.append((path.stem, record["001"].data, map_record(record)))
    elapsed = time.perf_counter() - started
    print(
        f"parsed and mapped {len(records):,} records in {elapsed:.0f} s ({len(records) / elapsed:,.0f}/s)",
        flush=True,
    )
    return records, truth


def pairwise(clusters: dict[int, list[int]], truth: dict[int, str]) -> tuple[float, float]:
    """Pairwise precision and recall of clusters (record ids) against truth (record id → title)."""
    predicted = sum(comb(len(m), 2) for m in clusters.values())
    true_pairs = sum(comb(n, 2) for n in Counter(truth.values()).values())
    correct = sum(comb(n, 2) for m in clusters.values() for n in Counter(truth[r] for r in m).values())
    return (correct / predicted if predicted else 1.0, correct / true_pairs if true_pairs else 1.0)


def identifiers(data: dict[str, Any]) -> frozenset[str]:
    """What a record could be merged by exactly: ISBNs, EANs, its LIBRIS id."""
    found = {f"isbn:{i}" for i in data.get("isbns") or []} | {f"ean:{e}" for e in data.get("eans") or []}
    return frozenset(found | ({f"libris:{data['libris_id']}"} if data.get("libris_id") else set()))


def pairwise_by_identifier(
    clusters: dict[int, list[int]], truth: dict[int, str], idents: dict[int, frozenset[str]]
) -> dict[str, tuple[float, float, int]]:
    """Precision, recall and true pairs, for pairs sharing an identifier and pairs sharing none."""
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    expected: Counter[str] = Counter()

    def kind(a: int, b: int) -> str:
        return "shared identifier" if idents[a] & idents[b] else "no shared identifier"

    by_truth: dict[str, list[int]] = defaultdict(list)
    for record_id, manifestation in truth.items():
        by_truth[manifestation].append(record_id)
    for members in by_truth.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                expected[kind(a, b)] += 1
    for members in clusters.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                predicted[kind(a, b)] += 1
                correct[kind(a, b)] += truth[a] == truth[b]
    return {
        name: (
            correct[name] / predicted[name] if predicted[name] else 1.0,
            correct[name] / expected[name] if expected[name] else 1.0,
            expected[name],
        )
        for name in ("shared identifier", "no shared identifier")
    }


def confusions(clusters: dict[int, list[int]], truth: dict[int, str], limit: int = 12) -> list[str]:
    """A few wrongly merged and wrongly split manifestations, to look at."""
    out: list[str] = []
    for members in clusters.values():
        if len({truth[r] for r in members}) > 1 and len(out) < limit // 2:
            out.append(f"merged: {sorted({truth[r] for r in members})}")
    where: dict[str, set[int]] = defaultdict(set)
    for cluster_id, members in clusters.items():
        for record_id in members:
            where[truth[record_id]].add(cluster_id)
    out += [f"split: {m} over {len(c)} clusters" for m, c in where.items() if len(c) > 1][: limit - len(out)]
    return out


def undeterminable(records: list[tuple[int, int, dict[str, Any]]], described: Described) -> set[int]:
    """Indexes of the records no catalogue could place: without ISBN and LIBRIS id, while another
    manifestation present has the same title, author, format and publisher and the record's year
    (or any year, the record stating none). The generator's second printings differ from the first
    by their ISBN alone (same description, no extent), so their unidentified copies are such."""
    years: dict[tuple[str, Any, str], dict[int, int]] = defaultdict(dict)
    for truth in {truth for _, truth, _ in records}:
        title, author, fmt, year = described[truth]
        years[(title, author, fmt)][truth] = year
    found = set()
    for index, (_, truth, data) in enumerate(records):
        if data.get("isbns") or data.get("libris_id"):
            continue
        title, author, fmt, year = described[truth]
        twins = [y for t, y in years[(title, author, fmt)].items() if t != truth]
        if twins and (not data.get("year") or year in twins):
            found.add(index)
    return found


def twin_printings(records: list[tuple[int, int, dict[str, Any]]], described: Described) -> set[int]:
    """Indexes of the records of a printing that has a twin: another manifestation with the same
    title, author, format, year and publisher (the generator's hard negatives)."""
    count = Counter(described[truth] for truth in {truth for _, truth, _ in records})
    return {index for index, (_, truth, _) in enumerate(records) if count[described[truth]] > 1}


def store(rows: list[tuple[int, str, dict[str, Any]]]) -> None:
    """Insert the records: COPY on PostgreSQL (the harvest's own speed is not measured here)."""
    import json

    from django.db import connection
    from django.utils import timezone

    from catalog.models import SourceRecord

    if connection.vendor != "postgresql":
        objects = [SourceRecord(source_id=s, local_id=local_id, data=data) for s, local_id, data in rows]
        SourceRecord.objects.bulk_create(objects, batch_size=2000)
        return
    now = timezone.now()
    columns = (
        "source_id, local_id, kind, parent_local_id, raw, raw_format, checksum, deleted, error, repairs, "
        "data, merge_reason, harvested_at"
    )
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {SourceRecord._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for source_id, local_id, data in rows:
            copy.write_row(
                (source_id, local_id, "bib", "", b"", "", "", False, "", "[]", json.dumps(data), "", now)
            )


def run(total: int, libraries: int, seed: int, use_county: bool) -> None:
    from catalog.models import Cluster, SourceRecord
    from harvest.models import Source

    started = time.perf_counter()
    # synthetic only: records no description can place; the records of twin printings
    hidden: dict[str, set[tuple[str, str]]] = {}
    if use_county:
        generated, county_truth = county(total, seed)
    else:
        described: Described = {}
        synthetic = generate(total, libraries, seed, described)
        for name, found in (
            ("records no description can place (no ISBN or LIBRIS id, a twin printing)", undeterminable),
            ("records of twin printings (same title/author/year/publisher, no extent)", twin_printings),
        ):
            hidden[name] = {(f"L{synthetic[n][0]}", str(n)) for n in found(synthetic, described)}
        generated = [(f"L{lib}", str(n), data) for n, (lib, _, data) in enumerate(synthetic)]
        county_truth = {(f"L{lib}", str(n)): str(truth) for n, (lib, truth, _) in enumerate(synthetic)}
    codes = sorted({code for code, _, _ in generated})
    sources = {code: Source.objects.create(name=code, protocol="marc-file", url="x") for code in codes}
    truth_by_key: dict[tuple[int, str], str] = {}
    for code, local_id, _data in generated:
        truth_by_key[(sources[code].pk, local_id)] = county_truth[(code, local_id)]
    store([(sources[code].pk, local_id, data) for code, local_id, data in generated])
    print(
        f"generated and stored {len(generated):,} records in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    ids = list(SourceRecord.objects.order_by("?").values_list("id", flat=True))
    elapsed = timed_clustering(ids)
    print(
        f"clustered {len(ids):,} records in {elapsed:.1f} s: {len(ids) / elapsed:,.0f} records/s", flush=True
    )

    truth: dict[int, str] = {}
    clusters: dict[int, list[int]] = defaultdict(list)
    idents: dict[int, frozenset[str]] = {}
    names: dict[int, tuple[str, str]] = {}
    code_of = {source.pk: code for code, source in sources.items()}
    for record_id, source_id, local_id, cluster_id, data in SourceRecord.objects.values_list(
        "id", "source_id", "local_id", "cluster_id", "data"
    ).iterator(chunk_size=20000):
        truth[record_id] = truth_by_key[(source_id, local_id)]
        clusters[cluster_id].append(record_id)
        idents[record_id] = identifiers(data)
        names[record_id] = (code_of[source_id], local_id)
    precision, recall = pairwise(clusters, truth)
    print(f"clusters {Cluster.objects.count():,} (ground truth {len(set(truth.values())):,})")
    print(f"pairwise precision {precision:.4f}, recall {recall:.4f}")
    for name, (p, r, pairs) in pairwise_by_identifier(clusters, truth, idents).items():
        print(f"  pairs with {name}: precision {p:.4f}, recall {r:.4f} ({pairs:,} true pairs)")
    for what, left_out in hidden.items():
        hidden_ids = {rid for rid, key in names.items() if key in left_out}
        kept = {rid: title for rid, title in truth.items() if rid not in hidden_ids}
        visible = {cid: [r for r in members if r in kept] for cid, members in clusters.items()}
        precision, recall = pairwise(visible, kept)
        print(f"without the {len(hidden_ids):,} {what}: precision {precision:.4f}, recall {recall:.4f}")
        for name, (p, r, pairs) in pairwise_by_identifier(visible, kept, idents).items():
            print(f"  pairs with {name}: precision {p:.4f}, recall {r:.4f} ({pairs:,} true pairs)")

    # The first change after the bulk run meets its dead row versions and unset hint bits (one
    # UPDATE of every record: on a server without autovacuum they stay until a query or VACUUM
    # clears them); the next ones meet what a nightly run meets. Each change is reverted.
    times = [incremental(ids, seed + attempt) for attempt in (1, 2, 3, 4)]
    print(
        f"incremental: 2,000 changed records re-clustered in {times[0]:.2f} s right after the bulk run, "
        f"then {', '.join(f'{t:.2f}' for t in times[1:])} s (median {sorted(times[1:])[1]:.2f} s)"
    )
    print(f"load: {os.getloadavg()}")


def timed_clustering(ids: list[int]) -> float:
    """Seconds ``assign_clusters`` takes for these records (profiled, sorted by the environment's
    BENCH_PROFILE, when it is set)."""
    from catalog.clustering import assign_clusters

    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("assign_clusters(ids)", globals(), locals(), sort=os.environ["BENCH_PROFILE"])
    else:
        assign_clusters(ids)
    return time.perf_counter() - started


def incremental(ids: list[int], seed: int) -> float:
    """Seconds to re-cluster 2,000 records whose year changed; then they are changed back."""
    from catalog.clustering import assign_clusters
    from catalog.models import SourceRecord

    changed = random.Random(seed).sample(ids, min(2000, len(ids)))
    records = list(SourceRecord.objects.filter(id__in=changed))
    before = {record.id: record.data for record in records}
    for record in records:
        record.data = {**record.data, "year": (record.data.get("year") or 2000) + 1}
    SourceRecord.objects.bulk_update(records, ["data"], batch_size=1000)
    elapsed = timed_clustering(changed)
    for record in records:
        record.data = before[record.id]
    SourceRecord.objects.bulk_update(records, ["data"], batch_size=1000)
    assign_clusters(changed)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--libraries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="normalized records made here instead of sample's MARC",
    )
    args = parser.parse_args()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run(args.records, args.libraries, args.seed, use_county=not args.synthetic)
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
