"""The director's dashboard, each person's month, the households not reached, the targets the
direction sets and the annual activity report. Thin views over reports.selectors."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collective.selectors import collective_panel
from ema.access import (
    allowed,
    can_read_annual_report,
    can_see_dashboard,
    can_see_every_dashboard_panel,
    can_see_names_on_dashboard,
    can_set_targets,
    lands_on_referrals,
    lands_on_the_journal,
    lands_on_the_month,
    open_to_research,
)
from ema.dates import BoundedDateField
from ema.exports import export_response
from ema.forms import form_status
from ema.http import AuthenticatedHttpRequest
from ema.periods import fiscal_year_of, month_of
from ema.replica import reads_from_replica
from empowerment.panels import ladder_panel
from interventions.models import Level
from interventions.selectors import follow_up_groups, follow_ups_for
from partners.selectors import referral_queue_page
from reports.annual import (
    annual_report,
    annual_report_filename,
    annual_report_is_big,
    annual_report_year,
)
from reports.charts import activity_chart, reach_chart, themes_chart
from reports.forms import DashboardSettingsForm, resolve_period
from reports.models import DashboardSettings
from reports.selectors.activity import activity_figures
from reports.selectors.balance import balance_figures
from reports.selectors.participation import participation_figures
from reports.selectors.reach import households_not_reached, reach_figures
from reports.selectors.referrals import referral_figures
from reports.selectors.summary import month_summary
from reports.selectors.themes import top_themes
from reports.selectors.workload import workload_figures, workload_signals

# The home page lists this many referrals to act on and follow-ups; the rest are one click away.
HOME_ROWS = 10


@open_to_research
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role lands on its own work: the direction on the month's figures, coordination on
    the referrals to act on today and its follow-ups, the research team on the practice
    journal, everyone else on "Ma journée"."""
    user = request.user
    if lands_on_the_journal(user):
        return redirect("evaluation:journal")
    if lands_on_the_month(user):
        return render(
            request,
            "reports/home_month.html",
            {"summary": month_summary(user=user, period=month_of(timezone.localdate()))},
        )
    if lands_on_referrals(user):
        queue = referral_queue_page(user=user)
        follow_ups = list(follow_ups_for(user=user)[: HOME_ROWS + 1])
        shown = follow_ups[:HOME_ROWS]
        return render(
            request,
            "reports/home_referrals.html",
            {
                "to_act_on": [*queue.groups["overdue"], *queue.groups["draft"]][:HOME_ROWS],
                "totals": queue.totals,
                "follow_up_groups": follow_up_groups(user=user, interventions=shown),
                "more_follow_ups": len(follow_ups) > HOME_ROWS,
                "today": timezone.localdate(),
            },
        )
    return redirect("interventions:my_day")


# Coordination sees the referral figures only; the direction and the administrators every
# figure; the research team every figure but no name. A panel that names someone (an
# intervenant's row, a link to a list of households) shows it only when `show_names` holds:
# the one rule of the page, can_see_names_on_dashboard.


@open_to_research
@allowed(can_see_dashboard)
@reads_from_replica
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    period, site, form = resolve_period(request, default_kind="month")
    user = request.user
    show_names = can_see_names_on_dashboard(user)
    context = {
        "form": form,
        "period": period,
        "site": site,
        "referrals": referral_figures(user=user, period=period, site=site),
        "every_figure": can_see_every_dashboard_panel(user),
        "show_names": show_names,
    }
    if context["every_figure"]:
        settings = DashboardSettings.current()
        activity = activity_figures(user=user, period=period, site=site)
        reach = reach_figures(user=user, period=period, site=site)
        themes = top_themes(user=user, period=period, site=site)
        context.update(
            settings=settings,
            activity=activity,
            activity_chart=activity_chart(activity, title=gettext_lazy("Hours by level")),
            reach=reach,
            reach_chart=reach_chart(reach),
            balance=balance_figures(user=user, period=period, site=site, by_person=show_names),
            participation=participation_figures(user=user, period=period, site=site),
            themes=themes,
            themes_chart=themes_chart(themes),
            workload=workload_figures(user=user, period=period, site=site) if show_names else [],
            collective=collective_panel(user=user, period=period, site=site),
            signals=workload_signals(user=user) if show_names else [],
            not_reached_count=households_not_reached(
                user=user, months=settings.not_reached_months, site=site
            ).count(),
            **ladder_panel(user=user, year=fiscal_year_of(period.end), site=site),
        )
    return render(request, "reports/dashboard.html", context)


