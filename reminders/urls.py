from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("rappels/", views.reminder_list, name="list"),
    path("rappels/nombre/", views.reminder_count, name="count"),
    path("compte/rappels/", views.digest_choices, name="choices"),
]
