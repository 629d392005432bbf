from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
