"""A concertation meeting, its commitments, and each commitment's follow-up steps.

The meeting is not linked to the intervention of type « Concertation » that an intervenant may
log for the same table: that intervention is a site's record of work (its author, its site, its
counts, visible by site), the meeting is the network's record (EMA-wide, read by every
intervenant). Linking them would tie one access scope to the other for no figure that needs it.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.dates import past_date, planned_date
from partners.models import Organisation
from residents.models import Site


class ConcertationMeeting(models.Model):
    """A « rencontre de concertation »: a table met, with partners and EMA staff present."""

    table = models.ForeignKey(
        Organisation,
        verbose_name=_("concertation table"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_meetings",
        limit_choices_to={"kind": Organisation.Kind.CONCERTATION_TABLE},
    )
    table_name = models.CharField(
        _("name of the table"),
        max_length=160,
        blank=True,
        help_text=_("When the table is not in the partner directory."),
    )
    held_on = models.DateField(
        _("date"), validators=past_date(_("A meeting cannot be recorded before it is held."))
    )
    sites = models.ManyToManyField(
        Site,
        verbose_name=_("sites concerned"),
        blank=True,
        related_name="concertation_meetings",
        help_text=_("None: the meeting concerns all of EMA."),
    )
    partners_present = models.ManyToManyField(
        Organisation,
        verbose_name=_("partners present"),
        blank=True,
        related_name="concertation_meetings",
    )
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("EMA staff present"),
        blank=True,
        related_name="concertation_meetings",
    )
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("concertation meeting")
        verbose_name_plural = _("concertation meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(table__isnull=False) | ~Q(table_name=""),
                name="meeting_names_its_table",
                violation_error_message=_("Choose the table or type its name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_label} — {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("partners:meeting_detail", args=[self.pk])

    def clean(self):
        if self.table_id is None and not self.table_name.strip():
            raise ValidationError({"table": _("Choose the table or type its name.")})
        if self.table_id is not None and self.table_name.strip():
            raise ValidationError({"table_name": _("Choose the table or type its name, not both.")})

    @property
    def table_label(self) -> str:
        return self.table.name if self.table_id and self.table else self.table_name


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> "CommitmentQuerySet":
        return self.filter(status=Commitment.Status.OPEN)

    def late(self, today: date) -> "CommitmentQuerySet":
        """Open past its due day; one due today is not late yet."""
        return self.open().filter(due_on__lt=today)


class Commitment(models.Model):
    """What an organisation undertook at a meeting, and by when; followed until kept or
    dropped."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        ConcertationMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    what = models.CharField(_("commitment"), max_length=300)
    due_on = models.DateField(_("due on"), validators=planned_date())
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    status_on = models.DateField(_("status recorded on"), null=True, editable=False)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.what}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#commitment-{self.pk}"

    def is_late_on(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class CommitmentEvent(models.Model):
    """One step of a commitment's follow-up: kept, dropped, or opened again (an undo)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(
        _("previous status"), max_length=10, choices=Commitment.Status.choices
    )
    new_status = models.CharField(_("new status"), max_length=10, choices=Commitment.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("commitment step")
        verbose_name_plural = _("commitment steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.old_status} → {self.new_status}"
