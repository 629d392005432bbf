from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _start_session_clock(sender, request, user, **kwargs):
    from ema.accounts.sessions import session_start

    session_start(request.session)


class AccountsConfig(AppConfig):
    name = "ema.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_session_clock, dispatch_uid="ema_session_clock")
        _register_audit()


def _register_audit() -> None:
    """What the audit trail keeps of accounts: who gave a role, sites, the active or superuser
    flag, changed a password, set up or removed a second factor (privacy:account_changes).
    Never a password hash, a device's secret or a recovery code."""
    from auditlog.registry import auditlog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ema.accounts.models import User

    auditlog.register(
        User,
        include_fields=["role", "is_active", "is_superuser", "password"],
        mask_fields=["password"],
        mask_callable="ema.history.redact",
        m2m_fields={"sites"},
    )
    # The owner is kept with every entry (serialized_data), even once the device is gone.
    for device in (TOTPDevice, StaticDevice):
        auditlog.register(
            device,
            include_fields=["user", "name", "confirmed"],
            serialize_data=True,
            serialize_auditlog_fields_only=True,
        )
