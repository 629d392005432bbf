from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    """Files too big to make while a page waits: prepared by a job, offered when ready."""

    name = "downloads"
    verbose_name = _("Prepared files")
