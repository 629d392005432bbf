"""The request a view of EMA receives: its person is logged in.

LoginRequiredMiddleware turns every anonymous visitor away before a view runs, except from
the few views marked `login_not_required` (the login page, the language switch), which take a
plain HttpRequest. Every other view is annotated `request: AuthenticatedHttpRequest`, so that
`request.user` is a `User`. The class is never instantiated: Django hands the view an
HttpRequest whose `user` the middleware has set.
"""

from collections.abc import Iterable

from django.http import HttpRequest, JsonResponse

from ema.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def lookup_response(rows: Iterable[tuple[int, str]]) -> JsonResponse:
    """A type-ahead's answer (static/js/picker.js): {"results": [{"value", "text"}]}. It holds
    names, so neither a shared cache nor the browser's keeps it."""
    response = JsonResponse({"results": [{"value": pk, "text": text} for pk, text in rows]})
    response["Cache-Control"] = "no-store"
    return response
