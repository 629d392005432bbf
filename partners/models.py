from datetime import date, datetime, timedelta
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ema.dates import first_day_of_records, past_date, planned_date
from interventions.models import Intervention, Theme
from residents.models import (
    Consent,
    Household,
    Resident,
    Site,
    SiteScopedQuerySet,
    phone_validator,
)

AGREEMENT_WARNING_DAYS = 60


class Organisation(models.Model):
    """A partner organisation of the local action network (after Open Referral's HSDS)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community organisation")
        HEALTH = "health", _("Health and social services network")
        SCHOOL = "school", pgettext_lazy("partner type", "School")
        MUNICIPAL = "municipal", _("Municipal")
        OMHM = "omhm", _("OMHM")
        PUBLIC_SAFETY = "public_safety", _("Public safety")
        TENANT_COMMITTEE = "tenant_committee", _("Tenant committee")
        CONCERTATION_TABLE = "concertation_table", _("Concertation table")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=25, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sites = models.ManyToManyField(
        Site, verbose_name=_("sites served"), blank=True, related_name="partners"
    )
    committee_site = models.ForeignKey(
        Site,
        verbose_name=_("site of the committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenant_committees",
        help_text=_("For a tenant committee: the site whose tenants it represents."),
    )
    present_at = models.ManyToManyField(
        Intervention,
        verbose_name=_("present at"),
        blank=True,
        related_name="partners_present",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="tenant_committee") | Q(committee_site__isnull=False),
                name="organisation_committee_has_site",
                violation_error_message=_("A tenant committee belongs to a site."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    def clean(self):
        if self.kind == self.Kind.TENANT_COMMITTEE and not self.committee_site_id:
            raise ValidationError({"committee_site": _("A tenant committee belongs to a site.")})
        if self.kind != self.Kind.TENANT_COMMITTEE and self.committee_site_id:
            raise ValidationError(
                {"committee_site": _("Only a tenant committee belongs to a site.")}
            )


class Service(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    eligibility = models.CharField(_("eligibility"), max_length=255, blank=True)
    age_groups = models.CharField(
        _("age groups"), max_length=120, blank=True, help_text=_("For example: 6-12, 13-17.")
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    how_to_refer = models.TextField(_("how to refer"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=25, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    class Kind(models.TextChoices):
        SERVICES = "services", _("Service agreement")
        ROOM_LOAN = "room_loan", _("Room loan")
        CLINICAL_SUPPORT = "clinical_support", _("Clinical support")
        FUNDING = "funding", _("Funding")
        TRANSFER = "transfer", _("Service transfer")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"), validators=planned_date())
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=planned_date())
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An agreement cannot end before it starts.")})

    @property
    def ends_soon(self) -> bool:
        """In force and ending within 60 days: time to renew."""
        today = timezone.localdate()
        return self.ends_on is not None and today <= self.ends_on <= today + timedelta(
            days=AGREEMENT_WARNING_DAYS
        )


class CommitteeMembership(models.Model):
    """A resident's place in a tenant committee, over time."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("President")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        MEMBER = "member", _("Member")

    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("tenant committee"),
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": Organisation.Kind.TENANT_COMMITTEE},
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(
        _("since"), validators=past_date(_("A membership cannot start in the future."))
    )
    until = models.DateField(_("until"), null=True, blank=True, validators=planned_date())

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return gettext("Seat no. %(number)s on %(committee)s") % {
            "number": self.pk,
            "committee": self.committee,
        }

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.committee_id])

    def clean(self):
        errors = {}
        if self.until and self.since and self.until < self.since:
            errors["until"] = _("A membership cannot end before it starts.")
        if self.committee_id and self.committee.kind != Organisation.Kind.TENANT_COMMITTEE:
            errors["committee"] = _("Only a tenant committee has members.")
        elif (
            self.committee_id
            and self.resident_id
            and self.resident.household.site_id != self.committee.committee_site_id
        ):
            # A committee's members are tenants of its site, whom that site's team may name.
            errors["resident"] = _("This resident does not live on the committee’s site.")
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    NO_FOLLOW_UP = "no_follow_up", _("No follow-up")
    CANCELLED = "cancelled", _("Cancelled")


# The workflow: the statuses each status may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SENT, Status.CANCELLED}),
    Status.SENT: frozenset(
        {Status.ACCEPTED, Status.REFUSED, Status.NO_FOLLOW_UP, Status.CANCELLED}
    ),
    Status.ACCEPTED: frozenset(
        {Status.IN_PROGRESS, Status.COMPLETED, Status.NO_FOLLOW_UP, Status.CANCELLED}
    ),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.NO_FOLLOW_UP, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.NO_FOLLOW_UP: frozenset(),
    Status.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset(s for s, nexts in TRANSITIONS.items() if nexts)


