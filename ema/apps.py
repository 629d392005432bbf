from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EmaConfig(AppConfig):
    default = True
    name = "ema"
    verbose_name = _("EMA")

    def ready(self):
        from django.core import checks

        from ema.log_records import install_record_factory
        from ema.read_log import check_read_log_writer

        install_record_factory()
        checks.register(check_read_log_writer)


class EmaAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that only the admin role may open."""

    default = False
    default_site = "ema.admin_site.EmaAdminSite"
