from django.urls import path

from downloads import views

app_name = "downloads"

urlpatterns = [
    path("telechargements/preparer/<slug:kind>/", views.prepare, name="prepare"),
    path("telechargements/<int:pk>/", views.detail, name="detail"),
    path("telechargements/<int:pk>/fichier/", views.download, name="file"),
]
