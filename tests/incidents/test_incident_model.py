"""The register's invariants: dates in order and not in the future, notices of a serious
incident, and how long an incident is kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from incidents.models import Incident, years_after
from tests.incidents.factories import IncidentFactory, days_ago

pytestmark = pytest.mark.django_db


def errors_of(incident: Incident) -> dict:
    with pytest.raises(ValidationError) as caught:
        incident.full_clean()
    return caught.value.message_dict


def test_a_complete_incident_is_valid():
    IncidentFactory().full_clean()


@pytest.mark.parametrize(
    "field", ["started_on", "ended_on", "aware_on", "commission_notified_on", "persons_notified_on"]
)
def test_no_date_is_in_the_future(field):
    incident = IncidentFactory()
    setattr(incident, field, timezone.localdate() + timedelta(days=1))
    assert field in errors_of(incident)


def test_awareness_cannot_come_before_the_incident():
    incident = IncidentFactory.build(started_on=days_ago(3), aware_on=days_ago(5))
    assert "aware_on" in errors_of(incident)


def test_awareness_on_the_day_of_the_incident_is_fine():
    incident = IncidentFactory(started_on=days_ago(3), aware_on=days_ago(3))
    incident.full_clean()


def test_a_period_cannot_end_before_it_starts():
    incident = IncidentFactory.build(started_on=days_ago(5), ended_on=days_ago(7))
    assert "ended_on" in errors_of(incident)


def test_a_notice_cannot_precede_awareness():
    incident = IncidentFactory.build(serious=True, commission_notified_on=days_ago(9))
    assert "commission_notified_on" in errors_of(incident)


def test_a_public_notice_needs_its_reason():
    incident = IncidentFactory.build(public_notice=True, public_notice_reason="  ")
    assert "public_notice_reason" in errors_of(incident)


def test_at_least_one_person_is_concerned():
    incident = IncidentFactory.build(people_count=0)
    assert "people_count" in errors_of(incident)


@pytest.mark.parametrize(
    "values",
    [
        {"started_on": date(2026, 3, 5), "aware_on": date(2026, 3, 1)},
        {"started_on": date(2026, 3, 5), "ended_on": date(2026, 3, 1)},
        {"aware_on": date(2026, 3, 5), "persons_notified_on": date(2026, 3, 1)},
        {"public_notice": True, "public_notice_reason": ""},
        {"people_count": 0},
        {"risk": "unknown"},
    ],
)
def test_the_database_refuses_what_clean_refuses(values):
    incident = IncidentFactory()
    for name, value in values.items():
        setattr(incident, name, value)
    with pytest.raises(IntegrityError):
        incident.save()


class TestNoticesDue:
    def test_a_low_risk_incident_needs_no_notice(self):
        incident = IncidentFactory()
        assert not incident.notices_due
        assert not Incident.objects.notices_due().exists()

    def test_a_serious_incident_without_notices_is_due(self):
        incident = IncidentFactory(serious=True)
        assert incident.commission_notice_due and incident.persons_notice_due
        assert list(Incident.objects.notices_due()) == [incident]

    def test_the_notice_to_the_commission_alone_is_not_enough(self):
        incident = IncidentFactory(serious=True, commission_notified_on=days_ago(7))
        assert incident.notices_due and not incident.commission_notice_due
        assert Incident.objects.notices_due().get() == incident

    def test_a_public_notice_replaces_the_notice_to_each_person(self):
        incident = IncidentFactory(
            serious=True,
            commission_notified_on=days_ago(7),
            public_notice=True,
            public_notice_reason="Coordonnées des personnes inconnues.",
        )
        assert not incident.notices_due
        assert not Incident.objects.notices_due().exists()

    def test_both_notices_sent(self):
        incident = IncidentFactory(
            serious=True, commission_notified_on=days_ago(7), persons_notified_on=days_ago(6)
        )
        assert not incident.notices_due
        assert not Incident.objects.notices_due().exists()


@pytest.mark.parametrize(
    ("aware_on", "keep_until"),
    [
        (date(2026, 3, 10), date(2031, 3, 10)),
        # Five full years: a 29 February is kept until 1 March, never 28 February.
        (date(2024, 2, 29), date(2029, 3, 1)),
    ],
)
def test_an_incident_is_kept_five_years_after_awareness(aware_on, keep_until):
    assert years_after(aware_on, 5) == keep_until
    assert Incident(aware_on=aware_on).keep_until == keep_until
