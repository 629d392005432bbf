"""Access and portability (Law 25, s. 27): a resident's personal information, for the
direction, as a page and as JSON, with nothing about anybody else, each export logged."""

import json
import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from interventions.models import Participation
from partners.models import Organisation, Referral, ReferralEvent, Status
from privacy.models import ReadEvent
from privacy.portability import personal_information_of
from residents.models import Consent, Resident
from tests.factories import (
    ConsentedResidentFactory,
    ConsentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
    ResidentFactory,
    ThemeFactory,
)

# Made-up names that no fake staff name can collide with.
PERSON = {"first_name": "Yasmirelle", "phone": "514 555-0101", "date_of_birth": date(2016, 4, 2)}
SIBLING = {"first_name": "Théodulphe", "phone": "514 555-0202", "date_of_birth": date(2012, 9, 17)}
NEIGHBOUR = {
    "first_name": "Zébulonne",
    "last_name": "Kowalczykova",
    "phone": "438 555-0303",
    "date_of_birth": date(1979, 11, 23),
}
GUARDIAN = "Mireillanne Ouelletteau"

# Text written about other people, or about several people at once: none of it may leak.
OTHERS_TEXT = [
    "SECRET-FRATRIE-RESUME",
    "SECRET-FRATRIE-NOTE",
    "SECRET-VOISINE-RESUME",
    "SECRET-VOISINE-DECISIONS",
    "SECRET-VOISINE-NOTE",
    "SECRET-SOEUR-SEULE-NOTE",
    "SECRET-REFERENCE-FRATRIE",
    "SECRET-PARTAGE-FRATRIE",
    "SECRET-ETAPE-FRATRIE",
    "SECRET-REFERENCE-MENAGE",
    "SECRET-REFERENCE-VOISINE",
]


@pytest.fixture
def partner(db):
    return Organisation.objects.create(name="Maison des jeunes", kind=Organisation.Kind.COMMUNITY)


@pytest.fixture
def family(site_ss, site_ag, intervenant_ss, direction, partner):
    """The person, a sibling in the same household, a neighbour in another household, and
    interventions and referrals that name them together or apart."""
    household = HouseholdFactory(site=site_ss, label="Béliveau-Nadeau")
    person = ResidentFactory(household=household, last_name="Béliveau-Nadeau", **PERSON)
    ConsentFactory(resident=person, guardian_name=GUARDIAN, obtained_by=intervenant_ss)
    Consent.objects.create(
        resident=person,
        purpose=Consent.Purpose.SHARE,
        partner_name="Maison des jeunes",
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name=GUARDIAN,
        given_on=date(2025, 9, 2),
        obtained_by=intervenant_ss,
    )
    sibling = ConsentedResidentFactory(household=household, last_name="Béliveau-Nadeau", **SIBLING)
    neighbour = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss, label=NEIGHBOUR["last_name"]), **NEIGHBOUR
    )

    alone = InterventionFactory(
        site=site_ss,
        author=intervenant_ss,
        date=date(2026, 1, 12),
        summary="Aide aux devoirs avec la personne.",
        decisions="Revoir l'école la semaine prochaine.",
        restricted_note="Note réservée sur la personne.",
    )
    alone.themes.add(ThemeFactory(name="Scolarité"))
    ParticipationFactory(intervention=alone, resident=person)

    with_sibling = InterventionFactory(
        site=site_ss,
        author=intervenant_ss,
        date=date(2026, 1, 10),
        summary="SECRET-FRATRIE-RESUME",
        restricted_note="SECRET-FRATRIE-NOTE",
    )
    ParticipationFactory(intervention=with_sibling, resident=person)
    ParticipationFactory(intervention=with_sibling, resident=sibling)

    with_neighbour = InterventionFactory(
        site=site_ss,
        author=intervenant_ss,
        date=date(2026, 1, 8),
        summary="SECRET-VOISINE-RESUME",
        decisions="SECRET-VOISINE-DECISIONS",
        restricted_note="SECRET-VOISINE-NOTE",
    )
    ParticipationFactory(
        intervention=with_neighbour, resident=person, role=Participation.Role.ORGANISER
    )
    ParticipationFactory(intervention=with_neighbour, resident=neighbour)

    sibling_alone = InterventionFactory(
        site=site_ss, author=direction, restricted_note="SECRET-SOEUR-SEULE-NOTE"
    )
    ParticipationFactory(intervention=sibling_alone, resident=sibling)

    referral = Referral.objects.create(
        household=household,
        resident=person,
        site=site_ss,
        organisation=partner,
        reason="Inscription au camp de jour.",
        information_shared="Âge et école.",
        responsible=intervenant_ss,
        created_by=intervenant_ss,
        status=Status.SENT,
    )
    ReferralEvent.objects.create(
        referral=referral,
        old_status=Status.DRAFT,
        new_status=Status.SENT,
        by=intervenant_ss,
        note="Envoyée par courriel.",
    )
    sibling_referral = Referral.objects.create(
        household=household,
        resident=sibling,
        site=site_ss,
        organisation=partner,
        reason="SECRET-REFERENCE-FRATRIE",
        information_shared="SECRET-PARTAGE-FRATRIE",
        responsible=intervenant_ss,
        created_by=intervenant_ss,
    )
    ReferralEvent.objects.create(
        referral=sibling_referral,
        new_status=Status.DRAFT,
        by=intervenant_ss,
        note="SECRET-ETAPE-FRATRIE",
    )
    Referral.objects.create(
        household=household,
        site=site_ss,
        organisation=Organisation.objects.create(
            name="Banque alimentaire", kind=Organisation.Kind.COMMUNITY
        ),
        reason="SECRET-REFERENCE-MENAGE",
        responsible=intervenant_ss,
        created_by=intervenant_ss,
    )
    Referral.objects.create(
        household=neighbour.household,
        resident=neighbour,
        site=site_ss,
        organisation=partner,
        reason="SECRET-REFERENCE-VOISINE",
        responsible=intervenant_ss,
        created_by=intervenant_ss,
    )
    activity = GroupActivityFactory(site=site_ss)
    activity.registered.add(person, sibling, neighbour)
    return person, sibling, neighbour


