from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "collective"
    verbose_name = _("Collective issues")

    def ready(self):
        from auditlog.registry import auditlog

        from collective.models import CollectiveIssue, IssueResponse, IssueStatusChange

        # The households affected, the interventions and the partners linked are the issue's
        # own fields in the audit trail: who added or removed which, and when.
        auditlog.register(
            CollectiveIssue,
            exclude_fields=["created_at", "updated_at", "version"],
            m2m_fields={"households", "interventions", "partners"},
        )
        auditlog.register(IssueStatusChange)
        auditlog.register(IssueResponse, exclude_fields=["created_at"])
