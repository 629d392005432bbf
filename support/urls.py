from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("soutien/", views.session_list, name="session_list"),
    path("soutien/nouvelle/", views.session_create, name="session_create"),
    path("soutien/<int:pk>/", views.session_detail, name="session_detail"),
    path("soutien/<int:pk>/modifier/", views.session_update, name="session_update"),
    path("soutien/equipe/", views.team, name="team"),
    path("soutien/equipe/<int:pk>/horaire/", views.work_plan_update, name="work_plan_update"),
    path("soutien/seuils/", views.thresholds, name="thresholds"),
]
