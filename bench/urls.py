"""The benchmark's URLconf: the project's URLs plus two reference pages, which go through the
same middleware as every other page: the framework's floor, the smallest logged-in page, and
the site's layout (base.html, navigation and all) around an empty body."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from ema.access import open_to_research
from ema.urls import urlpatterns as project_urlpatterns

FLOOR_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='fr'><title>EMA</title><p>{{ user.get_username }}</p></html>"
)

LAYOUT_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}EMA{% endblock title %}'
    "{% block content %}{% endblock content %}"
)


# Every role opens them, the research team's included (it opens only the pages marked so).
@open_to_research
def floor(request):
    """A tiny template rendered with the request's context processors, and nothing else."""
    return HttpResponse(FLOOR_TEMPLATE.render({}, request))


@open_to_research
def layout(request):
    """The layout every page extends, with nothing in it."""
    return HttpResponse(LAYOUT_TEMPLATE.render({}, request))


urlpatterns = [
    path("__bench__/plancher/", floor, name="bench_floor"),
    path("__bench__/gabarit/", layout, name="bench_layout"),
    *project_urlpatterns,
]
