import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def works_from_work_keys(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Existing clusters get a Work for their stored work key (keys with an author only); the next
    re-clustering of a cluster recomputes its key (``manage.py assign_works`` does them all)."""
    now = django.utils.timezone.now()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_work (key, created_at) SELECT DISTINCT work_key, %s FROM catalog_cluster"
            " WHERE work_key <> '' AND work_key NOT LIKE %s",
            [now, "%|"],
        )
        cursor.execute(
            "UPDATE catalog_cluster SET work_id = (SELECT w.id FROM catalog_work w"
            " WHERE w.key = catalog_cluster.work_key) WHERE work_key <> ''"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_availability_provider_choices_from_settings"),
    ]

    operations = [
        migrations.CreateModel(
            name="Work",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=300, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name="cluster",
            name="work",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="clusters",
                to="catalog.work",
            ),
        ),
        migrations.RunPython(works_from_work_keys, migrations.RunPython.noop),
    ]
