from django.urls import path

from residents import import_views, lookup_views, views

app_name = "residents"

urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("menages/", views.household_list, name="household_list"),
    path("menages/nouveau/", views.household_create, name="household_create"),
    path("menages/importer/", import_views.household_import, name="household_import"),
    path(
        "menages/importer/confirmer/",
        import_views.household_import_confirm,
        name="household_import_confirm",
    ),
    path("menages/<int:pk>/", views.household_detail, name="household_detail"),
    path("menages/<int:pk>/modifier/", views.household_update, name="household_update"),
    path("menages/<int:pk>/demenagement/", views.move_out, name="household_move_out"),
    path("residents/recherche/", lookup_views.resident_lookup, name="resident_lookup"),
    path("menages/recherche/", lookup_views.household_lookup, name="household_lookup"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/consentements/nouveau/", views.consent_create, name="consent_create"),
    path("consentements/<int:pk>/retrait/", views.consent_withdrawal, name="consent_withdraw"),
]
