"""End to end on the generator's sample county: MARC → mapping → clusters vs its ground truth."""

from collections import Counter
from math import comb
from pathlib import Path

import pymarc
import pytest

from catalog.clustering import assign_clusters
from catalog.mapping import map_record
from catalog.models import SourceRecord
from sample.county import GROUND_TRUTH, generate_county
from tests.catalog.records import source

pytestmark = pytest.mark.django_db


def read_county(out: Path) -> dict[str, list[pymarc.Record]]:
    files = {}
    for path in sorted(out.glob("*.mrc")) + sorted(out.glob("*.xml")):
        if path.suffix == ".xml":
            files[path.stem] = [r for r in pymarc.parse_xml_to_array(str(path)) if r]
        else:
            with path.open("rb") as fh:
                files[path.stem] = [r for r in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True) if r]
    return files


def test_sample_county_merges_with_high_precision_and_recall(tmp_path: Path) -> None:
    generate_county(tmp_path, 300, seed=7)
    truth = {}
    for line in (tmp_path / GROUND_TRUTH).read_text(encoding="utf-8").splitlines()[1:]:
        code, local_id, manifestation, *_ = line.split("\t")
        truth[(code, local_id)] = manifestation
    ids = []
    for code, records in read_county(tmp_path).items():
        src = source(code)
        for record in records:
            ids.append(
                SourceRecord.objects.create(
                    source=src, local_id=record["001"].data, data=map_record(record)
                ).pk
            )
    assign_clusters(ids)

    clusters: dict[int, list[str]] = {}
    for name, local_id, cluster_id in SourceRecord.objects.values_list(
        "source__name", "local_id", "cluster_id"
    ):
        clusters.setdefault(cluster_id, []).append(truth[(name, local_id)])
    predicted = sum(comb(len(m), 2) for m in clusters.values())
    correct = sum(comb(n, 2) for m in clusters.values() for n in Counter(m).values())
    expected = sum(comb(n, 2) for n in Counter(truth.values()).values())
    assert predicted and expected
    assert correct / predicted >= 0.995  # precision
    assert correct / expected >= 0.98  # recall
