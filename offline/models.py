from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The names a phone may hold: a few dozen people one works with this week, never a list.
AT_HAND_LIMIT = 30


class AtHand(models.Model):
    """A resident that an intervenant chose to keep at hand: the only names that the offline
    pages put on the phone, and only while that person's session lasts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="at_hand",
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident kept at hand")
        verbose_name_plural = _("residents kept at hand")
        constraints = [
            models.UniqueConstraint(fields=["user", "resident"], name="at_hand_once_per_user")
        ]
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.resident_id}"

    def clean(self) -> None:
        others = AtHand.objects.filter(user_id=self.user_id).exclude(pk=self.pk)
        if others.count() >= AT_HAND_LIMIT:
            raise ValidationError(
                _("At most %(limit)d people can be kept at hand: remove someone first."),
                params={"limit": AT_HAND_LIMIT},
                code="at_hand_full",
            )
