from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/nouveau/", views.incident_create, name="incident_create"),
    path("incidents/export.csv", views.incident_export, name="incident_export"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/modifier/", views.incident_update, name="incident_update"),
]
