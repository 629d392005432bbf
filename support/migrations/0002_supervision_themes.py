"""The first supervision themes; the administrators edit the list afterwards."""

from django.db import migrations

THEMES = [
    "Situation complexe",
    "Intervention de crise",
    "Limites professionnelles",
    "Fatigue de compassion",
    "Traumatisme vicariant",
    "Éthique et confidentialité",
    "Travail d’équipe",
    "Développement professionnel",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("support", "SupervisionTheme")
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
