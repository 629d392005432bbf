"""The crisis hours of the dashboard follow a flag of the intervention type, not its name."""

from django.db import migrations, models

# The crisis type of the reference list the team starts with (0002_reference_lists).
SEEDED_CRISIS_TYPE = "Intervention de crise"


def flag_the_crisis_type(apps, schema_editor):
    InterventionType = apps.get_model("interventions", "InterventionType")
    InterventionType.objects.filter(name=SEEDED_CRISIS_TYPE).update(is_crisis=True)


class Migration(migrations.Migration):

    dependencies = [
        ('interventions', '0004_date_bounds_protected_participants'),
    ]

    operations = [
        migrations.AddField(
            model_name='interventiontype',
            name='is_crisis',
            field=models.BooleanField(default=False, help_text="The hours of this type count as crisis hours in the dashboard's workload.", verbose_name='crisis intervention'),
        ),
        migrations.RunPython(flag_the_crisis_type, migrations.RunPython.noop),
    ]
