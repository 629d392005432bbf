"""On a phone, an intervenant names the people of a referral by typing: "etienne" typed
without its accent finds Étienne, chosen with the keyboard; the interventions offered are
then those of the household chosen."""

import pytest
from playwright.sync_api import Page, expect

from interventions.models import Participation
from partners.models import Organisation, Referral
from tests.factories import (
    ConsentedResidentFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
)
from tests.helpers import pick_by_typing
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def pick(page: Page, field: str, typed: str, offered: str) -> None:
    expect(page.locator(f"#id_{field}-ts-control")).to_have_attribute("role", "combobox")
    pick_by_typing(page, field, typed, offered)


def test_an_intervenant_names_etienne_by_typing_without_the_accent(
    page: Page, live_server, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Côté", unit="1250, app. 4")
    etienne = ConsentedResidentFactory(household=household, first_name="Étienne")
    ConsentedResidentFactory(household=household, first_name="Amina")
    ConsentedResidentFactory(household=HouseholdFactory(site=site_ss), first_name="Noah")
    meeting = InterventionFactory(
        site=site_ss,
        author=intervenant_ss,
        type=InterventionTypeFactory(name="Accompagnement"),
    )
    Participation.objects.create(intervention=meeting, resident=etienne)
    partner = Organisation.objects.create(name="Carrefour jeunesse-emploi", kind="community")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    browser_log_in(page, live_server, intervenant_ss.username)

    page.goto(f"{live_server.url}/references/nouvelle/")
    pick(page, "household", "cote", "Côté (1250, app. 4)")
    pick(page, "resident", "etienne", "Étienne Côté")
    # The interventions offered are the chosen household's, listed as the field opens.
    page.locator("#id_interventions-ts-control").click()
    expect(page.locator("#id_interventions-ts-dropdown .option")).to_have_count(1)
    page.locator("#id_interventions-ts-dropdown .option", has_text="Accompagnement").click()
    pick(page, "organisation", "carrefour", "Carrefour jeunesse-emploi")
    page.locator("#id_reason").fill("Recherche d’un emploi d’été.")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("La référence a été enregistrée.")).to_be_visible()

    referral = Referral.objects.get()
    assert (referral.household, referral.resident) == (household, etienne)
    assert referral.organisation == partner
    assert list(referral.interventions.all()) == [meeting]
    assert violations == []
