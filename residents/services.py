"""Writes of the residents domain. Each one is atomic and validates before it saves;
django-auditlog records who changed what."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from ema.periods import months_after
from residents.models import (
    AGE_OF_CONSENT,
    RENEWAL_NOTICE_DAYS,
    Consent,
    Household,
    Resident,
    born_at_most_on,
)

STALE_HOUSEHOLD = _(
    "Someone else saved this household while you were editing it. What you typed is kept "
    "below: check the current version, then save again."
)


@dataclass(frozen=True)
class ConsentGiven:
    """The consent to keep a file that lets a new resident be named."""

    given_on: date
    given_by: str = Consent.GivenBy.PERSON
    guardian_name: str = ""


M = TypeVar("M", bound=models.Model)


def _full_save(instance: M, **save_kwargs: Any) -> M:
    instance.full_clean()
    instance.save(**save_kwargs)
    return instance


@transaction.atomic
def resident_create(*, resident: Resident, consent: ConsentGiven, by: User) -> Resident:
    """Save a new named resident with the consent to keep their file; one without the
    other is never saved."""
    _full_save(resident)
    _full_save(
        Consent(
            resident=resident,
            purpose=Consent.Purpose.KEEP_FILE,
            given_on=consent.given_on,
            given_by=consent.given_by,
            guardian_name=consent.guardian_name,
            obtained_by=by,
        )
    )
    return resident


@transaction.atomic
def household_save(
    *,
    household: Household,
    members: Sequence[tuple[Resident, ConsentGiven | None]],
    by: User,
    expected_version: int | None = None,
    expected_member_versions: dict[int, int | None] | None = None,
) -> Household:
    """Create or update a household with its members in one transaction. New members come
    with their consent to keep a file; existing ones with None (a member who left has a
    departure date: nobody is deleted). A stale edit of the household or of one of its
    members is refused and nothing is saved."""
    if household.pk is not None:
        claim_next_version(household, expected=expected_version, message=STALE_HOUSEHOLD)
    _full_save(household)
    expected_member_versions = expected_member_versions or {}
    for resident, consent in members:
        resident.household = household
        if resident.pk is None:
            resident_create(resident=resident, consent=consent, by=by)
        else:
            claim_next_version(
                resident,
                expected=expected_member_versions.get(resident.pk),
                message=STALE_HOUSEHOLD,
            )
            _full_save(resident)
    return household


@transaction.atomic
def household_move_out(*, household: Household, moved_out_on: date) -> Household:
    """Record that a household left its unit; the unit becomes free for a new household."""
    claim_next_version(household, expected=None, message=STALE_HOUSEHOLD)
    household.status = Household.Status.MOVED_OUT
    household.moved_out_on = moved_out_on
    _full_save(household, update_fields=["status", "moved_out_on", "version", "updated_at"])
    return household


def consent_default_end(*, given_on: date) -> date:
    """The day a consent to share given on `given_on` ends unless another is typed."""
    return months_after(given_on, settings.CONSENT_VALIDITY_MONTHS)


@transaction.atomic
def consent_record(*, consent: Consent, by: User) -> Consent:
    """Record a new consent obtained by a staff member. A consent to share without an end
    date ends CONSENT_VALIDITY_MONTHS after it was given; the person's own consent clears
    the mark of a resident who reached the age of consent on a guardian's."""
    consent.obtained_by = by
    if consent.purpose == Consent.Purpose.SHARE and consent.expires_on is None and consent.given_on:
        consent.expires_on = consent_default_end(given_on=consent.given_on)
    _full_save(consent)
    resident = consent.resident
    if consent.given_by == Consent.GivenBy.PERSON and resident.own_consent_due_since:
        _own_consent_mark(resident, None)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    """Withdraw a consent from a day on (today by default)."""
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    return _full_save(consent, update_fields=["withdrawn_on"])


def _own_consent_mark(resident: Resident, since: date | None) -> None:
    # One save per person (not a bulk update): django-auditlog records the change on the
    # resident's history, as for every other change to a person.
    resident.own_consent_due_since = since
    resident.save(update_fields=["own_consent_due_since"])


def _own_consent_in_force(on: date) -> Exists:
    return Exists(
        Consent.objects.in_force(on).filter(
            resident=OuterRef("pk"), given_by=Consent.GivenBy.PERSON
        )
    )


@transaction.atomic
def consents_to_renew_at_fourteen(*, on: date) -> tuple[int, int]:
    """Mark the residents of AGE_OF_CONSENT or older on `on` who rest on a consent a parent
    or guardian gave (still in force: it stays on record and keeps holding) without one of
    their own in force; clear the mark of those whose own consent is now recorded. Safe to
    run again on the same day. Returns (marked, cleared).

    The age is Resident.age_on's, the one the rule on who gives a consent reads: from the
    date of birth when known, else from January 1 of the year the person turns 14 (the day
    from which the consent form already lets them give their own)."""
    of_age = Q(
        date_of_birth__isnull=False, date_of_birth__lte=born_at_most_on(age=AGE_OF_CONSENT, on=on)
    ) | Q(date_of_birth__isnull=True, birth_year__lte=on.year - AGE_OF_CONSENT)
    on_guardian = Exists(
        Consent.objects.in_force(on).filter(
            resident=OuterRef("pk"), given_by=Consent.GivenBy.GUARDIAN
        )
    )
    to_mark = (
        Resident.objects.reachable()
        .filter(of_age, own_consent_due_since__isnull=True)
        .filter(on_guardian)
        .exclude(_own_consent_in_force(on))
        .select_for_update(of=("self",))
    )
    marked = 0
    for resident in to_mark:
        _own_consent_mark(resident, on)
        marked += 1
    to_clear = Resident.objects.filter(own_consent_due_since__isnull=False).filter(
        _own_consent_in_force(on)
    )
    cleared = 0
    for resident in to_clear:
        _own_consent_mark(resident, None)
        cleared += 1
    return marked, cleared


@dataclass(frozen=True)
class ConsentDuties:
    """What one run of the daily consent duties did and found (counts, never names)."""

    on: date
    marked_at_fourteen: int
    cleared_at_fourteen: int
    ending_soon: int


def consent_duties(*, on: date) -> ConsentDuties:
    """The daily work on consents, safe to run again: the rule of the age of consent
    (consents_to_renew_at_fourteen), and the count of consents ending within
    RENEWAL_NOTICE_DAYS. Ended consents need no work: in_force reads their end date."""
    marked, cleared = consents_to_renew_at_fourteen(on=on)
    ending_soon = (
        Consent.objects.ending_by(on=on, last_day=on + timedelta(days=RENEWAL_NOTICE_DAYS))
        .filter(resident__in=Resident.objects.reachable())
        .count()
    )
    return ConsentDuties(
        on=on, marked_at_fourteen=marked, cleared_at_fourteen=cleared, ending_soon=ending_soon
    )
