from django.urls import path

from interventions import tally_views, views

app_name = "interventions"

urlpatterns = [
    path("ma-journee/", views.my_day, name="my_day"),
    path("interventions/rapide/", views.quick_log, name="quick_log"),
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/nouvelle/", views.intervention_create, name="intervention_create"),
    path("interventions/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/modifier/", views.intervention_update, name="intervention_update"),
    path(
        "interventions/<int:pk>/supprimer/", views.intervention_deletion, name="intervention_delete"
    ),
    path("interventions/export/", views.intervention_export, name="intervention_export"),
    path("suivis/", views.follow_ups, name="follow_ups"),
    path("suivis/<int:pk>/fait/", views.follow_up_done, name="follow_up_done"),
    path("suivis/<int:pk>/rouvrir/", views.follow_up_reopen, name="follow_up_reopen"),
    path("suivis/<int:pk>/reporter/", views.follow_up_postpone, name="follow_up_postpone"),
    path("activites/", views.activity_list, name="activity_list"),
    path("activites/nouvelle/", views.activity_create, name="activity_create"),
    path("activites/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activites/<int:pk>/modifier/", views.activity_update, name="activity_update"),
    path("activites/<int:pk>/seance/", views.session_create, name="session_create"),
    path("decomptes/nouveau/", tally_views.tally_start, name="tally_start"),
    path("decomptes/<int:pk>/", tally_views.tally_detail, name="tally_detail"),
    path("decomptes/<int:pk>/compter/", tally_views.tally_count, name="tally_count"),
    path("decomptes/<int:pk>/fermer/", tally_views.tally_close, name="tally_close"),
    path("decomptes/<int:pk>/abandonner/", tally_views.tally_discard, name="tally_discard"),
]
