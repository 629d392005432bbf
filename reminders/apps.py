from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """What reaches people without their opening a page: the bell, the daily digest by email,
    the coordinator's weekly summary, and the jobs that send them."""

    name = "reminders"
    verbose_name = _("Reminders")
