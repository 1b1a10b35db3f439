"""The patron site, mounted at `/`. URLs are Swedish, stable and cite-able (`/post/<id>/`)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, URLResolver, path

from opac import (
    discovery,
    feeds,
    guides,
    home,
    home_library,
    languages,
    libraries,
    live_summaries,
    record,
    search,
    statements,
    suggestions,
    unapi,
    works,
)

app_name = "site"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.start, name="start"),
    path("sok/", search.results, name="search"),
    path("sok/status", live_summaries.live_summaries, name="live_summaries"),
    path("sok/atom", feeds.search_feed, name="search_feed"),
    path("sok/forslag", suggestions.suggestions, name="suggestions"),
    path("post/<int:pk>/", record.record_page, name="record"),
    path("post/<int:pk>/marc/", record.staff_marc, name="record_marc"),
    path("post/<int:pk>.ris", record.export_ris, name="record_ris"),
    path("post/<int:pk>.bib", record.export_bibtex, name="record_bibtex"),
    path("post/<int:pk>.xml", record.export_marcxml, name="record_marcxml"),
    path("verk/<int:pk>/", works.work_page, name="work"),
    path("bibliotek/", libraries.library_list, name="libraries"),
    path("bibliotek/<str:code>/", libraries.library_detail, name="library"),
    path("bibliotek/<str:code>/nytt.atom", feeds.library_feed, name="library_feed"),
    path("sprak/", languages.languages_page, name="languages"),
    path("om/", guides.about, name="about"),
    path("lattlast/", guides.easy_read, name="easy_read"),
    path("unapi", unapi.unapi, name="unapi"),
    path("mitt-bibliotek/", home_library.choose_home_library, name="home_library"),
    path("tillganglighet/", statements.accessibility, name="accessibility"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("opensearch.xml", discovery.opensearch, name="opensearch"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": discovery.SITEMAPS, "sitemap_url_name": "site:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": discovery.SITEMAPS},
        name="sitemap_section",
    ),
]
