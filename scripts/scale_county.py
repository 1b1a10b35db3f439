"""The county of scripts/bench_scale.py: 26 libraries, and the files of the first and the nightly run.

The sample county (``sample``) has ten libraries; Stockholm county has 26 municipalities. The 16
others are made from the ten (each takes one's cataloguing style, export format and holdings
profile) with their own code, name, branch and collection size, so the generator's popularity
skew spreads every title over 26 libraries as it does over ten.

The county is generated with a few more records than the size asked for; the last records of
each library's file (the generator writes them in the same order as ground_truth.tsv) are held
back from the first harvest: they are the nightly run's new acquisitions. The nightly files are
the first files with those added, and as many records deleted and as many changed (a 500 note,
written into the record's own bytes: every other record keeps its bytes, so a harvest finds it
unchanged). Records are split with the harvest's own splitters (``harvest.protocols.marc_file``).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from random import Random

from harvest.protocols.marc_file import HEADER_LIMIT, _first_record_start, iso2709_chunks, xml_chunks
from sample import GROUND_TRUTH, LIBRARIES, SampleLibrary

# (code, municipality, relative collection size) of the county's 16 other municipal libraries.
OTHER_LIBRARIES = (
    ("Sthm", "Stockholm", 3.0),
    ("Sol", "Solna", 0.9),
    ("Sbg", "Sundbyberg", 0.6),
    ("Tby", "Täby", 0.9),
    ("Dyd", "Danderyd", 0.5),
    ("Vtna", "Vallentuna", 0.5),
    ("Ostr", "Österåker", 0.6),
    ("Vax", "Vaxholm", 0.3),
    ("Ekr", "Ekerö", 0.4),
    ("Uvby", "Upplands Väsby", 0.6),
    ("Sig", "Sigtuna", 0.6),
    ("Ubro", "Upplands-Bro", 0.4),
    ("Sal", "Salem", 0.3),
    ("Nkv", "Nykvarn", 0.2),
    ("Nhn", "Nynäshamn", 0.4),
    ("Ntlj", "Norrtälje", 0.8),
)
_XML_001 = re.compile(rb'<(?:[\w.-]+:)?controlfield\s+tag="001"\s*>([^<]*)<')
_XML_ENDS = re.compile(rb"</(?:[\w.-]+:)?record\s*>")
NOTE = "Uppgiften rättad i nattens körning"


def county_libraries() -> tuple[SampleLibrary, ...]:
    """The ten sample libraries and 16 more: a county of 26."""
    made = []
    for n, (code, municipality, size) in enumerate(OTHER_LIBRARIES):
        base = LIBRARIES[n % len(LIBRARIES)]
        slug = municipality.lower().replace(" ", "-").translate(str.maketrans("åäö", "aao"))
        made.append(
            replace(
                base,
                code=code,
                name=f"{municipality} bibliotek",
                municipality=municipality,
                email=f"bibliotek@{slug}.example",
                homepage=f"https://bibliotek.{slug}.example/",
                branches=((f"{code}H", f"{municipality} huvudbibliotek"),),
                size=size,
            )
        )
    return LIBRARIES + tuple(made)


@dataclass
class Delta:
    """What the nightly files change: (library code, local id) of each record."""

    added: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.deleted) + len(self.changed)


def held_back(out_dir: Path, keep: int) -> set[tuple[str, str]]:
    """(library, local id) of the generated records after the first ``keep`` (ground truth order)."""
    found: set[tuple[str, str]] = set()
    with (out_dir / GROUND_TRUTH).open(encoding="utf-8") as lines:
        next(lines)
        for number, line in enumerate(lines):
            if number >= keep:
                code, local_id, *_ = line.split("\t", 2)
                found.add((code, local_id))
    return found


def split_files(
    generated: Path, first: Path, nightly: Path, keep: int, share: float, seed: int
) -> tuple[Delta, dict[str, int]]:
    """Write each library's first and nightly file from the generated one (which is removed):
    records after the first ``keep`` only in the nightly file; of the others ``share`` / 2
    deleted and ``share`` / 2 changed there. Returns the delta and the first files' record counts."""
    added = held_back(generated, keep)
    delta, counts = Delta(), {}
    rng = Random(f"{seed}:nightly")
    for path in sorted(generated.glob("*.mrc")) + sorted(generated.glob("*.xml")):
        code = path.stem
        with (first / path.name).open("wb") as initial, (nightly / path.name).open("wb") as later:
            head, tail = _frame(path)
            initial.write(head)
            later.write(head)
            counts[code] = 0
            for raw, local_id in _records(path):
                if (code, local_id) in added:
                    delta.added.append((code, local_id))
                    later.write(raw)
                    continue
                counts[code] += 1
                initial.write(raw)
                draw = rng.random()
                if draw < share / 2:
                    delta.deleted.append((code, local_id))
                elif draw < share:
                    delta.changed.append((code, local_id))
                    later.write(with_note(raw, path.suffix == ".xml"))
                else:
                    later.write(raw)
            initial.write(tail)
            later.write(tail)
        path.unlink()
    return delta, counts


