"""``field__any=[...]``: ``__in`` with a list, sent to PostgreSQL as one array parameter."""

from typing import Any

from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


class AnyOf(In):
    """Like ``__in`` with a list of values, but PostgreSQL gets ``= ANY(%s)`` with one array instead
    of a placeholder per value: psycopg parses a long placeholder list anew for every query (a
    fifth of the time to write a harvested page of 500 records). Elsewhere it is ``IN``."""

    lookup_name = "any"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, values = self.process_rhs(compiler, connection)  # raises EmptyResultSet for no values
        return f"{lhs} = ANY(%s)", [*lhs_params, list(values)]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # ids of the related rows: record_id__any=[...]
