from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from collective import selectors, services
from collective.access import issue_for_user
from collective.forms import (
    HouseholdsForm,
    InterventionsForm,
    IssueFilterForm,
    IssueForm,
    ResponseForm,
    StatusForm,
    UnlinkForm,
)
from collective.models import CollectiveIssue
from ema.access import allowed, can_follow_collective_issues, can_view_history
from ema.concurrency import StaleEditError
from ema.forms import add_service_errors
from ema.history import history_for
from ema.http import AuthenticatedHttpRequest, lookup_response
from ema.submissions import once_for, one_time_submission

PER_PAGE = 25
follows = allowed(can_follow_collective_issues)


@follows
def issue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = IssueFilterForm(request.GET or None, user=request.user)
    site, status = None, ""
    if filters.is_valid():
        site, status = filters.cleaned_data["site"], filters.cleaned_data["status"]
    issues = selectors.issue_list(user=request.user, site=site, status=status)
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "collective/issue_list.html",
        {"filters": filters, "page_obj": page, "query": _query_without_page(request)},
        status=200 if filters.is_valid() or not filters.is_bound else 400,
    )


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    """The list's filters, for the links to its other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _detail(
    request: AuthenticatedHttpRequest, issue: CollectiveIssue, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    context = {
        "issue": issue,
        "page": selectors.issue_page(user=user, issue=issue),
        "status_form": forms.get("status_form") or StatusForm(),
        "households_form": forms.get("households_form") or HouseholdsForm(user=user, issue=issue),
        "interventions_form": forms.get("interventions_form")
        or InterventionsForm(user=user, issue=issue),
        "history": history_for([(CollectiveIssue, [issue.pk])]) if can_view_history(user) else None,
    }
    return render(request, "collective/issue_detail.html", context, status=status)


@follows
def issue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, issue_for_user(request.user, pk))


@follows
@one_time_submission(fallback="collective:issue_list")
def issue_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _issue_form(request, CollectiveIssue())


@follows
def issue_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _issue_form(request, issue_for_user(request.user, pk))


def _issue_form(request: AuthenticatedHttpRequest, issue: CollectiveIssue) -> HttpResponse:
    is_new = issue.pk is None
    form = IssueForm(request.POST or None, instance=issue, user=request.user)
    context = {"form": form, "issue": issue, "is_new": is_new}
    if request.method != "POST":
        return render(request, "collective/issue_form.html", context)
    if not form.is_valid():
        return render(request, "collective/issue_form.html", context, status=400)
    try:
        with once_for(form, by=request.user) as claim:
            claim.made(
                services.issue_save(
                    issue=form.instance,
                    partners=form.cleaned_data["partners"],
                    by=request.user,
                    expected_version=form.expected_version,
                )
            )
    except StaleEditError as error:
        form.show_stale(error)
        context["stale_url"] = issue.get_absolute_url()
        return render(request, "collective/issue_form.html", context, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "collective/issue_form.html", context, status=400)
    messages.success(
        request, _("The collective issue was opened.") if is_new else _("The issue was saved.")
    )
    return redirect(form.instance)


@require_POST
@follows
def issue_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.issue_set_status(issue=issue, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(issue)
    return _detail(request, issue, status=400, status_form=form)


@require_POST
@follows
def issue_households_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = HouseholdsForm(request.POST, user=request.user, issue=issue)
    if form.is_valid():
        try:
            added = services.issue_add_households(
                issue=issue, households=form.cleaned_data["households"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d household added.", "%(count)d households added.", added)
                % {"count": added},
            )
            return redirect(issue)
    return _detail(request, issue, status=400, households_form=form)


@require_POST
@follows
def issue_household_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the household to take off the issue."))
        return redirect(issue)
    household = get_object_or_404(issue.households.all(), pk=form.cleaned_data["pk"])
    services.issue_remove_household(issue=issue, household=household, by=request.user)
    messages.success(request, _("The household is no longer counted among those affected."))
    return redirect(issue)


@require_POST
@follows
def issue_interventions_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = InterventionsForm(request.POST, user=request.user, issue=issue)
    if form.is_valid():
        try:
            linked = services.issue_link_interventions(
                issue=issue, interventions=form.cleaned_data["interventions"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d intervention linked.", "%(count)d interventions linked.", linked
                )
                % {"count": linked},
            )
            return redirect(issue)
    return _detail(request, issue, status=400, interventions_form=form)


@require_POST
@follows
def issue_intervention_unlink(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the intervention to take off the issue."))
        return redirect(issue)
    intervention = get_object_or_404(
        issue.interventions.visible_to(request.user), pk=form.cleaned_data["pk"]
    )
    services.issue_unlink_intervention(issue=issue, intervention=intervention, by=request.user)
    messages.success(request, _("The intervention is no longer linked to the issue."))
    return redirect(issue)


@require_POST
@follows
def issue_intervention_lookup(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The recent interventions of the issue's site not linked yet, found by type, level or
    date (static/js/picker.js)."""
    issue = issue_for_user(request.user, pk)
    interventions = selectors.interventions_to_link(
        user=request.user, issue=issue, q=request.POST.get("q", "")
    )
    return lookup_response((row.pk, selectors.intervention_label(row)) for row in interventions)


@follows
@one_time_submission(fallback="collective:issue_list")
def issue_response_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    form = ResponseForm(request.POST or None, issue=issue)
    context = {"form": form, "issue": issue}
    if request.method != "POST":
        return render(request, "collective/response_form.html", context)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                response = claim.made(
                    services.issue_response_create(
                        issue=issue, by=request.user, **form.cleaned_data
                    )
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The response was recorded."))
            return redirect(response.get_absolute_url())
    return render(request, "collective/response_form.html", context, status=400)