def next_nightly(
    first: Path, nightly: Path, share: float, rng: Random, mix: tuple[float, float, float] = (1, 1, 1)
) -> tuple[Delta, int]:
    """Another nightly run's files, made from the county's files as they are now (``first``): of
    each library's records ``share`` changed, in the proportions ``mix`` (deleted, changed: a note
    added, added: a copy under a new 001, a new acquisition of a title the library holds; a third
    each by default). Returns the delta and how many records the files hold before it."""
    delta, records = Delta(), 0
    mark = f"n{rng.randrange(16**6):06x}"
    deleted, changed, _added = (share * part / sum(mix) for part in mix)
    for path in sorted(first.glob("*.mrc")) + sorted(first.glob("*.xml")):
        code, xml = path.stem, path.suffix == ".xml"
        with (nightly / path.name).open("wb") as later:
            head, tail = _frame(path)
            later.write(head)
            for raw, local_id in _records(path):
                records += 1
                draw = rng.random()
                if draw < deleted:
                    delta.deleted.append((code, local_id))
                    continue
                later.write(with_note(raw, xml) if draw < deleted + changed else raw)
                if draw < deleted + changed:
                    delta.changed.append((code, local_id))
                elif draw < share:
                    delta.added.append((code, f"{local_id}-{mark}"))
                    later.write(with_control_number(raw, f"{local_id}-{mark}", xml))
            later.write(tail)
    return delta, records


def _frame(path: Path) -> tuple[bytes, bytes]:
    """What an XML file has before its first record and after its last (``</collection>``)."""
    if path.suffix != ".xml":
        return b"", b""
    with path.open("rb") as stream:
        head = stream.read(HEADER_LIMIT)
        stream.seek(max(0, path.stat().st_size - HEADER_LIMIT))
        end = stream.read()
    last = list(_XML_ENDS.finditer(end))[-1]
    return head[: _first_record_start(head)], end[last.end() :].lstrip()


def _records(path: Path) -> Iterator[tuple[bytes, str]]:
    """Each record's bytes (as the harvest splits them) and its 001."""
    with path.open("rb") as stream:
        if path.suffix == ".xml":
            for raw, _ in xml_chunks(stream, 0):
                yield raw + b"\n", xml_control_number(raw)
        else:
            for raw, _ in iso2709_chunks(stream, 0):
                yield raw, iso2709_control_number(raw)


def iso2709_control_number(raw: bytes) -> str:
    """The 001 of an ISO 2709 record, read from its directory."""
    base = int(raw[12:17])
    for entry in range(24, base - 1, 12):
        if raw[entry : entry + 3] == b"001":
            length, start = int(raw[entry + 3 : entry + 7]), int(raw[entry + 7 : entry + 12])
            return raw[base + start : base + start + length - 1].decode("utf-8").strip()
    return ""


def xml_control_number(raw: bytes) -> str:
    found = _XML_001.search(raw)
    return found.group(1).decode("utf-8").strip() if found else ""


def with_control_number(raw: bytes, local_id: str, xml: bool) -> bytes:
    """The record under another 001 (its other fields as they were)."""
    if xml:
        found = _XML_001.search(raw)
        assert found is not None, "a record of the county without a 001"
        return raw[: found.start(1)] + local_id.encode() + raw[found.end(1) :]
    base = int(raw[12:17])
    directory, data = b"", b""
    for entry in range(24, base - 1, 12):
        tag, length, start = (
            raw[entry : entry + 3],
            int(raw[entry + 3 : entry + 7]),
            int(raw[entry + 7 : entry + 12]),
        )
        value = local_id.encode() + b"\x1e" if tag == b"001" else raw[base + start : base + start + length]
        directory += b"%s%04d%05d" % (tag, len(value), len(data))
        data += value
    return _iso2709(raw, directory, data)


def with_note(raw: bytes, xml: bool) -> bytes:
    """The record with a 500 note added at its end (its other bytes as they were)."""
    if xml:
        note = f'  <datafield tag="500" ind1=" " ind2=" "><subfield code="a">{NOTE}</subfield></datafield>\n'
        stripped = raw.rstrip()
        end = list(_XML_ENDS.finditer(stripped))[-1]  # a record chunk ends with its end tag
        return stripped[: end.start()] + note.encode() + stripped[end.start() :] + b"\n"
    base = int(raw[12:17])
    directory, data = raw[24 : base - 1], raw[base:-1]  # without the field and record terminators
    added = b"  \x1fa" + NOTE.encode() + b"\x1e"
    directory += b"500%04d%05d" % (len(added), len(data))
    return _iso2709(raw, directory, data + added)


def _iso2709(raw: bytes, directory: bytes, data: bytes) -> bytes:
    """An ISO 2709 record of this directory and these fields (each with its terminator), under
    ``raw``'s leader with the record length and base address made anew."""
    base = 24 + len(directory) + 1
    return (
        b"%05d" % (base + len(data) + 1)
        + raw[5:12]
        + b"%05d" % base
        + raw[17:24]
        + directory
        + b"\x1e"
        + data
        + b"\x1d"
    )
