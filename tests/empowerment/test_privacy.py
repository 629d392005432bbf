"""A role recorded on a resident's path under Law 25: its note is cleared when the file is
anonymised (its dates stay, for the ladder's figures); a role still held keeps the file
active; the resident's personal information holds their roles."""

import json
from datetime import timedelta

from django.urls import reverse

from empowerment.models import RoleRecord
from privacy.retention import anonymise_household, households_due_for_retention
from tests.factories import UserFactory
from tests.privacy.families import LONG_AGO, TODAY, family


def test_anonymising_a_file_clears_the_notes_of_its_roles_and_keeps_their_dates(site_ss):
    household = family(site_ss, UserFactory())
    member = household.members.first()
    role = RoleRecord.objects.create(
        resident=member,
        role=RoleRecord.Role.VOLUNTEER,
        since=LONG_AGO,
        until=LONG_AGO + timedelta(days=30),
        note="Aide Mme Lachapelle du 3e",
        created_by=UserFactory(),
    )

    anonymise_household(household=household, today=TODAY)

    role.refresh_from_db()
    assert (role.note, role.since, role.role) == ("", LONG_AGO, RoleRecord.Role.VOLUNTEER)


def test_a_role_still_held_keeps_the_file_active(site_ss):
    household = family(site_ss, UserFactory())
    assert households_due_for_retention(today=TODAY).filter(pk=household.pk).exists()
    RoleRecord.objects.create(
        resident=household.members.first(),
        role=RoleRecord.Role.BOARD,
        since=LONG_AGO,
        created_by=UserFactory(),
    )

    assert not households_due_for_retention(today=TODAY).filter(pk=household.pk).exists()


def test_the_personal_information_export_holds_the_recorded_roles(client_as, direction, site_ss):
    household = family(site_ss, UserFactory())
    member = household.members.first()
    RoleRecord.objects.create(
        resident=member,
        role=RoleRecord.Role.ORGANISER,
        since=LONG_AGO,
        note="Fête des voisins",
        created_by=UserFactory(),
    )
    url = reverse("privacy:resident_personal_information_json", args=[member.pk])

    response = client_as(direction).get(url)

    roles = json.loads(response.content.decode())["roles"]
    assert [(r["role"], r["since"], r["note"]) for r in roles] == [
        ("organiser", LONG_AGO.isoformat(), "Fête des voisins")
    ]
