"""The read log: who opened which personal information, and when (Law 25). Never the content.

Rows are append-only: the model refuses to change or delete one, and on PostgreSQL a trigger
refuses it too, so that nobody, not even an administrator using the application, can edit it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.read_log import ReadKind


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The read log cannot be changed.")

    def delete(self):
        raise PermissionDenied("The read log cannot be deleted.")


class ReadEvent(models.Model):
    """One reading of personal information by one person."""

    # The kinds of reading are the core's (ema.read_log), where the lower apps name them.
    Kind = ReadKind

    # None for a partner reading through its link, named in the details: it has no account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="read_events",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    target_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="readevent_at"),
            models.Index(fields=["target_type", "target_id"], name="readevent_target"),
            models.Index(fields=["actor", "-at"], name="readevent_actor_at"),
        ]

    def __str__(self) -> str:
        who = self.actor if self.actor is not None else self.details.get("partner", "")
        return f"{self.get_kind_display()} — {who} — {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The read log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The read log cannot be deleted.")


class RetentionRun(models.Model):
    """The direction's go-ahead to anonymise the files due on a day, and what the job made of
    it. Nothing is anonymised without one (Law 25: a person decides, a job carries it out)."""

    day = models.DateField(_("files due on"), editable=False)
    due = models.PositiveIntegerField(_("files due when confirmed"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    anonymised = models.PositiveIntegerField(_("files anonymised"), default=0)
    skipped = models.PositiveIntegerField(_("files skipped"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.day} · {self.due}"
