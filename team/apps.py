from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = _("Team meetings")

    def ready(self):
        from auditlog.registry import auditlog

        from team.models import AgendaItem, Meeting, MeetingAction

        auditlog.register(
            Meeting,
            exclude_fields=["created_at", "updated_at", "version"],
            m2m_fields={"participants"},
        )
        # The audit trail records that what was said, decided or given to do changed, never
        # its words: a case discussion's content is for its participants and the direction.
        auditlog.register(
            AgendaItem,
            exclude_fields=["created_at", "updated_at", "version"],
            mask_fields=["said", "decisions"],
            mask_callable="ema.history.redact",
        )
        auditlog.register(
            MeetingAction,
            exclude_fields=["created_at", "updated_at"],
            mask_fields=["what"],
            mask_callable="ema.history.redact",
        )
