from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Confidentiality incidents")

    def ready(self):
        from auditlog.registry import auditlog

        from incidents.models import Incident

        auditlog.register(Incident, exclude_fields=["created_at", "updated_at", "version"])
