"""The dashboard, "my month", the households not reached and the targets: who may open them,
what they show, bad input, and query budgets that do not grow with the data."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from interventions.models import Intervention, Level, Participation
from partners.models import CommitteeMembership, Referral, Status
from reports.models import DashboardSettings
from residents.models import Household
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ThemeFactory,
    UserFactory,
    bulk_interventions,
    count_in_summaries,
)
from tests.partners.factories import OrganisationFactory, ReferralFactory, TenantCommitteeFactory

TODAY = timezone.localdate
DASHBOARD_URL = reverse("dashboard")
SETTINGS_URL = reverse("dashboard_settings")
MY_MONTH_URL = reverse("my_month")
NOT_REACHED_URL = reverse("not_reached")
MARCH = {"kind": "month", "day": "2026-03-15"}


def log(*, site, day, level=Level.INDIVIDUAL, minutes=60, **values):
    return InterventionFactory(
        site=site,
        date=day,
        level=level,
        duration_minutes=minutes,
        **{"count_6_12": 0, "count_13_17": 0, **values},
    )


def name(intervention, *residents):
    for resident in residents:
        Participation.objects.create(intervention=intervention, resident=resident)
    count_in_summaries([intervention])
    return intervention


def resident_of(site, **values):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site), **values)


def span(period):
    return period.start, period.end


@pytest.fixture
def march(site_ss, site_ag):
    """March 2026: an intervention on each site, one of the three households of Saint-Sulpice
    reached, one referral sent."""
    theme = ThemeFactory(name="Logement")
    first = log(site=site_ss, day=date(2026, 3, 2), minutes=60, themes=[theme])
    name(first, resident_of(site_ss))
    HouseholdFactory(site=site_ss)
    log(site=site_ag, day=date(2026, 3, 20), level=Level.GROUP, minutes=30)
    referral = ReferralFactory(
        resident=resident_of(site_ss),
        organisation=OrganisationFactory(name="Organisme A"),
        consented=True,
        status=Status.SENT,
    )
    Referral.objects.filter(pk=referral.pk).update(
        created_at=datetime(2026, 3, 5, 10, 0, tzinfo=timezone.get_default_timezone())
    )


class TestDashboard:
    def test_the_direction_gets_the_full_dashboard(self, client_as, direction, march):
        response = client_as(direction).get(DASHBOARD_URL, MARCH)

        assert response.status_code == 200
        context = response.context
        assert context["every_figure"] is True
        assert span(context["period"]) == (date(2026, 3, 1), date(2026, 3, 31))
        assert context["site"] is None
        assert (context["activity"].total, context["activity"].total_hours) == (2, 1.5)
        assert [(row.site, row.reached, row.living) for row in context["reach"].sites] == [
            ("Saint-Sulpice", 1, 3)
        ]
        assert context["balance"].overall == {
            "individual": 66.7,
            "group": 33.3,
            "collective": 0.0,
        }
        assert context["themes"] == [("Logement", 1, 0)]
        assert (context["referrals"].created, context["referrals"].sent) == (1, 1)
        for chart in ("activity_chart", "reach_chart", "themes_chart", "ladder_chart"):
            assert chart in context
        html = response.content.decode()
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"') == 4
        assert 'id="activity-title"' in html
        assert 'id="referrals-title"' in html
        assert f'href="{SETTINGS_URL}"' in html

    def test_the_administrator_gets_the_full_dashboard_without_the_targets_link(
        self, client_as, admin_user, march
    ):
        response = client_as(admin_user).get(DASHBOARD_URL, MARCH)

        assert response.status_code == 200
        assert response.context["every_figure"] is True
        assert response.context["activity"].total == 2
        assert f'href="{SETTINGS_URL}"' not in response.content.decode()

    def test_coordination_gets_only_the_referral_figures(self, client_as, coordination, march):
        response = client_as(coordination).get(DASHBOARD_URL, MARCH)

        assert response.status_code == 200
        context = response.context
        assert context["every_figure"] is False
        for figures in ("activity", "reach", "balance", "participation", "themes", "workload"):
            assert figures not in context
        assert (context["referrals"].created, context["referrals"].sent) == (1, 1)
        html = response.content.decode()
        assert 'id="referrals-title"' in html
        assert 'id="activity-title"' not in html
        assert "<svg" not in html

    @pytest.mark.parametrize("persona", ["intervenant_ss", "intervenant_ag"])
    def test_intervenants_are_refused_the_dashboard(self, client_as, persona, request):
        response = client_as(request.getfixturevalue(persona)).get(DASHBOARD_URL)

        assert response.status_code == 403

    def test_one_site_keeps_every_figure_to_that_site(self, client_as, direction, site_ag, march):
        response = client_as(direction).get(DASHBOARD_URL, {**MARCH, "site": site_ag.pk})

        assert response.status_code == 200
        assert response.context["site"] == site_ag
        assert response.context["activity"].by_site == [("André-Grasset", 1, 0.5)]
        assert response.context["referrals"].created == 0

    def test_a_bad_period_shows_the_error_and_keeps_the_previous_valid_period(
        self, client_as, direction, march
    ):
        client = client_as(direction)
        client.get(DASHBOARD_URL, {"kind": "custom", "start": "2026-03-01", "end": "2026-03-31"})

        response = client.get(
            DASHBOARD_URL, {"kind": "custom", "start": "2026-03-31", "end": "2026-03-01"}
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == ["end"]
        assert escape(form.errors["end"][0]) in response.content.decode()
        assert span(response.context["period"]) == (date(2026, 3, 1), date(2026, 3, 31))
        assert response.context["activity"].total == 2

    def test_a_bad_period_without_a_previous_one_falls_back_on_the_current_month(
        self, client_as, direction
    ):
        response = client_as(direction).get(
            DASHBOARD_URL, {"kind": "custom", "start": "2026-03-31", "end": "2026-03-01"}
        )

        assert response.status_code == 200
        assert "end" in response.context["form"].errors
        month = response.context["period"]
        assert (month.kind, month.start) == ("month", TODAY().replace(day=1))

    def test_a_period_with_no_data_renders_zeros(self, client_as, direction, march):
        response = client_as(direction).get(DASHBOARD_URL, {"kind": "month", "day": "2020-01-15"})

        assert response.status_code == 200
        context = response.context
        activity = context["activity"]
        assert (activity.total, activity.total_hours) == (0, 0.0)
        assert activity.count_by_level == {"individual": 0, "group": 0, "collective": 0}
        assert activity.by_type == activity.by_site == []
        # The households of 2026 had already moved in by 2020 (2019-07-01), none reached.
        assert [(r.site, r.reached, r.living) for r in context["reach"].sites] == [
            ("Saint-Sulpice", 0, 3)
        ]
        assert (context["reach"].new_households, context["reach"].known_households) == (0, 0)
        assert set(context["reach"].residents_by_age_group.values()) == {0}
        assert context["balance"].overall == {"individual": 0.0, "group": 0.0, "collective": 0.0}
        participation = context["participation"]
        assert (participation.sessions, participation.average_attendance) == (0, 0.0)
        assert (participation.returning, participation.in_collective_actions) == (0, 0)
        referrals = context["referrals"]
        assert (referrals.created, referrals.sent, referrals.accepted, referrals.completed) == (
            0,
            0,
            0,
            0,
        )
        assert referrals.by_partner == []
        assert referrals.median_days_to_acceptance is None
        assert context["themes"] == []
        assert context["workload"] == []
        html = response.content.decode()
        assert 'id="activity-title"' in html
        assert "<svg" in html  # the reach chart, drawn at zero

    def test_a_database_without_any_data_renders(self, client_as, direction):
        response = client_as(direction).get(DASHBOARD_URL)

        assert response.status_code == 200
        assert response.context["reach"].sites == []
        assert response.context["not_reached_count"] == 0


class TestMyMonth:
    def test_my_own_work_this_month_against_the_month_before(
        self, client_as, intervenant_ss, site_ss
    ):
        colleague = UserFactory(username="collegue.ss", sites=[site_ss])
        day = date(2026, 3, 10)
        log(site=site_ss, day=day, author=intervenant_ss, minutes=60)
        log(site=site_ss, day=day, author=intervenant_ss, level=Level.GROUP, minutes=30)
        log(
            site=site_ss,
            day=day,
            author=colleague,
            level=Level.COLLECTIVE,
            minutes=60,
            co_intervenants=[intervenant_ss],
        )
        log(site=site_ss, day=day, author=colleague, minutes=120)  # not mine
        log(site=site_ss, day=date(2026, 2, 27), author=intervenant_ss, minutes=90)

        response = client_as(intervenant_ss).get(MY_MONTH_URL, {"day": "2026-03-15"})

        assert response.status_code == 200
        context = response.context
        assert span(context["month"]) == (date(2026, 3, 1), date(2026, 3, 31))
        assert span(context["previous"]) == (date(2026, 2, 1), date(2026, 2, 28))
        assert (context["current"].total, context["current"].total_hours) == (3, 2.5)
        assert (context["before"].total, context["before"].total_hours) == (1, 1.5)
        assert [row[1:] for row in context["levels"]] == [
            (1, 1.0, 1.5),
            (1, 0.5, 0.0),
            (1, 1.0, 0.0),
        ]
        assert "<svg" in response.content.decode()

    def test_not_a_date_shows_the_current_month(self, client_as, intervenant_ss):
        response = client_as(intervenant_ss).get(MY_MONTH_URL, {"day": "pas une date"})

        assert response.status_code == 200
        assert response.context["month"].start == TODAY().replace(day=1)
        assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]

    @pytest.mark.parametrize("language", ["fr-ca", "en"])
    def test_a_plain_visit_and_the_previous_month_link_show_no_error(
        self, client_as, intervenant_ss, language
    ):
        client = client_as(intervenant_ss)
        client.cookies["django_language"] = language
        first = client.get(MY_MONTH_URL)
        previous = client.get(MY_MONTH_URL, {"day": first.context["previous"].start.isoformat()})
        empty = client.get(MY_MONTH_URL, {"day": ""})

        for response in (first, previous, empty):
            assert response.status_code == 200
            assert list(get_messages(response.wsgi_request)) == []
            assert "alert-danger" not in response.content.decode()
        assert previous.context["month"] == first.context["previous"]

    def test_counts_the_households_of_my_sites_not_reached(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        HouseholdFactory.create_batch(2, site=site_ss)
        HouseholdFactory(site=site_ag)

        response = client_as(intervenant_ss).get(MY_MONTH_URL)

        assert response.context["not_reached_count"] == 2
        assert response.context["not_reached_months"] == 6

    @pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "direction"])
    def test_every_role_has_a_month(self, client_as, persona, request):
        assert client_as(request.getfixturevalue(persona)).get(MY_MONTH_URL).status_code == 200


class TestNotReachedPage:
    def test_an_intervenant_sees_the_households_of_their_sites(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        today = TODAY()
        for label, days_ago in (("Ancien", 213), ("Récent", 30)):
            household = HouseholdFactory(site=site_ss, label=label)
            name(
                log(site=site_ss, day=today - timedelta(days=days_ago)),
                ConsentedResidentFactory(household=household),
            )
        HouseholdFactory(site=site_ss, label="Jamais")
        HouseholdFactory(
            site=site_ss,
            label="Parti",
            status=Household.Status.MOVED_OUT,
            moved_out_on=today - timedelta(days=300),
        )
        HouseholdFactory(site=site_ag, label="Ailleurs")

        response = client_as(intervenant_ss).get(NOT_REACHED_URL)

        assert response.status_code == 200
        assert response.context["months"] == 6
        assert [h.label for h in response.context["page_obj"].object_list] == ["Ancien", "Jamais"]
        html = response.content.decode()
        assert "Ailleurs" not in html
        assert "Parti" not in html

    def test_the_delay_comes_from_the_targets(self, client_as, intervenant_ss, site_ss):
        household = HouseholdFactory(site=site_ss, label="Ancien")
        name(
            log(site=site_ss, day=TODAY() - timedelta(days=213)),
            ConsentedResidentFactory(household=household),
        )
        DashboardSettings.objects.update_or_create(pk=1, defaults={"not_reached_months": 8})

        response = client_as(intervenant_ss).get(NOT_REACHED_URL)

        assert response.context["months"] == 8
        assert list(response.context["page_obj"].object_list) == []

    def test_fifty_households_a_page(self, client_as, intervenant_ss, site_ss):
        HouseholdFactory.create_batch(51, site=site_ss)
        client = client_as(intervenant_ss)

        assert len(client.get(NOT_REACHED_URL).context["page_obj"].object_list) == 50
        assert len(client.get(NOT_REACHED_URL, {"page": 2}).context["page_obj"].object_list) == 1


VALID_TARGETS = {
    "target_individual": "50",
    "target_group": "30",
    "target_collective": "20",
    "not_reached_months": "4",
}


def stored_targets():
    settings = DashboardSettings.current()
    return (
        settings.target_individual,
        settings.target_group,
        settings.target_collective,
        settings.not_reached_months,
    )


class TestDashboardSettings:
    def test_the_direction_opens_the_targets(self, client_as, direction):
        response = client_as(direction).get(SETTINGS_URL)

        assert response.status_code == 200
        assert response.context["form"].initial["target_individual"] == 40

    def test_the_direction_saves_shares_that_add_up_to_100(self, client_as, direction):
        response = client_as(direction).post(SETTINGS_URL, VALID_TARGETS)

        assert response.status_code == 302
        assert response["Location"] == DASHBOARD_URL
        assert stored_targets() == (50, 30, 20, 4)

    @pytest.mark.parametrize(
        "values",
        [
            {"target_collective": "30"},  # 110
            {"target_individual": "40", "target_collective": "20"},  # 90
            {"not_reached_months": "0"},
            {"not_reached_months": "37"},
            {"target_individual": "101", "target_group": "0", "target_collective": "0"},
            {"target_group": ""},
        ],
    )
    def test_bad_targets_are_refused_and_nothing_is_saved(self, client_as, direction, values):
        response = client_as(direction).post(SETTINGS_URL, {**VALID_TARGETS, **values})

        assert response.status_code == 400
        assert response.context["form"].errors
        assert stored_targets() == (40, 30, 30, 6)

    def test_shares_that_do_not_add_up_show_why(self, client_as, direction):
        response = client_as(direction).post(
            SETTINGS_URL, {**VALID_TARGETS, "target_collective": "30"}
        )

        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1
        assert "110" in errors[0]
        assert escape(errors[0]) in response.content.decode()

    @pytest.mark.parametrize("persona", ["intervenant_ss", "coordination", "admin_user"])
    def test_nobody_else_may_set_the_targets(self, client_as, persona, request):
        client = client_as(request.getfixturevalue(persona))

        assert client.get(SETTINGS_URL).status_code == 403
        assert client.post(SETTINGS_URL, VALID_TARGETS).status_code == 403
        assert stored_targets() == (40, 30, 30, 6)


def busy_sites(count, *, author, site):
    """`count` interventions of the last 60 days (half of them sessions of a group activity),
    with named residents, themes, a committee, referrals and follow-ups around them."""
    residents = [resident_of(site) for _ in range(3)]
    HouseholdFactory.create_batch(3, site=site)
    activity = GroupActivityFactory(site=site)
    bulk_interventions(count // 2, author=author, site=site, activity=activity, level=Level.GROUP)
    bulk_interventions(count - count // 2, author=author, site=site, level=Level.INDIVIDUAL)
    today = TODAY()
    for index in range(len(residents)):
        intervention = log(
            site=site,
            day=today - timedelta(days=index),
            author=author,
            activity=activity,
            level=Level.GROUP,
            follow_up_by=author,
            follow_up_due=today - timedelta(days=index - 1),
        )
        intervention.themes.add(ThemeFactory(name=f"Thème {index}"))
        name(intervention, *residents[: index + 1])  # counts it again, its theme too
    committee = TenantCommitteeFactory(committee_site=site)
    CommitteeMembership.objects.create(
        committee=committee, resident=residents[0], since=date(2025, 1, 1)
    )
    for status in (Status.DRAFT, Status.ACCEPTED, Status.COMPLETED):
        ReferralFactory(resident=residents[1], consented=True, status=status)


PAGES = {
    # page -> (url, who looks, budget). Budgets count the session, the user, the targets
    # (created on first use, in a savepoint) and the session saved with the period.
    # 33, the verified device, the collective issues panel (open issues, their count, the share
    # of collective work linked to one), the workload signals (their thresholds, created on
    # first use in a savepoint, the intervenants, their figures and their last supervision)
    # and the participation ladder's three queries.
    "dashboard": (DASHBOARD_URL, "direction", 47),
    "dashboard_coordination": (DASHBOARD_URL, "coordination", 10),
    # 13, and the person's workload signals (7, as on the dashboard).
    "my_month": (MY_MONTH_URL, "intervenant_ss", 20),
    "not_reached": (NOT_REACHED_URL, "intervenant_ss", 8),
}


def counted(page_name, context):
    """What the page counted, to be sure the data was there to count."""
    if page_name == "dashboard":
        return context["activity"].total
    if page_name == "dashboard_coordination":
        return context["referrals"].created
    if page_name == "my_month":
        return context["current"].total
    return len(context["page_obj"].object_list)


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_query_count_does_not_grow_with_interventions(
    client_as, intervenant_ss, site_ss, request, page_name, count, django_assert_max_num_queries
):
    busy_sites(count, author=intervenant_ss, site=site_ss)
    url, persona, budget = PAGES[page_name]
    client = client_as(request.getfixturevalue(persona))
    params = {"kind": "fiscal_year"} if url == DASHBOARD_URL else {}
    this_month = Intervention.objects.filter(date__gte=TODAY().replace(day=1)).count()

    with django_assert_max_num_queries(budget):
        response = client.get(url, params)

    assert response.status_code == 200
    assert (
        counted(page_name, response.context)
        == {
            "dashboard": count + 3,
            "dashboard_coordination": 3,
            "my_month": this_month,
            "not_reached": 3,
        }[page_name]
    )


def test_the_targets_page_has_a_fixed_query_count(
    client_as, direction, django_assert_max_num_queries
):
    client = client_as(direction)
    # session, user, the verified device, and the settings row (created, in a savepoint, on
    # its first reading)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("dashboard_settings")).status_code == 200
