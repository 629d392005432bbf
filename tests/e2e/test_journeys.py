"""A person's real path through the pages, in headless Chromium."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from residents.models import Household
from tests.factories import PASSWORD, ConsentedResidentFactory, HouseholdFactory
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_intervenant_logs_in_in_french_and_sees_only_their_sites_households(
    page: Page, live_server, intervenant_ss, site_ss, site_ag
):
    HouseholdFactory(site=site_ss, label="Bélanger")
    HouseholdFactory(site=site_ag, label="Lavoie")

    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    browser_log_in(page, live_server, intervenant_ss.username)

    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()
    page.get_by_role("button", name="Afficher le menu").click()
    page.get_by_role("link", name="Ménages").click()
    expect(page.get_by_role("link", name="Bélanger")).to_be_visible()
    expect(page.get_by_text("Lavoie")).to_have_count(0)


def test_an_intervenant_creates_a_household_with_an_adult_and_a_child(
    page: Page, live_server, intervenant_ss, site_ss
):
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/menages/nouveau/")
    expect(page.get_by_role("heading", name="Nouveau ménage")).to_be_visible()

    page.locator("#id_unit").fill("10 235, app. 6")
    page.locator("#id_label").fill("Nguyen")
    page.locator("#id_languages").fill("vietnamien, français")

    page.locator("#id_members-0-first_name").fill("Thi Lan")
    page.locator("#id_members-0-last_name").fill("Nguyen")
    page.locator("#id_members-0-date_of_birth").fill("1986-09-14")
    page.locator("#id_members-0-consent_confirmed").check()

    page.get_by_role("button", name="Ajouter un membre").click()
    seven_years_ago = date(timezone.localdate().year - 7, 5, 2).isoformat()
    page.locator("#id_members-1-first_name").fill("Minh")
    page.locator("#id_members-1-last_name").fill("Nguyen")
    page.locator("#id_members-1-date_of_birth").fill(seven_years_ago)
    page.locator("#id_members-1-consent_confirmed").check()
    page.locator("#id_members-1-consent_given_by").select_option("guardian")
    page.locator("#id_members-1-guardian_name").fill("Thi Lan Nguyen")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Le ménage a été créé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nguyen")).to_be_visible()
    expect(page.get_by_role("link", name="Minh Nguyen")).to_be_visible()

    page.goto(f"{live_server.url}/menages/")
    page.get_by_label("Nom ou logement").fill("nguyen")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Nguyen")).to_be_visible()
    # The search is posted: the family name is nowhere in the address.
    assert "nguyen" not in page.url.lower()
    household = Household.objects.get(label="Nguyen")
    assert household.members.count() == 2


def test_a_child_without_a_guardians_consent_is_refused_and_the_form_keeps_the_input(
    page: Page, live_server, intervenant_ss, site_ss
):
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/menages/nouveau/")
    page.locator("#id_unit").fill("3")
    page.locator("#id_label").fill("Diallo")
    page.locator("#id_members-0-first_name").fill("Awa")
    page.locator("#id_members-0-last_name").fill("Diallo")
    page.locator("#id_members-0-date_of_birth").fill(f"{timezone.localdate().year - 6}-01-15")
    page.locator("#id_members-0-consent_confirmed").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Rien n’a été enregistré", exact=False)).to_be_visible()
    expect(page.get_by_text("moins de 14 ans", exact=False)).to_be_visible()
    expect(page.locator("#id_members-0-first_name")).to_have_value("Awa")
    assert not Household.objects.filter(label="Diallo").exists()


def test_a_wrong_password_shows_a_french_error(page: Page, live_server, intervenant_ss):
    browser_log_in(page, live_server, intervenant_ss.username, password="pas-le-bon-mot-de-passe")
    expect(
        page.get_by_text("Le nom d’utilisateur ou le mot de passe est erroné", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Nom d’utilisateur")).to_have_value(intervenant_ss.username)


def test_the_english_switch_translates_the_pages(page: Page, live_server, intervenant_ss, site_ss):
    ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Login")).to_be_visible()
    page.get_by_label("Username").fill(intervenant_ss.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    page.get_by_role("button", name="Show the menu").click()
    page.get_by_role("link", name="Sites").click()
    expect(page.get_by_text("Active households")).to_be_visible()
    page.get_by_role("button", name="Show the menu").click()
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^fr"))
    expect(page.get_by_text("Ménages actifs")).to_be_visible()
