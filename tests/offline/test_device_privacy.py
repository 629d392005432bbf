"""What the phone may keep: the offline pages hold no one's name, no restricted note, no
consent, no household list; the bundle names only the residents kept at hand, of the
person's own sites; keeping someone at hand is limited and audited by who may open the file."""

import json

import pytest
from django.urls import reverse

from interventions.models import Participation
from offline.models import AT_HAND_LIMIT, AtHand
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
)

SECRET_NOTE = "Note réservée : situation de violence"


@pytest.fixture
def day_with_names(site_ss, intervenant_ss):
    """Today's entries of the intervenant name a resident, in a summary and a note too."""
    household = HouseholdFactory(site=site_ss, label="Tremblay-Quintal", unit="1250, app. 9")
    resident = ConsentedResidentFactory(
        household=household, first_name="Ginette", last_name="Tremblay-Quintal"
    )
    logged = InterventionFactory(
        author=intervenant_ss,
        site=site_ss,
        summary="Vu Ginette Tremblay-Quintal dans la cour.",
        restricted_note=SECRET_NOTE,
    )
    Participation.objects.create(intervention=logged, resident=resident)
    activity = GroupActivityFactory(site=site_ss, name="Aide aux devoirs")
    activity.registered.add(resident)
    return activity


@pytest.mark.parametrize(
    "url",
    [
        lambda activity: reverse("offline:day"),
        lambda activity: reverse("offline:quick_log"),
        lambda activity: reverse("offline:session", args=[activity.pk]),
    ],
    ids=["day", "quick_log", "session"],
)
def test_the_offline_pages_hold_no_name_note_or_household(
    client_as, intervenant_ss, day_with_names, url
):
    response = client_as(intervenant_ss).get(url(day_with_names))
    assert response.status_code == 200
    page = response.content.decode()
    for secret in ("Ginette", "Tremblay-Quintal", SECRET_NOTE, "1250, app. 9", "consentement"):
        assert secret not in page, secret


def test_the_offline_day_shows_what_was_logged_today_to_correct_it(
    client_as, intervenant_ss, day_with_names
):
    page = client_as(intervenant_ss).get(reverse("offline:day")).content.decode()
    assert "Corriger les nombres ou la durée" in page
    assert "Aide aux devoirs" in page  # today's group activity, to take attendance


def test_the_bundle_names_only_the_residents_kept_at_hand(
    client_as, intervenant_ss, site_ss, day_with_names
):
    kept = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Aïcha")
    AtHand.objects.create(user=intervenant_ss, resident=kept)
    response = client_as(intervenant_ss).get(reverse("offline:bundle"))
    assert response["Cache-Control"] == "no-store"
    bundle = response.json()
    assert [person["id"] for person in bundle["hand"]] == [kept.pk]
    text = json.dumps(bundle)
    assert "Ginette" not in text and "Tremblay-Quintal" not in text
    assert reverse("offline:day") in bundle["pages"]


def test_a_resident_kept_at_hand_who_moved_to_another_site_leaves_the_phone(
    client_as, intervenant_ss, site_ss, site_ag
):
    kept = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    AtHand.objects.create(user=intervenant_ss, resident=kept)
    kept.household.site = site_ag
    kept.household.save()
    bundle = client_as(intervenant_ss).get(reverse("offline:bundle")).json()
    assert bundle["hand"] == []


def test_keeping_at_hand_is_for_residents_one_may_open(client_as, intervenant_ss, site_ag):
    elsewhere = ConsentedResidentFactory(household=HouseholdFactory(site=site_ag))
    response = client_as(intervenant_ss).post(reverse("offline:at_hand_add", args=[elsewhere.pk]))
    assert response.status_code == 404
    assert not AtHand.objects.exists()


def test_keeping_at_hand_then_putting_away_from_the_residents_page(
    client_as, intervenant_ss, site_ss
):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    client = client_as(intervenant_ss)
    page = resident.get_absolute_url()
    response = client.post(reverse("offline:at_hand_add", args=[resident.pk]), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert "À portée de main : retirer" in client.get(page).content.decode()
    client.post(reverse("offline:at_hand_remove", args=[resident.pk]))
    assert not AtHand.objects.exists()


def test_a_next_address_elsewhere_is_not_followed(client_as, intervenant_ss, site_ss):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    response = client_as(intervenant_ss).post(
        reverse("offline:at_hand_add", args=[resident.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == resident.get_absolute_url()


def test_at_most_a_few_dozen_people_are_kept_at_hand(client_as, intervenant_ss, site_ss):
    household = HouseholdFactory(site=site_ss)
    people = [ConsentedResidentFactory(household=household) for _ in range(AT_HAND_LIMIT + 1)]
    for person in people[:AT_HAND_LIMIT]:
        AtHand.objects.create(user=intervenant_ss, resident=person)
    client = client_as(intervenant_ss)
    response = client.post(reverse("offline:at_hand_add", args=[people[-1].pk]), follow=True)
    assert AtHand.objects.count() == AT_HAND_LIMIT
    assert f"Au plus {AT_HAND_LIMIT} personnes" in response.content.decode()


@pytest.mark.parametrize("size", [1, 25])
def test_the_offline_pages_and_the_bundle_run_bounded_queries(
    client_as, intervenant_ss, site_ss, size, django_assert_max_num_queries
):
    household = HouseholdFactory(site=site_ss)
    for _ in range(size):
        AtHand.objects.create(
            user=intervenant_ss, resident=ConsentedResidentFactory(household=household)
        )
        InterventionFactory(author=intervenant_ss, site=site_ss)
        GroupActivityFactory(site=site_ss)
    client = client_as(intervenant_ss)
    for url, budget in [
        (reverse("offline:day"), 14),
        (reverse("offline:quick_log"), 12),
        (reverse("offline:bundle"), 10),
        (reverse("offline:at_hand"), 10),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
