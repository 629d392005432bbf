from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ema.access import role_not_required, two_factor_not_required

urlpatterns = [
    path("compte/", include("ema.accounts.urls")),
    path("", include("reports.urls")),
    path(
        "langue/",
        login_not_required(role_not_required(two_factor_not_required(set_language))),
        name="set_language",
    ),
    path("admin/", admin.site.urls),
    path("", include("residents.urls")),
    path("", include("interventions.urls")),
    path("", include("partners.urls")),
    path("", include("team.urls")),
    path("", include("empowerment.urls")),
    path("", include("privacy.urls")),
    path("", include("incidents.urls")),
    path("", include("collective.urls")),
    path("", include("support.urls")),
    path("", include("offline.urls")),
    path("", include("reminders.urls")),
    path("", include("downloads.urls")),
    path("", include("evaluation.urls")),
]
