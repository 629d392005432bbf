"""An intervenant works through "Mes suivis" on a phone: who and what, put off, done, undone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interventions.models import Intervention, Participation
from tests.factories import ConsentedResidentFactory, InterventionFactory
from tests.logins import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_intervenant_puts_off_a_follow_up_then_closes_it_and_undoes_it(
    page: Page, live_server, intervenant_ss, site_ss
):
    today = timezone.localdate()
    resident = ConsentedResidentFactory(
        household__site=site_ss, first_name="Aline", last_name="Bélanger"
    )
    intervention = InterventionFactory(
        site=site_ss,
        author=intervenant_ss,
        follow_up_by=intervenant_ss,
        follow_up_due=today - timedelta(days=2),
        summary="Rappeler l’école au sujet de l’inscription",
    )
    Participation.objects.create(intervention=intervention, resident=resident)
    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/suivis/")

    overdue = page.locator("section", has=page.get_by_role("heading", name="En retard"))
    expect(overdue.get_by_text("Aline Bélanger")).to_be_visible()
    expect(overdue.get_by_text("Rappeler l’école au sujet de l’inscription")).to_be_visible()

    later = today + timedelta(days=10)
    overdue.get_by_label("Nouvelle date du suivi de").fill(later.isoformat())
    overdue.get_by_role("button", name="Reporter").click()

    expect(page.get_by_text("Suivi reporté au")).to_be_visible()
    expect(page.get_by_role("heading", name="En retard")).to_have_count(0)
    intervention.refresh_from_db()
    assert intervention.follow_up_due == later

    page.get_by_role("button", name="Fait").click()
    expect(page.get_by_text("Aucun suivi ne vous attend.")).to_be_visible()
    page.get_by_role("button", name="Annuler").click()

    expect(page.get_by_text("Le suivi est rouvert.")).to_be_visible()
    expect(page.get_by_text("Aline Bélanger")).to_be_visible()
    assert Intervention.objects.get(pk=intervention.pk).follow_up_done_on is None
