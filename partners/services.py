"""Writes of partners and referrals: atomic, validated, audited."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from ema.read_log import ReadKind, record_read
from ema.validation import foreign_keys
from interventions.models import Intervention, Theme
from partners.links import new_token, token_hash
from partners.models import (
    CommitteeMembership,
    Contact,
    Organisation,
    PartnerLink,
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
    *,
    referral: Referral,
    status: str,
    by: User | None,
    note: str = "",
    outcome: str = "",
    via_link: PartnerLink | None = None,
) -> Referral:
    """Move a referral along its workflow, by someone at EMA or by a partner through its link
    (`by` None). The row is locked so that two people moving it at once both see the other's
    step: the second move is checked against the first's result."""
    if by is None and via_link is None:
        raise ValueError("A step is made by someone at EMA or through a partner link.")
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
        referral=current,
        old_status=current.status,
        new_status=status,
        by=by,
        via_link=via_link,
        note=note,
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


# Partner links ---------------------------------------------------------------------------

# The statuses in which the partner has something to answer, and what it may answer.
LINKABLE_STATUSES = frozenset({Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS})
PARTNER_ANSWERS = (Status.ACCEPTED, Status.REFUSED, Status.IN_PROGRESS, Status.COMPLETED)


def partner_link_problem(referral: Referral) -> str | None:
    """Why a link may not be sent for this referral now, or None."""
    if referral.direction != Referral.Direction.OUTGOING:
        return str(_("Only a referral sent to a partner can be answered through a link."))
    if referral.status not in LINKABLE_STATUSES:
        return str(_("A link is sent once the referral is sent, and until it is closed."))
    return consent_problem(referral)


def partner_answers(referral: Referral) -> list[Status]:
    """What the partner may answer to this referral now (the workflow's next statuses)."""
    return [status for status in PARTNER_ANSWERS if referral.can_move_to(status)]


@transaction.atomic
def partner_link_create(
    *, referral: Referral, contact: Contact, by: User
) -> tuple[PartnerLink, str]:
    """Make a link for one contact of the referral's partner; returns it with its token,
    which is stored nowhere (only its hash is)."""
    problem = partner_link_problem(referral)
    if problem:
        raise ValidationError(problem, code="not_linkable")
    if contact.organisation_id != referral.organisation_id:
        raise ValidationError(
            {"contact": _("This contact works for another partner.")}, code="contact"
        )
    if not contact.email:
        raise ValidationError(
            {"contact": _("This contact has no email address: add one in the directory.")},
            code="contact",
        )
    token = new_token()
    now = timezone.now()
    link = PartnerLink(
        referral=referral,
        contact=contact,
        token_hash=token_hash(token),
        sent_to=contact.email,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.PARTNER_LINK_DAYS),
    )
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def partner_link_send(
    *,
    referral: Referral,
    contact: Contact,
    by: User,
    absolute_url: Callable[[str], str],
) -> PartnerLink:
    """Make a link for a contact of the referral's partner and email it to the contact. The
    email carries the link, the reference and EMA's name, never the resident's name or
    address. A failed email keeps no link (one transaction)."""
    link, token = partner_link_create(referral=referral, contact=contact, by=by)
    url = absolute_url(reverse("partners:partner_link", args=[token]))
    # The partner reads the organisation's language, whatever the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "link": link,
            "url": url,
            "reference": referral.reference,
            "organisation_name": settings.ORGANISATION_NAME,
            "partner": referral.organisation.name,
        }
        subject = str(
            _("Referral %(reference)s from %(organisation)s")
            % {"reference": referral.reference, "organisation": settings.ORGANISATION_NAME}
        )
        body = render_to_string("partners/email/partner_link.txt", context)
    EmailMessage(subject=subject, body=body, to=[contact.email]).send()
    return link


@transaction.atomic
def partner_link_revoke(*, link: PartnerLink, by: User) -> PartnerLink:
    """Stop a link from working, for good; revoking it again changes nothing."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def _partner_read(link: PartnerLink, action: str) -> None:
    record_read(
        user=None,
        kind=ReadKind.PARTNER_LINK,
        target=link.referral,
        details={
            "partner_link": link.pk,
            "partner": link.contact.organisation.name,
            "action": action,
        },
    )


def _mark_used(link: PartnerLink) -> None:
    # An update, not save(): the last use is no history (the read log holds each opening).
    link.last_used_at = timezone.now()
    PartnerLink.objects.filter(pk=link.pk).update(last_used_at=link.last_used_at)


@transaction.atomic
def partner_link_open(*, link: PartnerLink) -> PartnerLink:
    """The partner opened its link: a reading of the read log, and the link's last use."""
    _partner_read(link, "open")
    _mark_used(link)
    return link


@transaction.atomic
def partner_link_answer(
    *, link: PartnerLink, status: str, outcome: str = "", note: str = ""
) -> Referral:
    """The partner's answer through its link: a step of the referral by its organisation,
    moved by the same workflow as EMA's, and a reading of the read log."""
    if status not in PARTNER_ANSWERS:
        raise ValidationError(_("A partner cannot answer this."), code="forbidden_answer")
    referral = referral_set_status(
        referral=link.referral,
        status=status,
        by=None,
        via_link=link,
        note=note,
        outcome=outcome if status == Status.COMPLETED else "",
    )
    _partner_read(link, status)
    _mark_used(link)
    return referral


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
