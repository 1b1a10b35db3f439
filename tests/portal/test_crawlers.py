"""What crawlers read: robots.txt through Python's own robots parser, the sitemaps through lxml."""

from urllib.robotparser import RobotFileParser

import pytest
from django.test import Client
from lxml import etree

from tests.world.portal import County

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def robots(client: Client) -> RobotFileParser:
    parser = RobotFileParser("http://testserver/robots.txt")
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    return parser


@pytest.mark.sqlite
@pytest.mark.parametrize(
    "path",
    [
        "/staff/",
        "/staff/ill/incoming/",
        "/admin/",
        "/fjarrlan/ny/?record=1",
        "/api/v1/search?q=x",
        "/mitt-bibliotek/",
        "/i18n/setlang/",
        # Result lists are endless combinations of queries and facets; records reach crawlers
        # through the sitemap instead.
        "/sok/?q=x",
    ],
)
def test_robots_txt_refuses_the_private_and_endless_paths(client: Client, path: str) -> None:
    assert not robots(client).can_fetch("*", f"http://testserver{path}")


@pytest.mark.sqlite
@pytest.mark.parametrize("path", ["/", "/post/1/", "/bibliotek/", "/bibliotek/Nyks/", "/tillganglighet/"])
def test_robots_txt_allows_the_public_pages(client: Client, path: str) -> None:
    assert robots(client).can_fetch("*", f"http://testserver{path}")


@pytest.mark.sqlite
def test_robots_txt_names_the_sitemap(client: Client) -> None:
    assert robots(client).site_maps() == ["http://testserver/sitemap.xml"]


def sitemap_locations(client: Client, url: str) -> list[str]:
    tree = etree.fromstring(client.get(url.removeprefix("http://testserver")).content)
    return [str(loc) for loc in tree.xpath("//sm:loc/text()", namespaces=SITEMAP_NS)]


@pytest.mark.sqlite
def test_sitemap_lists_every_library_page(client: Client, county_unindexed: County) -> None:
    sections = sitemap_locations(client, "/sitemap.xml")
    pages = [loc for section in sections for loc in sitemap_locations(client, section)]
    for code in county_unindexed.libraries:
        assert f"http://testserver/bibliotek/{code}/" in pages
    assert client.get("/bibliotek/Nyks/").status_code == 200
