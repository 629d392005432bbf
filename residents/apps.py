from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Bookkeeping, not history; the search keys repeat the names (which are audited) folded.
NOT_AUDITED = ["created_at", "updated_at", "version", "search_key"]


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = _("Sites, households and residents")

    def ready(self):
        from auditlog.registry import auditlog

        from residents.models import Consent, Household, Resident

        auditlog.register(Household, exclude_fields=NOT_AUDITED)
        auditlog.register(Resident, exclude_fields=NOT_AUDITED)
        auditlog.register(Consent, exclude_fields=["created_at"])
