"""The patron-facing site: start, results, record, library and statement pages.

Views here are thin: they parse the request (the search layer's `parse_search_params`), call a
service (search backend, holdings, exports) and render. Presentation helpers live beside them.

Pages (opac/urls.py, mounted at `/`, namespace `site`):
    /                        start: search box, what Samsök is, the county's libraries
    /sok/?q=&library=&...    results (same parameters as /api/v1/search); facets are plain links
    /post/<id>/              record; .ris .bib .xml exports; /post/<id>/marc/ for staff
    /bibliotek/, /bibliotek/<sigel>/   libraries: contact, own catalogue, share of the union catalogue
    /mitt-bibliotek/         choose "my library" (a cookie, no account)
    /sprak/                  media in your language: every language held, titles, on the shelf, where
    /om/, /lattlast/         what Samsök is, how to borrow, how fjärrlån works; the same in lättläst
    /tillganglighet/         accessibility statement (Tillgänglighetsredogörelse)
    /robots.txt, /sitemap.xml, /opensearch.xml

Errors map to pages in errors.py only; security headers (CSP etc.) come from security.py.
"""
