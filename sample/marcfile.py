"""Streaming MARC writers: ISO 2709 (``.mrc``) and a MARCXML collection (``.xml``).

Written by hand rather than through pymarc objects because the generator must produce tens of
thousands of records a second; the tests parse every file back with pymarc and compare.
"""

import re
from itertools import accumulate
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

Field = tuple[str, str] | tuple[str, str, str, list[tuple[str, str]]]
FIELD_END, SUBFIELD, RECORD_END = "\x1e", "\x1f", b"\x1d"
MARCXML_NS = "http://www.loc.gov/MARC21/slim"
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _field_text(field: Field) -> str:
    if len(field) == 2:
        return field[1] + FIELD_END
    return field[1] + field[2] + "".join([SUBFIELD + code + value for code, value in field[3]]) + FIELD_END  # type: ignore[misc]


def iso2709(leader: str, fields: list[Field]) -> bytes:
    """One record in ISO 2709 with directory, computed lengths (in bytes) and base address."""
    chunks = [_field_text(field).encode("utf-8") for field in fields]
    offsets = [0, *accumulate(len(chunk) for chunk in chunks)]
    directory = "".join(
        [
            f"{field[0]}{len(chunk):04d}{offset:05d}"
            for field, chunk, offset in zip(fields, chunks, offsets[:-1], strict=True)
        ]
    )
    base = 25 + len(directory)
    head = f"{base + offsets[-1] + 1:05d}{leader[5:12]}{base:05d}{leader[17:]}{directory}{FIELD_END}"
    return head.encode("ascii") + b"".join(chunks) + RECORD_END


_NEEDS_ESCAPE = re.compile(r'[&<>"]').search


def _escape(value: str) -> str:
    return value.translate(_XML_ESCAPES) if _NEEDS_ESCAPE(value) else value


def _xml_field(field: Field, escape: bool) -> str:
    if len(field) == 2:
        value = _escape(field[1]) if escape else field[1]
        return f'  <controlfield tag="{field[0]}">{value}</controlfield>'
    tag, ind1, ind2, subfields = field  # type: ignore[misc]
    if escape:
        subfields = [(code, _escape(value)) for code, value in subfields]
    inner = "".join([f'<subfield code="{code}">{value}</subfield>' for code, value in subfields])
    return f'  <datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">{inner}</datafield>'


def marcxml(leader: str, fields: list[Field]) -> str:
    """One <record> element (no namespace prefix; the collection declares the default namespace)."""
    # Escaping is needed for few records ("Natur & Kultur"): look once, escape only then.
    escape = bool(_NEEDS_ESCAPE(repr(fields)))
    body = "\n".join([_xml_field(field, escape) for field in fields])
    return f"<record>\n  <leader>{leader}</leader>\n{body}\n</record>\n"


class MarcFileWriter:
    """Appends records to one library's export file; ``close`` finishes the XML collection."""

    def __init__(self, path: Path, file_format: str) -> None:
        self.path = path
        self.xml = file_format == "xml"
        self.count = 0
        self._file: BinaryIO = path.open("wb", buffering=1 << 20)
        if self.xml:
            self._file.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'.encode()
            )

    def write(self, leader: str, fields: list[Field]) -> None:
        self._file.write(marcxml(leader, fields).encode("utf-8") if self.xml else iso2709(leader, fields))
        self.count += 1

    def close(self) -> None:
        if self.xml:
            self._file.write(b"</collection>\n")
        self._file.close()

    def __enter__(self) -> "MarcFileWriter":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
