from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Developmental evaluation")

    def ready(self):
        from auditlog.registry import auditlog

        from evaluation.models import JournalEntry

        # The journal holds no personal information; its changes are audited all the same,
        # since the direction may change a colleague's entry.
        auditlog.register(JournalEntry, exclude_fields=["created_at", "updated_at", "version"])
