"""The "Finns också som storstil på 2 bibliotek …" line of the record page and the result list."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from catalog.versions import AlsoAs


@dataclass(frozen=True)
class AlsoAsLink:
    code: str
    text: str
    url: str


def links(versions: list[AlsoAs]) -> list[AlsoAsLink]:
    """One link per medium: to the edition itself when there is one, else to a search for the
    work's editions in that medium."""
    return [AlsoAsLink(version.code, version.text, _url(version)) for version in versions]


def _url(version: AlsoAs) -> str:
    if len(version.editions) == 1:
        return reverse("site:record", args=[version.editions[0]])
    query = urlencode([("work", str(version.work)), ("accessibility", version.code)])
    return f"{reverse('site:search')}?{query}"
