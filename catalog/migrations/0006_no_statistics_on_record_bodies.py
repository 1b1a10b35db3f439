"""PostgreSQL's ANALYZE samples 30,000 rows of each column: for a record's raw bytes and its
description (both stored compressed) that means decompressing and sorting every sampled value,
most of what ANALYZE costs during a harvest, for statistics no query uses (nothing filters on
these columns as a whole). Statistics target 0 leaves them out."""

from django.db import migrations

COLUMNS = ("raw", "data", "repairs")


def set_target(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("catalog", "SourceRecord")._meta.db_table
        for column in COLUMNS:
            schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STATISTICS {target}')

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_fewer_record_indexes")]

    operations = [migrations.RunPython(set_target(0), set_target(-1))]
