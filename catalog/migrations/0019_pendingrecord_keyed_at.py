from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0018_record_decided_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingrecord",
            name="keyed_at",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
