from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = _("Interventions")

    def ready(self):
        from auditlog.registry import auditlog

        from interventions.models import GroupActivity, Intervention, Participation

        # The audit trail records that a restricted note changed, never what it says.
        auditlog.register(
            Intervention,
            # "tally": the reverse side of Tally.logged_as, not a field of the intervention.
            exclude_fields=["created_at", "updated_at", "version", "tally"],
            mask_fields=["restricted_note"],
            mask_callable="ema.history.redact",
            m2m_fields={"themes", "co_intervenants"},
        )
        auditlog.register(Participation)
        auditlog.register(GroupActivity, m2m_fields={"registered"}, exclude_fields=["created_at"])
