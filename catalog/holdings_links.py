"""How a LIBRIS-style holdings record's 004 names its bibliographic record.

004 holds the bib's 001. A bib harvested from a file has that 001 as its local id; one harvested
over OAI-PMH has the OAI identifier, which ends in the 001 (``…/bib/7149593``, ``…:7149593``).
Holdings delivered inside the bib's OAI <about> name the OAI identifier itself.
"""

from collections.abc import Iterable

from django.db.models import Q

# Three conditions a key: SQLite refuses an expression deeper than 1,000, so callers ask in
# batches of this many keys.
KEYS_PER_QUERY = 100


def parent_query(keys: Iterable[str]) -> Q:
    """Bibliographic records (by local_id) that any of these 004 values may point to."""
    keys = list(keys)
    query = Q(local_id__in=keys)
    for key in keys:
        query |= Q(local_id__endswith=f"/{key}") | Q(local_id__endswith=f":{key}")
    return query


def link_keys(local_id: str) -> set[str]:
    """Values a holdings record's 004 may use for the bib with this local id."""
    keys = {local_id}
    tail = local_id.replace(":", "/").rsplit("/", 1)[-1]
    if tail:
        keys.add(tail)
    return keys
