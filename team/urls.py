from django.urls import path

from team import views

app_name = "team"

urlpatterns = [
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_update, name="meeting_update"),
    path("reunions/<int:pk>/points/nouveau/", views.item_create, name="item_create"),
    path("reunions/points/<int:pk>/modifier/", views.item_update, name="item_update"),
    path("reunions/points/<int:pk>/retirer/", views.item_delete, name="item_delete"),
    path("reunions/points/<int:pk>/actions/nouvelle/", views.action_create, name="action_create"),
    path("reunions/actions/<int:pk>/modifier/", views.action_update, name="action_update"),
    path("reunions/actions/<int:pk>/retirer/", views.action_delete, name="action_delete"),
    path("reunions/actions/<int:pk>/faite/", views.action_done, name="action_done"),
    path("reunions/actions/<int:pk>/rouvrir/", views.action_reopen, name="action_reopen"),
]
