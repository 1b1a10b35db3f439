"""A record's raw bytes and description, and a cluster's data, are compressed with lz4 rather
than PostgreSQL's own pglz: a harvested record's row (3 KB of bytes and 1 KB of description) is
compressed when it is written, and pglz took about a quarter of what the server spent on each
record of a harvest's COPY (50 against 37 µs a record with lz4, for 1 % more on disk; a first
load's server CPU a record 0.9 of what it was). Values already stored keep their compression
until they are written again; both are read alike.

PostgreSQL 14 and newer built with lz4 (as Debian's and the postgres images are) only; elsewhere
the columns stay as they are."""

from django.db import migrations

COLUMNS = {"SourceRecord": ("raw", "data"), "Cluster": ("data",)}


def compress_with(method: str):
    def apply(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or connection.pg_version < 140000:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
            found = cursor.fetchone()
        if method != "default" and (not found or method not in found[0]):
            return
        for model, columns in COLUMNS.items():
            table = apps.get_model("catalog", model)._meta.db_table
            changes = ", ".join(f'ALTER COLUMN "{column}" SET COMPRESSION {method}' for column in columns)
            schema_editor.execute(f'ALTER TABLE "{table}" {changes}')

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog", "0019_cluster_work_key_unindexed")]

    operations = [migrations.RunPython(compress_with("lz4"), compress_with("default"))]
