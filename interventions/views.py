from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ema.access import (
    allowed,
    can_edit_intervention,
    can_export,
    can_handle_follow_up,
    can_read_restricted_note,
    can_view_history,
)
from ema.concurrency import StaleEditError
from ema.exports import export_response
from ema.forms import add_service_errors, form_status
from ema.history import history_for
from ema.http import AuthenticatedHttpRequest
from ema.keyset import BadCursor, DayCursor
from ema.replica import reads_from_replica
from ema.submissions import once_for, one_time_submission
from interventions import selectors, services
from interventions.access import activity_for_user, intervention_for_user
from interventions.forms import (
    FILL,
    FILL_ALL,
    FILL_LAST,
    FollowUpPostponeForm,
    GroupActivityForm,
    InterventionFilterForm,
    InterventionForm,
    QuickLogForm,
    SessionForm,
)
from interventions.models import (
    HEADCOUNT_FIELDS,
    GroupActivity,
    Intervention,
    InterventionType,
    Participation,
)
from partners.selectors import partners_to_name  # the full form names the partners present
from residents.access import household_for_user, people_shown, resident_for_user
from residents.models import Site

# « Mes suivis » lists the team meetings' actions beside the interventions' follow-ups.
from team.selectors import open_actions_for

PER_PAGE = 25
T = TypeVar("T")


def my_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "interventions/my_day.html",
        {
            "day": selectors.day_of(user=request.user),
            "tallies": selectors.open_tallies(user=request.user),
        },
    )


