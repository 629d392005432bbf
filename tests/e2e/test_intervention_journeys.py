"""An intervenant's day, on a phone: quick log, group session, timeline."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interventions.models import Intervention, Level
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
)
from tests.logins import browser_log_in

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def visible_inputs_filled(page: Page) -> int:
    """How many inputs a person typed in: those whose value differs from the default."""
    return page.evaluate(
        """() => [...document.querySelectorAll('form input:not([type=hidden]), form textarea')]
              .filter(el => el.value !== el.defaultValue).length"""
    )


def test_an_intervenant_logs_an_informal_presence_in_six_inputs_at_most(
    page: Page, live_server, intervenant_ss, site_ss
):
    # The reference lists come from a data migration; the journey does not rely on them
    # surviving the previous journeys' emptied database.
    InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)
    PlaceFactory(name="Cour et espaces extérieurs")
    browser_log_in(page, live_server, intervenant_ss.username)
    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()

    page.get_by_role("link", name="Présence informelle").click()
    page.locator("#id_count_6_12").fill("6")
    page.locator("#id_count_13_17").fill("3")
    page.locator("#id_count_26_64").fill("2")
    page.locator("#id_summary").fill("Partie de soccer dans la cour.")
    assert visible_inputs_filled(page) <= 6
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()
    today = page.get_by_role("region", name="Aujourd’hui")
    expect(today.get_by_role("link", name="Présence informelle")).to_be_visible()
    logged = Intervention.objects.get()
    assert (logged.count_6_12, logged.count_13_17, logged.count_26_64) == (6, 3, 2)
    assert logged.site == site_ss
    assert logged.date == timezone.localdate()


def test_an_intervenant_logs_a_group_session_with_its_attendance(
    page: Page, live_server, intervenant_ss, site_ss
):
    household = HouseholdFactory(site=site_ss)
    children = [
        ConsentedResidentFactory(household=household, first_name=name)
        for name in ("Amira", "Jonathan", "Kelly")
    ]
    activity = GroupActivityFactory(site=site_ss)
    activity.registered.set(children)

    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    page.locator(f"a[href$='/activites/{activity.pk}/seance/']").first.click()
    page.get_by_label("Amira", exact=False).check()
    page.get_by_label("Kelly", exact=False).check()
    page.locator("#id_count_6_12").fill("2")
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("heading", name=activity.name)).to_be_visible()
    session = Intervention.objects.get(activity=activity)
    assert session.level == Level.GROUP
    assert {p.resident.first_name for p in session.participations.all()} == {"Amira", "Kelly"}


def test_the_timeline_shows_a_named_intervention_that_another_site_cannot_open(
    page: Page, live_server, intervenant_ss, intervenant_ag, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Ouellet")
    resident = ConsentedResidentFactory(household=household)
    participation = ParticipationFactory(
        resident=resident,
        intervention__site=site_ss,
        intervention__author=intervenant_ss,
        intervention__summary="Accompagnement à l’école Ahuntsic.",
    )
    intervention = participation.intervention

    browser_log_in(page, live_server, intervenant_ss.username)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    timeline = page.get_by_role("region", name="Chronologie")
    expect(timeline.get_by_text("Accompagnement à l’école Ahuntsic.")).to_be_visible()

    page.context.clear_cookies()
    browser_log_in(page, live_server, intervenant_ag.username)
    response = page.goto(f"{live_server.url}{intervention.get_absolute_url()}")
    assert response.status == 404
    page.goto(f"{live_server.url}/interventions/")
    expect(page.get_by_text("Accompagnement à l’école Ahuntsic.")).to_have_count(0)


def test_the_direction_reads_a_restricted_note_and_a_colleague_does_not(
    page: Page, live_server, intervenant_ss, direction, site_ss
):
    intervention = InterventionFactory(
        site=site_ss, author=intervenant_ss, restricted_note="Inquiétude partagée par la mère."
    )
    browser_log_in(page, live_server, direction.username)
    page.goto(f"{live_server.url}{intervention.get_absolute_url()}")
    expect(page.get_by_text("Inquiétude partagée par la mère.")).to_be_visible()


def test_a_second_tap_while_the_log_is_being_sent_sends_nothing_more(
    page: Page, live_server, intervenant_ss, site_ss
):
    """On a weak connection the save takes a while: the button waits, and a second tap or an
    Enter sends nothing more. (The page holds the form at the moment it would leave, as a
    slow network does, and counts what would have been sent.)"""
    InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)
    PlaceFactory(name="Cour et espaces extérieurs")
    browser_log_in(page, live_server, intervenant_ss.username)
    page.get_by_role("link", name="Présence informelle").click()
    page.locator("#id_count_6_12").fill("4")
    page.evaluate(
        """() => {
            window.sent = 0;
            window.addEventListener("submit", (event) => {
                if (!event.defaultPrevented) { window.sent += 1; }
                event.preventDefault();
            });
        }"""
    )
    save = page.get_by_role("button", name="Enregistrer")

    save.click()
    expect(save).to_be_disabled()
    page.locator("#id_duration_minutes").press("Enter")
    page.evaluate("document.querySelector('main form').requestSubmit()")

    assert page.evaluate("window.sent") == 1
    assert page.locator("main form").get_attribute("aria-busy") == "true"
