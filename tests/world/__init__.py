"""One test county for every suite: named libraries, named staff, titles built on demand.

`places` holds the libraries (LIBRIS sigels) and the staff who work at them, `shelves` the one
way to put a title with its holdings into the catalogue and index it, and `portal`, `ill` and
`search` the titles each suite reads. A test builds only what it asks for: a library is made the
first time something needs it, and nothing is indexed unless the suite searches.
"""
