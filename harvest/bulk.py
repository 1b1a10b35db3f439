"""Fast bulk inserts: PostgreSQL COPY (no per-value SQL building), ``bulk_create`` elsewhere."""

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from django.db import connection, models


def _fields(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def insert(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert new rows without reading their ids back (use ``ids_by`` if you need them)."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances, batch_size=500)
        return
    fields = _fields(model)
    _copy(model, fields, ([getattr(instance, field.attname) for field in fields] for instance in instances))


def insert_values(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Like ``insert``, for rows given as {attname: value} for every field but the id (no model
    instances made on PostgreSQL: a third of the cost of writing many small rows)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        return
    fields = _fields(model)
    _copy(model, fields, ([row[field.attname] for field in fields] for row in rows))


def _copy(
    model: type[models.Model], fields: list["models.Field[Any, Any]"], rows: Iterable[list[Any]]
) -> None:
    json_columns = [n for n, field in enumerate(fields) if isinstance(field, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw_cursor = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for values in rows:
                for n in json_columns:
                    values[n] = None if values[n] is None else orjson.dumps(values[n]).decode()
                copy.write_row(values)