@reads_from_replica
def my_month(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same figures for one person's own work, this month against the previous one."""
    month = month_of(_day_asked(request))
    user = request.user
    current = activity_figures(user=user, period=month, mine=True)
    previous = activity_figures(user=user, period=month.previous(), mine=True)
    settings = DashboardSettings.current()
    return render(
        request,
        "reports/my_month.html",
        {
            "month": month,
            "previous": month.previous(),
            "current": current,
            "before": previous,
            "levels": [
                (
                    Level(level).label,
                    current.count_by_level[level],
                    current.hours_by_level[level],
                    previous.hours_by_level[level],
                )
                for level in Level.values
            ],
            "chart": activity_chart(current, title=gettext_lazy("My hours by level")),
            "not_reached_count": households_not_reached(
                user=user, months=settings.not_reached_months
            ).count(),
            "not_reached_months": settings.not_reached_months,
            "my_signals": workload_signals(user=user, only_self=True),
        },
    )


def _day_asked(request: AuthenticatedHttpRequest) -> date:
    """The day of ?day=, today when there is none; a day that is not one says so."""
    try:
        return (
            BoundedDateField(required=False).clean(request.GET.get("day")) or timezone.localdate()
        )
    except forms.ValidationError:
        messages.error(request, _("That is not a date we can show: here is the current month."))
        return timezone.localdate()


@reads_from_replica
def not_reached(request: AuthenticatedHttpRequest) -> HttpResponse:
    settings = DashboardSettings.current()
    households = households_not_reached(user=request.user, months=settings.not_reached_months)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/not_reached.html",
        {"page_obj": page, "months": settings.not_reached_months},
    )


def dashboard_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_set_targets(request.user):
        raise PermissionDenied
    settings = DashboardSettings.current()
    form = DashboardSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The targets were saved."))
        return redirect("dashboard")
    return render(
        request,
        "reports/dashboardsettings_form.html",
        {"form": form},
        status=form_status(request),
    )


@allowed(can_read_annual_report)
@reads_from_replica
def annual_report_view(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The report for a fiscal year (?year=2026 for the year starting in 2026), as a printable
    page, an XLSX workbook (?format=xlsx) or one CSV table (?format=csv&table=<slug>). Small
    counts of people are always hidden: the report is meant for the board and the funders."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    year = annual_report_year(request.GET.get("year", ""), today=today)
    fmt = request.GET.get("format", "html")
    if fmt == "xlsx" and annual_report_is_big(year=year):
        # Too much to make while the page waits: a job prepares it (downloads/).
        return redirect(reverse("downloads:prepare_annual_report") + f"?year={year.start.year}")
    report = annual_report(user=request.user, year=year)
    tables = [table.for_funders() for table in report.tables]
    filename = annual_report_filename(year)
    if fmt == "xlsx":
        return export_response(
            request,
            tables,
            what="annual_report",
            fmt="xlsx",
            filename=filename,
            details={"year": year.label},
        )
    if fmt == "csv":
        table = next((t for t in tables if t.slug == request.GET.get("table")), None)
        if table is None:
            raise Http404
        return export_response(
            request,
            table,
            what="annual_report",
            filename=f"{filename}-{table.slug}",
            details={"year": year.label, "table": table.slug},
        )
    years = list(range(current.start.year, current.start.year - 5, -1))
    return render(
        request,
        "reports/annual_report.html",
        {"report": report, "tables": tables, "years": years},
    )
