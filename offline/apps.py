from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """The installable app: its manifest and service worker, the pages kept on the phone,
    the residents kept at hand, and the queue of entries logged without a network."""

    name = "offline"
    verbose_name = _("Offline work")
