"""A partner's contact answers a referral from the link in EMA's email, on a phone, without
an account; the coordinator reads the partner's steps on the referral's page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from partners.models import Referral, Status
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.logins import browser_log_in
from tests.partners.factories import ContactFactory, OrganisationFactory, ReferralFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_partner_accepts_then_completes_a_referral_from_its_link(
    page: Page, live_server, coordination, site_ss, browser_context_args
):
    clsc = OrganisationFactory(name="CLSC d’Ahuntsic")
    ContactFactory(organisation=clsc, name="Julie Gagnon", email="julie@clsc.example.org")
    resident = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss), first_name="Mireille", last_name="Bastarache"
    )
    referral = ReferralFactory(
        resident=resident,
        organisation=clsc,
        responsible=coordination,
        consented=True,
        status=Status.SENT,
        information_shared="Cherche une place en halte-garderie.",
    )

    # The coordinator emails the link from the referral's page.
    browser_log_in(page, live_server, coordination.username)
    page.goto(f"{live_server.url}{referral.get_absolute_url()}")
    page.locator("#id_contact").select_option(label="Julie Gagnon (julie@clsc.example.org)")
    page.get_by_role("button", name="Envoyer un lien au partenaire par courriel").click()
    expect(page.get_by_text("Le lien a été envoyé à julie@clsc.example.org.")).to_be_visible()
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/lien/[\w-]+/", email.body).group(0)
    assert "Mireille" not in email.body

    # The partner opens it on its own phone, with no session of EMA.
    partner = page.context.browser.new_context(**browser_context_args).new_page()
    partner.goto(link)
    expect(partner.get_by_role("heading", name=f"Référence {referral.reference}")).to_be_visible()
    expect(partner.get_by_text("Cherche une place en halte-garderie.")).to_be_visible()
    expect(partner.get_by_text("Mireille")).to_have_count(0)
    partner.get_by_label("Nous acceptons cette référence").check()
    partner.get_by_role("button", name="Envoyer ma réponse").click()
    expect(partner.get_by_text("Merci : votre réponse a été transmise à EMA.")).to_be_visible()

    # Later, the service is completed: the partner gives its outcome.
    partner.get_by_label("Le service est terminé (indiquez son résultat)").check()
    partner.get_by_role("button", name="Envoyer ma réponse").click()
    expect(partner.get_by_text("Indiquez le résultat du service terminé.")).to_be_visible()
    partner.locator("#id_outcome").select_option("met")
    partner.get_by_role("button", name="Envoyer ma réponse").click()
    expect(partner.get_by_role("heading", name="Ce lien ne fonctionne plus")).to_be_visible()
    expect(partner.get_by_text("Merci : votre réponse a été transmise à EMA.")).to_be_visible()

    # The coordinator reads the partner's two steps.
    page.reload()
    steps = page.locator("#steps-title + ol li")
    expect(steps.filter(has_text="par CLSC d’Ahuntsic, lien partenaire")).to_have_count(2)
    expect(page.get_by_text("fermé avec la référence")).to_be_visible()
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.status, referral.outcome) == (Status.COMPLETED, "met")
