from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ema.access import role_not_required, two_factor_not_required
from ema.accounts import two_factor_views
from ema.accounts.views import LogoutEverywhereView

app_name = "accounts"

urlpatterns = [
    path("connexion/", two_factor_views.LoginView.as_view(), name="login"),
    path(
        "deconnexion/",
        two_factor_not_required(role_not_required(LogoutEverywhereView.as_view())),
        name="logout",
    ),
    path(
        "mot-de-passe/",
        role_not_required(
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        role_not_required(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("double-authentification/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path(
        "double-authentification/activer/",
        two_factor_views.two_factor_enrol,
        name="two_factor_enrol",
    ),
    path(
        "double-authentification/compte/", two_factor_views.two_factor_settings, name="two_factor"
    ),
    path(
        "double-authentification/codes-de-secours/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "double-authentification/desactiver/",
        two_factor_views.two_factor_disable,
        name="two_factor_disable",
    ),
]
