"""The director's dashboard, each person's month, the households not reached, and the targets
the direction sets. Thin views over ema.dashboards."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ema import dashboards
from ema.access import allowed, can_see_dashboard, can_see_every_figure, can_set_targets
from ema.charts import Series, bar_chart
from ema.dashboard_forms import DashboardSettingsForm
from ema.dates import BoundedDateField
from ema.models import DashboardSettings
from ema.periods import month_of, resolve_period
from ema.reports import activity_chart
from interventions.models import Level


@allowed(can_see_dashboard)
def dashboard(request):
    period, site, form = resolve_period(request, default_kind="month")
    user = request.user
    context = {
        "form": form,
        "period": period,
        "site": site,
        "referrals": dashboards.referral_figures(user=user, period=period, site=site),
        "every_figure": can_see_every_figure(user),
    }
    if context["every_figure"]:
        settings = DashboardSettings.current()
        activity = dashboards.activity(user=user, period=period, site=site)
        reach = dashboards.reach(user=user, period=period, site=site)
        themes = dashboards.themes(user=user, period=period, site=site)
        context.update(
            settings=settings,
            activity=activity,
            activity_chart=activity_chart(activity, title=gettext_lazy("Hours by level")),
            reach=reach,
            reach_chart=bar_chart(
                title=gettext_lazy("Households reached, by site"),
                description=gettext_lazy(
                    "For each site, the share of the households living there that at least "
                    "one intervention named in the period."
                ),
                categories=[row.site for row in reach.sites],
                series=[
                    Series(
                        label=str(gettext_lazy("Reach rate")),
                        values=[row.rate or 0 for row in reach.sites],
                        css_class="series-1",
                    )
                ],
                stacked=False,
                unit="%",
                horizontal=True,
            ),
            balance=dashboards.balance(user=user, period=period, site=site),
            participation=dashboards.participation(user=user, period=period, site=site),
            themes=themes,
            themes_chart=bar_chart(
                title=gettext_lazy("Most frequent themes"),
                description=gettext_lazy(
                    "Interventions by theme in the period, beside the previous period."
                ),
                categories=[name for name, _count, _before in themes],
                series=[
                    Series(
                        label=str(gettext_lazy("This period")),
                        values=[count for _name, count, _before in themes],
                        css_class="series-1",
                    ),
                    Series(
                        label=str(gettext_lazy("Previous period")),
                        values=[before for _name, _count, before in themes],
                        css_class="series-2",
                    ),
                ],
                stacked=False,
                horizontal=True,
            ),
            workload=dashboards.workload(user=user, period=period, site=site),
            not_reached_count=dashboards.not_reached(
                user=user, months=settings.not_reached_months, site=site
            ).count(),
        )
    return render(request, "dashboards/dashboard.html", context)


def my_month(request):
    """The same figures for one person's own work, this month against the previous one."""
    month = month_of(_day(request))
    user = request.user
    current = dashboards.activity(user=user, period=month, mine=True)
    previous = dashboards.activity(user=user, period=month.previous(), mine=True)
    settings = DashboardSettings.current()
    return render(
        request,
        "dashboards/my_month.html",
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
            "not_reached_count": dashboards.not_reached(
                user=user, months=settings.not_reached_months
            ).count(),
            "not_reached_months": settings.not_reached_months,
        },
    )


def _day(request):
    try:
        return (
            BoundedDateField(required=False).clean(request.GET.get("day")) or timezone.localdate()
        )
    except forms.ValidationError:
        messages.error(request, _("That is not a date we can show: here is the current month."))
        return timezone.localdate()


def not_reached(request):
    settings = DashboardSettings.current()
    households = dashboards.not_reached(user=request.user, months=settings.not_reached_months)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/not_reached.html",
        {"page_obj": page, "months": settings.not_reached_months},
    )


def dashboard_settings(request):
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
        "dashboards/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
