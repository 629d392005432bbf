from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Clinical support")

    def ready(self):
        from auditlog.registry import auditlog

        from support.models import SupervisionSession, WorkPlan

        # The trail says that a session's notes changed, never what they say; its themes are
        # not followed (they tell what was discussed) and the history is the direction's.
        auditlog.register(
            SupervisionSession,
            exclude_fields=["created_at", "updated_at", "version"],
            mask_fields=["notes"],
            mask_callable="ema.history.redact",
            m2m_fields={"supervised"},
        )
        auditlog.register(WorkPlan, exclude_fields=["updated_at"])
