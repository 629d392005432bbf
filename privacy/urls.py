from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("journal-des-consultations/", views.read_log, name="read_log"),
    path("modifications-des-comptes/", views.account_change_list, name="account_changes"),
]
