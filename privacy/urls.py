from django.urls import path

from privacy import portability_views, retention_views, views

app_name = "privacy"

urlpatterns = [
    path("journal-des-consultations/", views.read_log, name="read_log"),
    path("modifications-des-comptes/", views.account_change_list, name="account_changes"),
    # Retention and access requests keep the addresses they had under residents.
    path("menages/a-anonymiser/", retention_views.retention_due, name="retention_due"),
    path(
        "menages/a-anonymiser/confirmer/",
        retention_views.retention_confirm,
        name="retention_confirm",
    ),
    path(
        "residents/<int:pk>/renseignements/",
        portability_views.resident_personal_information,
        name="resident_personal_information",
    ),
    path(
        "residents/<int:pk>/renseignements.json",
        portability_views.resident_personal_information_json,
        name="resident_personal_information_json",
    ),
]