@one_time_submission()
def quick_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quick log, from "My day" (?type=: a big button) or from a person's or a
    household's page (?resident=, ?household=), which it then returns to."""
    resident = _preset(request, "resident", resident_for_user)
    household = _preset(request, "household", household_for_user)
    form = QuickLogForm(
        request.POST or None, user=request.user, sites=Site.objects.visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                logged = claim.made(services.quick_log_create(by=request.user, **form.entry()))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Logged: %(what)s.") % {"what": logged.type})
            return redirect(resident or household or "interventions:my_day")
    type_id = request.GET.get("type", "")
    preset_type = (
        InterventionType.objects.active().filter(pk=int(type_id)).first()
        if type_id.isdigit()
        else None
    )
    form.prepare_for_display(
        place=selectors.usual_place(user=request.user),
        type_=preset_type,
        resident=resident,
        household=household,
    )
    return render(
        request,
        "interventions/quick_log.html",
        {
            "form": form,
            "preset_type": preset_type,
            "resident": resident,
            "household": household,
        },
        status=form_status(request),
    )


def _preset(request: AuthenticatedHttpRequest, name: str, for_user: Callable[..., T]) -> T | None:
    """The object a query parameter names (a person, a household), if the user may open it;
    a 404 otherwise, as for its own page."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return for_user(request.user, int(value))


def intervention_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The interventions a person sees, filtered, newest first, a page at a time: a page
    after the first starts after the cursor its link carries (`after`), with the filters."""
    form = InterventionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    after, bad_cursor = _cursor(request.GET.get(AFTER, ""))
    page = selectors.intervention_page(
        user=request.user, filters=filters, after=after, size=PER_PAGE
    )
    query = request.GET.copy()
    for name in (AFTER, "page"):
        query.pop(name, None)
    return render(
        request,
        "interventions/intervention_list.html",
        {
            "form": form,
            "page": page,
            "is_first_page": after is None,
            "bad_cursor": bad_cursor,
            "count_limit": selectors.COUNT_LIMIT,
            "query": query.urlencode(),
            "filters": filters,
            "can_export": can_export(request.user),
        },
    )


AFTER = "after"


def _cursor(value: str) -> tuple[DayCursor | None, bool]:
    """The cursor of a "plus anciens" link, and whether the link held one this list could
    not read (the list then starts again from the newest, and says so)."""
    if not value:
        return None, False
    try:
        return DayCursor.decode(value), False
    except BadCursor:
        return None, True


def intervention_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intervention = intervention_for_user(request.user, pk)
    can_read_note = can_read_restricted_note(request.user, intervention)
    if can_read_note:
        services.restricted_note_read(intervention=intervention, by=request.user)
    participations = people_shown(
        request.user,
        intervention.participations.select_related("resident__household").order_by(
            "role", "resident__last_name"
        ),
        resident=attrgetter("resident"),
    )
    return render(
        request,
        "interventions/intervention_detail.html",
        {
            "intervention": intervention,
            "participations": participations,
            "themes": intervention.themes.all(),
            "co_intervenants": intervention.co_intervenants.all(),
            "partners": intervention.partners_present.all(),
            "can_read_note": can_read_note,
            "can_edit": can_edit_intervention(request.user, intervention),
            "history": (
                history_for([(Intervention, [intervention.pk])])
                if can_view_history(request.user)
                else None
            ),
        },
    )


@one_time_submission()
def intervention_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    source = None
    if request.GET.get("from"):
        try:
            source_pk = int(request.GET["from"])
        except ValueError:
            raise Http404 from None
        source = intervention_for_user(request.user, source_pk)
    return _intervention_form(request, Intervention(), source=source)


def intervention_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intervention = intervention_for_user(request.user, pk, write=True)
    if request.method == "GET" and can_read_restricted_note(request.user, intervention):
        # The form shows the note: that is a reading too.
        services.restricted_note_read(intervention=intervention, by=request.user)
    return _intervention_form(request, intervention)


def _intervention_form(
    request: AuthenticatedHttpRequest,
    intervention: Intervention,
    *,
    source: Intervention | None = None,
) -> HttpResponse:
    is_new = intervention.pk is None
    initial = _copy_of(source) if source else None
    form = InterventionForm(
        request.POST or None,
        partner_choices=partners_to_name(),
        instance=intervention,
        initial=initial,
        user=request.user,
        sites=Site.objects.visible_to(request.user),
        can_read_note=is_new or can_read_restricted_note(request.user, intervention),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.intervention_save(
                        intervention=form.instance,
                        by=request.user,
                        themes=form.cleaned_data["themes"],
                        co_intervenants=form.cleaned_data["co_intervenants"],
                        participants=form.named_participants(),
                        partners=form.cleaned_data["partners"],
                        expected_version=form.expected_version,
                    )
                )
        except StaleEditError as error:
            form.show_stale(error)
            return render(
                request,
                "interventions/intervention_form.html",
                {
                    "form": form,
                    "intervention": intervention,
                    "is_new": is_new,
                    "stale_url": intervention.get_absolute_url(),
                },
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The intervention was saved."))
            return redirect(form.instance)
    return render(
        request,
        "interventions/intervention_form.html",
        {"form": form, "intervention": intervention, "is_new": is_new},
        status=form_status(request),
    )


# The fields of the full form that name people, by the role they give them.
NAMED_BY_ROLE = {
    Participation.Role.PARTICIPANT: "participants",
    Participation.Role.ORGANISER: "organisers",
    Participation.Role.VOLUNTEER: "volunteers",
}


def _copy_of(source: Intervention) -> dict:
    """'Log again': the same activity with the same people, counted and named, today at the
    current time; without the notes and the follow-up."""
    now = timezone.localtime()
    copied: dict = {name: getattr(source, name) for name in ("level", "duration_minutes")}
    copied.update({name: getattr(source, name) for name in HEADCOUNT_FIELDS.values()})
    copied.update(
        date=now.date(),
        start_time=now.time().replace(second=0, microsecond=0),
        type=source.type_id,
        place=source.place_id,
        site=source.site_id,
        activity=source.activity_id,
        themes=[theme.pk for theme in source.themes.all()],
        co_intervenants=[user.pk for user in source.co_intervenants.all()],
        partners=[partner.pk for partner in source.partners_present.all()],
    )
    for participation in source.participations.all():
        role = Participation.Role(participation.role)
        copied.setdefault(NAMED_BY_ROLE[role], []).append(participation.resident_id)
    return copied


def intervention_deletion(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intervention = intervention_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.intervention_delete(intervention=intervention)
        messages.success(request, _("The intervention was deleted."))
        return redirect("interventions:intervention_list")
    return render(request, "interventions/intervention_delete.html", {"intervention": intervention})


# The follow-up just marked done, that the list offers to reopen ("undo").
JUST_DONE = "follow_up_just_done"


def follow_ups(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _follow_ups_page(request)


@dataclass(frozen=True)
class RefusedDate:
    """A new date that was refused, shown back beside its follow-up as it was typed."""

    pk: int
    typed: str
    errors: list[str]


def _follow_ups_page(
    request: AuthenticatedHttpRequest, *, refused: RefusedDate | None = None
) -> HttpResponse:
    page = Paginator(selectors.follow_ups_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The team meetings' actions are follow-ups too: shown with the first page.
    actions = open_actions_for(user=request.user) if page.number == 1 else []
    return render(
        request,
        "interventions/follow_ups.html",
        {
            "page_obj": page,
            "groups": selectors.follow_up_groups(
                user=request.user, interventions=page, others=actions
            ),
            "just_done": request.session.pop(JUST_DONE, None),
            "today": timezone.localdate(),
            "refused": refused,
        },
        status=400 if refused else 200,
    )


def _follow_up_of(request: AuthenticatedHttpRequest, pk: int) -> Intervention:
    intervention = intervention_for_user(request.user, pk)
    if not can_handle_follow_up(request.user, intervention):
        raise PermissionDenied
    return intervention


@require_POST
def follow_up_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intervention = _follow_up_of(request, pk)
    services.follow_up_complete(intervention=intervention)
    request.session[JUST_DONE] = {"pk": intervention.pk, "what": intervention.type.name}
    return redirect("interventions:follow_ups")


@require_POST
def follow_up_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intervention = _follow_up_of(request, pk)
    services.follow_up_reopen(intervention=intervention)
    messages.success(request, _("The follow-up is open again."))
    return redirect("interventions:follow_ups")


@require_POST
def follow_up_postpone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new date for a follow-up; one refused comes back beside it, as typed (400)."""
    intervention = _follow_up_of(request, pk)
    form = FollowUpPostponeForm(request.POST)
    if form.is_valid():
        due = form.cleaned_data["due"]
        try:
            services.follow_up_postpone(intervention=intervention, due=due)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Follow-up put off to %(day)s.") % {"day": date_format(due, "SHORT_DATE_FORMAT")},
            )
            return redirect("interventions:follow_ups")
    else:
        errors = [str(message) for message in form.errors["due"]]
    refused = RefusedDate(pk=intervention.pk, typed=request.POST.get("due", ""), errors=errors)
    return _follow_ups_page(request, refused=refused)


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    activities = (
        GroupActivity.objects.visible_to(request.user)
        .select_related("site", "type")
        .with_counts()
        .order_by("-is_active", "site__name", "name")
    )
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "interventions/activity_list.html", {"page_obj": page})


def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_user(request.user, pk)
    sessions = selectors.intervention_rows(activity.sessions.all())[:20]
    stats = selectors.activity_stats(activity=activity)
    return render(
        request,
        "interventions/activity_detail.html",
        {
            "activity": activity,
            "stats": stats,
            "stopped_coming": people_shown(request.user, stats.stopped_coming),
            "sessions": sessions,
            "registered": people_shown(
                request.user,
                activity.registered.select_related("household").order_by("search_key"),
            ),
        },
    )


@one_time_submission()
def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _activity_form(request, GroupActivity())


def activity_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _activity_form(request, activity_for_user(request.user, pk))


def _activity_form(request: AuthenticatedHttpRequest, activity: GroupActivity) -> HttpResponse:
    form = GroupActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.activity_save(
                        activity=form.instance, registered=form.cleaned_data["registered"]
                    )
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The group activity was saved."))
            return redirect(form.instance)
    return render(
        request,
        "interventions/activity_form.html",
        {"form": form, "activity": activity},
        status=form_status(request),
    )


@one_time_submission()
def session_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_user(request.user, pk)
    form = SessionForm(request.POST or None, user=request.user, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                claim.made(
                    services.activity_session_create(
                        activity=activity, by=request.user, **form.cleaned_data
                    )
                )
        except ValidationError as error:
            # Named participants are the present and walk-in residents of this form.
            add_service_errors(form, error, fields={"participants": "present"})
        else:
            messages.success(request, _("The session and its attendance were saved."))
            return redirect(activity)
    last = selectors.last_session(activity=activity)
    form.prepare_for_display(last=last, fill=request.GET.get(FILL, ""))
    return render(
        request,
        "interventions/session_form.html",
        {
            "form": form,
            "activity": activity,
            "last": last,
            "fill_last": f"?{FILL}={FILL_LAST}",
            "fill_all": f"?{FILL}={FILL_ALL}",
        },
        status=form_status(request),
    )


@reads_from_replica
@allowed(can_export)
def intervention_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The filtered list as CSV or XLSX, without residents' names (privacy by default)."""
    form = InterventionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if selectors.intervention_export_count(user=request.user, filters=filters) > (
        settings.EXPORT_IN_BACKGROUND_ROWS
    ):
        # Too long to write while the page waits: a job prepares it (downloads/).
        return redirect(reverse("downloads:prepare_interventions") + "?" + request.GET.urlencode())
    return export_response(
        request,
        selectors.intervention_export_table(user=request.user, filters=filters),
        what="interventions",
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"interventions-{timezone.localdate():%Y-%m-%d}",
        details={"filters": request.GET.urlencode()},
    )
