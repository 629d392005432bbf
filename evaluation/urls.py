from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("journal/", views.journal, name="journal"),
    path("journal/nouveau/", views.entry_create, name="entry_create"),
    path("journal/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("journal/<int:pk>/modifier/", views.entry_update, name="entry_update"),
    path("recherche/export/", views.research_export, name="research_export"),
    path(
        "recherche/export/donnees.zip",
        views.research_export_download,
        name="research_export_download",
    ),
]
