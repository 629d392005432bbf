"""The reference lists the team starts with; the administrators edit them afterwards."""

from django.db import migrations

TYPES = [
    ("Présence informelle", "collective"),
    ("Accueil et écoute", "individual"),
    ("Accompagnement", "individual"),
    ("Soutien individuel", "individual"),
    ("Intervention de crise", "individual"),
    ("Activité de groupe", "group"),
    ("Aide aux devoirs", "group"),
    ("Sortie", "group"),
    ("Événement communautaire", "collective"),
    ("Comité de locataires / mobilisation", "collective"),
    ("Concertation", "collective"),
]
PLACES = [
    "Local communautaire",
    "Cour et espaces extérieurs",
    "Domicile",
    "Téléphone / texto",
    "École",
    "Bureau",
    "Chez un partenaire",
]
THEMES = [
    "Logement",
    "Alimentation",
    "Scolarité",
    "Emploi",
    "Santé",
    "Santé mentale",
    "Famille et parentalité",
    "Sécurité et violence",
    "Immigration et francisation",
    "Loisirs",
    "Budget",
    "Cohabitation",
]


def create(apps, schema_editor):
    InterventionType = apps.get_model("interventions", "InterventionType")
    Place = apps.get_model("interventions", "Place")
    Theme = apps.get_model("interventions", "Theme")
    for position, (name, level) in enumerate(TYPES, start=1):
        InterventionType.objects.get_or_create(
            name=name, defaults={"default_level": level, "position": position * 10}
        )
    for position, name in enumerate(PLACES, start=1):
        Place.objects.get_or_create(name=name, defaults={"position": position * 10})
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
