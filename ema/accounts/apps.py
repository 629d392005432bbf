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
