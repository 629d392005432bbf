"""The queue's door: a sealed entry from the phone is saved once, with its typed values and
its own day and time; a retry or a second device finds the record already made; a stale
correction is refused with both versions; what is not its sender's does not open."""

import json
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.submissions import new_token
from interventions.models import Intervention, Level
from interventions.services import intervention_counts_update
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    PlaceFactory,
)
from tests.helpers import SUMMARY_QUERIES, max_data_queries
from tests.offline.sealing import seal

SYNC = reverse("offline:sync")


@pytest.fixture
def presence(db):
    return InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)


@pytest.fixture
def place(db):
    return PlaceFactory(name="Cour intérieure")


def _quick_log(presence, place, site, *, at="00:00", day="today", recorded_on=None, **fields):
    """A quick log sealed offline; its time, midnight unless said, has come whenever the test
    runs (a time still to come today is refused)."""
    return {
        "kind": "quick_log",
        "token": new_token(),
        "recorded_on": (recorded_on or timezone.localdate()).isoformat(),
        "fields": {
            "type": str(presence.pk),
            "place": str(place.pk),
            "site": str(site.pk),
            "day": day,
            "start_time": at,
            "duration_minutes": "30",
            "count_26_64": "4",
            **fields,
        },
    }


def _send(client, user, entry, **extra):
    body = {"envelope": seal(user, entry), **extra}
    return client.post(SYNC, json.dumps(body), content_type="application/json")


def test_an_entry_is_saved_with_its_typed_values_and_the_time_it_was_logged(
    client_as, intervenant_ss, site_ss, presence, place
):
    client = client_as(intervenant_ss)
    entry = _quick_log(presence, place, site_ss, at="20:05", day="yesterday")
    response = _send(client, intervenant_ss, entry)
    assert response.status_code == 201
    assert response.json()["status"] == "created"
    logged = Intervention.objects.get()
    assert (logged.start_time, logged.date, logged.count_26_64) == (
        time(20, 5),
        timezone.localdate() - timedelta(days=1),
        4,
    )
    assert logged.author == intervenant_ss
    assert response.json()["record"]["url"] == logged.get_absolute_url()


def test_a_retry_of_the_same_entry_makes_nothing_new_and_names_the_record_made(
    client_as, intervenant_ss, site_ss, presence, place
):
    client = client_as(intervenant_ss)
    entry = _quick_log(presence, place, site_ss)
    envelope = seal(intervenant_ss, entry)
    first = client.post(SYNC, json.dumps({"envelope": envelope}), content_type="application/json")
    again = client.post(SYNC, json.dumps({"envelope": envelope}), content_type="application/json")
    # A second device sealing the same entry (the same token) anew is the same entry too.
    other = _send(client, intervenant_ss, entry)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 200)
    assert again.json()["status"] == "already"
    assert again.json()["record"]["id"] == first.json()["record"]["id"]
    assert Intervention.objects.count() == 1


def test_yesterday_is_the_day_before_the_one_the_entry_was_logged(
    client_as, intervenant_ss, site_ss, presence, place
):
    two_days_ago = timezone.localdate() - timedelta(days=2)
    entry = _quick_log(presence, place, site_ss, day="yesterday", recorded_on=two_days_ago)
    response = _send(client_as(intervenant_ss), intervenant_ss, entry)
    assert response.status_code == 201
    assert Intervention.objects.get().date == two_days_ago - timedelta(days=1)


@pytest.mark.parametrize(
    ("recorded_on", "message"),
    [
        (timedelta(days=8), "plus de 7 jours"),
        (timedelta(days=-3), "dans le futur"),
    ],
)
def test_an_entry_too_old_or_from_the_future_is_refused_with_why(
    client_as, intervenant_ss, site_ss, presence, place, recorded_on, message
):
    entry = _quick_log(presence, place, site_ss, recorded_on=timezone.localdate() - recorded_on)
    response = _send(client_as(intervenant_ss), intervenant_ss, entry)
    assert response.status_code == 422
    assert message in response.json()["errors"][0]
    assert not Intervention.objects.exists()


