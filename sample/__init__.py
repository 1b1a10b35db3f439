"""The project's own sample county: libraries, MARC records with holdings, and merge ground truth.

``generate_county(out_dir, records, seed)`` writes one export per library (ISO 2709 or MARCXML),
``libraries.json``, ``ground_truth.tsv`` (library, local id, manifestation, work, format) and
``generation.json``. Used by ``manage.py generate_county`` and ``manage.py demo_county``.
"""

from sample.county import (
    DEFAULT_AS_OF,
    GROUND_TRUTH,
    LIBRARIES_FILE,
    MANIFEST,
    CountySummary,
    generate_county,
    read_manifest,
)
from sample.libraries import LIBRARIES, SampleLibrary

__all__ = [
    "DEFAULT_AS_OF",
    "GROUND_TRUTH",
    "LIBRARIES",
    "LIBRARIES_FILE",
    "MANIFEST",
    "CountySummary",
    "SampleLibrary",
    "generate_county",
    "read_manifest",
]
