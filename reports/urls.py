"""The dashboards' and reports' pages. No app_name: their names (dashboard, my_month...) are
the ones every template already reverses, from before the reports app."""

from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/cibles/", views.dashboard_settings, name="dashboard_settings"),
    path("mon-mois/", views.my_month, name="my_month"),
    path("rapport-annuel/", views.annual_report_view, name="annual_report"),
    path("menages-non-rejoints/", views.not_reached, name="not_reached"),
]
