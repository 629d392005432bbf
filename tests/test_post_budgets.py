"""The main POSTs do a bounded number of queries whatever the data behind them: the quick log
(9 of its own: the session and the user, its type, place and site, the entry, its audit
entry, the one-time token and the message in the session; 12 naming a person with a
follow-up: the person with their household, their consent, the participation), the full form,
a session with its attendance, a referral's status change. Each is sent twice over data of two
sizes; the count is the same. A write of an intervention also computes its month's figures
again (interventions.summaries): SUMMARY_QUERIES more queries, whatever the month holds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interventions.models import HEADCOUNT_FIELDS, Intervention, Level
from partners.models import Referral, ReferralEvent, Status
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ParticipationFactory,
    PlaceFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import SUMMARY_QUERIES, max_data_queries, once
from tests.partners.factories import ReferralFactory

SIZES = [1, 40]


@pytest.fixture
def history(site_ss, intervenant_ss):
    """Data behind the POST, of a given size: interventions, people, referrals."""

    def make(size):
        residents = [
            ConsentedResidentFactory(household=HouseholdFactory(site=site_ss)) for _ in range(size)
        ]
        for resident in residents:
            ParticipationFactory(
                resident=resident, intervention__site=site_ss, intervention__author=intervenant_ss
            )
        return residents

    return make


def _warm(client):
    # The session, the account and the content types, as on a server that has run a while.
    client.get(reverse("interventions:my_day"))


@pytest.mark.parametrize("size", SIZES)
def test_the_quick_log_runs_nine_queries_and_the_figures(
    client_as, intervenant_ss, site_ss, history, size
):
    history(size)
    presence = InterventionTypeFactory(name="Présence informelle", default_level=Level.COLLECTIVE)
    place = PlaceFactory(name="Cour arrière")
    client = client_as(intervenant_ss)
    _warm(client)
    data = {
        **once(),
        "type": presence.pk,
        "place": place.pk,
        "duration_minutes": "30",
        "count_6_12": "5",
        "site": site_ss.pk,
    }
    with max_data_queries(9 + SUMMARY_QUERIES):
        response = client.post(reverse("interventions:quick_log"), data)
    assert response.status_code == 302
    assert Intervention.objects.filter(author=intervenant_ss, count_6_12=5).count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_the_quick_log_naming_a_person_with_a_follow_up_runs_twelve_and_the_figures(
    client_as, intervenant_ss, site_ss, history, size
):
    """The same save with a person named (their consent checked) and a follow-up planned."""
    met = history(size)[0]
    support = InterventionTypeFactory(name="Soutien individuel", default_level=Level.INDIVIDUAL)
    place = PlaceFactory(name="Bureau")
    client = client_as(intervenant_ss)
    _warm(client)
    due = timezone.localdate() + timedelta(days=7)
    data = {
        **once(),
        "type": support.pk,
        "place": place.pk,
        "duration_minutes": "30",
        "participants": [met.pk],
        "follow_up_due": due.isoformat(),
        "site": site_ss.pk,
    }
    with max_data_queries(12 + SUMMARY_QUERIES):
        response = client.post(reverse("interventions:quick_log"), data)
    assert response.status_code == 302
    logged = Intervention.objects.get(type=support)
    assert [p.resident for p in logged.participations.all()] == [met]
    assert logged.follow_up_due == due


@pytest.mark.parametrize("size", SIZES)
def test_the_full_form_runs_a_fixed_number_of_queries(
    client_as, intervenant_ss, site_ss, history, size
):
    people = history(size)[:3]
    client = client_as(intervenant_ss)
    _warm(client)
    data = {
        **once(),
        "level": Level.INDIVIDUAL,
        "type": InterventionTypeFactory(name="Accompagnement").pk,
        "place": PlaceFactory(name="Bureau").pk,
        "themes": [ThemeFactory(name="Logement").pk, ThemeFactory(name="Santé").pk],
        "date": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "45",
        "site": site_ss.pk,
        "co_intervenants": [UserFactory(sites=[site_ss]).pk],
        "participants": [person.pk for person in people],
        "summary": "Rendez-vous à l’office d’habitation.",
        **dict.fromkeys(HEADCOUNT_FIELDS.values(), "0"),
    }
    # the session, the account, the form's choices, the checks of the people named and of
    # their consents, the intervention, its themes, co-intervenant and participants, and
    # their audit trail
    with max_data_queries(30 + SUMMARY_QUERIES):
        response = client.post(reverse("interventions:intervention_create"), data)
    assert response.status_code == 302
    saved = Intervention.objects.latest("pk")
    assert saved.participations.count() == len(people)
    assert saved.themes.count() == 2


@pytest.mark.parametrize("size", SIZES)
def test_a_session_with_its_attendance_runs_a_fixed_number_of_queries(
    client_as, intervenant_ss, site_ss, history, size
):
    people = history(size)
    activity = GroupActivityFactory(site=site_ss)
    activity.registered.set(people[:5] if size > 5 else people)
    # Earlier sessions, none today: the check for a session of the same day finds none.
    for days_ago in range(1, size + 1):
        InterventionFactory(
            site=site_ss,
            activity=activity,
            author=intervenant_ss,
            date=timezone.localdate() - timedelta(days=days_ago),
        )
    client = client_as(intervenant_ss)
    _warm(client)
    present = [person.pk for person in activity.registered.all()]
    data = {
        **once(),
        "date": timezone.localdate().isoformat(),
        "start_time": "16:00",
        "duration_minutes": "90",
        "present": present,
        "count_6_12": "2",
    }
    # the session, the account, the activity, the form's choices, whether a session of that
    # day is already logged, the checks of the people named and of their consents, the
    # session, its participants and their audit trail
    with max_data_queries(12 + SUMMARY_QUERIES):
        response = client.post(reverse("interventions:session_create", args=[activity.pk]), data)
    assert response.status_code == 302
    assert Intervention.objects.latest("pk").participations.count() == len(present)


@pytest.mark.parametrize("size", SIZES)
def test_a_status_change_runs_a_fixed_number_of_queries(
    client_as, intervenant_ss, site_ss, history, size
):
    resident = history(size)[0]
    referral = ReferralFactory(resident=resident, responsible=intervenant_ss, consented=True)
    for _ in range(size):
        ReferralEvent.objects.create(
            referral=referral, old_status="", new_status=Status.DRAFT, by=intervenant_ss
        )
    client = client_as(intervenant_ss)
    _warm(client)
    # the session, the account, the referral and its lock, its step, its new status and
    # their audit trail
    with max_data_queries(14):
        response = client.post(
            reverse("partners:referral_status", args=[referral.pk]),
            {"status": Status.SENT, "note": "Envoyée par courriel."},
        )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
