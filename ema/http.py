"""The request a view of EMA receives: its person is logged in.

LoginRequiredMiddleware turns every anonymous visitor away before a view runs, except from
the few views marked `login_not_required` (the login page, the language switch), which take a
plain HttpRequest. Every other view is annotated `request: AuthenticatedHttpRequest`, so that
`request.user` is a `User`. The class is never instantiated: Django hands the view an
HttpRequest whose `user` the middleware has set.
"""

from django.http import HttpRequest

from ema.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
