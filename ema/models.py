from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DashboardSettings(models.Model):
    """What the direction aims for: the mix of the three levels of the work, and after how
    long without contact a household counts as not reached. One row."""

    target_individual = models.PositiveSmallIntegerField(
        _("individual level (% of time)"), default=40, validators=[MaxValueValidator(100)]
    )
    target_group = models.PositiveSmallIntegerField(
        _("group level (% of time)"), default=30, validators=[MaxValueValidator(100)]
    )
    target_collective = models.PositiveSmallIntegerField(
        _("collective level (% of time)"), default=30, validators=[MaxValueValidator(100)]
    )
    not_reached_months = models.PositiveSmallIntegerField(
        _("not reached after (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )

    class Meta:
        verbose_name = _("dashboard settings")
        verbose_name_plural = _("dashboard settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    target_individual__lte=100, target_group__lte=100, target_collective__lte=100
                ),
                name="dashboard_targets_are_percentages",
            )
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self):
        total = (
            (self.target_individual or 0) + (self.target_group or 0) + (self.target_collective or 0)
        )
        if total != 100:
            raise ValidationError(
                _("The three shares add up to %(total)s %%; they must add up to 100 %%.")
                % {"total": total}
            )

    @classmethod
    def current(cls) -> "DashboardSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings

    @property
    def targets(self) -> dict[str, int]:
        return {
            "individual": self.target_individual,
            "group": self.target_group,
            "collective": self.target_collective,
        }


class Submission(models.Model):
    """A create form sent once: its one-time token, who sent it and the record it made.

    The unique token is the guard: a form sent twice (a retry on a weak connection, a second
    tap) finds its token taken and leads to the record already made (ema.submissions)."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    record_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return gettext("Submission no. %(number)s") % {"number": self.pk}
