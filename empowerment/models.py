"""The roles of a resident's path that nothing else records: volunteering, organising, a seat
in one of EMA's own structures. The other roles of the ladder (ladder.py) come from what the
team already logs: attendance, collective actions, tenant committee seats."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.dates import past_date, planned_date
from residents.models import Resident


class RoleRecord(models.Model):
    """A role a resident held over a span of days, recorded by hand by the team."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        ORGANISER = "organiser", _("Organiser")
        RESIDENTS_COMMITTEE = "residents_committee", _("Member of EMA’s residents’ committee")
        BOARD = "board", _("Member of EMA’s board of directors")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    since = models.DateField(
        _("since"), validators=past_date(_("A role cannot start in the future."))
    )
    until = models.DateField(_("until"), null=True, blank=True, validators=planned_date())
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example: the activity or the event. No sensitive information."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role of a resident")
        verbose_name_plural = _("roles of residents")
        ordering = ["-since", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="role_record_ends_after_start",
                violation_error_message=_("A role cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["resident", "since"]), models.Index(fields=["since"])]

    def __str__(self) -> str:
        return gettext("Role no. %(number)s (%(role)s)") % {
            "number": self.pk,
            "role": self.get_role_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("residents:resident_detail", args=[self.resident_id])

    def clean(self):
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": _("A role cannot end before it starts.")})
