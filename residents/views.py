from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ema.access import can_import_households, can_view_history
from ema.concurrency import StaleEditError
from ema.forms import form_status
from ema.http import AuthenticatedHttpRequest
from ema.read_log import ReadKind, record_read
from ema.submissions import once_for, one_time_submission

# The household and resident pages compose the upper apps' timeline and referrals: the
# named exception to the floors (README, Architecture; tests/test_layers.py).
from empowerment.selectors import path_of
from interventions.selectors import timeline_for
from partners.selectors import memberships_of, referrals_naming
from residents import selectors, services
from residents.access import (
    can_edit_household,
    consent_for_user,
    household_for_user,
    resident_for_user,
)
from residents.forms import (
    ConsentForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberFormSet,
    MoveOutForm,
)
from residents.models import AGE_OF_CONSENT, Household
from residents.searches import SEARCH_PARAMETER, recalled_search, remember_search

# The household's timeline shows that case discussions took place (the same exception).
from team.selectors import case_discussions_about

HOUSEHOLDS_PER_PAGE = 25


def site_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "residents/site_list.html",
        {"sites": selectors.sites_with_counts(user=request.user)},
    )


def household_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The households, filtered. A search by name is sent by POST and kept in the session
    behind an opaque token, so that no family name lands in an address, a server log or the
    browser history."""
    if request.method == "POST":
        return _household_search(request)
    data = request.GET.copy()
    data.pop("q", None)
    search = recalled_search(request.session, request.GET.get(SEARCH_PARAMETER, ""))
    if search:
        data["q"] = search
    return _household_list_page(request, HouseholdFilterForm(data or None, user=request.user))


def _household_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HouseholdFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return _household_list_page(request, form, status=400)
    filters = form.cleaned_data
    query = {}
    if filters["site"]:
        query["site"] = filters["site"].pk
    if filters["status"]:
        query["status"] = filters["status"]
    if filters["q"].strip() and "clear" not in request.POST:
        query[SEARCH_PARAMETER] = remember_search(request.session, filters["q"].strip())
    url = reverse("residents:household_list")
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def _household_list_page(
    request: AuthenticatedHttpRequest, form: HouseholdFilterForm, *, status: int = 200
) -> HttpResponse:
    filters = form.cleaned_data if form.is_valid() else {}
    households = selectors.household_search(
        user=request.user,
        q=filters.get("q", ""),
        site=filters.get("site"),
        status=filters.get("status", ""),
    )
    page = Paginator(households, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)
    return render(
        request,
        "residents/household_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "searching": bool(filters.get("q")),
            "can_import": can_import_households(request.user),
        },
        status=status,
    )


def household_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = household_for_user(request.user, pk)
    record_read(user=request.user, kind=ReadKind.FILE, target=household)
    members = selectors.household_members(household=household)
    history = (
        selectors.household_history(household=household, members=members)
        if can_view_history(request.user)
        else None
    )
    return render(
        request,
        "residents/household_detail.html",
        {
            "household": household,
            "members": members,
            "timeline": timeline_for(user=request.user, residents=members),
            "timeline_more_url": (
                f"{reverse('interventions:intervention_list')}?household={household.pk}"
            ),
            "case_discussions": case_discussions_about(
                user=request.user, household=household, residents=members
            ),
            "referrals": referrals_naming(user=request.user, household=household),
            "history": history,
            "can_edit": can_edit_household(request.user, household),
        },
    )


@one_time_submission()
def household_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _household_form(request, Household())


def household_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _household_form(request, household_for_user(request.user, pk, write=True))


def _household_form(request: AuthenticatedHttpRequest, household: Household) -> HttpResponse:
    is_new = household.pk is None
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    formset = MemberFormSet(
        request.POST or None,
        instance=household,
        prefix="members",
    )
    status = 400 if request.method == "POST" else 200
    stale_url = None
    duplicates = False
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # A likely duplicate is shown, never merged nor saved silently: saving anyway is the
        # person's choice, with the box "this is not the same person".
        duplicates = formset.show_duplicates(
            selectors.likely_duplicates(user=request.user, people=formset.people_to_check())
        )
        if duplicates:
            status = 200
        else:
            try:
                with once_for(form, by=request.user) as claim:
                    claim.made(
                        services.household_save(
                            household=form.instance,
                            members=formset.members_to_save(),
                            by=request.user,
                            expected_version=form.expected_version,
                            expected_member_versions=formset.expected_versions(),
                        )
                    )
            except StaleEditError as error:
                form.show_stale(error)
                formset.show_stale()
                stale_url, status = household.get_absolute_url(), 409
            else:
                if is_new:
                    messages.success(request, _("The household was created."))
                else:
                    messages.success(request, _("The household was saved."))
                return redirect(household)
    return render(
        request,
        "residents/household_form.html",
        {
            "form": form,
            "formset": formset,
            "household": household,
            "is_new": is_new,
            "stale_url": stale_url,
            "duplicates": duplicates,
        },
        status=status,
    )


def move_out(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    household = household_for_user(request.user, pk, write=True)
    if household.has_moved_out:
        messages.info(request, _("This household has already moved out."))
        return redirect(household)
    form = MoveOutForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        services.household_move_out(
            household=household, moved_out_on=form.cleaned_data["moved_out_on"]
        )
        messages.success(request, _("The move-out was recorded; the unit is free."))
        return redirect(household)
    return render(
        request,
        "residents/household_move_out.html",
        {"form": form, "household": household},
        status=form_status(request),
    )


def resident_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_for_user(request.user, pk)
    record_read(user=request.user, kind=ReadKind.FILE, target=resident)
    consents = selectors.resident_consents(resident=resident)
    history = (
        selectors.resident_history(resident=resident, consents=consents)
        if can_view_history(request.user)
        else None
    )
    return render(
        request,
        "residents/resident_detail.html",
        {
            "resident": resident,
            "timeline": timeline_for(user=request.user, residents=[resident]),
            "case_discussions": case_discussions_about(user=request.user, residents=[resident]),
            "referrals": referrals_naming(user=request.user, residents=[resident]),
            "memberships": memberships_of(resident=resident),
            "path": path_of(resident=resident),
            "timeline_more_url": (
                f"{reverse('interventions:intervention_list')}?resident={resident.pk}"
            ),
            "household": resident.household,
            "consents": consents,
            "age_of_consent": AGE_OF_CONSENT,
            "history": history,
            "can_edit": can_edit_household(request.user, resident.household),
        },
    )


@one_time_submission()
def consent_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_for_user(request.user, pk, write=True)
    form = ConsentForm(request.POST or None, resident=resident)
    if request.method == "POST" and form.is_valid():
        with once_for(form, by=request.user) as claim:
            claim.made(services.consent_record(consent=form.instance, by=request.user))
        messages.success(request, _("The consent was recorded."))
        return redirect(resident)
    return render(
        request,
        "residents/consent_form.html",
        {"form": form, "resident": resident},
        status=form_status(request),
    )


@require_POST
def consent_withdrawal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = consent_for_user(request.user, pk, write=True)
    if consent.withdrawn_on:
        messages.info(request, _("This consent was already withdrawn."))
    else:
        services.consent_withdraw(consent=consent)
        messages.success(request, _("The consent was withdrawn from today."))
    return redirect(consent.resident)
