"""A county holding one work in every accessible medium, harvested, clustered and indexed.

The records are tests.catalog.accessible_records (LIBRIS-shaped, pymarc), stored as each holding
library's source delivers them (the same LIBRIS record from several libraries is one cluster),
clustered by the real ``recluster`` (which assigns the works) and indexed by the real backend.
"""

from dataclasses import dataclass

from pymarc import Record

from catalog.clustering import recluster
from catalog.models import Cluster
from catalog.search.indexing import index_clusters
from tests.catalog import accessible_records as made
from tests.catalog.records import store_marc
from tests.world.places import library, source

# Who holds which edition (sigel codes of tests.world.places).
HOLDERS: dict[str, tuple[Record, tuple[str, ...]]] = {
    "ordinary": (made.ordinary(), ("Nyks", "Ty", "Na")),
    "large_print": (made.large_print(), ("Nyks", "Ty")),
    "easy_to_read": (made.easy_to_read(), ("Na",)),
    "talking_book": (made.talking_book(), ("Ty",)),
    "braille": (made.braille(), ("Li",)),
    "audiobook": (made.audiobook_cd(), ("Nyks", "Sods")),
    "easy_large_print": (made.easy_large_print(), ("Sods",)),
    "sign_language": (made.sign_language_video(), ("Li",)),
}


@dataclass
class AccessibleCounty:
    clusters: dict[str, Cluster]

    def __getitem__(self, name: str) -> Cluster:
        return self.clusters[name]


def build_accessible_county(index: bool = True) -> AccessibleCounty:
    stored = {
        name: [store_marc(source(library(code)), record) for code in codes]
        for name, (record, codes) in HOLDERS.items()
    }
    recluster([r.pk for records in stored.values() for r in records])
    clusters = {}
    for name, records in stored.items():
        records[0].refresh_from_db()
        assert records[0].cluster is not None
        clusters[name] = records[0].cluster
    if index:
        index_clusters(cluster.pk for cluster in clusters.values())
    return AccessibleCounty(clusters)
