"""The expected delay of each open status; the direction adjusts them in the admin."""

from django.db import migrations

DELAYS = {"draft": 2, "sent": 7, "accepted": 14, "in_progress": 60}


def create(apps, schema_editor):
    StatusDelay = apps.get_model("partners", "StatusDelay")
    for status, days in DELAYS.items():
        StatusDelay.objects.get_or_create(status=status, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
