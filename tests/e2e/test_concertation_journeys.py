"""Coordination records a concertation meeting and a commitment made there; an intervenant
marks a late commitment kept from the commitments to follow, then undoes it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partners.models import Commitment, ConcertationMeeting, Organisation
from tests.logins import browser_log_in
from tests.partners.factories import CommitmentFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordination_records_a_meeting_then_a_commitment(page: Page, live_server, coordination):
    today = timezone.localdate()
    OrganisationFactory(name="Maison des jeunes", kind=Organisation.Kind.COMMUNITY)
    browser_log_in(page, live_server, coordination.username)
    page.goto(f"{live_server.url}/concertation/")
    page.get_by_role("link", name="Nouvelle rencontre").click()

    page.get_by_label("Nom de la table").fill("Table jeunesse d’Ahuntsic")
    page.locator("#id_held_on").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Maison des jeunes").check()
    page.get_by_label("Décisions").fill("Soirées sportives le vendredi.")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("La rencontre a été enregistrée.")).to_be_visible()
    expect(page.get_by_text("Soirées sportives le vendredi.")).to_be_visible()
    page.locator("#id_organisation").select_option(label="Maison des jeunes")
    page.locator("#id_what").fill("Réserver le gymnase.")
    page.locator("#id_due_on").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Ajouter l’engagement").click()

    expect(page.get_by_text("L’engagement a été consigné.")).to_be_visible()
    expect(page.get_by_text("Réserver le gymnase.")).to_be_visible()
    meeting = ConcertationMeeting.objects.get()
    assert meeting.commitments.get().what == "Réserver le gymnase."


def test_an_intervenant_marks_a_late_commitment_kept_then_undoes_it(
    page: Page, live_server, intervenant_ss
):
    late = CommitmentFactory(
        organisation__name="CLSC d’Ahuntsic",
        what="Présenter la halte-garderie.",
        due_on=timezone.localdate() - timedelta(days=3),
    )
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/concertation/engagements/")

    expect(page.get_by_text("Présenter la halte-garderie.")).to_be_visible()
    expect(page.get_by_text("En retard", exact=True)).to_be_visible()
    page.get_by_role("button", name="Marquer tenu").click()

    expect(page.get_by_text("Le suivi de l’engagement a été consigné.")).to_be_visible()
    expect(
        page.get_by_text("Aucun engagement en cours ne correspond à ces filtres.")
    ).to_be_visible()
    assert Commitment.objects.get(pk=late.pk).status == Commitment.Status.KEPT

    page.goto(f"{live_server.url}{late.meeting.get_absolute_url()}")
    page.get_by_role("button", name="Annuler : remettre en cours").click()
    expect(page.get_by_text("Le suivi de l’engagement a été consigné.")).to_be_visible()
    assert Commitment.objects.get(pk=late.pk).status == Commitment.Status.OPEN
