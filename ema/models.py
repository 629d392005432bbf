from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
