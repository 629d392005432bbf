"""Consents to renew reach people as the other reminders do: in the bell, with a link to each
resident's page, and in the digest by number only; the age-of-consent duty runs as a job."""

from datetime import datetime, time, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reminders.services import daily_digests_send
from residents.models import Consent
from residents.tasks import run_consent_duties
from tests.factories import ConsentedResidentFactory, HouseholdFactory
from tests.partners.factories import ShareConsentFactory


def test_a_consent_ending_soon_is_in_the_bell_and_the_digest_by_number(
    client_as, intervenant_ss, site_ss
):
    today = timezone.localdate()
    resident = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss), first_name="Ginette", last_name="Lapointe"
    )
    consent = ShareConsentFactory(
        resident=resident,
        given_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=10),
    )
    page = client_as(intervenant_ss).get(reverse("reminders:list")).content.decode()
    assert "1 consentement prend fin d’ici 30 jours : à renouveler" in page
    assert f'href="{resident.get_absolute_url()}">consentement nº {consent.pk}</a>' in page

    assert daily_digests_send(now=timezone.make_aware(datetime.combine(today, time(7, 0)))) == 1
    body = mail.outbox[0].body
    assert f"consentement nº {consent.pk}" in body
    assert "Ginette" not in body and "Lapointe" not in body


def test_the_age_of_consent_duty_runs_as_a_job(site_ss):
    today = timezone.localdate()
    teenager = ConsentedResidentFactory(
        household=HouseholdFactory(site=site_ss),
        birth_year=today.year - 15,
        date_of_birth=None,
        consent__given_by=Consent.GivenBy.GUARDIAN,
        consent__guardian_name="Parent",
    )
    assert run_consent_duties.delay().get() >= 1
    teenager.refresh_from_db()
    assert teenager.own_consent_due_since is not None
    assert run_consent_duties.delay().get() == 0  # marked once
