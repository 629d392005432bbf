"""The register of confidentiality incidents that Québec's private-sector privacy law requires
(s. 3.8, as amended by Law 25, and the Regulation respecting confidentiality incidents).

Each row holds what the regulation asks the register to contain. A row is kept at least five
years after the organisation became aware of the incident; the application never deletes one.
"""

from datetime import date
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ema.access import can_keep_incident_register
from ema.dates import past_date

if TYPE_CHECKING:
    from ema.accounts.models import User

RETENTION_YEARS = 5
FUTURE = _("This date is in the future.")


def years_after(day: date, years: int) -> date:
    """The same day `years` later; a 29 February moves to 1 March, never earlier."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> Self:
        """The register is for the direction only."""
        if can_keep_incident_register(user):
            return self
        return self.none()

    def notices_due(self) -> Self:
        return self.filter(Incident.NOTICES_DUE)


class Incident(models.Model):
    """One confidentiality incident: access, use or communication not authorised by law, loss
    of personal information, or any other breach of its protection."""

    class Risk(models.TextChoices):
        LOW = "low", _("No risk of serious injury")
        SERIOUS = "serious", _("Risk of serious injury")

    # A serious incident still waits for the notice to the Commission, or for the notice to
    # the persons concerned (unless a public notice was given instead).
    NOTICES_DUE = Q(risk="serious") & (
        Q(commission_notified_on__isnull=True)
        | Q(persons_notified_on__isnull=True, public_notice=False)
    )

    title = models.CharField(
        _("short description"),
        max_length=150,
        help_text=_("A few words to find the incident in the register, without naming anyone."),
    )
    information = models.TextField(
        _("personal information concerned"),
        max_length=4000,
        help_text=_(
            "What personal information the incident concerns; if it cannot be described, "
            "explain why."
        ),
    )
    circumstances = models.TextField(
        _("circumstances"),
        max_length=4000,
        help_text=_("A brief description of what happened."),
    )
    started_on = models.DateField(
        _("date of the incident"),
        help_text=_("Or the first day of the period when it took place."),
        validators=past_date(FUTURE),
    )
    ended_on = models.DateField(
        _("end of the period"),
        null=True,
        blank=True,
        help_text=_("If the incident lasted more than one day."),
        validators=past_date(FUTURE),
    )
    dates_approximate = models.BooleanField(
        _("the dates of the incident are approximate"), default=False
    )
    aware_on = models.DateField(
        _("date the organisation became aware of it"),
        help_text=_("The register keeps the incident for five years after this date."),
        validators=past_date(FUTURE),
    )
    people_count = models.PositiveIntegerField(
        _("number of persons concerned"),
        validators=[
            MinValueValidator(
                1, _("At least one person is concerned; give an approximation if needed.")
            )
        ],
    )
    people_count_approximate = models.BooleanField(
        _("the number of persons is approximate"), default=False
    )
    sensitivity = models.TextField(
        _("sensitivity of the information"),
        max_length=2000,
        help_text=_("For example health, minors, financial information, addresses."),
    )
    consequences = models.TextField(_("anticipated consequences of its use"), max_length=2000)
    likelihood = models.TextField(
        _("likelihood that it is used for injurious purposes"), max_length=2000
    )
    risk = models.CharField(
        _("conclusion of the assessment"),
        max_length=10,
        choices=Risk.choices,
    )
    commission_notified_on = models.DateField(
        _("notice to the Commission d'accès à l'information sent on"),
        null=True,
        blank=True,
        validators=past_date(FUTURE),
    )
    persons_notified_on = models.DateField(
        _("notice to the persons concerned sent on"),
        null=True,
        blank=True,
        validators=past_date(FUTURE),
    )
    public_notice = models.BooleanField(_("a public notice was given"), default=False)
    public_notice_reason = models.TextField(
        _("why a public notice was given"),
        max_length=2000,
        blank=True,
        help_text=_(
            "For example: notifying each person would cause them more harm, or would be "
            "excessively difficult, or their contact details are unknown."
        ),
    )
    measures = models.TextField(
        _("measures taken to reduce the risk of injury"),
        max_length=4000,
        help_text=_("And to prevent a similar incident."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="incidents_recorded",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("confidentiality incident")
        verbose_name_plural = _("confidentiality incidents")
        ordering = ["-aware_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk__in=["low", "serious"]),
                name="incident_risk_valid",
                violation_error_message=_("Choose the assessment of the risk of serious injury."),
            ),
            models.CheckConstraint(
                condition=Q(people_count__gte=1),
                name="incident_concerns_someone",
                violation_error_message=_(
                    "At least one person is concerned; give an approximation if needed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(aware_on__gte=F("started_on")),
                name="incident_aware_after_start",
                violation_error_message=_(
                    "The organisation cannot have become aware of the incident before it began."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="incident_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(commission_notified_on__isnull=True)
                | Q(commission_notified_on__gte=F("aware_on")),
                name="incident_commission_notice_after_awareness",
                violation_error_message=_(
                    "A notice cannot be sent before the organisation became aware of the incident."
                ),
            ),
            models.CheckConstraint(
                condition=Q(persons_notified_on__isnull=True)
                | Q(persons_notified_on__gte=F("aware_on")),
                name="incident_persons_notice_after_awareness",
                violation_error_message=_(
                    "A notice cannot be sent before the organisation became aware of the incident."
                ),
            ),
            models.CheckConstraint(
                condition=Q(public_notice=False) | ~Q(public_notice_reason=""),
                name="incident_public_notice_explained",
                violation_error_message=_("Explain why a public notice was given."),
            ),
        ]
        indexes = [models.Index(fields=["-aware_on", "-id"], name="incident_newest_first")]

    def __str__(self) -> str:
        return f"{self.aware_on:%Y-%m-%d} — {self.title}" if self.aware_on else self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    def clean(self):
        errors: dict[str, ValidationError] = {}
        started, ended, aware = self.started_on, self.ended_on, self.aware_on
        if started and ended and ended < started and "ended_on" not in errors:
            errors["ended_on"] = ValidationError(
                _("The period cannot end before it starts."), code="period"
            )
        if started and aware and aware < started and "aware_on" not in errors:
            errors["aware_on"] = ValidationError(
                _("The organisation cannot have become aware of the incident before it began."),
                code="aware_before_start",
            )
        if self.aware_on:
            for name in ("commission_notified_on", "persons_notified_on"):
                value = getattr(self, name)
                if value and name not in errors and value < self.aware_on:
                    errors[name] = ValidationError(
                        _(
                            "A notice cannot be sent before the organisation became aware of "
                            "the incident."
                        ),
                        code="notice_before_awareness",
                    )
        if self.public_notice and not self.public_notice_reason.strip():
            errors["public_notice_reason"] = ValidationError(
                _("Explain why a public notice was given."), code="public_notice_reason"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_serious(self) -> bool:
        return self.risk == self.Risk.SERIOUS

    @property
    def commission_notice_due(self) -> bool:
        return self.is_serious and self.commission_notified_on is None

    @property
    def persons_notice_due(self) -> bool:
        return self.is_serious and self.persons_notified_on is None and not self.public_notice

    @property
    def notices_due(self) -> bool:
        """The same rule as NOTICES_DUE, on the row in hand."""
        return self.commission_notice_due or self.persons_notice_due

    @property
    def keep_until(self) -> date | None:
        """The register keeps an incident at least five years after the awareness date."""
        return years_after(self.aware_on, RETENTION_YEARS) if self.aware_on else None
