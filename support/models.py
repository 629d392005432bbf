"""Clinical support: the supervision sessions of the team, each person's planned hours and the
workload thresholds the direction sets."""

from decimal import Decimal
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ema.dates import record_date
from interventions.models import ReferenceItem

MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 8 * 60


class SupervisionTheme(ReferenceItem):
    """What a session dealt with (complex cases, boundaries, vicarious trauma...): a reference
    list the administrators edit. Seen only by the supervisor and the persons supervised."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("supervision theme")
        verbose_name_plural = _("supervision themes")


class SupervisionSessionQuerySet(models.QuerySet):
    def of_participant(self, user) -> Self:
        """The sessions a person led as supervisor or was supervised in."""
        supervised = SupervisionSession.supervised.through.objects.filter(user=user)
        return self.filter(
            models.Q(supervisor=user) | models.Q(pk__in=supervised.values("supervisionsession"))
        )


class SupervisionSession(models.Model):
    """A session of clinical support (« séance de soutien clinique »): its notes and themes
    belong to the supervisor and the persons supervised; the direction learns only that it
    took place (date, who, length)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    # A colleague with an account, or an external clinician named in free text: an external
    # supervisor has no account, so nobody but the persons supervised reads the notes.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor (colleague)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisions_led",
    )
    external_supervisor = models.CharField(
        _("external supervisor"),
        max_length=120,
        blank=True,
        help_text=_("A clinician outside the team, by name: leave the colleague empty."),
    )
    supervised = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persons supervised"),
        related_name="supervision_sessions",
    )
    date = models.DateField(
        _("date"), validators=record_date(_("A session cannot be recorded in the future."))
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=60,
        validators=[
            MinValueValidator(MIN_SESSION_MINUTES),
            MaxValueValidator(MAX_SESSION_MINUTES),
        ],
    )
    themes = models.ManyToManyField(
        SupervisionTheme, verbose_name=_("themes"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"], name="supervision_date")]

    def __str__(self) -> str:
        return str(_("Supervision session of %(date)s") % {"date": self.date})

    def get_absolute_url(self) -> str:
        return reverse("support:session_detail", args=[self.pk])

    def clean(self):
        if self.supervisor_id and self.external_supervisor.strip():
            raise ValidationError(
                _("Name either a colleague or an external supervisor, not both."),
                code="two_supervisors",
            )
        if not self.supervisor_id and not self.external_supervisor.strip():
            raise ValidationError(
                {"supervisor": _("Name the supervisor: a colleague or an external clinician.")},
                code="no_supervisor",
            )


class WorkPlan(models.Model):
    """The hours a week a person is planned to work (full or part time), set by the
    direction: the workload signals compare the logged hours with them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="work_plan",
    )
    hours_per_week = models.DecimalField(
        _("planned hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return f"{self.user}: {self.hours_per_week} h"


class WorkloadThresholds(models.Model):
    """When a workload figure is shown as over its threshold; the direction's choice. One row."""

    over_planned_percent = models.PositiveSmallIntegerField(
        _("hours over the planned hours (% of the plan)"),
        default=110,
        validators=[MinValueValidator(100), MaxValueValidator(200)],
        help_text=_("110 %: a signal when the hours logged pass the plan by more than a tenth."),
    )
    crisis_interventions = models.PositiveSmallIntegerField(
        _("crisis interventions in 30 days"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    evening_hours = models.PositiveSmallIntegerField(
        _("evening hours (after 18 h) in 30 days"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    weekend_hours = models.PositiveSmallIntegerField(
        _("weekend hours in 30 days"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    weeks_without_supervision = models.PositiveSmallIntegerField(
        _("weeks without a supervision session"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    class Meta:
        verbose_name = _("workload thresholds")
        verbose_name_plural = _("workload thresholds")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "WorkloadThresholds":
        thresholds, _created = cls.objects.get_or_create(pk=1)
        return thresholds
