"""The demo activity: a plausible year of work, lawful to name, deterministic, safe to rerun."""

from collections import Counter
from datetime import time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS
from demo.activity import seed_activity
from demo.catalogues.activity import ACTIVITIES
from demo.households import seed_demo
from ema.accounts.models import Role, User
from interventions.models import GroupActivity, Intervention, Level, Participation
from interventions.selectors import activity_stats
from residents.models import Consent, Resident

pytestmark = pytest.mark.django_db

SHORT = 120  # days: enough for group sessions, follow-ups falling due and people drifting away
INDIVIDUAL_PLACES = {"Domicile", "Bureau", "Téléphone / texto", "École", "Chez un partenaire"}


@pytest.fixture
def months(db):
    """The demo residents and the last SHORT days of work: a third of a year, quicker to build."""
    seed_demo()
    return seed_activity(days=SHORT)


def snapshot() -> list[tuple]:
    """Everything the demo activity wrote, without primary keys or timestamps."""
    interventions = Intervention.objects.values_list(
        "site__name", "date", "start_time", "type__name", "level", "place__name",
        "duration_minutes", "author__username", "activity__name", "summary", "restricted_note",
        "follow_up_due", "follow_up_done_on", "count_0_5", "count_6_12", "count_13_17",
        "count_18_25", "count_26_64", "count_65_plus",
    )  # fmt: skip
    key = ("intervention__site__name", "intervention__date", "intervention__start_time")
    themes = Intervention.themes.through.objects.values_list(*key, "theme__name")
    co = Intervention.co_intervenants.through.objects.values_list(*key, "user__username")
    named = Participation.objects.values_list(
        *key, "resident__first_name", "resident__last_name", "role"
    )
    activities = GroupActivity.objects.values_list(
        "site__name", "name", "season", "schedule", "registered__first_name"
    )
    rows = [interventions, themes, co, named, activities]
    return [sorted(query, key=repr) for query in rows]


def test_the_command_logs_about_twenty_thousand_interventions_over_the_last_year(db):
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "interventions" in out.getvalue()
    today = timezone.localdate()
    interventions = Intervention.objects.all()
    assert 18_000 <= interventions.count() <= 22_000
    assert not interventions.filter(date__gte=today).exists()
    assert not interventions.filter(date__lt=today - timedelta(days=365)).exists()
    by_type = Counter(interventions.values_list("type__name", flat=True))
    top, count = by_type.most_common(1)[0]
    assert top == "Présence informelle"
    assert 0.30 <= count / interventions.count() <= 0.42
    assert set(interventions.values_list("level", flat=True)) == set(Level.values)
    for account in DEMO_ACCOUNTS:
        if account.role == Role.INTERVENANT:
            authored = interventions.filter(author__username=account.username)
            assert set(authored.values_list("site__name", flat=True)) == {account.site}
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "no activity added" in out.getvalue()
    assert Intervention.objects.count() == interventions.count()


def test_work_falls_on_working_days_at_plausible_hours_and_lengths(months):
    interventions = Intervention.objects.all()
    weekends = interventions.filter(date__week_day__in=(1, 7)).count()
    assert 0 < weekends < 0.03 * interventions.count()
    for start, minutes in interventions.values_list("start_time", "duration_minutes"):
        assert time(9) <= start <= time(20)
        assert 15 <= minutes <= 180
        assert minutes % 5 == 0
    evenings = interventions.filter(start_time__gte=time(17)).count()
    assert 0.05 < evenings / interventions.count() < 0.3


def test_informal_presence_counts_heads_by_age_without_names(months):
    presence = Intervention.objects.filter(type__name="Présence informelle")
    assert set(presence.values_list("level", flat=True)) == {Level.COLLECTIVE}
    assert set(presence.values_list("place__name", flat=True)) == {
        "Cour et espaces extérieurs",
        "Local communautaire",
    }
    assert not Participation.objects.filter(intervention__in=presence).exists()
    assert not presence.with_headcount().filter(headcount=0).exists()
    totals = presence.aggregate(
        *(Sum(f) for f in ("count_0_5", "count_6_12", "count_13_17", "count_26_64"))
    )
    assert min(totals["count_6_12__sum"], totals["count_13_17__sum"]) > max(
        totals["count_0_5__sum"], totals["count_26_64__sum"]
    )


def test_individual_work_names_one_resident_with_one_to_three_themes(months):
    individual = Intervention.objects.filter(level=Level.INDIVIDUAL).annotate(
        named=Count("participations", distinct=True), theme_count=Count("themes", distinct=True)
    )
    assert individual.count() > 1000
    assert set(individual.values_list("named", flat=True)) == {1}
    assert set(individual.values_list("theme_count", flat=True)) == {1, 2, 3}
    assert set(individual.values_list("place__name", flat=True)) == INDIVIDUAL_PLACES
    assert set(individual.values_list("type__name", flat=True)) == {
        "Accueil et écoute", "Accompagnement", "Soutien individuel", "Intervention de crise"
    }  # fmt: skip


def test_every_named_resident_had_a_file_consent_in_force_that_day(months):
    windows: dict[int, list] = {}
    for resident, given, withdrawn in Consent.objects.filter(
        purpose=Consent.Purpose.KEEP_FILE
    ).values_list("resident_id", "given_on", "withdrawn_on"):
        windows.setdefault(resident, []).append((given, withdrawn))
    named = Participation.objects.values_list(
        "resident_id", "intervention__date", "resident__household__moved_out_on"
    )
    assert named.count() > 1000
    for resident, day, moved_out in named:
        assert any(g <= day and (w is None or w > day) for g, w in windows[resident])
        assert moved_out is None or day <= moved_out


