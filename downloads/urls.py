from django.urls import path

from downloads import views
from downloads.kinds import KINDS

app_name = "downloads"

urlpatterns = [
    # One address per kind of file, so that an address names no record but by its number.
    *[
        path(
            f"telechargements/preparer/{kind.path}/",
            views.prepare,
            {"kind": name},
            name=f"prepare_{name}",
        )
        for name, kind in KINDS.items()
    ],
    path("telechargements/<int:pk>/", views.detail, name="detail"),
    path("telechargements/<int:pk>/fichier/", views.download, name="file"),
]
