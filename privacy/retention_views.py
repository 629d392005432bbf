"""The files due for anonymisation (Law 25), for the direction to review, then to confirm: a
job anonymises them (privacy.retention_runs)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from ema.access import allowed, can_review_privacy
from ema.http import AuthenticatedHttpRequest
from privacy.models import RetentionRun
from privacy.retention import households_due_for_retention, retention_cutoff
from privacy.retention_runs import retention_run_confirm
from privacy.tasks import apply_retention_run

HOUSEHOLDS_PER_PAGE = 25
RUNS_SHOWN = 5


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
            "runs": RetentionRun.objects.select_related("confirmed_by")[:RUNS_SHOWN],
        },
    )


@require_POST
@allowed(can_review_privacy)
def retention_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The direction's go-ahead: the files due today are anonymised by a job."""
    run = retention_run_confirm(
        by=request.user, today=timezone.localdate(), enqueue=apply_retention_run.delay
    )
    run.refresh_from_db()
    if run.done_at is not None:
        messages.success(
            request,
            ngettext("%(n)d file was anonymised.", "%(n)d files were anonymised.", run.anonymised)
            % {"n": run.anonymised},
        )
    else:
        messages.info(
            request,
            gettext("The anonymisation is under way: this page will show when it is done."),
        )
    return redirect("privacy:retention_due")
