"""The dashboards' figures (reports.selectors), computed on small hand-made data sets whose
every number is known."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from ema.periods import custom_period, fiscal_year_of, month_of
from interventions.models import InterventionType, Level, Participation
from partners.models import CommitteeMembership, Referral, ReferralEvent, Status
from partners.services import referral_set_status
from reports.selectors.activity import activity_figures
from reports.selectors.balance import balance_figures
from reports.selectors.participation import participation_figures
from reports.selectors.reach import SiteReach, households_not_reached, reach_figures
from reports.selectors.referrals import referral_figures
from reports.selectors.themes import top_themes
from reports.selectors.workload import Workload, workload_figures
from residents.models import Household
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    InterventionTypeFactory,
    ThemeFactory,
    UserFactory,
    count_in_summaries,
)
from tests.partners.factories import OrganisationFactory, ReferralFactory, TenantCommitteeFactory

TODAY = timezone.localdate
MARCH = month_of(date(2026, 3, 15))
ALL_LEVELS_ZERO = {Level.INDIVIDUAL: 0, Level.GROUP: 0, Level.COLLECTIVE: 0}


def log(*, site, day, level=Level.INDIVIDUAL, minutes=60, author=None, type_name=None, **values):
    """One intervention with no headcount unless asked: only what the test sets counts."""
    if type_name is not None:
        values["type"] = InterventionTypeFactory(name=type_name)
    if author is not None:
        values["author"] = author
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


def crisis_type(name="Intervention de crise"):
    """The seeded crisis type, flagged as such (interventions/migrations/0005)."""
    return InterventionTypeFactory(name=name, is_crisis=True)


def staff(username, first_name, last_name, *sites):
    return UserFactory(
        username=username, first_name=first_name, last_name=last_name, sites=list(sites)
    )


class TestActivity:
    def test_counts_and_hours_by_level_month_by_month_over_a_fiscal_year(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 3, 31), minutes=600)  # the previous fiscal year
        log(site=site_ss, day=date(2026, 4, 1), minutes=90)
        log(site=site_ss, day=date(2026, 4, 15), level=Level.GROUP, minutes=30)
        log(site=site_ss, day=date(2026, 5, 10), level=Level.COLLECTIVE, minutes=120)
        log(site=site_ss, day=date(2026, 5, 20), minutes=60)
        log(site=site_ss, day=date(2027, 4, 1), minutes=600)  # the next fiscal year

        year = fiscal_year_of(date(2026, 4, 1))
        activity = activity_figures(user=direction, period=year)

        assert activity.months[0] == date(2026, 4, 1)
        assert len(activity.months) == 12
        assert activity.count_by_level == {"individual": 2, "group": 1, "collective": 1}
        assert activity.hours_by_level == {"individual": 2.5, "group": 0.5, "collective": 2.0}
        assert activity.total == 4
        assert activity.total_hours == 5.0
        assert activity.hours_by_month_and_level == {
            "individual": [1.5, 1.0] + [0.0] * 10,
            "group": [0.5] + [0.0] * 11,
            "collective": [0.0, 2.0] + [0.0] * 10,
        }

    def test_march_31_and_april_1_fall_in_different_months_and_fiscal_years(
        self, direction, site_ss
    ):
        log(site=site_ss, day=date(2026, 3, 31), minutes=30)
        log(site=site_ss, day=date(2026, 4, 1), level=Level.GROUP, minutes=90)

        def figures(period):
            activity = activity_figures(user=direction, period=period)
            return activity.total, activity.count_by_level, activity.total_hours

        assert figures(month_of(date(2026, 3, 31))) == (
            1,
            {"individual": 1, "group": 0, "collective": 0},
            0.5,
        )
        assert figures(month_of(date(2026, 4, 1))) == (
            1,
            {"individual": 0, "group": 1, "collective": 0},
            1.5,
        )
        assert figures(fiscal_year_of(date(2026, 3, 31)))[0] == 1
        assert figures(fiscal_year_of(date(2026, 3, 31)))[2] == 0.5
        assert figures(fiscal_year_of(date(2026, 4, 1)))[0] == 1
        assert figures(fiscal_year_of(date(2026, 4, 1)))[2] == 1.5

    def test_by_type_most_frequent_first_and_by_site_in_name_order(
        self, direction, site_ss, site_ag
    ):
        for minutes in (30, 45, 45):
            log(site=site_ss, day=date(2026, 3, 2), minutes=minutes, type_name="Accueil et écoute")
        log(site=site_ag, day=date(2026, 3, 3), minutes=60, type_name="Accueil et écoute")
        log(site=site_ag, day=date(2026, 3, 4), minutes=90, type_name="Intervention de crise")

        activity = activity_figures(user=direction, period=MARCH)

        assert activity.by_type == [
            ("Accueil et écoute", 4, 3.0),
            ("Intervention de crise", 1, 1.5),
        ]
        assert activity.by_site == [("André-Grasset", 2, 2.5), ("Saint-Sulpice", 3, 2.0)]

    def test_one_site_only(self, direction, site_ss, site_ag):
        log(site=site_ss, day=date(2026, 3, 2), minutes=30)
        log(site=site_ag, day=date(2026, 3, 2), minutes=60)

        activity = activity_figures(user=direction, period=MARCH, site=site_ag)

        assert (activity.total, activity.total_hours) == (1, 1.0)
        assert activity.by_site == [("André-Grasset", 1, 1.0)]

    def test_an_intervenant_counts_only_the_interventions_of_their_sites(
        self, intervenant_ss, site_ss, site_ag
    ):
        log(site=site_ss, day=date(2026, 3, 2), minutes=30)
        log(site=site_ag, day=date(2026, 3, 2), minutes=60)

        activity = activity_figures(user=intervenant_ss, period=MARCH)

        assert activity.by_site == [("Saint-Sulpice", 1, 0.5)]

    def test_mine_counts_my_own_work_as_author_or_co_intervenant_once(
        self, intervenant_ss, site_ss
    ):
        colleague = staff("collegue.ss", "Chloé", "Gagnon", site_ss)
        third = staff("troisieme.ss", "Denis", "Roy", site_ss)
        day = date(2026, 3, 10)
        log(site=site_ss, day=day, author=intervenant_ss, minutes=60)
        # Mine, with two co-intervenants: still one intervention.
        log(
            site=site_ss,
            day=day,
            author=intervenant_ss,
            minutes=30,
            co_intervenants=[colleague, third],
        )
        log(
            site=site_ss,
            day=day,
            author=colleague,
            level=Level.GROUP,
            minutes=30,
            co_intervenants=[intervenant_ss],
        )
        log(
            site=site_ss,
            day=day,
            author=colleague,
            level=Level.COLLECTIVE,
            minutes=60,
            co_intervenants=[intervenant_ss, third],
        )
        log(site=site_ss, day=day, author=colleague, minutes=120, co_intervenants=[third])
        log(site=site_ss, day=date(2026, 2, 28), author=intervenant_ss, minutes=45)

        activity = activity_figures(user=intervenant_ss, period=MARCH, mine=True)

        assert activity.total == 4
        assert activity.count_by_level == {"individual": 2, "group": 1, "collective": 1}
        assert activity.hours_by_level == {"individual": 1.5, "group": 0.5, "collective": 1.0}
        assert activity.total_hours == 3.0
        assert activity.by_site == [("Saint-Sulpice", 4, 3.0)]
        everyone = activity_figures(user=intervenant_ss, period=MARCH)
        assert (everyone.total, everyone.total_hours) == (5, 5.0)

    def test_mine_counts_my_work_as_co_intervenant_on_another_site(self, intervenant_ag, site_ss):
        log(site=site_ss, day=date(2026, 3, 10), minutes=90, co_intervenants=[intervenant_ag])

        activity = activity_figures(user=intervenant_ag, period=MARCH, mine=True)

        assert (activity.total, activity.total_hours) == (1, 1.5)

    def test_mine_is_empty_for_someone_who_logged_nothing(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 3, 10))

        activity = activity_figures(user=direction, period=MARCH, mine=True)

        assert (activity.total, activity.total_hours) == (0, 0.0)
        assert activity.by_type == activity.by_site == []
        assert activity.hours_by_month_and_level == {
            "individual": [0.0],
            "group": [0.0],
            "collective": [0.0],
        }


class TestReach:
    def test_reached_over_living_households_per_site(self, direction, site_ss, site_ag):
        day = date(2026, 3, 10)
        reached = [HouseholdFactory(site=site_ss) for _ in range(3)]
        HouseholdFactory(site=site_ss)  # living there, not reached
        intervention = log(site=site_ss, day=day)
        for household in reached:
            name(intervention, ConsentedResidentFactory(household=household))
        # Two members of one household: one household reached.
        name(log(site=site_ss, day=day), ConsentedResidentFactory(household=reached[0]))
        # Named only before the period.
        name(
            log(site=site_ag, day=date(2026, 2, 27)),
            ConsentedResidentFactory(household=HouseholdFactory(site=site_ag)),
        )

        reach = reach_figures(user=direction, period=MARCH)

        assert reach.sites == [
            SiteReach("André-Grasset", reached=0, living=1),
            SiteReach("Saint-Sulpice", reached=3, living=4),
        ]
        assert [row.rate for row in reach.sites] == [0, 75]

    def test_living_means_on_the_site_at_some_point_of_the_period(self, direction, site_ss):
        moved_out = Household.Status.MOVED_OUT
        HouseholdFactory(site=site_ss, status=moved_out, moved_out_on=date(2026, 2, 28))
        HouseholdFactory(site=site_ss, moved_in_on=date(2026, 4, 1))
        HouseholdFactory(site=site_ss, status=moved_out, moved_out_on=date(2026, 3, 1))
        HouseholdFactory(site=site_ss, moved_in_on=date(2026, 3, 31))
        HouseholdFactory(site=site_ss, moved_in_on=None)

        reach = reach_figures(user=direction, period=MARCH)

        assert reach.sites == [SiteReach("Saint-Sulpice", reached=0, living=3)]
        assert reach.sites[0].rate == 0

    def test_a_site_without_households_living_there_has_no_rate(self):
        assert SiteReach("Saint-Sulpice", reached=0, living=0).rate is None

    def test_rate_is_rounded_to_a_whole_percent(self):
        assert SiteReach("Saint-Sulpice", reached=2, living=3).rate == 67

    def test_an_intervenant_sees_the_reach_of_their_sites_only(
        self, intervenant_ss, site_ss, site_ag
    ):
        for site in (site_ss, site_ag):
            name(log(site=site, day=date(2026, 3, 10)), resident_of(site))
            HouseholdFactory(site=site)

        reach = reach_figures(user=intervenant_ss, period=MARCH)

        assert reach.sites == [SiteReach("Saint-Sulpice", reached=1, living=2)]
        assert sum(reach.residents_by_age_group.values()) == 1

    def test_residents_reached_by_age_group_at_the_end_year_of_the_period(self, direction, site_ss):
        # Fiscal year 2025-2026: ages are counted in 2026, the year the period ends.
        year = fiscal_year_of(date(2025, 6, 1))
        intervention = log(site=site_ss, day=date(2025, 4, 2))
        later = log(site=site_ss, day=date(2026, 3, 31))
        born = [2021, 2020, 2014, 2013, 2009, 2008, 2001, 2000, 1962, 1961]
        residents = [resident_of(site_ss, date_of_birth=None, birth_year=y) for y in born]
        name(intervention, *residents)
        name(later, residents[0])  # named twice, counted once
        name(log(site=site_ss, day=date(2025, 3, 31)), resident_of(site_ss))  # before the period

        reach = reach_figures(user=direction, period=year)

        assert reach.residents_by_age_group == {
            "0-5": 1,  # 2021: 5 in 2026
            "6-12": 2,  # 2020: 6; 2014: 12
            "13-17": 2,  # 2013: 13; 2009: 17
            "18-25": 2,  # 2008: 18; 2001: 25
            "26-64": 2,  # 2000: 26; 1962: 64
            "65+": 1,  # 1961: 65
        }

    def test_new_households_were_first_named_inside_the_period_known_ones_before(
        self, direction, site_ss
    ):
        new, known, new_again, only_before = (HouseholdFactory(site=site_ss) for _ in range(4))
        name(log(site=site_ss, day=date(2026, 3, 1)), ConsentedResidentFactory(household=new))
        known_member = ConsentedResidentFactory(household=known)
        name(log(site=site_ss, day=date(2025, 12, 1)), known_member)
        name(log(site=site_ss, day=date(2026, 3, 10)), known_member)
        new_member = ConsentedResidentFactory(household=new_again)
        name(log(site=site_ss, day=date(2026, 3, 31)), new_member)
        name(log(site=site_ss, day=date(2026, 4, 10)), new_member)  # after: no matter
        name(
            log(site=site_ss, day=date(2026, 2, 28)),
            ConsentedResidentFactory(household=only_before),
        )

        reach = reach_figures(user=direction, period=MARCH)

        assert (reach.new_households, reach.known_households) == (2, 1)
        assert reach.sites == [SiteReach("Saint-Sulpice", reached=3, living=4)]


class TestNotReached:
    @pytest.fixture
    def households(self, site_ss, site_ag):
        today = TODAY()
        seven_months_ago = today - timedelta(days=213)
        households = {}
        for label, named_on in (
            ("Ancien", seven_months_ago),
            ("Récent", today - timedelta(days=30)),
            ("Jamais", None),
        ):
            households[label] = HouseholdFactory(site=site_ss, label=label)
            if named_on:
                name(
                    log(site=site_ss, day=named_on),
                    ConsentedResidentFactory(household=households[label]),
                )
        households["Parti"] = HouseholdFactory(
            site=site_ss,
            label="Parti",
            status=Household.Status.MOVED_OUT,
            moved_out_on=today - timedelta(days=300),
        )
        households["Ailleurs"] = HouseholdFactory(site=site_ag, label="Ailleurs")
        return households

    def test_named_seven_months_ago_is_not_reached_named_last_month_is(
        self, households, intervenant_ss
    ):
        rows = list(households_not_reached(user=intervenant_ss, months=6))

        assert [row.label for row in rows] == ["Ancien", "Jamais"]
        assert rows[0].last_seen == TODAY() - timedelta(days=213)
        assert rows[1].last_seen is None

    def test_the_delay_runs_from_the_first_day_of_the_month_it_began_in(
        self, site_ss, intervenant_ss
    ):
        # Six months back from today falls in some month: named on its first day or later is
        # reached, named the day before is not.
        first_day = (TODAY() - timedelta(days=round(6 * 30.44))).replace(day=1)
        for label, named_on in (
            ("La veille", first_day - timedelta(days=1)),
            ("Le premier du mois", first_day),
        ):
            household = HouseholdFactory(site=site_ss, label=label)
            name(log(site=site_ss, day=named_on), ConsentedResidentFactory(household=household))

        rows = households_not_reached(user=intervenant_ss, months=6)

        assert [row.label for row in rows] == ["La veille"]

    def test_a_longer_delay_counts_the_household_named_seven_months_ago_as_reached(
        self, households, intervenant_ss
    ):
        rows = households_not_reached(user=intervenant_ss, months=8)

        assert [row.label for row in rows] == ["Jamais"]

    def test_the_direction_sees_every_site_and_can_keep_to_one(
        self, households, direction, site_ag
    ):
        everywhere = households_not_reached(user=direction, months=6)
        one_site = households_not_reached(user=direction, months=6, site=site_ag)

        assert [(row.site.name, row.label) for row in everywhere] == [
            ("André-Grasset", "Ailleurs"),
            ("Saint-Sulpice", "Ancien"),
            ("Saint-Sulpice", "Jamais"),
        ]
        assert [row.label for row in one_site] == ["Ailleurs"]


class TestBalance:
    def test_shares_of_minutes_60_30_10(self, direction, site_ss):
        day = date(2026, 3, 10)
        log(site=site_ss, day=day, minutes=60)
        log(site=site_ss, day=day, level=Level.GROUP, minutes=30)
        log(site=site_ss, day=day, level=Level.COLLECTIVE, minutes=10)

        balance = balance_figures(user=direction, period=MARCH)

        assert balance.overall == {"individual": 60.0, "group": 30.0, "collective": 10.0}

    def test_shares_overall_per_site_and_per_intervenant(self, direction, site_ss, site_ag):
        alice = staff("alice", "Alice", "Tremblay", site_ss)
        bruno = staff("bruno", "Bruno", "Côté", site_ss, site_ag)
        day = date(2026, 3, 10)
        log(site=site_ss, day=day, author=alice, minutes=60)
        log(site=site_ss, day=day, author=alice, level=Level.GROUP, minutes=20)
        log(site=site_ss, day=day, author=alice, level=Level.GROUP, minutes=40)
        log(site=site_ss, day=day, author=bruno, level=Level.COLLECTIVE, minutes=20)
        log(site=site_ag, day=day, author=bruno, minutes=60)
        log(site=site_ag, day=date(2026, 4, 1), author=bruno, level=Level.GROUP, minutes=600)

        balance = balance_figures(user=direction, period=MARCH)

        assert balance.overall == {"individual": 60.0, "group": 30.0, "collective": 10.0}
        assert balance.by_site == [
            ("André-Grasset", {"individual": 100.0, "group": 0.0, "collective": 0.0}),
            ("Saint-Sulpice", {"individual": 42.9, "group": 42.9, "collective": 14.3}),
        ]
        assert balance.by_intervenant == [
            ("Alice Tremblay", {"individual": 50.0, "group": 50.0, "collective": 0.0}),
            ("Bruno Côté", {"individual": 75.0, "group": 0.0, "collective": 25.0}),
        ]
        one_site = balance_figures(user=direction, period=MARCH, site=site_ag)
        assert one_site.overall == {"individual": 100.0, "group": 0.0, "collective": 0.0}
        assert one_site.by_intervenant == [
            ("Bruno Côté", {"individual": 100.0, "group": 0.0, "collective": 0.0})
        ]

    def test_an_empty_period_gives_zero_shares(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 4, 1))

        balance = balance_figures(user=direction, period=MARCH)

        assert balance.overall == {"individual": 0.0, "group": 0.0, "collective": 0.0}
        assert balance.by_site == balance.by_intervenant == []


class TestParticipation:
    def test_sessions_attendance_and_returning_residents(self, direction, site_ss):
        activity = GroupActivityFactory(site=site_ss)
        first, second, third = (resident_of(site_ss) for _ in range(3))

        def session(day, **counts):
            return log(
                site=site_ss, day=day, level=Level.GROUP, minutes=90, activity=activity, **counts
            )

        name(session(date(2026, 3, 3), count_6_12=3), first, second)
        name(session(date(2026, 3, 10), count_26_64=1), first)
        name(session(date(2026, 3, 17)))  # nobody named, nobody counted
        name(session(date(2026, 2, 24), count_6_12=9), second, third)  # before the period
        # Not a session: no activity.
        name(log(site=site_ss, day=date(2026, 3, 12), count_6_12=5), second, third)

        figures = participation_figures(user=direction, period=MARCH)

        assert figures.sessions == 3
        assert figures.average_attendance == round((3 + 3 + 1) / 3, 1) == 2.3
        assert figures.returning == 1
        assert figures.in_collective_actions == 0

    def test_average_attendance_of_two_sessions(self, direction, site_ss):
        activity = GroupActivityFactory(site=site_ss)
        residents = [resident_of(site_ss) for _ in range(3)]
        day = date(2026, 3, 3)
        name(log(site=site_ss, day=day, activity=activity, count_6_12=3), *residents[:2])
        name(log(site=site_ss, day=day, activity=activity, count_26_64=1), residents[2])

        figures = participation_figures(user=direction, period=MARCH)

        assert (figures.sessions, figures.average_attendance, figures.returning) == (2, 3.5, 0)

    def test_no_session_gives_zero_attendance(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 3, 3), count_6_12=4)

        figures = participation_figures(user=direction, period=MARCH)

        assert (figures.sessions, figures.average_attendance, figures.returning) == (0, 0.0, 0)

    def test_committee_members_active_during_the_period(self, direction, site_ss, site_ag):
        committee = TenantCommitteeFactory(name="Comité Saint-Sulpice", committee_site=site_ss)
        other = TenantCommitteeFactory(name="Comité André-Grasset", committee_site=site_ag)
        spans = [
            (date(2025, 1, 1), None),  # in
            (date(2025, 1, 1), date(2026, 2, 28)),  # left before
            (date(2026, 4, 1), None),  # joined after
            (date(2026, 3, 31), None),  # in: joined on the last day
            (date(2025, 1, 1), date(2026, 3, 1)),  # in: left on the first day
        ]
        for since, until in spans:
            CommitteeMembership.objects.create(
                committee=committee, resident=resident_of(site_ss), since=since, until=until
            )
        # In two committees, joined on different days: one resident.
        twice = resident_of(site_ag)
        for organisation, since in ((committee, date(2025, 5, 1)), (other, date(2025, 9, 1))):
            CommitteeMembership.objects.create(committee=organisation, resident=twice, since=since)

        assert participation_figures(user=direction, period=MARCH).in_committees == 4
        on_ss = participation_figures(user=direction, period=MARCH, site=site_ss)
        assert on_ss.in_committees == 4
        on_ag = participation_figures(user=direction, period=MARCH, site=site_ag)
        assert on_ag.in_committees == 1

    def test_residents_named_in_collective_actions(self, direction, site_ss):
        first, second, third, fourth = (resident_of(site_ss) for _ in range(4))
        name(log(site=site_ss, day=date(2026, 3, 5), level=Level.COLLECTIVE), first, second)
        name(log(site=site_ss, day=date(2026, 3, 19), level=Level.COLLECTIVE), first)
        name(log(site=site_ss, day=date(2026, 2, 19), level=Level.COLLECTIVE), third)
        name(log(site=site_ss, day=date(2026, 3, 19), level=Level.GROUP), fourth)

        figures = participation_figures(user=direction, period=MARCH)

        assert figures.in_collective_actions == 2


def montreal(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_default_timezone())


class TestReferralFigures:
    @staticmethod
    def referral(status, *, organisation, site, created_at):
        referral = ReferralFactory(
            resident=resident_of(site), organisation=organisation, consented=True, status=status
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=created_at)
        return referral

    def test_funnel_by_furthest_step_and_by_partner(self, direction, site_ss):
        first, second, third = (OrganisationFactory(name=f"Organisme {letter}") for letter in "ABC")
        in_march = montreal(2026, 3, 10, 9, 0)
        for organisation, status in (
            (first, Status.DRAFT),
            (first, Status.SENT),
            (first, Status.REFUSED),
            (first, Status.COMPLETED),
            (second, Status.ACCEPTED),
            (second, Status.IN_PROGRESS),
            (third, Status.CANCELLED),
        ):
            self.referral(status, organisation=organisation, site=site_ss, created_at=in_march)
        self.referral(
            Status.COMPLETED,
            organisation=third,
            site=site_ss,
            created_at=montreal(2026, 4, 2, 9, 0),
        )

        figures = referral_figures(user=direction, period=MARCH)

        assert (figures.created, figures.sent, figures.accepted, figures.completed) == (
            7,
            5,
            3,
            1,
        )
        assert figures.by_partner == [
            ("Organisme A", 4, 1),
            ("Organisme B", 2, 0),
            ("Organisme C", 1, 0),
        ]

    def test_a_referral_walked_with_the_service_counts_at_every_step_it_reached(
        self, direction, site_ss
    ):
        referral = self.referral(
            Status.DRAFT,
            organisation=OrganisationFactory(name="Organisme A"),
            site=site_ss,
            created_at=montreal(2026, 3, 10, 9, 0),
        )
        for status in (Status.SENT, Status.ACCEPTED):
            referral = referral_set_status(referral=referral, status=status, by=direction)
        referral_set_status(
            referral=referral, status=Status.NO_FOLLOW_UP, by=direction, note="Plus de nouvelles."
        )

        figures = referral_figures(user=direction, period=MARCH)

        assert (figures.created, figures.sent, figures.accepted, figures.completed) == (
            1,
            1,
            1,
            0,
        )
        assert figures.by_partner == [("Organisme A", 1, 0)]

    def test_created_at_is_read_on_montreal_days(self, direction, site_ss):
        partner = OrganisationFactory(name="Organisme A")
        # 02:00 UTC on April 1 is 22:00 on March 31 in Montréal (EDT, UTC-4).
        late_march = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
        # 04:30 UTC on March 1 is 23:30 on February 28 (EST, UTC-5).
        late_february = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)
        early_march = datetime(2026, 3, 1, 5, 30, tzinfo=UTC)
        for created_at in (late_march, late_february, early_march):
            self.referral(Status.DRAFT, organisation=partner, site=site_ss, created_at=created_at)

        def created(day):
            return referral_figures(user=direction, period=month_of(day)).created

        assert created(date(2026, 3, 1)) == 2
        assert created(date(2026, 4, 1)) == 0
        assert created(date(2026, 2, 1)) == 1
        one_day = custom_period(date(2026, 3, 31), date(2026, 3, 31))
        assert referral_figures(user=direction, period=one_day).created == 1

    def test_median_days_from_sending_to_acceptance(self, direction, site_ss):
        partner = OrganisationFactory(name="Organisme A")
        delays = [
            (montreal(2026, 3, 2, 9, 0), montreal(2026, 3, 4, 9, 0)),  # 2 days
            (montreal(2026, 3, 5, 9, 0), montreal(2026, 3, 10, 21, 0)),  # 5.5 days
            (montreal(2026, 3, 6, 9, 0), montreal(2026, 3, 16, 9, 0)),  # 10 days
        ]
        for sent, accepted in delays:
            referral = self.referral(
                Status.ACCEPTED,
                organisation=partner,
                site=site_ss,
                created_at=montreal(2026, 3, 1, 9, 0),
            )
            referral.events.filter(new_status=Status.SENT).update(at=sent)
            referral.events.filter(new_status=Status.ACCEPTED).update(at=accepted)
        # Sent, never accepted: no delay to count.
        self.referral(
            Status.SENT, organisation=partner, site=site_ss, created_at=montreal(2026, 3, 1, 9)
        )

        figures = referral_figures(user=direction, period=MARCH)

        assert figures.median_days_to_acceptance == 5.5
        assert ReferralEvent.objects.filter(new_status=Status.ACCEPTED).count() == 3

    def test_median_of_two_delays_is_their_mean(self, direction, site_ss):
        partner = OrganisationFactory(name="Organisme A")
        for days in (1, 4):
            referral = self.referral(
                Status.ACCEPTED,
                organisation=partner,
                site=site_ss,
                created_at=montreal(2026, 3, 1, 9, 0),
            )
            referral.events.filter(new_status=Status.SENT).update(at=montreal(2026, 3, 2, 9))
            referral.events.filter(new_status=Status.ACCEPTED).update(
                at=montreal(2026, 3, 2 + days, 9)
            )

        figures = referral_figures(user=direction, period=MARCH)

        assert figures.median_days_to_acceptance == 2.5

    def test_no_acceptance_gives_no_median(self, direction, site_ss):
        self.referral(
            Status.SENT,
            organisation=OrganisationFactory(name="Organisme A"),
            site=site_ss,
            created_at=montreal(2026, 3, 1, 9),
        )

        assert referral_figures(user=direction, period=MARCH).median_days_to_acceptance is None

    def test_overdue_today_whatever_the_period_within_the_visible_sites(
        self, direction, intervenant_ss, site_ss, site_ag
    ):
        partner = OrganisationFactory(name="Organisme A")
        today = TODAY()
        long_ago = montreal(2025, 1, 10, 9, 0)

        def referral(status, site, due_on):
            referral = self.referral(status, organisation=partner, site=site, created_at=long_ago)
            Referral.objects.filter(pk=referral.pk).update(due_on=due_on)

        referral(Status.SENT, site_ss, today - timedelta(days=1))  # overdue
        referral(Status.ACCEPTED, site_ss, today)  # due today: not yet overdue
        referral(Status.COMPLETED, site_ss, today - timedelta(days=5))  # closed
        referral(Status.DRAFT, site_ag, today - timedelta(days=10))  # overdue

        assert referral_figures(user=direction, period=MARCH).overdue == 2
        assert referral_figures(user=intervenant_ss, period=MARCH).overdue == 1
        on_ag = referral_figures(user=direction, period=MARCH, site=site_ag)
        assert on_ag.overdue == 1

    def test_an_intervenant_counts_the_referrals_of_their_sites_only(
        self, intervenant_ss, site_ss, site_ag
    ):
        partner = OrganisationFactory(name="Organisme A")
        in_march = montreal(2026, 3, 10, 9, 0)
        self.referral(Status.SENT, organisation=partner, site=site_ss, created_at=in_march)
        self.referral(Status.SENT, organisation=partner, site=site_ag, created_at=in_march)

        figures = referral_figures(user=intervenant_ss, period=MARCH)

        assert (figures.created, figures.sent) == (1, 1)
        assert figures.by_partner == [("Organisme A", 1, 0)]


class TestThemes:
    def test_top_themes_with_the_previous_period(self, direction, site_ss):
        housing, food, leisure, work = (
            ThemeFactory(name=theme) for theme in ("Logement", "Alimentation", "Loisirs", "Emploi")
        )
        in_march, in_february = date(2026, 3, 10), date(2026, 2, 10)
        for day, themes in (
            (in_march, [housing, food]),
            (in_march, [housing, leisure]),
            (in_march, [housing]),
            (in_march, [food, leisure]),
            (in_march, []),
            (in_february, [housing, leisure]),
            (in_february, [leisure, work]),
            (in_february, [leisure, work]),
            (in_february, [leisure]),
            (date(2026, 1, 31), [food]),  # two periods back
        ):
            log(site=site_ss, day=day, themes=themes)

        assert top_themes(user=direction, period=MARCH) == [
            ("Logement", 3, 1),
            ("Alimentation", 2, 0),
            ("Loisirs", 2, 4),
        ]
        assert top_themes(user=direction, period=MARCH, limit=1) == [("Logement", 3, 1)]

    def test_a_period_without_themes_has_none(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 3, 10))

        assert top_themes(user=direction, period=MARCH) == []


class TestWorkload:
    def test_hours_crisis_hours_and_follow_ups_per_intervenant(self, direction, site_ss):
        alice = staff("alice", "Alice", "Tremblay", site_ss)
        bruno = staff("bruno", "Bruno", "Côté", site_ss)
        today = TODAY()
        day = date(2026, 3, 10)
        log(site=site_ss, day=day, author=alice, minutes=90, type_name="Accueil et écoute")
        log(site=site_ss, day=day, author=alice, minutes=60, type=crisis_type())
        log(site=site_ss, day=day, author=bruno, minutes=30, type_name="Accueil et écoute")
        log(site=site_ss, day=date(2026, 4, 1), author=bruno, minutes=600)  # after the period
        # Follow-ups are counted today, whatever the day of their intervention.
        for due, done in (
            (today + timedelta(days=3), None),  # open
            (today - timedelta(days=2), None),  # open and overdue
            (today, None),  # open, due today
            (today - timedelta(days=9), today - timedelta(days=8)),  # done
        ):
            log(
                site=site_ss,
                day=date(2025, 12, 1),
                author=bruno,
                follow_up_by=alice,
                follow_up_due=due,
                follow_up_done_on=done,
            )

        rows = workload_figures(user=direction, period=MARCH)

        assert rows == [
            Workload("Alice Tremblay", 2.5, 1.0, 3, 1),
            Workload("Bruno Côté", 0.5, 0.0, 0, 0),
        ]

    def test_a_renamed_crisis_type_keeps_its_hours_counted_as_crisis_hours(
        self, direction, site_ss
    ):
        crisis = InterventionType.objects.get(name="Intervention de crise")
        crisis.name = "Crise et urgence"
        crisis.save(update_fields=["name"])
        alice = staff("alice", "Alice", "Tremblay", site_ss)
        log(site=site_ss, day=date(2026, 3, 10), author=alice, minutes=90, type=crisis)
        # A type that only bears the old name is not a crisis type.
        log(
            site=site_ss,
            day=date(2026, 3, 11),
            author=alice,
            minutes=30,
            type_name="Intervention de crise",
        )

        rows = workload_figures(user=direction, period=MARCH)

        assert rows == [Workload("Alice Tremblay", 2.0, 1.5, 0, 0)]

    def test_nobody_worked_in_an_empty_period(self, direction, site_ss):
        log(site=site_ss, day=date(2026, 4, 1))

        assert workload_figures(user=direction, period=MARCH) == []

    def test_one_site_counts_the_follow_ups_of_that_site_only(self, direction, site_ss, site_ag):
        alice = staff("alice", "Alice", "Tremblay", site_ss, site_ag)
        today = TODAY()
        log(site=site_ss, day=date(2026, 3, 10), author=alice, minutes=60)
        for site in (site_ss, site_ag):
            log(
                site=site,
                day=date(2026, 3, 10),
                author=alice,
                follow_up_by=alice,
                follow_up_due=today - timedelta(days=1),
            )

        rows = workload_figures(user=direction, period=MARCH, site=site_ss)

        assert rows == [Workload("Alice Tremblay", 2.0, 0.0, 1, 1)]