def _page_url(resident: Resident) -> str:
    return reverse("privacy:resident_personal_information", args=[resident.pk])


def _json_url(resident: Resident) -> str:
    return reverse("privacy:resident_personal_information_json", args=[resident.pk])


def _assert_nothing_about_others(text: str, sibling: Resident, neighbour: Resident) -> None:
    for other in (sibling, neighbour):
        assert other.first_name not in text
        assert other.phone not in text
        assert other.date_of_birth.isoformat() not in text
        assert f"{other.date_of_birth:%d/%m/%Y}" not in text
    assert neighbour.last_name not in text
    assert neighbour.household.label not in text
    assert GUARDIAN not in text
    for secret in OTHERS_TEXT:
        assert secret not in text


def test_the_json_holds_the_persons_record_consents_interventions_and_referrals(
    client_as, direction, family
):
    person, _, _ = family
    response = client_as(direction).get(_json_url(person))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert data["resident"]["first_name"] == PERSON["first_name"]
    assert data["resident"]["last_name"] == "Béliveau-Nadeau"
    assert data["resident"]["phone"] == PERSON["phone"]
    assert data["resident"]["date_of_birth"] == "2016-04-02"
    assert data["household"]["site"] == "Saint-Sulpice"
    assert data["household"]["unit"] == person.household.unit
    assert data["household"]["moved_in_on"] == "2019-07-01"
    assert sorted(c["purpose"] for c in data["consents"]) == ["keep_file", "share"]
    assert all(c["given_by"] == "guardian" for c in data["consents"])
    assert [i["date"] for i in data["interventions"]] == ["2026-01-12", "2026-01-10", "2026-01-08"]
    assert [i["role"] for i in data["interventions"]] == [
        "participant",
        "participant",
        "organiser",
    ]
    [referral] = data["referrals"]
    assert referral["partner"] == "Maison des jeunes"
    assert referral["reason"] == "Inscription au camp de jour."
    assert referral["information_shared"] == "Âge et école."
    assert referral["status"] == "sent"
    assert [(e["old_status"], e["new_status"]) for e in referral["events"]] == [("draft", "sent")]
    assert [r["partner"] for r in data["household_referrals"]] == ["Banque alimentaire"]
    assert data["group_activities"][0]["name"] == "Aide aux devoirs"
    # Non-ASCII stays readable in the file.
    assert "Béliveau-Nadeau" in response.content.decode("utf-8")


def test_the_text_of_an_intervention_naming_the_person_alone_is_included(direction, family):
    person, _, _ = family
    alone, *shared = personal_information_of(resident=person)["interventions"]

    assert alone["text_withheld"] is False
    assert alone["summary"] == "Aide aux devoirs avec la personne."
    assert alone["decisions"] == "Revoir l'école la semaine prochaine."
    assert alone["restricted_note"] == "Note réservée sur la personne."
    assert alone["themes"] == ["Scolarité"]
    for item in shared:
        assert item["text_withheld"] is True
        assert item["summary"] is item["decisions"] is item["restricted_note"] is None


def test_interventions_do_not_tell_who_else_was_there_nor_how_many(direction, family):
    person, _, _ = family
    interventions = personal_information_of(resident=person)["interventions"]

    assert len({frozenset(item) for item in interventions}) == 1
    for key in interventions[0]:
        assert "count" not in key
        assert "participant" not in key
        assert "headcount" not in key


