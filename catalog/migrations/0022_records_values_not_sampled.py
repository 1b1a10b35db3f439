"""ANALYZE keeps no statistics of a record's raw bytes and description (a bulk run's ANALYZE and
autovacuum's alike). No plan can use them: no query filters, joins or sorts on either column,
and the one that looks into a description (the staff review's search by title) filters on an
expression of it, which a column's statistics do not describe. Sampling them meant reading each
sampled row's two values from the TOAST table, decompressing and comparing them. On 200,000
records an ANALYZE of the records' table took 305-445 ms without them against 544-1,449 ms with
them (three pairs), and a county's first load analyzes it about 25 times while its harvest grows
the table (``harvest.services``). PostgreSQL only."""

from django.db import migrations


def sampled(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("catalog", "SourceRecord")._meta.db_table
        schema_editor.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "raw" SET STATISTICS {target}, '
            f'ALTER COLUMN "data" SET STATISTICS {target}'
        )

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog", "0021_records_bytes_kept_apart")]

    operations = [migrations.RunPython(sampled(0), sampled(-1))]
