from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ema.access import allowed, can_review_privacy
from ema.http import AuthenticatedHttpRequest
from privacy import selectors
from privacy.account_changes import account_change_entries, account_changes
from privacy.forms import ReadLogFilterForm

EVENTS_PER_PAGE = 50
CHANGES_PER_PAGE = 50


@allowed(can_review_privacy)
def read_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReadLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.read_events(
        actor=filters.get("actor"),
        kind=filters.get("kind", ""),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/read_log.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@allowed(can_review_privacy)
def account_change_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who changed a staff account's role, sites, flags, password or second factor."""
    page = Paginator(account_change_entries(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/account_changes.html",
        {"page_obj": page, "changes": account_changes(page.object_list)},
    )