def test_bad_input_is_refused_in_french_and_nothing_is_saved(
    client_as, intervenant_ss, site_ss, presence, place
):
    entry = _quick_log(presence, place, site_ss, count_26_64="-3")
    response = _send(client_as(intervenant_ss), intervenant_ss, entry)
    assert response.status_code == 422
    assert any("supérieure ou égale à 0" in error for error in response.json()["errors"])
    assert not Intervention.objects.exists()


def test_an_entry_sealed_for_someone_else_does_not_open(
    client_as, intervenant_ss, site_ss, presence, place, world
):
    users, _ = world
    colleague = users["coordination"]
    before = Intervention.objects.count()
    entry = _quick_log(presence, place, site_ss)
    body = {"envelope": seal(intervenant_ss, entry)}
    response = client_as(colleague).post(SYNC, json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    assert "autre compte" in response.json()["errors"][0]
    assert Intervention.objects.count() == before


def test_a_token_taken_by_another_account_is_refused(
    client_as, intervenant_ss, site_ss, presence, place, world
):
    users, _ = world
    entry = _quick_log(presence, place, site_ss)
    assert _send(client_as(intervenant_ss), intervenant_ss, entry).status_code == 201
    made = Intervention.objects.count()
    colleague = users["coordination"]
    response = _send(client_as(colleague), colleague, entry)
    assert response.status_code == 403
    assert Intervention.objects.count() == made


@pytest.mark.parametrize("body", ["", "[]", "{", '{"envelope": "x"}', '{"envelope": {"key": 1}}'])
def test_a_damaged_body_is_refused_without_an_error_page(client_as, intervenant_ss, body):
    response = client_as(intervenant_ss).post(SYNC, body, content_type="application/json")
    assert response.status_code in (400, 403)
    assert response.json()["status"] == "refused"


def test_the_door_needs_the_csrf_token(intervenant_ss, site_ss, presence, place):
    from django.test import Client

    from tests.logins import log_in

    client = log_in(Client(enforce_csrf_checks=True), intervenant_ss)
    entry = _quick_log(presence, place, site_ss)
    response = _send(client, intervenant_ss, entry)
    assert response.status_code == 403
    assert not Intervention.objects.exists()
    # The control: the same entry with the token the bundle gives goes through.
    token = client.get(reverse("offline:bundle")).json()["csrf"]
    body = json.dumps({"envelope": seal(intervenant_ss, entry)})
    response = client.post(
        SYNC, body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_a_session_logged_offline_is_of_the_activity_and_of_the_day_it_was_logged(
    client_as, intervenant_ss, site_ss
):
    activity = GroupActivityFactory(site=site_ss, usual_duration=90)
    registered = ConsentedResidentFactory(household=HouseholdFactory(site=site_ss))
    activity.registered.add(registered)
    entry = {
        "kind": "session",
        "activity": activity.pk,
        "token": new_token(),
        "recorded_on": timezone.localdate().isoformat(),
        "fields": {
            "start_time": "15:30",
            "duration_minutes": "90",
            "present": [str(registered.pk)],
            "count_6_12": "3",
        },
    }
    response = _send(client_as(intervenant_ss), intervenant_ss, entry)
    assert response.status_code == 201, response.json()
    session = Intervention.objects.get()
    assert (session.activity, session.date, session.count_6_12) == (
        activity,
        timezone.localdate(),
        3,
    )
    assert list(session.participations.values_list("resident", flat=True)) == [registered.pk]


def test_a_session_of_another_sites_activity_is_refused(client_as, intervenant_ss, site_ag):
    activity = GroupActivityFactory(site=site_ag)
    entry = {
        "kind": "session",
        "activity": activity.pk,
        "token": new_token(),
        "recorded_on": timezone.localdate().isoformat(),
        "fields": {"duration_minutes": "60"},
    }
    response = _send(client_as(intervenant_ss), intervenant_ss, entry)
    assert response.status_code == 403
    assert not Intervention.objects.exists()


def _correction(intervention, **fields):
    return {
        "kind": "edit",
        "intervention": intervention.pk,
        "fields": {"duration_minutes": "45", "count_26_64": "6", **fields},
    }


def test_a_correction_with_the_current_version_is_saved(client_as, intervenant_ss, site_ss):
    logged = InterventionFactory(author=intervenant_ss, site=site_ss)
    client = client_as(intervenant_ss)
    opened_with = logged.version
    response = _send(client, intervenant_ss, _correction(logged), version=opened_with)
    assert (response.status_code, response.json()["status"]) == (200, "updated")
    logged.refresh_from_db()
    assert (logged.duration_minutes, logged.count_26_64, logged.version) == (45, 6, 2)
    # Sent again after its answer was lost: already done, not a conflict to settle.
    again = _send(client, intervenant_ss, _correction(logged), version=opened_with)
    assert (again.status_code, again.json()["status"]) == (200, "already")
    # The rest of the entry is as it was: only the counts and the length are corrected.
    assert logged.summary == "Présence dans la cour, jeux de ballon."


def test_a_stale_correction_is_refused_with_both_versions_and_overwrites_nothing(
    client_as, intervenant_ss, site_ss
):
    logged = InterventionFactory(author=intervenant_ss, site=site_ss, count_26_64=2)
    opened_with = logged.version
    intervention_counts_update(
        intervention=Intervention.objects.get(pk=logged.pk),
        expected_version=opened_with,
        duration_minutes=90,
        count_26_64=7,
    )
    response = _send(
        client_as(intervenant_ss), intervenant_ss, _correction(logged), version=opened_with
    )
    assert response.status_code == 409
    answer = response.json()
    adults = next(field for field in answer["fields"] if field["name"] == "count_26_64")
    assert (adults["yours"], adults["theirs"]) == (6, 7)
    assert answer["version"] == opened_with + 1
    logged.refresh_from_db()
    assert (logged.count_26_64, logged.duration_minutes) == (7, 90)

    # Keeping one's own, knowingly: the same entry sent with the version now saved.
    again = _send(
        client_as(intervenant_ss), intervenant_ss, _correction(logged), version=answer["version"]
    )
    assert again.status_code == 200
    logged.refresh_from_db()
    assert logged.count_26_64 == 6


def test_a_correction_without_a_version_counts_as_stale(client_as, intervenant_ss, site_ss):
    logged = InterventionFactory(author=intervenant_ss, site=site_ss)
    response = _send(client_as(intervenant_ss), intervenant_ss, _correction(logged))
    assert response.status_code == 409


def test_only_who_may_edit_an_entry_corrects_it(client_as, world, site_ss):
    users, objects = world
    logged = objects["intervention"]
    coordination = users["coordination"]
    response = _send(
        client_as(coordination), coordination, _correction(logged), version=logged.version
    )
    assert response.status_code == 403
    other = users["intervenant_other_site"]
    response = _send(client_as(other), other, _correction(logged), version=logged.version)
    assert response.status_code == 403


@pytest.mark.parametrize("size", [1, 30])
def test_the_door_runs_a_bounded_number_of_queries(
    client_as, intervenant_ss, site_ss, presence, place, size
):
    client = client_as(intervenant_ss)
    for _ in range(size):
        InterventionFactory(author=intervenant_ss, site=site_ss)
    entry = _quick_log(presence, place, site_ss)
    body = json.dumps({"envelope": seal(intervenant_ss, entry)})
    # 9 of its own, and its month's figures computed again
    with max_data_queries(9 + SUMMARY_QUERIES):
        response = client.post(SYNC, body, content_type="application/json")
    assert response.status_code == 201
