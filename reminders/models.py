from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Digest(models.TextChoices):
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly summary of stale referrals")
    RETENTION = "retention", _("Monthly list of the files due for anonymisation")


class DigestChoice(models.Model):
    """Which digests a person receives; without a row, the defaults of `receives`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_choice",
    )
    daily = models.BooleanField(
        _("daily digest"),
        default=True,
        help_text=_("Each morning when something is due: follow-ups, referrals, agreements."),
    )
    weekly = models.BooleanField(
        _("weekly summary"),
        default=True,
        help_text=_("On Mondays, for coordination: the referrals overdue, by partner."),
    )

    class Meta:
        verbose_name = _("digest choice")
        verbose_name_plural = _("digest choices")

    def __str__(self) -> str:
        return str(self.user)


class DigestSent(models.Model):
    """One digest sent to one person on one day: the guard that sends it once, whatever the
    number of runs, retries or workers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(_("digest"), max_length=10, choices=Digest.choices)
    day = models.DateField(_("day"), editable=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "digest", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_digest_display()} · {self.user} · {self.day}"
