"""OAI-PMH 2.0 harvesting: Identify, then ListRecords page by page with resumption tokens.

The window of an incremental run starts at the end of the previous one (``Source.harvest_from``)
and ends at the ``responseDate`` of the window's first response (the repository's clock, not
ours). ``noRecordsMatch`` is an empty success; ``badResumptionToken`` (an expired token, a
restarted server) restarts the window from its beginning: records seen again are unchanged and
cost nothing, so nothing is duplicated or skipped.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings

from harvest.protocols.base import HarvestProtocol, Page
from harvest.protocols.oai_http import OaiHttpClient
from harvest.protocols.oai_response import (
    Identify,
    OaiError,
    format_oai_datetime,
    parse_identify,
    parse_list_records,
)

if TYPE_CHECKING:
    from harvest.models import HarvestRun

MAX_WINDOW_RESTARTS = 2


def make_client(url: str) -> OaiHttpClient:
    return OaiHttpClient(url, **settings.HARVEST_OAI_HTTP)


class OaiPmhProtocol(HarvestProtocol):
    label = "OAI-PMH"

    def pages(self, run: "HarvestRun") -> Iterator[Page]:
        client = make_client(self.source.url)
        identify = parse_identify(client.get({"verb": "Identify"}))
        token = run.resumption_token
        restarts = 0
        while True:
            params = (
                {"verb": "ListRecords", "resumptionToken": token} if token else self._first(run, identify)
            )
            try:
                page = parse_list_records(client.get(params))
            except OaiError as exc:
                if exc.code == "noRecordsMatch":
                    yield Page([], window_until=exc.answered_at)
                    return
                if exc.code == "badResumptionToken" and token and restarts < MAX_WINDOW_RESTARTS:
                    restarts += 1
                    token = ""
                    yield Page([], notes=[f"resumption token refused ({exc}); window restarted"])
                    continue
                raise
            yield Page(page.items, resumption_token=page.resumption_token, window_until=page.response_date)
            if not page.resumption_token:
                return
            token = page.resumption_token

    def _first(self, run: "HarvestRun", identify: Identify) -> dict[str, str]:
        params = {"verb": "ListRecords", "metadataPrefix": self.source.metadata_prefix or "marcxml"}
        if self.source.set_spec:
            params["set"] = self.source.set_spec
        start = run.window_from
        if start and not run.full:
            if identify.earliest and start < identify.earliest:
                start = identify.earliest
            params["from"] = format_oai_datetime(start, identify.granularity)
        return params
