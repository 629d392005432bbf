from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and referrals")

    def ready(self):
        from auditlog.registry import auditlog

        from partners.models import Referral, ReferralEvent

        auditlog.register(
            Referral,
            exclude_fields=["created_at", "updated_at", "version"],
            m2m_fields={"themes", "interventions"},
        )
        auditlog.register(ReferralEvent)
