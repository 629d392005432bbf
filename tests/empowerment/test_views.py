"""The ladder's page, the resident's path on their page and the role recorded by hand: who may
see them (names only for who may open the file; never the research role), the stored state,
bad input in French, and the query budgets."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from empowerment import ladder as steps
from empowerment.models import RoleRecord
from residents.models import Household
from tests.empowerment.paths import attend
from tests.factories import GroupActivityFactory, resident_of
from tests.helpers import french, max_data_queries, once, page_text

LADDER_URL = reverse("empowerment:ladder")
YEAR = {"year": "2025"}


def role_url(resident):
    return reverse("empowerment:role_create", args=[resident.pk])


# Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "names_the_stepper"),
    [
        ("intervenant_ss", 200, True),
        ("intervenant_ag", 200, False),  # their own site's ladder: nobody of Saint-Sulpice
        ("coordination", 200, True),
        ("direction", 200, True),
        ("admin_user", 200, True),
        ("outsider", 403, False),
        ("research", 403, False),
    ],
)
def test_the_step_back_list_names_residents_only_to_those_who_may_open_their_files(
    climb, client_as, request, persona, status, names_the_stepper
):
    client = client_as(request.getfixturevalue(persona))

    response = client.get(LADDER_URL, {**YEAR, "quarter": "1"})

    assert response.status_code == status
    if status == 200:
        assert ("Quirine" in page_text(response)) is names_the_stepper
        assert "Grimpeuse" not in page_text(response)  # she moved up
        assert "Administratrice" not in page_text(response)


def test_the_ladder_page_shows_the_chart_and_its_table_with_exact_counts(
    climb, client_as, intervenant_ss
):
    response = client_as(intervenant_ss).get(LADDER_URL, YEAR)

    assert 'role="img"' in response.content.decode()
    rows = response.context["table"].rows
    assert [row[0] for row in rows] == [
        "T1 2025-2026",
        "T2 2025-2026",
        "T3 2025-2026",
        "T4 2025-2026",
    ]
    assert rows[0][1] == 2  # the staff's page: its counts are not hidden
    # The latest quarter by default: the returning participant who came no more.
    assert response.context["quarter"].period.label == "T4 2025-2026"
    assert "Revenante" in page_text(response)


def test_the_ladder_page_ignores_a_site_one_does_not_see(climb, client_as, intervenant_ag, site_ss):
    response = client_as(intervenant_ag).get(LADDER_URL, {**YEAR, "site": site_ss.pk})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Quirine" not in page_text(response)


def test_bad_input_on_the_ladder_page_falls_back_to_the_current_year(client_as, direction):
    response = client_as(direction).get(LADDER_URL, {"year": "1066", "quarter": "9"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["ladder"].year.start.year == timezone.localdate().year - (
        timezone.localdate().month < 4
    )


@pytest.mark.parametrize("count", [2, 40])
def test_the_ladder_page_query_count_does_not_grow(
    client_as, intervenant_ss, site_ss, count, django_assert_max_num_queries
):
    activity = GroupActivityFactory(site=site_ss)
    for index in range(count):
        attend(resident_of(site_ss), date(2025, 1 + index % 3, 7), activity=activity)
    client = client_as(intervenant_ss)

    # session, user, the user's sites (form, ladder, names), three for the ladder, one for
    # the page of residents who stepped back
    with django_assert_max_num_queries(10):
        response = client.get(LADDER_URL, {**YEAR, "quarter": "1"})

    assert len(response.context["quarter"].stepped_back) == count


# The resident's path ---------------------------------------------------------------------------


def test_the_resident_page_shows_their_path_with_its_dates(climb, client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(climb.climber.get_absolute_url())

    text = page_text(response)
    assert french("Path to power") in text
    assert french(steps.ROLE_LABELS[steps.COMMITTEE_OFFICER]) in text
    assert "2025-12-01" in text
    assert [held.step for held in response.context["path"]] == [1, 2, 5, 6]


@pytest.mark.parametrize(("persona", "status"), [("intervenant_ag", 404), ("research", 403)])
def test_a_resident_path_is_not_shown_to_who_may_not_open_the_file(
    climb, client_as, request, persona, status
):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(climb.climber.get_absolute_url()).status_code == status
    assert client.get(role_url(climb.climber)).status_code == status


# A role recorded by hand -----------------------------------------------------------------------


@pytest.fixture
def resident(site_ss):
    return resident_of(site_ss, first_name="Bénévole")


def role_data(**values):
    return {
        "role": "organiser",
        "since": "2026-03-01",
        "until": "",
        "note": "Fête de quartier",
        **values,
    }


def test_an_intervenant_of_the_site_records_a_role_on_the_path(client_as, intervenant_ss, resident):
    client = client_as(intervenant_ss)
    data = {**role_data(), **once()}

    # session, user, resident; the token claimed, the checks of the row, the row, its audit
    # entry and its content type, the token's record, the session with the message
    with max_data_queries(14):
        response = client.post(role_url(resident), data)

    assert response.status_code == 302
    assert response.url == resident.get_absolute_url()
    role = RoleRecord.objects.get()
    assert (role.resident, role.role, role.since, role.until, role.note, role.created_by) == (
        resident,
        RoleRecord.Role.ORGANISER,
        date(2026, 3, 1),
        None,
        "Fête de quartier",
        intervenant_ss,
    )
    assert LogEntry.objects.get_for_object(role).get().action == LogEntry.Action.CREATE
    page = client.get(resident.get_absolute_url())
    assert french(steps.ROLE_LABELS[steps.ORGANISER]) in page_text(page)


def test_a_role_that_ends_before_it_starts_is_refused_in_french_and_nothing_is_lost(
    client_as, intervenant_ss, resident
):
    response = client_as(intervenant_ss).post(
        role_url(resident), {**role_data(since="2026-03-01", until="2026-02-01"), **once()}
    )

    assert response.status_code == 400
    assert french("A role cannot end before it starts.") in page_text(response)
    assert response.context["form"]["note"].value() == "Fête de quartier"
    assert not RoleRecord.objects.exists()


def test_a_role_cannot_start_in_the_future(client_as, intervenant_ss, resident):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_as(intervenant_ss).post(
        role_url(resident), {**role_data(since=tomorrow), **once()}
    )

    assert response.status_code == 400
    assert french("A role cannot start in the future.") in page_text(response)
    assert not RoleRecord.objects.exists()


def test_an_unknown_role_is_refused(client_as, intervenant_ss, resident):
    response = client_as(intervenant_ss).post(
        role_url(resident), {**role_data(role="president"), **once()}
    )

    assert response.status_code == 400
    assert not RoleRecord.objects.exists()


def test_the_file_of_a_household_that_moved_out_takes_no_new_role(
    client_as, intervenant_ss, resident
):
    Household.objects.filter(pk=resident.household_id).update(
        status=Household.Status.MOVED_OUT, moved_out_on=date(2025, 1, 31)
    )

    response = client_as(intervenant_ss).post(role_url(resident), {**role_data(), **once()})

    assert response.status_code == 403
    assert not RoleRecord.objects.exists()
