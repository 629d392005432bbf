from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = _("Team meetings")

    def ready(self):
        from auditlog.registry import auditlog

        from team.models import AgendaItem, Meeting, MeetingAction

        auditlog.register(
            Meeting, exclude_fields=["created_at", "updated_at", "version"], m2m_fields={"participants"}
        )
        auditlog.register(AgendaItem, exclude_fields=["created_at", "updated_at", "version"])
        auditlog.register(MeetingAction, exclude_fields=["created_at", "updated_at"])
