"""MARC → normalized record: one small named function per concept (see the modules).

Contract (used by harvest, search and the API):

- ``map_record(record) -> dict``: JSON-serializable keys ``title``, ``title_sort``, ``subtitle``,
  ``responsibility``, ``authors``/``contributors`` ([{"name", "role"}], role a MARC relator code),
  ``isbns`` (valid, ISBN-13), ``invalid_isbns``, ``issns``, ``eans``, ``libris_id``,
  ``system_numbers``, ``publisher``, ``place``, ``year`` (int|None), ``edition``, ``extent``,
  ``series`` ([str]), ``subjects`` and ``genres`` ([{"term", "thesaurus"}]), ``classifications``
  ([{"code", "scheme"}]), ``languages`` (MARC codes), ``audience`` (str), ``summary`` (str),
  ``contents`` ([str]), ``notes`` ([str]), ``links`` ([{"url", "text"}]), ``formats`` (primary first),
  ``title_proper`` (245 $a or its fallback), ``carrier`` ("medium/encoding"), ``host`` (773),
  ``parts`` and ``series_numbers`` ([str]), ``part_isbns`` ({ISBN-13: part}), ``set_isbns``,
  ``publisher_numbers`` ([str], 028) — see ``catalog.mapping.manifestation``; ``original_script``
  (the 880 forms of title, names and imprint with their script, lang and dir; {} without 880s)
  — see ``catalog.mapping.original_script``.
- ``is_holdings_record(record) -> bool`` and ``extract_holdings(record, profile, default_library)``.
"""

from catalog.mapping.holdings import extract_holdings, is_holdings_record
from catalog.mapping.record import map_record

__all__ = ["extract_holdings", "is_holdings_record", "map_record"]
