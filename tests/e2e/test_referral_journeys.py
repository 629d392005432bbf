"""A coordinator follows a referral until its outcome is known."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partners.models import Organisation, Referral, Status
from residents.models import Consent
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.helpers import pick_by_typing
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def food_bank(db):
    return Organisation.objects.create(name="Banque alimentaire d’Ahuntsic", kind="community")


def new_referral(page: Page, live_server, resident, organisation) -> Referral:
    page.goto(f"{live_server.url}/references/nouvelle/?resident={resident.pk}")
    pick_by_typing(page, "organisation", organisation.name[:6], organisation.name)
    page.locator("#id_reason").fill("Besoin d’aide alimentaire pour la famille.")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("La référence a été enregistrée.")).to_be_visible()
    return Referral.objects.get(resident=resident)


def change_status(page: Page, status: str, outcome: str = "") -> None:
    page.locator("#id_status").select_option(status)
    if outcome:
        page.locator("#id_outcome").select_option(outcome)
    page.locator("form[action$='/statut/'] button[type=submit]").click()


def test_a_coordinator_follows_a_consented_referral_to_its_outcome(
    page: Page, live_server, coordination, site_ss, food_bank
):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    Consent.objects.create(
        resident=resident,
        purpose=Consent.Purpose.SHARE,
        partner=food_bank,
        given_on=timezone.localdate(),
        obtained_by=coordination,
    )
    browser_log_in(page, live_server, coordination.username)
    page.goto(f"{live_server.url}/references/nouvelle/?resident={resident.pk}")
    pick_by_typing(page, "organisation", "banque", food_bank.name)
    page.locator("#id_reason").fill("Besoin d’aide alimentaire pour la famille.")
    page.locator("#id_consent").select_option(index=1)
    page.locator("main form button[type=submit]").click()
    referral = Referral.objects.get(resident=resident)

    # A draft left too long is overdue: it shows first in the queue.
    Referral.objects.filter(pk=referral.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page.goto(f"{live_server.url}/references/")
    overdue = page.get_by_role("region", name="En retard")
    expect(overdue.get_by_role("link", name=food_bank.name)).to_be_visible()

    page.goto(f"{live_server.url}{referral.get_absolute_url()}")
    change_status(page, Status.SENT)
    expect(page.get_by_text("Envoyée").first).to_be_visible()
    change_status(page, Status.ACCEPTED)
    change_status(page, Status.COMPLETED, outcome=Referral.Outcome.MET)
    expect(page.get_by_text("Besoin comblé").first).to_be_visible()

    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    assert [e.new_status for e in referral.events.all()] == [
        Status.DRAFT,
        Status.SENT,
        Status.ACCEPTED,
        Status.COMPLETED,
    ]
    page.goto(f"{live_server.url}/references/")
    expect(page.get_by_role("link", name=food_bank.name)).to_have_count(0)


def test_sending_without_consent_is_refused_in_french(
    page: Page, live_server, coordination, intervenant_ag, site_ss, food_bank
):
    resident = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    browser_log_in(page, live_server, coordination.username)
    referral = new_referral(page, live_server, resident, food_bank)
    change_status(page, Status.SENT)
    expect(page.get_by_text("consentement", exact=False).first).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT

    page.context.clear_cookies()
    browser_log_in(page, live_server, intervenant_ag.username)
    response = page.goto(f"{live_server.url}{referral.get_absolute_url()}")
    assert response.status == 404
