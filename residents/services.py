"""Writes of the residents domain. Each one is atomic and validates before it saves;
django-auditlog records who changed what."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from residents.models import Consent, Household, Resident

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


@transaction.atomic
def consent_record(*, consent: Consent, by: User) -> Consent:
    """Record a new consent obtained by a staff member."""
    consent.obtained_by = by
    return _full_save(consent)


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    """Withdraw a consent from a day on (today by default)."""
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    return _full_save(consent, update_fields=["withdrawn_on"])
