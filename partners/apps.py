from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and referrals")

    def ready(self):
        from auditlog.registry import auditlog

        from partners.models import (
            Commitment,
            CommitmentEvent,
            ConcertationMeeting,
            PartnerLink,
            Referral,
            ReferralEvent,
        )

        auditlog.register(
            Referral,
            exclude_fields=["created_at", "updated_at", "version"],
            m2m_fields={"themes", "interventions"},
        )
        auditlog.register(ReferralEvent)
        # Who made and revoked a link is history; the hash is no one's business, and each
        # opening is in the read log already.
        auditlog.register(PartnerLink, exclude_fields=["token_hash", "last_used_at"])
        # Who was at the table and what was decided and promised, with every change.
        auditlog.register(
            ConcertationMeeting,
            exclude_fields=["created_at", "updated_at", "version"],
            m2m_fields={"sites", "partners_present", "staff_present"},
        )
        auditlog.register(Commitment, exclude_fields=["created_at"])
        auditlog.register(CommitmentEvent)
