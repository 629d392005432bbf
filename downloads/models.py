import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PreparedFilesStorage(FileSystemStorage):
    """Prepared files hold the organisation's data: a directory no web server serves
    (PREPARED_FILES_DIR, read when used); they leave it only through the download view,
    which checks who asks."""

    @property
    def base_location(self) -> str:
        return settings.PREPARED_FILES_DIR

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    return PreparedFilesStorage()


class PreparedFile(models.Model):
    """An export or a report asked for by one person, made by a job, for that person only."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=30)
    query = models.TextField(_("filters"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to="prepared/", blank=True)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    fmt = models.CharField(
        _("format"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")], blank=True
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or f"{self.kind} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("downloads:detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
