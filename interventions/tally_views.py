"""A running tally: start it from the quick log, tap the counts up as people arrive, close
it into an intervention when the evening ends."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ema.forms import add_service_errors, form_status
from ema.http import AuthenticatedHttpRequest
from ema.submissions import once_for, one_time_submission
from interventions import services
from interventions.access import tally_for_user
from interventions.forms import TallyCloseForm, TallyCountsForm, TallyStartForm
from interventions.models import HEADCOUNT_FIELDS, MAX_HEADCOUNT, Tally
from residents.models import Site


@one_time_submission()
def tally_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TallyStartForm(request.POST or None, sites=Site.objects.visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                tally = claim.made(services.tally_start(by=request.user, **form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(tally)
    return render(
        request, "interventions/tally_start.html", {"form": form}, status=form_status(request)
    )


def tally_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tally = tally_for_user(request.user, pk)
    if tally.logged_as_id is not None:
        messages.info(request, _("This tally is closed: here is its intervention."))
        return redirect("interventions:intervention_detail", tally.logged_as_id)
    close_form = TallyCloseForm(initial={"summary": tally.summary})
    return render(request, "interventions/tally_detail.html", _page(tally, close_form))


def _page(tally: Tally, close_form: TallyCloseForm) -> dict:
    rows = [
        {"group": group, "name": name, "count": count, "less": max(count - 1, 0), "more": count + 1}
        for group, name, count in tally.counts_by_group()
    ]
    return {"tally": tally, "rows": rows, "close_form": close_form}


@require_POST
def tally_count(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """New counts, from a tap (the page's script sends all of them at once, as JSON is
    asked; a page without script sends the one group whose button was pressed)."""
    tally = tally_for_user(request.user, pk)
    form = TallyCountsForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    error = None
    if form.is_valid():
        try:
            services.tally_set_counts(tally=tally, counts=form.counts())
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = _("A count is a whole number from 0 to %(most)s.") % {"most": MAX_HEADCOUNT}
    if error:
        tally.refresh_from_db()  # the counts as saved, not those refused
    if wants_json:
        counts = {name: getattr(tally, name) for name in HEADCOUNT_FIELDS.values()}
        answer = {"counts": counts, "total": tally.total_headcount, "error": error}
        return JsonResponse(answer, status=400 if error else 200)
    if error:
        close_form = TallyCloseForm(initial={"summary": tally.summary})
        context = {**_page(tally, close_form), "count_error": error}
        return render(request, "interventions/tally_detail.html", context, status=400)
    return redirect(tally)


@one_time_submission()
@require_POST
def tally_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tally = tally_for_user(request.user, pk)
    if tally.logged_as_id is not None:
        return redirect(tally)
    form = TallyCloseForm(request.POST)
    if form.is_valid():
        try:
            with once_for(form, by=request.user) as claim:
                logged = claim.made(
                    services.tally_close(tally=tally, by=request.user, **form.cleaned_data)
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Logged: %(what)s, %(count)s people.")
                % {"what": logged.type, "count": logged.total_headcount},
            )
            return redirect("interventions:my_day")
    return render(request, "interventions/tally_detail.html", _page(tally, form), status=400)


@require_POST
def tally_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tally = tally_for_user(request.user, pk)
    try:
        services.tally_discard(tally=tally)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tally)
    messages.success(request, _("The tally was discarded: nothing was logged."))
    return redirect("interventions:my_day")
