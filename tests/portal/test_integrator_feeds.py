"""What feed readers and browsers read: Atom feeds of searches and of a library's newest titles,
and OpenSearch suggestions, checked with feedparser and an XML parser as a client would."""

import datetime as dt

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from catalog.models import SourceRecord
from tests.world.portal import County

OPENSEARCH = {"os": "http://a9.com/-/spec/opensearch/1.1/"}

pytestmark = pytest.mark.django_db


def parse(client: Client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_search_feed_lists_the_hits_with_record_links(client: Client, county: County) -> None:
    feed = parse(client, "/sok/atom?q=lindgren")
    assert feed.feed.title == "Samsök: lindgren"
    assert feed.feed.links[0].href == "http://testserver/sok/atom?q=lindgren"
    assert {link.rel for link in feed.feed.links} == {"self", "alternate"}
    pippi = county.cluster("pippi")
    by_title = {entry.title: entry for entry in feed.entries}
    entry = by_title["Pippi Långstrump"]
    assert entry.id == entry.link == f"http://testserver/post/{pippi.pk}/"
    assert entry.author == "Lindgren, Astrid" and entry.summary == "Om Pippi Långstrump"
    assert entry.updated_parsed is not None
    assert all("/post/" in entry.link for entry in feed.entries)
    # Without a sort the newest title comes first; with one the feed follows it.
    years = [county_year(county, entry.link) for entry in feed.entries]
    assert years == sorted(years, reverse=True)
    oldest = parse(client, "/sok/atom?q=lindgren&sort=year_asc")
    assert [county_year(county, entry.link) for entry in oldest.entries] == sorted(years)


def county_year(county: County, link: str) -> int:
    pk = int(link.rstrip("/").rsplit("/", 1)[1])
    return next(int(c.data["year"]) for c in county.clusters.values() if c.pk == pk)


def test_search_feed_escapes_harvested_markup_and_rejects_bad_parameters(
    client: Client, county: County
) -> None:
    feed = parse(client, "/sok/atom?q=farlig")
    assert feed.entries and feed.entries[0].title.startswith('<script>alert("x")</script>')
    assert client.get("/sok/atom?year_from=2000&year_to=1900").status_code == 400


def test_library_feed_lists_only_that_librarys_titles_newest_first(client: Client, county: County) -> None:
    held_by_ty = {
        c.pk for c in county.clusters.values() if c.members.filter(holdings__library__code="Ty").exists()
    }
    newest = county.cluster("pippi")
    stamp = timezone.now() + dt.timedelta(days=1)
    assert SourceRecord.objects.filter(cluster=newest, holdings__library__code="Ty").update(
        harvested_at=stamp
    )
    feed = parse(client, "/bibliotek/Ty/nytt.atom")
    assert "Tyresö bibliotek" in feed.feed.title
    pks = {int(entry.link.rstrip("/").rsplit("/", 1)[1]) for entry in feed.entries}
    assert pks == held_by_ty and county.cluster("pippi-en").pk not in pks
    assert feed.entries[0].link == f"http://testserver/post/{newest.pk}/"
    assert client.get("/bibliotek/Nope/nytt.atom").status_code == 404


def test_feeds_are_linked_from_the_pages_and_the_opensearch_description(
    client: Client, county: County
) -> None:
    results = client.get("/sok/?q=lindgren&format=book").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/sok/atom?q=lindgren&amp;format=book"'
        in results
    )
    library = client.get("/bibliotek/Ty/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/bibliotek/Ty/nytt.atom"' in library
    description = etree.fromstring(client.get("/opensearch.xml").content)
    templates = {url.get("type"): url.get("template") for url in description.findall("os:Url", OPENSEARCH)}
    assert templates["application/atom+xml"] == "http://testserver/sok/atom?q={searchTerms}&page={startPage?}"
    assert templates["application/x-suggestions+json"] == "http://testserver/sok/forslag?q={searchTerms}"


def test_opensearch_suggestions_answer_the_array_browsers_expect(client: Client, county: County) -> None:
    response = client.get("/sok/forslag", {"q": "pip"})
    assert response["Content-Type"].startswith("application/x-suggestions+json")
    assert response.json() == ["pip", ["Pippi Långstrump", "Pippi Longstocking"]]
    query, completions = client.get("/sok/forslag", {"q": "lind"}).json()
    assert query == "lind" and "Lindgren, Astrid" in completions
    assert client.get("/sok/forslag").json() == ["", []]
