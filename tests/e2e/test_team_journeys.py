"""A team meeting: an intervenant records it with a colleague, adds a case discussion about a
household with an action for the colleague due tomorrow; the colleague finds it in « Mes
suivis » and marks it done."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ema.accounts.models import Role
from team.models import AgendaItem, Meeting, MeetingAction
from tests.factories import ConsentedResidentFactory, HouseholdFactory, UserFactory
from tests.helpers import pick_by_typing
from tests.logins import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_case_discussion_gives_a_colleague_an_action_that_she_marks_done(
    page: Page, live_server, intervenant_ss, site_ss
):
    colleague = UserFactory(
        username="maude.gagnon",
        first_name="Maude",
        last_name="Gagnon",
        role=Role.INTERVENANT,
        sites=[site_ss],
    )
    household = HouseholdFactory(site=site_ss, label="Ouellet")
    ConsentedResidentFactory(household=household)
    tomorrow = timezone.localdate() + timedelta(days=1)

    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}/reunions/")
    page.get_by_role("link", name="Consigner une réunion").click()
    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.get_by_label("Maude Gagnon").check()
    page.get_by_role("button", name="Consigner la réunion").click()
    expect(page.get_by_text("La réunion a été consignée.")).to_be_visible()
    meeting = Meeting.objects.get()
    assert set(meeting.participants.all()) == {intervenant_ss, colleague}

    page.get_by_role("link", name="Ajouter un point à l’ordre du jour").click()
    page.get_by_label("Analyse de cas", exact=True).check()
    page.locator("#id_title").fill("Retard de loyer")
    pick_by_typing(page, "household", "Ouel", "Ouellet")
    page.locator("#id_said").fill("Deux mois de retard; la famille accepte de l’aide.")
    page.locator("#id_decisions").fill("Accompagner la famille au bureau de l’OMHM.")
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.get_by_text("Le point a été ajouté à l’ordre du jour.")).to_be_visible()
    item = AgendaItem.objects.get()
    assert (item.kind, item.household) == (AgendaItem.Kind.CASE, household)

    page.get_by_role("link", name="Ajouter une action").click()
    page.locator("#id_owner").select_option(label="Maude Gagnon")
    page.locator("#id_what").fill("Appeler la famille pour fixer l’accompagnement")
    page.locator("#id_due_on").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Ajouter l’action").click()
    expect(page.get_by_text("L’action a été ajoutée.")).to_be_visible()
    expect(page.get_by_text("Appeler la famille pour fixer l’accompagnement")).to_be_visible()

    page.context.clear_cookies()
    browser_log_in(page, live_server, colleague.username)
    page.goto(f"{live_server.url}/suivis/")
    week = page.locator("section", has=page.get_by_role("heading", name="Cette semaine"))
    later = page.locator("section", has=page.get_by_role("heading", name="Plus tard"))
    action_text = "Appeler la famille pour fixer l’accompagnement"
    row = page.locator("li", has_text=action_text)
    expect(row).to_be_visible()
    assert week.get_by_text(action_text).count() + later.get_by_text(action_text).count() == 1
    row.get_by_role("button", name="Fait").click()
    expect(page.get_by_text("L’action est marquée comme faite.")).to_be_visible()
    expect(page.get_by_text(action_text)).to_have_count(0)

    action = MeetingAction.objects.get()
    assert (action.done_on, action.done_by) == (timezone.localdate(), colleague)
