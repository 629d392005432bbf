from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ema.access import allowed, can_take_part_in_team_meetings
from ema.concurrency import StaleEditError
from ema.forms import add_service_errors
from ema.http import AuthenticatedHttpRequest
from ema.submissions import once_for, one_time_submission
from team import selectors, services
from team.access import action_for_user, item_for_user, meeting_for_user
from team.forms import AgendaItemForm, MeetingActionForm, MeetingForm
from team.models import MAX_ITEMS, AgendaItem, Meeting, MeetingAction

PER_PAGE = 20
team_only = allowed(can_take_part_in_team_meetings)


@team_only
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.meetings_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "team/meeting_list.html", {"page_obj": page})


@team_only
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    rows = selectors.meeting_agenda(user=request.user, meeting=meeting)
    services.case_discussions_read(items=[row.item for row in rows], by=request.user)
    return render(
        request,
        "team/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "participants": list(meeting.participants.all()),
            "can_add_item": len(rows) < MAX_ITEMS,
            "today": timezone.localdate(),
        },
    )


@team_only
@one_time_submission(fallback="team:meeting_list")
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _meeting_form(request, Meeting())


@team_only
def meeting_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_form(request, meeting_for_user(request.user, pk))


def _meeting_form(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    is_new = meeting.pk is None
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    context = {"form": form, "meeting": meeting, "is_new": is_new}
    if request.method != "POST":
        return render(request, "team/meeting_form.html", context)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.meeting_save(
                        meeting=form.instance,
                        participants=form.cleaned_data["participants"],
                        by=request.user,
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            form.show_stale(error)
            context["stale_url"] = meeting.get_absolute_url()
            return render(request, "team/meeting_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if is_new:
                messages.success(request, _("The meeting was recorded."))
            else:
                messages.success(request, _("The meeting was saved."))
            return redirect(form.instance)
    return render(request, "team/meeting_form.html", context, status=400)


@team_only
@one_time_submission(fallback="team:meeting_list")
def item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    return _item_form(request, AgendaItem(meeting=meeting))


@team_only
def item_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = item_for_user(request.user, pk)
    if request.method != "POST":
        services.case_discussions_read(items=[item], by=request.user)
    return _item_form(request, item)


def _item_form(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    is_new = item.pk is None
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
    context = {"form": form, "item": item, "meeting": item.meeting, "is_new": is_new}
    if request.method != "POST":
        return render(request, "team/item_form.html", context)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.item_save(
                        item=form.instance,
                        by=request.user,
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            form.show_stale(error)
            context["stale_url"] = item.get_absolute_url()
            return render(request, "team/item_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if is_new:
                messages.success(request, _("The item was added to the agenda."))
            else:
                messages.success(request, _("The item was saved."))
            return redirect(form.instance)
    return render(request, "team/item_form.html", context, status=400)


@team_only
@require_POST
def item_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = item_for_user(request.user, pk)
    meeting = item.meeting
    services.item_delete(item=item)
    messages.success(request, _("The item was removed from the agenda."))
    return redirect(meeting)


@team_only
@one_time_submission(fallback="team:meeting_list")
def action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = item_for_user(request.user, pk)
    return _action_form(request, MeetingAction(item=item))


@team_only
def action_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action_form(request, action_for_user(request.user, pk))


def _action_form(request: AuthenticatedHttpRequest, action: MeetingAction) -> HttpResponse:
    is_new = action.pk is None
    item = action.item
    form = MeetingActionForm(request.POST or None, instance=action, meeting=item.meeting)
    context = {"form": form, "action": action, "item": item, "is_new": is_new}
    if request.method != "POST":
        if item.is_case_discussion:
            services.case_discussions_read(items=[item], by=request.user)
        return render(request, "team/action_form.html", context)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(services.action_save(action=form.instance))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if is_new:
                messages.success(request, _("The action was added."))
            else:
                messages.success(request, _("The action was saved."))
            return redirect(form.instance)
    return render(request, "team/action_form.html", context, status=400)


@team_only
@require_POST
def action_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = action_for_user(request.user, pk)
    meeting = action.item.meeting
    services.action_delete(action=action)
    messages.success(request, _("The action was removed."))
    return redirect(meeting)


def _back(request: AuthenticatedHttpRequest, action: MeetingAction) -> HttpResponse:
    """Back to « Mes suivis » or to the meeting, whichever page the button was on."""
    if request.POST.get("back") == "follow_ups":
        return redirect("interventions:follow_ups")
    return redirect(action)


@team_only
@require_POST
def action_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = action_for_user(request.user, pk, handle=True)
    if action.is_done:
        messages.info(request, _("This action was already done."))
    else:
        services.action_complete(action=action, by=request.user)
        messages.success(request, _("The action is marked done."))
    return _back(request, action)


@team_only
@require_POST
def action_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = action_for_user(request.user, pk, handle=True)
    services.action_reopen(action=action)
    messages.success(request, _("The action is open again."))
    return _back(request, action)
