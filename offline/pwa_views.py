"""The two files that make EMA an installable app. They hold no one's data and are fetched by
the browser without the session's cookie (the manifest) or before any page (the worker): like
the static files, they need no login."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from ema.access import role_not_required, two_factor_not_required
from offline import pwa


def _public(view):
    return login_not_required(role_not_required(two_factor_not_required(require_GET(view))))


@_public
def manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(pwa.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@_public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, at the root so that its scope is the whole app: its configuration, then
    the scripts it imports (static files of our origin)."""
    script = render_to_string(
        "offline/service_worker.js", {"config": json.dumps(pwa.worker_config())}
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Always checked again on the network: a deploy's new worker takes over at once.
    response["Cache-Control"] = "no-cache"
    return response
