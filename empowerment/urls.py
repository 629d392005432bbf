from django.urls import path

from empowerment import views

app_name = "empowerment"
urlpatterns = [
    path("parcours/echelle/", views.ladder_page, name="ladder"),
    path("residents/<int:pk>/roles/nouveau/", views.role_create, name="role_create"),
]
