"""The concertation meetings' pages: the list, a meeting's page with its commitments, the
meeting's form, and the commitments that coordination follows up."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ema.access import can_follow_up_commitments, can_manage_concertation
from ema.concurrency import StaleEditError
from ema.forms import add_service_errors, form_status
from ema.http import AuthenticatedHttpRequest
from ema.submissions import once_for, one_time_submission
from partners.access import commitment_for_user, meeting_for_user
from partners.concertation import selectors, services
from partners.concertation.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    CommitmentStatusForm,
    MeetingForm,
)
from partners.concertation.models import ConcertationMeeting

PER_PAGE = 25


@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    meetings = selectors.meeting_rows(today=timezone.localdate())
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/meeting_list.html",
        {"page_obj": page, "query": "", "can_manage": can_manage_concertation(request.user)},
    )


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    return _meeting_page(request, meeting)


def _meeting_page(
    request: AuthenticatedHttpRequest,
    meeting: ConcertationMeeting,
    *,
    commitment_form: CommitmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = can_manage_concertation(request.user)
    if can_manage and commitment_form is None:
        commitment_form = CommitmentForm()
    return render(
        request,
        "partners/meeting_detail.html",
        {
            "meeting": meeting,
            **selectors.meeting_page(meeting=meeting),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "can_follow_up": can_follow_up_commitments(request.user),
            "commitment_form": commitment_form,
        },
        status=status,
    )


@one_time_submission(fallback="partners:meeting_list")
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_concertation(request.user):
        raise PermissionDenied
    return _meeting_form(request, ConcertationMeeting())


def meeting_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_form(request, meeting_for_user(request.user, pk, write=True))


def _meeting_form(request: AuthenticatedHttpRequest, meeting: ConcertationMeeting) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting)
    status, stale_url = form_status(request), None
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.meeting_save(
                        meeting=form.instance,
                        by=request.user,
                        sites=form.cleaned_data["sites"],
                        partners_present=form.cleaned_data["partners_present"],
                        staff_present=form.cleaned_data["staff_present"],
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            form.show_stale(error)
            status, stale_url = 409, meeting.get_absolute_url()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(form.instance)
    return render(
        request,
        "partners/meeting_form.html",
        {"form": form, "meeting": meeting, "stale_url": stale_url},
        status=status,
    )


@require_POST
@one_time_submission(fallback="partners:meeting_list")
def commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk, write=True)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.commitment_create(
                        meeting=meeting, by=request.user, **form.cleaned_data
                    )
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment was recorded."))
            return redirect(meeting)
    return _meeting_page(request, meeting, commitment_form=form, status=400)


@require_POST
def commitment_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_for_user(request.user, pk)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_set_status(
                commitment=commitment, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The commitment’s follow-up was recorded."))
            return redirect(_back(request, commitment.get_absolute_url()))
    else:
        messages.error(request, _("Choose kept, dropped or open."))
    return _meeting_page(request, commitment.meeting, status=400)


def _back(request: AuthenticatedHttpRequest, default: str) -> str:
    """Back to the list of commitments when the follow-up was recorded there."""
    return reverse("partners:commitment_list") if request.POST.get("back") == "list" else default


@require_GET
def commitment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CommitmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    organisation = filters.get("organisation")
    commitments = selectors.commitments_to_follow(
        today=today,
        organisation_id=organisation.pk if organisation else None,
        late_only=bool(filters.get("late_only")),
    )
    page = Paginator(commitments, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/commitment_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "today": today,
            "can_follow_up": can_follow_up_commitments(request.user),
        },
    )
