"""The six verbs (section 4): each takes the checked request and answers its element."""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from lxml import etree

from oai import items, tokens
from oai.arguments import LISTS, OaiRequest, datestamp, window
from oai.envelope import element
from oai.errors import OaiError
from oai.formats import FORMATS, MetadataFormat, Repository
from oai.titles import Title, load
from portal.params import MAX_DB_ID

PAGE_SIZE = 500  # items per ListRecords/ListIdentifiers page


@dataclass(frozen=True)
class Context:
    base_url: str
    repository: Repository
    now: datetime
    admin_email: str


def identifier(ctx: Context, cluster_id: int) -> str:
    return f"oai:{ctx.repository.identifier}:{cluster_id}"


def _item(ctx: Context, value: str) -> items.Entry:
    match = re.fullmatch(rf"oai:{re.escape(ctx.repository.identifier)}:([1-9][0-9]{{0,18}})", value)
    found = items.find(int(match.group(1))) if match and int(match.group(1)) <= MAX_DB_ID else None
    if found is None:
        raise OaiError("idDoesNotExist", _("No item has the identifier %(id)s.") % {"id": value})
    return found


def _format(prefix: str) -> MetadataFormat:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat", _("Unknown metadataPrefix %(prefix)s.") % {"prefix": prefix}
        )
    return FORMATS[prefix]


def identify(ctx: Context, request: OaiRequest, parent: etree._Element) -> None:
    node = element(parent, "Identify")
    element(node, "repositoryName", _("Samsök: the county's libraries"))
    element(node, "baseURL", ctx.base_url)
    element(node, "protocolVersion", "2.0")
    element(node, "adminEmail", ctx.admin_email)
    element(node, "earliestDatestamp", datestamp(items.earliest() or ctx.now))
    element(node, "deletedRecord", "persistent")
    element(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(ctx: Context, request: OaiRequest, parent: etree._Element) -> None:
    if "identifier" in request.args and _item(ctx, request.args["identifier"]).deleted:
        raise OaiError("noMetadataFormats", _("The item is deleted: no metadata can be disseminated."))
    node = element(parent, "ListMetadataFormats")
    for fmt in FORMATS.values():
        described = element(node, "metadataFormat")
        element(described, "metadataPrefix", fmt.prefix)
        element(described, "schema", fmt.schema)
        element(described, "metadataNamespace", fmt.namespace)


def list_sets(ctx: Context, request: OaiRequest, parent: etree._Element) -> None:
    if "resumptionToken" in request.args:
        raise OaiError("badResumptionToken", _("The resumption token is not valid for this request."))
    specs = items.set_specs()
    if not specs:
        raise OaiError("noSetHierarchy", _("This repository has no sets: no library is registered."))
    node = element(parent, "ListSets")
    for spec, kind, label in specs:
        described = element(node, "set")
        element(described, "setSpec", spec)
        name = _("Library: %(name)s") if kind == "library" else _("Format: %(name)s")
        element(described, "setName", name % {"name": label})


def _header(ctx: Context, parent: etree._Element, title: Title) -> None:
    node = element(parent, "header", status="deleted") if title.entry.deleted else element(parent, "header")
    element(node, "identifier", identifier(ctx, title.entry.id))
    element(node, "datestamp", datestamp(title.entry.datestamp))
    for spec in title.set_specs:
        if items.SET_SPEC.fullmatch(spec):
            element(node, "setSpec", spec)


def _record(ctx: Context, parent: etree._Element, title: Title, fmt: MetadataFormat) -> None:
    node = element(parent, "record")
    _header(ctx, node, title)
    if not title.entry.deleted:
        element(node, "metadata").append(fmt.write(title, ctx.repository))


def get_record(ctx: Context, request: OaiRequest, parent: etree._Element) -> None:
    fmt = _format(request.args["metadataPrefix"])
    (title,) = load([_item(ctx, request.args["identifier"])], with_records=True)
    _record(ctx, element(parent, "GetRecord"), title, fmt)


def _first_state(ctx: Context, request: OaiRequest) -> tokens.ListState:
    prefix, set_spec = request.args["metadataPrefix"], request.args.get("set", "")
    _format(prefix)
    if set_spec and not items.set_specs():
        raise OaiError("noSetHierarchy", _("This repository has no sets: no library is registered."))
    wanted = window(request.args)
    # The list ends where it stands now: what changes during the harvest is the next one's.
    bound = min(wanted.end - timedelta(microseconds=1), ctx.now) if wanted.end else ctx.now
    state = tokens.ListState(request.verb, prefix, set_spec, wanted.start, bound, size=0)
    size = items.count(state) if not set_spec or items.known_set(set_spec) else 0
    return replace(state, size=size)


def list_items(ctx: Context, request: OaiRequest, parent: etree._Element) -> None:
    """ListIdentifiers and ListRecords: one page of the keyset walk, and the token for the next."""
    token = request.args.get("resumptionToken")
    state = tokens.redeem(token, request.verb) if token else _first_state(ctx, request)
    entries, more = items.page(state, PAGE_SIZE) if state.size else ([], False)
    if not entries:
        raise OaiError("noRecordsMatch", _("No items match the request."))
    records = request.verb == "ListRecords"
    node = element(parent, request.verb)
    for title in load(entries, with_records=records):
        if records:
            _record(ctx, node, title, FORMATS[state.prefix])
        else:
            _header(ctx, node, title)
    if more or state.cursor:
        _resumption(node, state, entries, more)


def _resumption(
    node: etree._Element, state: tokens.ListState, entries: list[items.Entry], more: bool
) -> None:
    """The token for the next page; on the last page of several, an empty one (section 3.5)."""
    size = str(max(state.size, state.cursor + len(entries)))  # the size is an estimate once counted
    if not more:
        element(node, "resumptionToken", "", cursor=str(state.cursor), completeListSize=size)
        return
    value, expires = tokens.issue(state.advanced(len(entries), entries[-1].position))
    attributes = {"cursor": str(state.cursor), "completeListSize": size, "expirationDate": datestamp(expires)}
    element(node, "resumptionToken", value, **attributes)


ANSWERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    **{verb: list_items for verb in LISTS},
}
