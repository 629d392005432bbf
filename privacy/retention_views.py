"""The files due for anonymisation (Law 25), for the direction to review before
`manage.py apply_retention` anonymises them."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ema.access import allowed, can_review_privacy
from ema.http import AuthenticatedHttpRequest
from privacy.retention import households_due_for_retention, retention_cutoff

HOUSEHOLDS_PER_PAGE = 25


@allowed(can_review_privacy)
def retention_due(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    households = households_due_for_retention(today=today).visible_to(request.user)
    page = Paginator(households, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/retention_due.html",
        {
            "page_obj": page,
            "retention_months": settings.RETENTION_MONTHS,
            "cutoff": retention_cutoff(today),
        },
    )
