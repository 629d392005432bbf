"""The dashboard settings belong to the reports app from now on: they leave ema's state only.
Their table and its row stay; reports/migrations/0001_initial.py takes them over and renames
the table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ema', '0002_submission'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='DashboardSettings')],
            database_operations=[],
        ),
    ]
