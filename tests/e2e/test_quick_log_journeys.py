"""Naming a person fast, on a phone: from their page, and from "Ma journée" by type-ahead.
The journeys count what the person fills in (inputs, choices) and taps."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interventions.models import Intervention, Level, Tally
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PlaceFactory,
)
from tests.logins import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Person:
    """A person at the phone: each fill, choice or tap is counted."""

    def __init__(self, page: Page):
        self.page = page
        self.inputs = 0
        self.taps = 0

    def fill(self, selector: str, value: str) -> None:
        self.inputs += 1
        self.page.locator(selector).fill(value)

    def choose(self, selector: str, label: str) -> None:
        self.inputs += 1
        self.page.locator(selector).select_option(label=label)

    def type_ahead(self, selector: str, typed: str, offered: str) -> None:
        """Type a few letters in a picker and take the name it offers (one input)."""
        self.inputs += 1
        box = self.page.locator(f"{selector}-ts-control")
        box.press_sequentially(typed, delay=30)
        option = self.page.get_by_role("option", name=offered)
        expect(option).to_be_visible()
        if option.get_attribute("aria-selected") != "true":
            box.press("ArrowDown")
        box.press("Enter")

    def tap(self, locator) -> None:
        self.taps += 1
        locator.click()


@pytest.fixture
def individual_type(db):
    return InterventionTypeFactory(name="Soutien individuel", default_level=Level.INDIVIDUAL)


@pytest.fixture
def etienne(site_ss):
    household = HouseholdFactory(site=site_ss, label="Bélanger", unit="1250, app. 4")
    return ConsentedResidentFactory(
        household=household,
        first_name="Étienne",
        last_name="Bélanger",
        consent__given_on=timezone.localdate() - timedelta(days=30),
    )


def test_from_a_residents_page_a_contact_and_its_follow_up_take_five_inputs(
    page: Page, live_server, intervenant_ss, site_ss, individual_type, etienne
):
    PlaceFactory(name="Bureau d’EMA")
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}{etienne.get_absolute_url()}")
    person = Person(page)
    person.tap(page.get_by_role("link", name="Consigner"))
    expect(page.get_by_text("Avec Étienne Bélanger.")).to_be_visible()
    person.choose("#id_type", "Soutien individuel")
    person.fill("#id_summary", "Aide pour le formulaire de l’OMHM.")
    due = timezone.localdate() + timedelta(days=7)
    person.fill("#id_follow_up_due", due.isoformat())
    assert person.inputs <= 5
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Étienne Bélanger")).to_be_visible()
    logged = Intervention.objects.get()
    assert [p.resident for p in logged.participations.all()] == [etienne]
    assert (logged.type, logged.level, logged.follow_up_due) == (
        individual_type,
        Level.INDIVIDUAL,
        due,
    )
    assert logged.follow_up_by == intervenant_ss
    assert logged.date == timezone.localdate()


def test_from_my_day_the_type_ahead_names_the_person_in_six_inputs(
    page: Page, live_server, intervenant_ss, site_ss, individual_type, etienne
):
    PlaceFactory(name="Bureau d’EMA")
    browser_log_in(page, live_server, intervenant_ss.username)
    person = Person(page)
    person.tap(page.get_by_role("link", name="Soutien individuel"))
    # Typed without the accent and the capital.
    person.type_ahead("#id_participants", "etienne", "Étienne Bélanger — Bélanger, 1250, app. 4")
    person.fill("#id_summary", "Écoute, inquiète pour son fils.")
    due = timezone.localdate() + timedelta(days=3)
    person.fill("#id_follow_up_due", due.isoformat())
    person.tap(page.get_by_text("Hier", exact=True))
    person.fill("#id_start_time", "19:30")
    assert person.inputs + person.taps - 1 <= 6  # the tap on the type opened the form
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()
    logged = Intervention.objects.get()
    assert [p.resident for p in logged.participations.all()] == [etienne]
    assert logged.date == timezone.localdate() - timedelta(days=1)
    assert logged.start_time.strftime("%H:%M") == "19:30"
    assert logged.follow_up_due == due


def test_a_household_page_offers_its_members_to_tick(
    page: Page, live_server, intervenant_ss, site_ss, individual_type, etienne
):
    sister = ConsentedResidentFactory(household=etienne.household, first_name="Sophie")
    PlaceFactory(name="Bureau d’EMA")
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}{etienne.household.get_absolute_url()}")
    page.get_by_role("link", name="Consigner").click()
    page.locator("#id_type").select_option(label="Soutien individuel")
    page.get_by_label("Sophie").check()
    page.get_by_label("Étienne").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Bélanger")).to_be_visible()
    logged = Intervention.objects.get()
    assert {p.resident for p in logged.participations.all()} == {etienne, sister}


def test_a_running_tally_of_twelve_arrivals_takes_twelve_taps_one_start_one_close(
    page: Page, live_server, intervenant_ss, site_ss
):
    InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)
    PlaceFactory(name="Cour et espaces extérieurs")
    browser_log_in(page, live_server, intervenant_ss.username)
    page.get_by_role("link", name="Présence informelle").click()
    person = Person(page)
    person.tap(page.get_by_role("button", name="Démarrer un décompte"))

    plus_children = page.get_by_role("button", name="Un de plus : 6-12 ans")
    plus_adults = page.get_by_role("button", name="Un de plus : 26-64 ans")
    box = plus_children.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44
    for arrival in range(12):
        person.tap(plus_children if arrival < 9 else plus_adults)
    expect(page.locator("[data-tally-total]")).to_have_text("12")
    # The counts reach the server as they are tapped, before anything is closed.
    tally = Tally.objects.get()
    tally.refresh_from_db()
    Tally.objects.filter(pk=tally.pk).update(started_at=timezone.now() - timedelta(hours=1))
    person.tap(page.get_by_role("button", name="Fermer et consigner"))

    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()
    assert person.taps == 14
    logged = Intervention.objects.get()
    assert (logged.count_6_12, logged.count_26_64, logged.total_headcount) == (9, 3, 12)
    assert 60 <= logged.duration_minutes <= 61


def test_the_full_form_fits_in_two_phone_screens_until_a_part_is_opened(
    page: Page, live_server, intervenant_ss, site_ss, individual_type
):
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/interventions/nouvelle/")
    two_screens = 2 * page.viewport_size["height"]
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= two_screens, f"{height} px for {two_screens} px"
    page.get_by_text("Décisions, note confidentielle et suivi").click()
    expect(page.locator("#id_follow_up_due")).to_be_visible()
