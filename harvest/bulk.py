"""Fast bulk inserts: PostgreSQL COPY (no per-value SQL building), ``bulk_create`` elsewhere."""

from collections.abc import Sequence
from typing import Any

import orjson
from django.db import connection, models


def _copy_value(field: "models.Field[Any, Any]", instance: models.Model) -> Any:
    value = getattr(instance, field.attname)
    if isinstance(field, models.JSONField):
        return None if value is None else orjson.dumps(value).decode()
    return value


def insert(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert new rows without reading their ids back (use ``ids_by`` if you need them)."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances, batch_size=500)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw_cursor = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([_copy_value(field, instance) for field in fields])
