"""Clinical support: each person's supervision sessions, what the direction sees of them, the
planned hours and the workload thresholds. Thin views over support.services and selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.access import allowed, can_have_supervision, can_see_team_support, the_team
from ema.accounts.models import User
from ema.concurrency import StaleEditError
from ema.forms import add_service_errors, form_status
from ema.http import AuthenticatedHttpRequest
from ema.submissions import once_for, one_time_submission
from support import selectors, services
from support.access import session_for_user, session_notes_read
from support.forms import SessionForm, ThresholdsForm, WorkPlanForm
from support.models import SupervisionSession, WorkloadThresholds, WorkPlan

PER_PAGE = 25


@allowed(can_have_supervision)
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My sessions, as supervisor or supervised: date, who, length, themes (no notes)."""
    page = Paginator(selectors.my_sessions(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "support/session_list.html", {"page_obj": page})


@allowed(can_have_supervision)
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = session_for_user(request.user, pk)
    session_notes_read(session=session, by=request.user)
    return render(request, "support/session_detail.html", {"session": session})


@allowed(can_have_supervision)
@one_time_submission(fallback="support:session_list")
def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Someone records a session they were supervised in, most often: they are ticked.
    session = SupervisionSession(date=timezone.localdate())
    return _session_form(request, session)


@allowed(can_have_supervision)
def session_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = session_for_user(request.user, pk)
    if request.method != "POST":
        # The form shows the saved notes: opening it is reading them (a POST shows back what
        # was typed, and writes nothing when it is refused).
        session_notes_read(session=session, by=request.user)
    return _session_form(request, session)


def _session_form(request: AuthenticatedHttpRequest, session: SupervisionSession) -> HttpResponse:
    is_new = session.pk is None
    initial = {"supervised": [request.user.pk]} if is_new else None
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    context = {"form": form, "session": session, "is_new": is_new}
    template = "support/session_form.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        with once_for(form, by=request.user) as claim:
            claim.made(
                services.session_save(
                    session=form.instance,
                    supervised=form.cleaned_data["supervised"],
                    themes=form.cleaned_data["themes"],
                    by=request.user,
                    expected_version=form.expected_version,
                )
            )
    except StaleEditError as error:
        form.show_stale(error)
        context["stale_url"] = session.get_absolute_url()
        return render(request, template, context, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context, status=400)
    messages.success(request, _("The session was saved."))
    return redirect(form.instance)


@allowed(can_see_team_support)
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The direction's view: per person, planned hours and how often they had clinical support
    (sessions and hours of the last year, the last date); never notes nor themes."""
    page = Paginator(selectors.team_support(), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [selectors.person_support(user, today=today) for user in page.object_list]
    return render(request, "support/team.html", {"page_obj": page, "rows": rows})


@allowed(can_see_team_support)
def work_plan_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.filter(the_team()), pk=pk)
    plan = WorkPlan.objects.filter(user=person).first() or WorkPlan(user=person)
    form = WorkPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_set(user=person, hours_per_week=form.cleaned_data["hours_per_week"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The planned hours were saved."))
            return redirect("support:team")
    return render(
        request,
        "support/workplan_form.html",
        {"form": form, "person": person},
        status=form_status(request),
    )


@allowed(can_see_team_support)
def thresholds(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ThresholdsForm(request.POST or None, instance=WorkloadThresholds.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The workload thresholds were saved."))
        return redirect("dashboard")
    return render(
        request, "support/thresholds_form.html", {"form": form}, status=form_status(request)
    )