def test_the_json_holds_nothing_about_any_other_person(client_as, direction, family):
    person, sibling, neighbour = family
    response = client_as(direction).get(_json_url(person))
    _assert_nothing_about_others(response.content.decode("utf-8"), sibling, neighbour)


def test_the_page_holds_nothing_about_any_other_person(client_as, direction, family):
    person, sibling, neighbour = family
    response = client_as(direction).get(_page_url(person))

    assert response.status_code == 200
    html = response.content.decode()
    assert PERSON["first_name"] in html
    assert PERSON["phone"] in html
    assert "Note réservée sur la personne." in html
    assert "Inscription au camp de jour." in html
    assert _json_url(person) in html
    _assert_nothing_about_others(html, sibling, neighbour)


def test_the_sibling_export_holds_nothing_about_the_person(client_as, direction, family):
    _, sibling, _ = family
    text = client_as(direction).get(_json_url(sibling)).content.decode("utf-8")

    assert SIBLING["first_name"] in text
    assert "SECRET-SOEUR-SEULE-NOTE" in text
    assert "SECRET-REFERENCE-FRATRIE" in text
    assert PERSON["first_name"] not in text
    assert PERSON["phone"] not in text
    assert "Note réservée sur la personne." not in text
    assert "Inscription au camp de jour." not in text


def test_the_file_name_has_no_name_in_it(client_as, direction, family):
    person, _, _ = family
    disposition = client_as(direction).get(_json_url(person))["Content-Disposition"]

    filename = rf"renseignements-resident-{person.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.json"
    assert re.fullmatch(f'attachment; filename="{filename}"', disposition)
    assert PERSON["first_name"] not in disposition
    assert "Béliveau" not in disposition


@pytest.mark.parametrize(("url", "fmt"), [(_page_url, "html"), (_json_url, "json")])
def test_each_export_is_recorded_once_without_its_content(client_as, direction, family, url, fmt):
    person, _, _ = family
    client_as(direction).get(url(person))

    event = ReadEvent.objects.get(kind=ReadEvent.Kind.ACCESS_REQUEST)
    assert event.actor == direction
    assert event.target_type == ContentType.objects.get_for_model(Resident)
    assert event.target_id == person.pk
    assert event.details == {"format": fmt}


@pytest.mark.parametrize("url", [_page_url, _json_url])
@pytest.mark.parametrize(
    "persona", ["intervenant_ss", "intervenant_ag", "coordination", "admin_user", "outsider"]
)
def test_only_the_direction_may_export(client_as, request, family, url, persona):
    person, _, _ = family
    response = client_as(request.getfixturevalue(persona)).get(url(person))

    assert response.status_code == 403
    assert not ReadEvent.objects.filter(kind=ReadEvent.Kind.ACCESS_REQUEST).exists()


@pytest.mark.parametrize("url", [_page_url, _json_url])
def test_an_unknown_resident_gets_404(client_as, direction, url):
    missing = Resident(pk=999_999)
    assert client_as(direction).get(url(missing)).status_code == 404


def test_the_resident_page_links_to_the_export_for_the_direction_only(
    client_as, direction, intervenant_ss, family
):
    person, _, _ = family
    for persona, shown in ((direction, True), (intervenant_ss, False)):
        page = client_as(persona).get(person.get_absolute_url()).content.decode()
        assert (_page_url(person) in page) is shown


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", [_page_url, _json_url])
def test_query_count_does_not_grow_with_the_file(
    client_as, direction, intervenant_ss, site_ss, partner, size, url, django_assert_max_num_queries
):
    person = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    theme = ThemeFactory()
    for index in range(size):
        intervention = InterventionFactory(site=site_ss, author=intervenant_ss)
        intervention.themes.add(theme)
        intervention.co_intervenants.add(direction)
        ParticipationFactory(intervention=intervention, resident=person)
        if index % 2:
            ParticipationFactory(intervention=intervention)
        ConsentFactory(resident=person, purpose=Consent.Purpose.SHARE, partner_name=f"P{index}")
        referral = Referral.objects.create(
            household=person.household,
            resident=person,
            site=site_ss,
            organisation=partner,
            reason="Raison",
            responsible=intervenant_ss,
            created_by=intervenant_ss,
        )
        referral.themes.add(theme)
        ReferralEvent.objects.create(referral=referral, new_status=Status.DRAFT, by=direction)
    client = client_as(direction)
    # session and user, the resident, the read log (content type cached), and one query per
    # kind of record
    with django_assert_max_num_queries(16):
        response = client.get(url(person))
    assert response.status_code == 200
