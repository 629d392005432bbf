from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ema.access import role_not_required
from ema.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", role_not_required(auth_views.LogoutView.as_view()), name="logout"),
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
]
