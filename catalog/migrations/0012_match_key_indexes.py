"""Match keys: one index on the record column instead of two, and byte-wise key comparison on
PostgreSQL (see ``MatchKey``). SQLite compares text byte by byte already (BINARY)."""

from collections.abc import Callable
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

_C = 'ALTER TABLE catalog_matchkey ALTER COLUMN key TYPE varchar(400) COLLATE "C"'
_DEFAULT = 'ALTER TABLE catalog_matchkey ALTER COLUMN key TYPE varchar(400) COLLATE pg_catalog."default"'


def _collate(sql: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_cluster_datestamps_and_tombstones"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matchkey",
            name="record",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="match_keys",
                to="catalog.sourcerecord",
            ),
        ),
        migrations.RunPython(_collate(_C), _collate(_DEFAULT)),
    ]
