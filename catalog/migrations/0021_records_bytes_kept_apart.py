"""A record's raw bytes and description are stored out of its row (in the table's TOAST table)
whenever the row is long enough for PostgreSQL to compress it, rather than only when compressed
they still do not fit 2 KB: the row keeps the record's ids, checksum, cluster and reason, about
300 bytes, and points to the two values.

Clustering writes every record's cluster into its row: PostgreSQL writes a new version of the
whole row, and a value kept apart is not copied, only the pointer to it. A first load's cluster
update wrote the raw bytes and description of every record again (about 2 KB a row, compressed),
and after each checkpoint the whole page each row was on; at five million records it took 92 to 106
µs a row. A target of 512 bytes moves those two values out and leaves the short ones in the row
(with PostgreSQL's minimum of 128 it would move the checksum and the reason too).

PostgreSQL only; rows stored before stay as they are until they are written again."""

from django.db import migrations


def keep_apart(target: int | None):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("catalog", "SourceRecord")._meta.db_table
        setting = f"SET (toast_tuple_target = {target})" if target else "RESET (toast_tuple_target)"
        schema_editor.execute(f'ALTER TABLE "{table}" {setting}')

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog", "0020_records_compressed_with_lz4")]

    operations = [migrations.RunPython(keep_apart(512), keep_apart(None))]
