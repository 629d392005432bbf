"""The developmental evaluation's pages: the practice journal and the research data set."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.access import (
    allowed,
    can_edit_journal_entry,
    can_export_research_data,
    can_read_practice_journal,
    can_write_practice_journal,
    open_to_research,
)
from ema.concurrency import StaleEditError
from ema.exports import record_export
from ema.forms import add_service_errors
from ema.http import AuthenticatedHttpRequest
from ema.periods import FISCAL_YEAR, period_of
from ema.replica import reads_from_replica
from ema.submissions import once_for, one_time_submission
from evaluation import services
from evaluation.access import journal_entry_for_user
from evaluation.dataset import Options
from evaluation.figures import FIGURES, Scope
from evaluation.forms import JournalEntryForm, ResearchExportForm
from evaluation.models import JournalEntry
from evaluation.package import research_zip
from reports.forms import resolve_period

PER_PAGE = 20


@open_to_research
@allowed(can_read_practice_journal)
def journal(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = JournalEntry.objects.visible_to(request.user).select_related("author")
    kind = request.GET.get("kind", "")
    if kind in JournalEntry.Kind.values:
        entries = entries.filter(kind=kind)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/journal.html",
        {"page_obj": page, "kinds": JournalEntry.Kind.choices, "kind": kind},
    )


@open_to_research
@allowed(can_read_practice_journal)
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = journal_entry_for_user(request.user, pk)
    return render(
        request,
        "evaluation/journalentry_detail.html",
        {"entry": entry, "may_edit": can_edit_journal_entry(request.user, entry)},
    )


@allowed(can_write_practice_journal)
@one_time_submission(fallback="evaluation:journal")
def entry_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The figures are those of the period and site the dashboard shows (or the address asks).
    period, site, period_form = resolve_period(request, default_kind="month")
    scope = Scope(user=request.user, period=period, site=site)
    form = JournalEntryForm(request.POST or None)
    context = {
        "form": form,
        "period_form": period_form,
        "period": period,
        "site": site,
        "figures": [(figure, figure.rows(scope)) for figure in FIGURES],
    }
    if request.method != "POST":
        return render(request, "evaluation/journalentry_form.html", context)
    if form.is_valid():
        keys = form.cleaned_data.pop("figures")
        try:
            with once_for(form, by=request.user) as claim:
                entry = claim.made(
                    services.journal_entry_create(
                        entry=form.instance, by=request.user, figure_keys=keys, scope=scope
                    )
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry was added to the practice journal."))
            return redirect(entry)
    return render(request, "evaluation/journalentry_form.html", context, status=400)


@allowed(can_write_practice_journal)
def entry_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = journal_entry_for_user(request.user, pk, write=True)
    form = JournalEntryForm(request.POST or None, instance=entry)
    context = {"form": form, "entry": entry}
    if request.method != "POST":
        return render(request, "evaluation/journalentry_form.html", context)
    if form.is_valid():
        try:
            services.journal_entry_update(
                entry=form.instance, expected_version=form.expected_version
            )
        except StaleEditError as error:
            form.show_stale(error)
            return render(request, "evaluation/journalentry_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect(entry)
    return render(request, "evaluation/journalentry_form.html", context, status=400)


@open_to_research
@allowed(can_export_research_data)
def research_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The export's filters; the download is the next address, with them."""
    form = ResearchExportForm(user=request.user)
    return render(request, "evaluation/research_export.html", {"form": form})


@open_to_research
@allowed(can_export_research_data)
@reads_from_replica
def research_export_download(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The zip of the data set for the filters asked; recorded in the read log."""
    today = timezone.localdate()
    form = ResearchExportForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "evaluation/research_export.html", {"form": form}, status=400)
    cleaned = form.cleaned_data if request.GET else {}
    period = cleaned.get("period") or period_of(FISCAL_YEAR, today)
    sites = list(cleaned.get("sites") or [])
    options = Options(
        start=period.start,
        end=period.end,
        sites=sites,
        shift_dates=bool(cleaned.get("shift_dates")),
        today=today,
    )
    filters = {
        "period": str(period.label),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "sites": [site.name for site in sites],
        "dates_shifted": options.shift_dates,
    }
    file = research_zip(options=options, filters=filters)
    try:
        record_export(user=request.user, what="research_dataset", fmt="zip", details=filters)
    except BaseException:
        file.close()
        raise
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"ema-recherche-{today:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
