"""The daily digest and the weekly summary: sent once a day (a week) to whoever has something
due and chose them, through a real SMTP server; counts, reference codes and links, never a
resident's name, address or note."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interventions.models import Intervention
from partners.models import Referral, Status
from reminders.models import Digest, DigestChoice, DigestSent
from reminders.services import daily_digests_send, weekly_summaries_send
from tests.factories import ConsentedResidentFactory, HouseholdFactory, InterventionFactory
from tests.partners.factories import ReferralFactory
from tests.reminders.smtp import start_smtp_server

NOTE = "Note réservée : violence conjugale"


def _at(day, hour) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


@pytest.fixture
def due_work(site_ss, intervenant_ss, coordination):
    """An overdue follow-up and one due today for the intervenant, about a named resident
    whose household has an address; a referral of theirs past its delay."""
    today = timezone.localdate()
    household = HouseholdFactory(site=site_ss, label="Tremblay-Quintal", unit="1250, app. 9")
    resident = ConsentedResidentFactory(
        household=household, first_name="Ginette", last_name="Tremblay-Quintal"
    )
    for due in (today - timedelta(days=3), today):
        InterventionFactory(
            author=intervenant_ss,
            site=site_ss,
            follow_up_due=due,
            follow_up_by=intervenant_ss,
            summary="Ginette Tremblay-Quintal a demandé de l’aide.",
            restricted_note=NOTE,
        )
    referral = ReferralFactory(
        resident=resident, responsible=intervenant_ss, status=Status.SENT, consented=True
    )
    Referral.objects.filter(pk=referral.pk).update(due_on=today - timedelta(days=2))
    return referral


def test_the_digest_says_what_is_due_with_codes_and_links_and_no_name(
    due_work, intervenant_ss, settings
):
    sent = daily_digests_send(now=_at(timezone.localdate(), 7))
    assert sent == 1
    [message] = mail.outbox
    assert message.to == [intervenant_ss.email]
    assert message.subject == "EMA — 3 choses à faire aujourd’hui"
    body = message.body
    assert "1 suivi en retard" in body
    assert "1 suivi à faire aujourd’hui" in body
    assert f"nº {due_work.pk}" in body
    assert f"{settings.EMA_BASE_URL}/suivis/" in body
    for secret in ("Ginette", "Tremblay-Quintal", "1250", NOTE, "aide"):
        assert secret not in body and secret not in message.subject


def test_a_digest_is_sent_once_a_day_whatever_the_runs(due_work, intervenant_ss):
    today = timezone.localdate()
    assert daily_digests_send(now=_at(today, 7)) == 1
    assert daily_digests_send(now=_at(today, 8)) == 0
    assert daily_digests_send(now=_at(today, 9)) == 0
    assert len(mail.outbox) == 1
    assert DigestSent.objects.filter(user=intervenant_ss, digest=Digest.DAILY).count() == 1


def test_no_digest_before_the_hour_nor_for_who_turned_it_off(due_work, intervenant_ss):
    today = timezone.localdate()
    assert daily_digests_send(now=_at(today, 5)) == 0
    DigestChoice.objects.create(user=intervenant_ss, daily=False)
    assert daily_digests_send(now=_at(today, 7)) == 0
    assert mail.outbox == []


def test_nobody_with_nothing_due_gets_an_email(intervenant_ss, direction):
    assert daily_digests_send(now=_at(timezone.localdate(), 7)) == 0
    assert mail.outbox == []


def test_a_failed_send_takes_nothing_and_the_next_run_sends(due_work, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    settings.EMAIL_TIMEOUT = 2
    today = timezone.localdate()
    with pytest.raises(OSError):
        daily_digests_send(now=_at(today, 7))
    assert not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert daily_digests_send(now=_at(today, 8)) == 1


def test_the_digest_goes_through_a_real_smtp_server(due_work, intervenant_ss, settings):
    controller, inbox = start_smtp_server()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
        settings.EMAIL_USE_TLS = False
        assert daily_digests_send(now=_at(timezone.localdate(), 7)) == 1
    finally:
        controller.stop()
    [received] = inbox.messages
    assert received["To"] == intervenant_ss.email
    assert received["Subject"] == "EMA — 3 choses à faire aujourd’hui"
    text = received.get_content()
    assert "1 suivi en retard" in text
    assert "Ginette" not in text


def test_the_weekly_summary_lists_stale_referrals_by_partner_for_coordination(
    due_work, coordination, intervenant_ss
):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert weekly_summaries_send(now=_at(monday, 6)) == 0  # before the hour on Monday
    assert weekly_summaries_send(now=_at(monday, 9)) == 1
    assert weekly_summaries_send(now=_at(monday + timedelta(days=2), 9)) == 0  # once a week
    [message] = mail.outbox
    assert message.to == [coordination.email]
    assert f"{due_work.organisation.name} : 1 (nº {due_work.pk})" in message.body
    assert "Ginette" not in message.body


def test_a_missed_monday_is_made_up_later_in_the_week(due_work, coordination):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert weekly_summaries_send(now=_at(monday + timedelta(days=3), 9)) == 1
    assert DigestSent.objects.get(digest=Digest.WEEKLY).day == monday


def test_the_follow_up_counts_read_only_open_ones(intervenant_ss, site_ss):
    today = timezone.localdate()
    InterventionFactory(
        author=intervenant_ss,
        site=site_ss,
        follow_up_due=today - timedelta(days=1),
        follow_up_by=intervenant_ss,
        follow_up_done_on=today,
    )
    assert daily_digests_send(now=_at(today, 7)) == 0
    assert Intervention.objects.count() == 1
