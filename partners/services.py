"""Writes of partners and referrals: atomic, validated, audited."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from ema.validation import foreign_keys
from interventions.models import Intervention, Theme
from partners.models import (
    CommitteeMembership,
    Organisation,
    Referral,
    ReferralEvent,
    Status,
    StatusDelay,
)
from residents.models import Consent, Site
from residents.services import consent_record

STALE_REFERRAL = _(
    "Someone else saved this referral while you were editing it. What you typed "
    "is kept below: check the current version, then save again."
)


def _due_on(status: str) -> date | None:
    """When the next step of a referral in this status is expected, or None once closed."""
    delay = StatusDelay.objects.filter(status=status).values_list("days", flat=True).first()
    if delay is None:
        return None
    return timezone.localdate() + timedelta(days=delay)


def consent_problem(referral: Referral) -> str | None:
    """Why an outgoing referral may not share personal information yet, or None."""
    if referral.direction != Referral.Direction.OUTGOING:
        return None
    if referral.consent_exception:
        return None
    consent = referral.consent
    if consent is None:
        return str(
            _(
                "Sending this referral shares personal information: record the person’s "
                "consent to share with this partner, or an exception (urgency, safety) with "
                "its justification."
            )
        )
    if (
        consent.purpose != Consent.Purpose.SHARE
        or not consent.is_in_force
        or consent.partner_id != referral.organisation_id
        or (referral.resident_id and consent.resident_id != referral.resident_id)
        or (not referral.resident_id and consent.resident.household_id != referral.household_id)
    ):
        if (
            consent.expires_on is not None
            and consent.has_expired
            and consent.partner_id == referral.organisation_id
        ):
            return str(
                _(
                    "The consent to share with %(partner)s ended on %(day)s: record the "
                    "person’s consent anew."
                )
                % {
                    "partner": referral.organisation.name,
                    "day": date_format(consent.expires_on, "SHORT_DATE_FORMAT"),
                }
            )
        return str(
            _("This consent does not allow sharing with %(partner)s today.")
            % {"partner": referral.organisation.name}
        )
    return None


@transaction.atomic
def referral_save(
    *,
    referral: Referral,
    by: User,
    themes: Iterable[Theme] = (),
    interventions: Iterable[Intervention] = (),
    expected_version: int | None = None,
) -> Referral:
    """Create a referral (a draft, with its first step recorded) or update its details; a
    stale edit (someone else saved it meanwhile) is refused."""
    if referral.resident is not None:
        referral.household = referral.resident.household
    referral.site_id = referral.household.site_id
    is_new = referral.pk is None
    if is_new:
        referral.created_by = by
        referral.status = Status.DRAFT
        referral.status_changed_at = timezone.now()
        referral.due_on = _due_on(Status.DRAFT)
    else:
        claim_next_version(referral, expected=expected_version, message=STALE_REFERRAL)
    referral.full_clean()
    referral.save()
    referral.themes.set(themes)
    referral.interventions.set(interventions)
    if is_new:
        ReferralEvent.objects.create(
            referral=referral, old_status="", new_status=Status.DRAFT, by=by
        )
    return referral


@transaction.atomic
def referral_consent_record(*, referral: Referral, consent: Consent, by: User) -> Consent:
    """Record a resident's consent to share with the referral's partner, obtained by `by`,
    and attach it to the referral, in one transaction."""
    if (
        consent.purpose != Consent.Purpose.SHARE
        or consent.partner_id != referral.organisation_id
        or consent.resident.household_id != referral.household_id
        or (referral.resident_id and consent.resident_id != referral.resident_id)
    ):
        raise ValidationError(
            _("This consent does not allow sharing with %(partner)s for this referral.")
            % {"partner": referral.organisation.name}
        )
    consent_record(consent=consent, by=by)
    claim_next_version(referral, expected=None, message="")
    referral.consent = consent
    referral.save(update_fields=["consent", "version", "updated_at"])
    return consent


@transaction.atomic
def referral_set_status(
    *, referral: Referral, status: str, by: User, note: str = "", outcome: str = ""
) -> Referral:
    """Move a referral along its workflow. The row is locked so that two people moving it at
    once both see the other's step: the second move is checked against the first's result."""
    # Lock the referral's own row only: its consent is an outer join, which PostgreSQL
    # cannot lock.
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("organisation", "consent")
        .get(pk=referral.pk)
    )
    if not current.can_move_to(status):
        raise ValidationError(
            _("A referral cannot go from “%(old)s” to “%(new)s”."),
            code="forbidden_transition",
            params={"old": current.get_status_display(), "new": Status(status).label},
        )
    if status == Status.SENT:
        problem = consent_problem(current)
        if problem:
            raise ValidationError(problem, code="consent")
    if status == Status.COMPLETED and not outcome:
        raise ValidationError(
            {"outcome": _("A completed referral records its outcome.")}, code="outcome"
        )
    ReferralEvent.objects.create(
        referral=current, old_status=current.status, new_status=status, by=by, note=note
    )
    current.status = status
    current.status_changed_at = timezone.now()
    current.due_on = _due_on(status)
    if outcome:
        current.outcome = outcome
    current.version += 1
    # Only the status, its dates and the outcome change: the links are the stored ones, and
    # the check constraints repeat clean() (the database keeps them).
    current.full_clean(exclude=foreign_keys(current), validate_constraints=False)
    current.save(
        update_fields=["status", "status_changed_at", "due_on", "outcome", "version", "updated_at"]
    )
    return current


@transaction.atomic
def organisation_save(
    *,
    organisation: Organisation,
    sites: Iterable[Site],
    formsets: Iterable[BaseInlineFormSet] = (),
) -> Organisation:
    """Create or update a partner with the sites it serves and its services, contacts and
    agreements (inline formsets, already valid)."""
    organisation.full_clean()
    organisation.save()
    organisation.sites.set(sites)
    for formset in formsets:
        formset.instance = organisation
        formset.save()
    return organisation


@transaction.atomic
def membership_save(*, membership: CommitteeMembership) -> CommitteeMembership:
    membership.full_clean()
    membership.save()
    return membership
