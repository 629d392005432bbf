"""Anonymisation on the direction's word, done by a job: nothing happens before it confirms;
a run is done once; a run the queue could not take waits for the hourly job; the direction is
told once a month how many files are due, without a name."""

from datetime import datetime, time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from privacy.models import RetentionRun
from privacy.retention_runs import retention_run_apply, retention_run_confirm
from privacy.tasks import apply_pending_retention_runs
from reminders.services import retention_notices_send
from residents.models import Household
from tests.factories import UserFactory
from tests.privacy.families import TODAY, family


@pytest.fixture
def author(site_ss):
    return UserFactory(username="zoe.intervenante", sites=[site_ss])


@pytest.fixture
def due(site_ss, author):
    return family(site_ss, author)


def test_nothing_is_anonymised_until_the_direction_confirms(client_as, direction, due):
    client = client_as(direction)
    page = client.get(reverse("privacy:retention_due")).content.decode()
    assert "Anonymiser ce dossier" in page
    due.refresh_from_db()
    assert due.anonymised_on is None

    response = client.post(reverse("privacy:retention_confirm"), follow=True)
    due.refresh_from_db()
    assert due.anonymised_on == TODAY
    run = RetentionRun.objects.get()
    assert (run.confirmed_by, run.due, run.anonymised, run.skipped) == (direction, 1, 1, 0)
    text = response.content.decode()
    assert "1 dossier a été anonymisé." in text
    assert "Confirmé par" in text


def test_a_run_is_done_once(direction, due):
    run = retention_run_confirm(by=direction, today=TODAY, enqueue=lambda pk: None)
    assert retention_run_apply(run_pk=run.pk).anonymised == 1
    again = retention_run_apply(run_pk=run.pk)
    assert (again.anonymised, again.skipped) == (1, 0)


def test_a_run_the_queue_could_not_take_waits_for_the_hourly_job(direction, due):
    def queue_down(pk):
        raise ConnectionRefusedError("Redis is down")

    run = retention_run_confirm(by=direction, today=TODAY, enqueue=queue_down)
    run.refresh_from_db()
    assert run.done_at is None
    assert Household.objects.get(pk=due.pk).anonymised_on is None
    assert apply_pending_retention_runs() == 1
    assert Household.objects.get(pk=due.pk).anonymised_on == TODAY
    assert apply_pending_retention_runs() == 0


def _at(hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, 0)))


def test_the_direction_is_told_once_a_month_without_a_name(
    direction, coordination, due, django_assert_max_num_queries
):
    assert retention_notices_send(now=_at(9)) == 1
    # The hourly runs after it ask who is left to tell, not the whole count of files again.
    with django_assert_max_num_queries(1):
        assert retention_notices_send(now=_at(10)) == 0
    [message] = mail.outbox
    assert message.to == [direction.email]
    assert message.subject == "EMA — 1 dossier à anonymiser"
    assert reverse("privacy:retention_due") in message.body
    for member in due.members.all():
        assert member.first_name not in message.body
    assert due.label not in message.body


def test_no_notice_when_no_file_is_due(direction):
    assert retention_notices_send(now=_at(9)) == 0
    assert mail.outbox == []
