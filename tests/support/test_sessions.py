"""Supervision sessions: their notes and themes are the supervisor's and the persons
supervised'; the direction sees how often, never what was said. Reading the notes is logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import Role
from privacy.models import ReadEvent
from support.access import sessions_visible_to
from support.models import SupervisionSession
from support.services import STALE_SESSION
from tests.factories import UserFactory
from tests.helpers import french, max_data_queries, once, page_text
from tests.support.factories import SupervisionSessionFactory, theme

NOTES = "NOTES-DE-SUPERVISION-8841"
THEME = "Traumatisme vicariant"


@pytest.fixture
def supervisor(site_ag):
    return UserFactory(role=Role.INTERVENANT, sites=[site_ag], first_name="Claire")


@pytest.fixture
def session(intervenant_ss, supervisor):
    return SupervisionSessionFactory(
        supervisor=supervisor,
        supervised=[intervenant_ss],
        notes=NOTES,
        themes=[theme(THEME)],
        created_by=intervenant_ss,
    )


def _readings(session):
    return ReadEvent.objects.filter(
        kind=ReadEvent.Kind.RESTRICTED_NOTE, target_id=session.pk
    ).values_list("actor", flat=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervised", 200),
        ("supervisor", 200),
        ("other_intervenant", 404),
        ("coordination", 404),
        ("direction", 404),
        ("admin_user", 404),
        ("research", 403),
        ("outsider", 403),
    ],
)
def test_only_the_supervisor_and_the_supervised_read_the_notes(
    request, client_as, session, intervenant_ss, supervisor, site_ss, who, status
):
    people = {
        "supervised": intervenant_ss,
        "supervisor": supervisor,
        "other_intervenant": UserFactory(role=Role.INTERVENANT, sites=[site_ss]),
    }
    user = people.get(who) or request.getfixturevalue(who)
    client = client_as(user)
    for route in ("support:session_detail", "support:session_update"):
        response = client.get(reverse(route, args=[session.pk]))
        assert response.status_code == status
        assert (NOTES in page_text(response)) == (status == 200)
        assert (THEME in page_text(response)) == (status == 200)
    listed = client.get(reverse("support:session_list"))
    if status == 200:
        assert THEME in page_text(listed) and NOTES not in page_text(listed)
    elif listed.status_code == 200:
        assert THEME not in page_text(listed)


def test_the_direction_sees_that_a_session_took_place_never_its_notes_nor_themes(
    client_as, direction, session, intervenant_ss
):
    response = client_as(direction).get(reverse("support:team"))
    assert response.status_code == 200
    text = page_text(response)
    assert str(intervenant_ss) in text
    assert session.date.strftime("%Y") in text
    assert NOTES not in text and THEME not in text
    assert not _readings(session).exists()


def test_a_direction_that_took_part_reads_its_own_session(client_as, direction, intervenant_ss):
    own = SupervisionSessionFactory(supervisor=direction, supervised=[intervenant_ss], notes=NOTES)
    response = client_as(direction).get(reverse("support:session_detail", args=[own.pk]))
    assert NOTES in page_text(response)


def test_reading_the_notes_is_recorded_in_the_read_log(
    client_as, session, intervenant_ss, supervisor
):
    client_as(intervenant_ss).get(reverse("support:session_detail", args=[session.pk]))
    client_as(supervisor).get(reverse("support:session_update", args=[session.pk]))
    assert sorted(_readings(session)) == sorted([intervenant_ss.pk, supervisor.pk])
    event = ReadEvent.objects.filter(target_id=session.pk).first()
    assert NOTES not in str(event.details)


def test_a_session_without_notes_is_no_reading(client_as, intervenant_ss, supervisor):
    empty = SupervisionSessionFactory(supervisor=supervisor, supervised=[intervenant_ss], notes="")
    client_as(intervenant_ss).get(reverse("support:session_detail", args=[empty.pk]))
    assert not _readings(empty).exists()


def test_a_refused_reader_leaves_no_reading(client_as, coordination, session):
    client_as(coordination).get(reverse("support:session_detail", args=[session.pk]))
    assert not _readings(session).exists()


def _post(lead, people, **values):
    return {
        **once(),
        "kind": "individual",
        "date": timezone.localdate().isoformat(),
        "duration_minutes": "90",
        "supervisor": str(lead.pk) if lead else "",
        "external_supervisor": "",
        "supervised": [str(user.pk) for user in people],
        "themes": [str(theme(THEME).pk)],
        "notes": NOTES,
        **values,
    }


def test_the_person_supervised_records_a_session(client_as, intervenant_ss, supervisor):
    client = client_as(intervenant_ss)
    assert client.get(reverse("support:session_create")).status_code == 200
    with max_data_queries(26):
        response = client.post(
            reverse("support:session_create"), _post(supervisor, [intervenant_ss])
        )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.supervisor, session.created_by) == (supervisor, intervenant_ss)
    assert list(session.supervised.all()) == [intervenant_ss]
    assert [t.name for t in session.themes.all()] == [THEME]
    assert (session.duration_minutes, session.notes) == (90, NOTES)


def test_a_group_session_with_an_external_supervisor(client_as, intervenant_ss, intervenant_ag):
    response = client_as(intervenant_ss).post(
        reverse("support:session_create"),
        _post(
            None,
            [intervenant_ss, intervenant_ag],
            kind="group",
            external_supervisor="Dre Hélène Roy, psychologue",
        ),
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert session.supervisor is None and session.external_supervisor.startswith("Dre")
    assert set(session.supervised.all()) == {intervenant_ss, intervenant_ag}
    # Without an account, the external supervisor reads nothing: the supervised do.
    assert set(sessions_visible_to(intervenant_ag)) == {session}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"supervisor": ""}, "Name the supervisor: a colleague or an external clinician."),
        (
            {"external_supervisor": "Dre Roy"},
            "Name either a colleague or an external supervisor, not both.",
        ),
        ({"date": "2999-01-01"}, "A session cannot be recorded in the future."),
    ],
)
def test_bad_input_is_shown_in_french_and_nothing_is_saved(
    client_as, intervenant_ss, supervisor, change, message
):
    response = client_as(intervenant_ss).post(
        reverse("support:session_create"), _post(supervisor, [intervenant_ss], **change)
    )
    assert response.status_code == 400
    assert french(message) in page_text(response)
    assert NOTES in page_text(response)  # what was typed is kept
    assert not SupervisionSession.objects.exists()


def test_an_individual_session_supervises_one_person(
    client_as, intervenant_ss, intervenant_ag, supervisor
):
    response = client_as(intervenant_ss).post(
        reverse("support:session_create"), _post(supervisor, [intervenant_ss, intervenant_ag])
    )
    assert response.status_code == 400
    assert french("An individual session supervises one person: choose group.") in page_text(
        response
    )
    assert not SupervisionSession.objects.exists()


def test_nobody_records_a_session_of_others(client_as, coordination, intervenant_ss, supervisor):
    response = client_as(coordination).post(
        reverse("support:session_create"), _post(supervisor, [intervenant_ss])
    )
    assert response.status_code == 400
    assert french(
        "You record only the sessions you lead or in which you are supervised."
    ) in page_text(response)
    assert not SupervisionSession.objects.exists()


def test_the_supervisor_edits_the_notes(client_as, session, supervisor, intervenant_ss):
    data = _post(supervisor, [intervenant_ss], notes="Nouvelles notes.", version=session.version)
    client = client_as(supervisor)
    client.get(reverse("support:session_list"))
    with max_data_queries(24):
        response = client.post(reverse("support:session_update", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Nouvelles notes.", 2)


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(
    client_as, session, supervisor, intervenant_ss
):
    data = _post(supervisor, [intervenant_ss], notes="Ma version.", version=session.version)
    SupervisionSession.objects.filter(pk=session.pk).update(version=session.version + 1)
    response = client_as(supervisor).post(
        reverse("support:session_update", args=[session.pk]), data
    )
    assert response.status_code == 409
    assert french(STALE_SESSION) in page_text(response)
    assert "Ma version." in page_text(response)
    session.refresh_from_db()
    assert session.notes == NOTES


@pytest.mark.parametrize("size", [1, 30])
def test_my_sessions_page_runs_a_bounded_number_of_queries(
    client_as, intervenant_ss, supervisor, size
):
    for days in range(size):
        SupervisionSessionFactory(
            supervisor=supervisor,
            supervised=[intervenant_ss],
            themes=[theme(THEME)],
            date=timezone.localdate() - timedelta(days=days),
        )
    client = client_as(intervenant_ss)
    client.get(reverse("support:session_list"))
    with max_data_queries(12):
        response = client.get(reverse("support:session_list"))
    assert response.status_code == 200


def test_the_session_page_runs_a_bounded_number_of_queries(client_as, session, intervenant_ss):
    client = client_as(intervenant_ss)
    client.get(reverse("support:session_list"))
    with max_data_queries(12):
        response = client.get(reverse("support:session_detail", args=[session.pk]))
    assert response.status_code == 200
