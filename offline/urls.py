from django.urls import path

from offline import pwa_views, views

app_name = "offline"

urlpatterns = [
    path("manifest.webmanifest", pwa_views.manifest, name="manifest"),
    path("sw.js", pwa_views.service_worker, name="service_worker"),
    path("hors-ligne/", views.offline_day, name="day"),
    path("hors-ligne/consigner/", views.offline_quick_log, name="quick_log"),
    path("hors-ligne/seances/<int:pk>/", views.offline_session, name="session"),
    path("hors-ligne/donnees/", views.offline_bundle, name="bundle"),
    path("hors-ligne/envoyer/", views.offline_sync, name="sync"),
    path("a-portee-de-main/", views.at_hand_list, name="at_hand"),
    path("a-portee-de-main/<int:pk>/garder/", views.at_hand_add, name="at_hand_add"),
    path("a-portee-de-main/<int:pk>/retirer/", views.at_hand_remove, name="at_hand_remove"),
]
