from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmpowermentConfig(AppConfig):
    name = "empowerment"
    verbose_name = _("Residents’ path to power")

    def ready(self):
        from auditlog.registry import auditlog

        from empowerment.models import RoleRecord

        auditlog.register(RoleRecord, exclude_fields=["created_at"])
