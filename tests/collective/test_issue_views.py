"""A site's collective issues: who opens them, what their pages name, their status history,
the links to households, interventions and partners, and what a bad input leaves intact."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from collective.models import CollectiveIssue, IssueResponse, IssueStatus, IssueStatusChange
from collective.services import STALE_ISSUE
from interventions.models import Level
from partners.models import Organisation
from tests.collective.factories import CollectiveIssueFactory, days_ago
from tests.factories import HouseholdFactory, InterventionFactory
from tests.helpers import french, max_data_queries, once, page_text

LIST_URL = reverse("collective:issue_list")
CREATE_URL = reverse("collective:issue_create")


def url(name, issue):
    return reverse(f"collective:{name}", args=[issue.pk])


@pytest.fixture
def issue(site_ss, intervenant_ss):
    return CollectiveIssueFactory(
        site=site_ss, created_by=intervenant_ss, title="Punaises de lit au 1250"
    )


def issue_post(site, **values) -> dict:
    return {
        **once(),
        "site": str(site.pk),
        "title": "Éclairage de la cour arrière",
        "category": "safety",
        "opened_on": days_ago(3).isoformat(),
        "description": "Les lampadaires sont brisés depuis un mois.",
        **values,
    }


# Access ------------------------------------------------------------------------------------


def test_an_intervenant_of_another_site_gets_404_on_every_page_of_the_issue(
    client_as, intervenant_ag, issue
):
    client = client_as(intervenant_ag)
    for name in ("issue_detail", "issue_update", "issue_response_create"):
        assert client.get(url(name, issue)).status_code == 404
    for name in ("issue_status", "issue_households_add", "issue_interventions_link"):
        assert client.post(url(name, issue), {"status": "resolved"}).status_code == 404
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN


def test_the_list_shows_an_intervenant_only_the_issues_of_their_sites(
    client_as, intervenant_ss, issue, site_ag
):
    CollectiveIssueFactory(site=site_ag, title="Bruit au 3e étage d’André-Grasset")
    text = page_text(client_as(intervenant_ss).get(LIST_URL))
    assert "Punaises de lit au 1250" in text
    assert "André-Grasset" not in text


def test_coordination_and_direction_see_every_site(client_as, coordination, issue, site_ag):
    CollectiveIssueFactory(site=site_ag, title="Bruit au 3e étage")
    text = page_text(client_as(coordination).get(LIST_URL))
    assert "Punaises de lit au 1250" in text and "Bruit au 3e étage" in text


def test_the_research_role_is_refused_every_page(client_as, research, issue):
    client = client_as(research)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(url("issue_detail", issue)).status_code == 403


def test_the_list_filters_by_site_and_status(client_as, direction, issue, site_ag):
    CollectiveIssueFactory(site=site_ag, title="Bruit au 3e étage", status=IssueStatus.RESOLVED)
    client = client_as(direction)
    text = page_text(client.get(LIST_URL, {"site": site_ag.pk}))
    assert "Bruit au 3e étage" in text and "Punaises" not in text
    text = page_text(client.get(LIST_URL, {"status": "open"}))
    assert "Punaises" in text and "Bruit au 3e étage" not in text


def test_a_filter_that_is_not_one_answers_400_in_french(client_as, direction, issue):
    response = client_as(direction).get(LIST_URL, {"status": "n-importe-quoi"})
    assert response.status_code == 400
    assert french("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": "n-importe-quoi"
    } in page_text(response)


# Households named only for who may open them -------------------------------------------------


def test_the_page_names_the_households_of_the_site_for_its_intervenant(
    client_as, intervenant_ss, issue, site_ss
):
    household = HouseholdFactory(site=site_ss, label="Bélanger")
    issue.households.add(household, HouseholdFactory(site=site_ss, label="Tremblay"))
    text = page_text(client_as(intervenant_ss).get(url("issue_detail", issue)))
    assert "2 ménages touchés" in text
    assert "Bélanger" in text and "Tremblay" in text
    assert "que vous ne pouvez pas ouvrir" not in text


def test_the_list_counts_the_households_without_naming_them(
    client_as, intervenant_ss, issue, site_ss
):
    issue.households.add(HouseholdFactory(site=site_ss, label="Bélanger"))
    response = client_as(intervenant_ss).get(LIST_URL)
    assert "Bélanger" not in page_text(response)
    assert response.context["page_obj"].object_list[0].household_count == 1


def test_a_household_of_another_site_cannot_be_added(client_as, coordination, issue, site_ag):
    stranger = HouseholdFactory(site=site_ag, label="Ailleurs")
    response = client_as(coordination).post(
        url("issue_households_add", issue), {"households": [str(stranger.pk)]}
    )
    assert response.status_code == 400
    assert french("This household does not live on the issue’s site.") in page_text(response)
    assert not issue.households.exists()


def test_households_are_added_and_taken_off_with_an_audit_entry(
    client_as, intervenant_ss, issue, site_ss
):
    first, second = HouseholdFactory(site=site_ss), HouseholdFactory(site=site_ss)
    client = client_as(intervenant_ss)
    response = client.post(
        url("issue_households_add", issue), {"households": [str(first.pk), str(second.pk)]}
    )
    assert response.status_code == 302
    assert set(issue.households.all()) == {first, second}
    response = client.post(url("issue_household_remove", issue), {"pk": str(first.pk)})
    assert response.status_code == 302
    assert list(issue.households.all()) == [second]
    entries = LogEntry.objects.get_for_object(issue).filter(action=LogEntry.Action.UPDATE)
    assert [set(entry.changes) for entry in entries] == [{"households"}, {"households"}]


def test_adding_no_household_says_so_in_french(client_as, intervenant_ss, issue):
    response = client_as(intervenant_ss).post(url("issue_households_add", issue), {})
    assert response.status_code == 400
    assert french("Choose at least one household.") in page_text(response)


# Opening and editing --------------------------------------------------------------------------


def test_opening_an_issue_stores_it_with_its_first_status_step(client_as, intervenant_ss, site_ss):
    omhm = Organisation.objects.create(name="OMHM", kind=Organisation.Kind.OMHM)
    response = client_as(intervenant_ss).post(
        CREATE_URL, issue_post(site_ss, partners=[str(omhm.pk)])
    )
    issue = CollectiveIssue.objects.get()
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    assert (issue.site, issue.category, issue.status) == (site_ss, "safety", IssueStatus.OPEN)
    assert issue.created_by == intervenant_ss
    assert list(issue.partners.all()) == [omhm]
    step = issue.status_changes.get()
    assert (step.status, step.changed_on) == (IssueStatus.OPEN, days_ago(3))
    assert LogEntry.objects.get_for_object(issue).filter(action=LogEntry.Action.CREATE).exists()


def test_an_issue_without_title_nor_a_site_of_the_person_is_refused_in_french(
    client_as, intervenant_ss, site_ag
):
    response = client_as(intervenant_ss).post(CREATE_URL, issue_post(site_ag, title=""))
    assert response.status_code == 400
    text = page_text(response)
    assert french("This field is required.") in text
    assert "Les lampadaires sont brisés depuis un mois." in text  # what was typed stays
    assert not CollectiveIssue.objects.exists()


def test_an_issue_cannot_open_in_the_future(client_as, intervenant_ss, site_ss):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as(intervenant_ss).post(CREATE_URL, issue_post(site_ss, opened_on=tomorrow))
    assert response.status_code == 400
    assert french("This date is in the future.") in page_text(response)
    assert not CollectiveIssue.objects.exists()


def test_a_stale_edit_is_refused_with_409_and_keeps_the_typed_text(
    client_as, intervenant_ss, issue
):
    data = issue_post(
        issue.site,
        title="Titre de l’une",
        opened_on=issue.opened_on.isoformat(),
        version=str(issue.version),
    )
    data.pop("submission")
    client = client_as(intervenant_ss)
    assert client.post(url("issue_update", issue), data).status_code == 302
    response = client.post(url("issue_update", issue), {**data, "title": "Titre de l’autre"})
    assert response.status_code == 409
    assert french(STALE_ISSUE) in page_text(response)
    assert "Titre de l’autre" in page_text(response)
    issue.refresh_from_db()
    assert (issue.title, issue.version) == ("Titre de l’une", 2)


# Status history -------------------------------------------------------------------------------


def test_each_status_change_is_kept_with_its_date(client_as, intervenant_ss, issue):
    client = client_as(intervenant_ss)
    first = days_ago(20).isoformat()
    assert (
        client.post(
            url("issue_status", issue), {"status": "mobilising", "on": first, "note": "Pétition"}
        ).status_code
        == 302
    )
    assert client.post(url("issue_status", issue), {"status": "resolved"}).status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.status_changed_on) == (IssueStatus.RESOLVED, timezone.localdate())
    steps = list(
        issue.status_changes.order_by("changed_on", "pk").values_list("status", "changed_on")
    )
    assert steps == [
        ("open", days_ago(60)),
        ("mobilising", days_ago(20)),
        ("resolved", timezone.localdate()),
    ]
    text = page_text(client.get(url("issue_detail", issue)))
    assert "Pétition" in text and french("Mobilisation under way") in text


def test_a_status_cannot_change_before_the_issue_opened(client_as, intervenant_ss, issue):
    response = client_as(intervenant_ss).post(
        url("issue_status", issue),
        {"status": "resolved", "on": (issue.opened_on - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert french("A status cannot change before the issue was opened.") in page_text(response)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    assert issue.status_changes.count() == 1


def test_the_same_status_again_is_refused_in_french(client_as, intervenant_ss, issue):
    response = client_as(intervenant_ss).post(url("issue_status", issue), {"status": "open"})
    assert response.status_code == 400
    assert french("The issue already has this status: choose another one.") in page_text(response)
    assert IssueStatusChange.objects.count() == 1


# Interventions and responses -------------------------------------------------------------------


def test_interventions_of_the_three_levels_are_linked_and_totalled(
    client_as, intervenant_ss, issue, site_ss
):
    rows = [
        InterventionFactory(site=site_ss, author=intervenant_ss, level=level, duration_minutes=m)
        for level, m in [(Level.INDIVIDUAL, 30), (Level.GROUP, 90), (Level.COLLECTIVE, 120)]
    ]
    client = client_as(intervenant_ss)
    response = client.post(
        url("issue_interventions_link", issue), {"interventions": [str(row.pk) for row in rows]}
    )
    assert response.status_code == 302
    assert set(issue.interventions.all()) == set(rows)
    page = client.get(url("issue_detail", issue)).context["page"]
    assert [(row.level, row.count, row.hours) for row in page.by_level] == [
        ("individual", 1, 0.5),
        ("group", 1, 1.5),
        ("collective", 1, 2.0),
    ]
    client.post(url("issue_intervention_unlink", issue), {"pk": str(rows[0].pk)})
    assert issue.interventions.count() == 2


def test_an_intervention_of_another_site_cannot_be_linked(client_as, coordination, issue, site_ag):
    elsewhere = InterventionFactory(site=site_ag)
    response = client_as(coordination).post(
        url("issue_interventions_link", issue), {"interventions": [str(elsewhere.pk)]}
    )
    assert response.status_code == 400
    assert french("This intervention did not take place on the issue’s site.") in page_text(
        response
    )
    assert not issue.interventions.exists()


def test_the_search_offers_only_the_site_interventions_not_linked_yet(
    client_as, intervenant_ss, issue, site_ss, site_ag
):
    linked = InterventionFactory(site=site_ss, author=intervenant_ss)
    free = InterventionFactory(site=site_ss, author=intervenant_ss)
    InterventionFactory(site=site_ag)
    issue.interventions.add(linked)
    response = client_as(intervenant_ss).post(
        url("issue_intervention_lookup", issue), {"q": "collect"}
    )
    assert [row["value"] for row in response.json()["results"]] == [free.pk]


def test_a_response_is_recorded_and_its_partner_counts_as_mobilised(
    client_as, intervenant_ss, issue
):
    omhm = Organisation.objects.create(name="OMHM", kind=Organisation.Kind.OMHM)
    response = client_as(intervenant_ss).post(
        url("issue_response_create", issue),
        {
            **once(),
            "organisation": str(omhm.pk),
            "received_on": days_ago(2).isoformat(),
            "answer": "Extermination prévue le 12.",
        },
    )
    assert response.status_code == 302
    made = IssueResponse.objects.get()
    assert (made.issue, made.organisation, made.recorded_by) == (issue, omhm, intervenant_ss)
    assert list(issue.partners.all()) == [omhm]


def test_a_response_before_the_issue_opened_is_refused_and_kept_on_the_form(
    client_as, intervenant_ss, issue
):
    omhm = Organisation.objects.create(name="OMHM", kind=Organisation.Kind.OMHM)
    response = client_as(intervenant_ss).post(
        url("issue_response_create", issue),
        {
            **once(),
            "organisation": str(omhm.pk),
            "received_on": (issue.opened_on - timedelta(days=1)).isoformat(),
            "answer": "Réponse trop tôt.",
        },
    )
    assert response.status_code == 400
    assert french("A response cannot come before the issue was opened.") in page_text(response)
    assert "Réponse trop tôt." in page_text(response)
    assert not IssueResponse.objects.exists()


def test_the_direction_reads_the_history_on_the_page(client_as, direction, issue):
    text = page_text(client_as(direction).get(url("issue_detail", issue)))
    assert french("History") in text


# Query budgets ----------------------------------------------------------------------------------


def _fill(issue, size, author):
    for index in range(size):
        issue.households.add(HouseholdFactory(site=issue.site))
        issue.interventions.add(InterventionFactory(site=issue.site, author=author))
        issue.responses.create(
            organisation=Organisation.objects.create(name=f"Partenaire {index}", kind="community"),
            received_on=timezone.localdate(),
            answer="Réponse.",
            recorded_by=author,
        )
        CollectiveIssueFactory(site=issue.site, created_by=author)


@pytest.mark.parametrize("size", [1, 15])
def test_the_list_and_the_page_run_a_bounded_number_of_queries(
    client_as, intervenant_ss, issue, size, django_assert_max_num_queries
):
    _fill(issue, size, intervenant_ss)
    client = client_as(intervenant_ss)
    client.get(LIST_URL)
    with django_assert_max_num_queries(10):
        assert client.get(LIST_URL).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(url("issue_detail", issue)).status_code == 200


@pytest.mark.parametrize("size", [1, 15])
def test_linking_runs_a_bounded_number_of_queries(client_as, intervenant_ss, issue, site_ss, size):
    """Three rows chosen, over data of two sizes (the audit trail names each row chosen)."""
    _fill(issue, size, intervenant_ss)
    rows = [InterventionFactory(site=site_ss, author=intervenant_ss) for _ in range(3)]
    households = [HouseholdFactory(site=site_ss) for _ in range(3)]
    client = client_as(intervenant_ss)
    client.get(LIST_URL)
    with max_data_queries(13):
        response = client.post(
            url("issue_interventions_link", issue),
            {"interventions": [str(row.pk) for row in rows]},
        )
    assert response.status_code == 302
    with max_data_queries(13):
        response = client.post(
            url("issue_households_add", issue),
            {"households": [str(row.pk) for row in households]},
        )
    assert response.status_code == 302


def test_opening_an_issue_runs_a_bounded_number_of_queries(client_as, intervenant_ss, site_ss):
    client = client_as(intervenant_ss)
    client.get(LIST_URL)
    with max_data_queries(20):
        assert client.post(CREATE_URL, issue_post(site_ss)).status_code == 302


def test_the_list_paginates_and_keeps_its_filters(client_as, direction, site_ss):
    for _ in range(26):
        CollectiveIssueFactory(site=site_ss)
    response = client_as(direction).get(LIST_URL, {"status": "open"})
    assert len(response.context["page_obj"].object_list) == 25
    assert "?status=open&amp;page=2" in response.content.decode()
