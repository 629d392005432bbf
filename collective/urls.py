from django.urls import path

from collective import views

app_name = "collective"

urlpatterns = [
    path("enjeux/", views.issue_list, name="issue_list"),
    path("enjeux/nouveau/", views.issue_create, name="issue_create"),
    path("enjeux/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("enjeux/<int:pk>/modifier/", views.issue_update, name="issue_update"),
    path("enjeux/<int:pk>/statut/", views.issue_status, name="issue_status"),
    path("enjeux/<int:pk>/menages/", views.issue_households_add, name="issue_households_add"),
    path(
        "enjeux/<int:pk>/menages/retirer/",
        views.issue_household_remove,
        name="issue_household_remove",
    ),
    path(
        "enjeux/<int:pk>/interventions/",
        views.issue_interventions_link,
        name="issue_interventions_link",
    ),
    path(
        "enjeux/<int:pk>/interventions/retirer/",
        views.issue_intervention_unlink,
        name="issue_intervention_unlink",
    ),
    path(
        "enjeux/<int:pk>/interventions/recherche/",
        views.issue_intervention_lookup,
        name="issue_intervention_lookup",
    ),
    path(
        "enjeux/<int:pk>/reponses/nouvelle/",
        views.issue_response_create,
        name="issue_response_create",
    ),
]
