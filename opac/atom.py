"""Atom 1.0 (RFC 4287) documents built with lxml, so harvested text is always escaped correctly."""

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all (lxml refuses them); a harvested record may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    id: str  # the record's absolute URL: stable, and what a reader opens
    title: str
    link: str
    updated: dt.datetime
    authors: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_url: str
    alternate_url: str
    updated: dt.datetime
    language: str
    entries: list[Entry] = field(default_factory=list)


def _add(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text:
        element.text = _NOT_XML.sub(" ", text)
    return element


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _entry(root: etree._Element, entry: Entry) -> None:
    element = _add(root, "entry")
    _add(element, "id", entry.id)
    _add(element, "title", entry.title)
    _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    _add(element, "updated", _timestamp(entry.updated))
    for name in entry.authors:
        _add(_add(element, "author"), "name", name)
    if entry.summary:
        _add(element, "summary", entry.summary)


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML. The feed-level author covers entries whose record names none."""
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    root.set(XML_LANG, feed.language)
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    _add(root, "updated", _timestamp(feed.updated))
    _add(_add(root, "author"), "name", "Samsök")
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    for entry in feed.entries:
        _entry(root, entry)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
