"""Crisis interventions are a flag of the intervention type, set on the seeded crisis type by a
data migration and shown in the admin of types: the type's name, which the administrators
edit, decides nothing."""

from django.urls import reverse

from interventions.models import InterventionType


def test_the_data_migration_flags_the_seeded_crisis_type_only(db):
    flagged = InterventionType.objects.filter(is_crisis=True)

    assert list(flagged.values_list("name", flat=True)) == ["Intervention de crise"]
    assert InterventionType.objects.filter(is_crisis=False).count() == 10


def test_a_new_type_is_not_a_crisis_type(db):
    assert InterventionType.objects.create(name="Visite à domicile").is_crisis is False


def test_the_admin_lists_the_flag_and_sets_it_on_a_type(client_as, admin_user):
    client = client_as(admin_user)
    visit = InterventionType.objects.create(name="Visite à domicile")

    listing = client.get(reverse("admin:interventions_interventiontype_changelist"))
    assert "column-is_crisis" in listing.content.decode()

    url = reverse("admin:interventions_interventiontype_change", args=[visit.pk])
    response = client.post(
        url,
        {
            "name": "Visite à domicile",
            "default_level": "individual",
            "is_crisis": "on",
            "is_active": "on",
            "position": "100",
        },
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_crisis is True