class StatusDelay(models.Model):
    """How long a referral may stay in an open status before it is overdue."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(s.value, s.label) for s in Status if s in OPEN_STATUSES],
        unique=True,
    )
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        verbose_name = _("expected delay")
        verbose_name_plural = _("expected delays")
        ordering = ["status"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.days}"


class ReferralQuerySet(SiteScopedQuerySet):
    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> Self:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Referral(models.Model):
    """A referral of a resident or a household to a partner, or from one, followed until
    its outcome is known."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing (EMA → partner)")
        INCOMING = "incoming", _("Incoming (partner → EMA)")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        PRIORITY = "priority", _("Priority")
        URGENT = "urgent", _("Urgent")

    class ConsentException(models.TextChoices):
        NONE = "", _("No exception: consent is required")
        URGENCY = "urgency", _("Urgency")
        SAFETY = "safety", _("Safety of a person")

    class Outcome(models.TextChoices):
        MET = "met", _("Need met")
        PARTLY_MET = "partly_met", _("Need partly met")
        NOT_MET = "not_met", _("Need not met")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="referrals")
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.OUTGOING
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    accompanied = models.BooleanField(_("accompanied"), default=False)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="referrals_responsible",
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent to share"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    consent_exception = models.CharField(
        _("exception to consent"), max_length=20, choices=ConsentException.choices, blank=True
    )
    exception_justification = models.TextField(
        _("justification of the exception"), max_length=2000, blank=True
    )
    information_shared = models.TextField(
        _("information shared"),
        max_length=2000,
        blank=True,
        help_text=_("Only what the partner needs: the least is the default."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    due_on = models.DateField(
        _("next step due on"),
        null=True,
        blank=True,
        validators=planned_date(earliest=first_day_of_records),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    interventions = models.ManyToManyField(
        Intervention, verbose_name=_("related interventions"), blank=True, related_name="referrals"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_created"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="referral_completed_has_outcome",
                violation_error_message=_("A completed referral records its outcome."),
            ),
            models.CheckConstraint(
                condition=Q(consent_exception="") | ~Q(exception_justification=""),
                name="referral_exception_justified",
                violation_error_message=_("An exception to consent needs its justification."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["site", "status"]),
        ]

    def __str__(self) -> str:
        return gettext("Referral no. %(number)s to %(partner)s") % {
            "number": self.pk,
            "partner": self.organisation,
        }

    def get_absolute_url(self) -> str:
        return reverse("partners:referral_detail", args=[self.pk])

    @property
    def person_label(self) -> str:
        return self.resident.full_name if self.resident is not None else self.household.display_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def reference(self) -> str:
        """The code EMA and the partner both name the referral by, without naming anyone."""
        return f"EMA-{self.created_at:%Y}-{self.pk:05d}"

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def next_statuses(self) -> list[Status]:
        return [Status(s) for s in Status.values if s in TRANSITIONS[self.status]]

    def clean(self):
        errors = {}
        if (
            self.household_id
            and self.resident is not None
            and self.resident.household_id != self.household_id
        ):
            errors["resident"] = _("This resident is not a member of this household.")
        if (
            self.organisation_id
            and self.service is not None
            and self.service.organisation_id != self.organisation_id
        ):
            errors["service"] = _("This service belongs to another partner.")
        if self.consent_exception and not self.exception_justification.strip():
            errors["exception_justification"] = _("Justify the exception to consent.")
        if self.status == Status.COMPLETED and not self.outcome:
            errors["outcome"] = _("A completed referral records its outcome.")
        if errors:
            raise ValidationError(errors)


class PartnerLinkQuerySet(models.QuerySet):
    def working(self, now: datetime | None = None) -> Self:
        """The links that still open: not revoked, not expired, their referral still open."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
            referral__status__in=OPEN_STATUSES,
        )


class PartnerLink(models.Model):
    """A link by which one contact of a partner answers one referral without an EMA account.
    Only the token's hash is kept: the token itself is in the email, and nowhere else."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="links"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PartnerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="partner_link_expires_after_creation",
                violation_error_message=_("A link expires after it is made."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Partner link no. %(number)s") % {"number": self.pk}

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_working(self) -> bool:
        return self.revoked_at is None and not self.is_expired and self.referral.is_open


class ReferralEvent(models.Model):
    """One step of a referral's life: who moved it, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(
        _("previous status"), max_length=20, choices=Status.choices, blank=True
    )
    new_status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    # A step is someone's at EMA, or a partner's through its link (no account): never neither.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # RESTRICT: a link stays while its steps do, but goes with its referral and them.
    via_link = models.ForeignKey(
        PartnerLink,
        verbose_name=_("through the partner link"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(by__isnull=False) | Q(via_link__isnull=False),
                name="referral_event_has_author",
                violation_error_message=_("A step is made by someone at EMA or a partner link."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.old_status} → {self.new_status}"


# The concertation meetings live in their own module (partners/concertation/); their models
# load with the app's, and are imported from here like the others.
from partners.concertation.models import Commitment as Commitment  # noqa: E402
from partners.concertation.models import CommitmentEvent as CommitmentEvent  # noqa: E402
from partners.concertation.models import ConcertationMeeting as ConcertationMeeting  # noqa: E402