def test_collective_actions_name_organisers_volunteers_and_count_heads(months):
    committee = Intervention.objects.filter(type__name="Comité de locataires / mobilisation")
    assert set(committee.values_list("level", flat=True)) == {Level.COLLECTIVE}
    assert not committee.with_headcount().filter(headcount=0).exists()
    roles = Counter(
        Participation.objects.filter(
            intervention__type__name__in=("Comité de locataires / mobilisation",
                                          "Événement communautaire", "Concertation")
        ).values_list("role", flat=True)
    )  # fmt: skip
    assert set(roles) == set(Participation.Role.values)
    organised = committee.filter(participations__role=Participation.Role.ORGANISER).distinct()
    assert organised.count() > 0.9 * committee.count()


def test_group_activities_meet_weekly_with_their_registered_residents(months):
    specs = {spec.name: spec for spec in ACTIVITIES}
    activities = GroupActivity.objects.prefetch_related("registered").with_counts()
    per_site = Counter(activities.values_list("site__name", flat=True))
    assert set(per_site.values()) <= {2, 3}
    registered_share, walk_ins, stopped = [], 0, 0
    for activity in activities:
        spec = specs[activity.name]
        sessions = list(activity.sessions.order_by("date"))
        assert activity.season and activity.schedule
        assert 8 <= activity.registered_count <= 20
        assert len(sessions) >= 4
        low, high = spec.ages
        assert all(low <= r.age_on(sessions[0].date) <= high for r in activity.registered.all())
        registered = {r.pk for r in activity.registered.all()}
        for session in sessions:
            assert session.level == Level.GROUP
            assert (session.type_id, session.place_id) == (activity.type_id, activity.place_id)
            assert (session.date - sessions[0].date).days % 7 == 0
            named = set(session.participations.values_list("resident_id", flat=True))
            registered_share.append(len(named & registered) / len(registered))
            walk_ins += len(named - registered)
            for resident in Resident.objects.filter(pk__in=named - registered):
                assert low <= resident.age_on(session.date) <= high
        stopped += len(activity_stats(activity=activity).stopped_coming)
    assert 0.55 <= sum(registered_share) / len(registered_share) <= 0.85
    assert walk_ins > 0
    assert stopped > 0


def test_follow_ups_are_due_within_three_weeks_and_a_few_are_open_or_overdue(months):
    today = timezone.localdate()
    individual = Intervention.objects.filter(level=Level.INDIVIDUAL)
    follow_ups = individual.filter(follow_up_due__isnull=False)
    assert 0.05 <= follow_ups.count() / individual.count() <= 0.11
    assert (
        not Intervention.objects.exclude(level=Level.INDIVIDUAL)
        .filter(follow_up_due__isnull=False)
        .exists()
    )
    for day, due, done, author, by in follow_ups.values_list(
        "date", "follow_up_due", "follow_up_done_on", "author", "follow_up_by"
    ):
        assert 1 <= (due - day).days <= 21
        assert by == author
        assert done is None or day < done <= today
    open_ = follow_ups.filter(follow_up_done_on__isnull=True)
    overdue = open_.filter(follow_up_due__lt=today)
    assert overdue.exists()
    assert open_.filter(follow_up_due__gte=today).exists()
    past = follow_ups.filter(follow_up_due__lt=today - timedelta(days=14))
    assert overdue.count() < 0.15 * past.count()


def test_some_work_is_shared_with_colleagues_and_some_notes_are_restricted(months):
    interventions = Intervention.objects.all()
    shared = interventions.filter(co_intervenants__isnull=False).distinct().count()
    assert 0.06 <= shared / interventions.count() <= 0.14
    assert not interventions.filter(co_intervenants=F("author")).exists()
    roles = set(
        User.objects.filter(interventions_joined__isnull=False).values_list("role", flat=True)
    )
    assert roles == {Role.INTERVENANT, Role.COORDINATION, Role.DIRECTION}
    restricted = interventions.exclude(restricted_note="")
    assert set(restricted.values_list("level", flat=True)) == {Level.INDIVIDUAL}
    share = restricted.count() / interventions.filter(level=Level.INDIVIDUAL).count()
    assert 0.01 <= share <= 0.06


def test_demo_rows_pass_model_validation(months):
    for intervention in Intervention.objects.select_related("activity").order_by("?")[:200]:
        intervention.full_clean()
    for activity in GroupActivity.objects.all():
        activity.full_clean()


def test_running_again_adds_nothing(db):
    seed_demo()
    first = seed_activity(days=30)
    before = snapshot()
    again = seed_activity(days=30)
    assert first.interventions > 0
    assert (again.sites_filled, again.interventions, again.activities) == (0, 0, 0)
    assert snapshot() == before


def test_two_fresh_runs_give_identical_data(db):
    seed_demo()
    seed_activity(days=30)
    first = snapshot()
    Participation.objects.all().delete()
    Intervention.objects.all().delete()
    GroupActivity.objects.all().delete()
    seed_activity(days=30)
    assert snapshot() == first


def test_at_scale_two_each_site_is_logged_by_the_intervenant_who_serves_it(db):
    seed_demo(scale=2)
    summary = seed_activity(scale=2, days=14)
    assert summary.sites_filled == 6
    pairs = set(Intervention.objects.values_list("site", "author").distinct())
    assert len({site for site, _ in pairs}) == 6
    for site, author in pairs:
        assert User.objects.get(pk=author).sites.filter(pk=site).exists()
