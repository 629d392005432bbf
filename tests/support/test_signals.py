"""The workload signals on hand-built data: hours against the planned hours, crisis count,
evening and weekend hours across midnight in Montréal's time, weeks without supervision, the
thresholds, the order (over-threshold first) and the number of queries."""

from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest

from ema.accounts.models import Role
from reports.selectors.workload import workload_signals
from support.models import WorkloadThresholds
from tests.factories import InterventionFactory, InterventionTypeFactory, UserFactory
from tests.helpers import max_data_queries
from tests.support.factories import SupervisionSessionFactory, WorkPlanFactory

# 2 h UTC on Monday June 15 is still Sunday June 14, 22 h, in Montréal: "today" is the 14th.
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2026, 6, 14)

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _log(author, day: date, minutes: int, start: time | None = time(10, 0), **extra):
    return InterventionFactory(
        author=author, date=day, start_time=start, duration_minutes=minutes, **extra
    )


def _signal(rows, user, kind):
    person = next(row for row in rows if row.user_id == user.pk)
    return next(signal for signal in person.signals if signal.kind == kind)


@pytest.fixture
def worker(db):
    user = UserFactory(role=Role.INTERVENANT, first_name="Mélanie", last_name="Gagnon")
    WorkPlanFactory(user=user, hours_per_week=20)
    return user


def test_hours_of_the_last_seven_days_and_the_four_weeks_average_against_the_plan(at_now, worker):
    _log(worker, TODAY - timedelta(days=6), 600)  # June 8: in the last 7 days
    _log(worker, TODAY - timedelta(days=3), 450)
    _log(worker, TODAY - timedelta(days=3), 450)  # 10 + 15 = 25 h this week
    _log(worker, TODAY - timedelta(days=7), 600)  # June 7: only in the 4 weeks
    _log(worker, TODAY - timedelta(days=27), 300)  # May 18: the 4 weeks' first day
    _log(worker, TODAY - timedelta(days=28), 720)  # outside the 4 weeks
    _log(worker, TODAY + timedelta(days=1), 720)  # June 15 in UTC: not yet in Montréal
    rows = workload_signals(user=worker)
    week = _signal(rows, worker, "week")
    assert (week.value, week.planned, week.threshold) == (25.0, 20.0, 110)
    assert week.over  # 25 h > 110 % of 20 h
    average = _signal(rows, worker, "four_weeks")
    assert average.value == 10.0  # (10 + 15 + 10 + 5) h / 4
    assert not average.over


def test_hours_at_the_threshold_are_not_over_it(at_now, worker):
    _log(worker, TODAY, 22 * 60 // 2)
    _log(worker, TODAY - timedelta(days=1), 22 * 60 // 2)  # 22 h = 110 % of 20 h
    assert not _signal(workload_signals(user=worker), worker, "week").over


def test_without_planned_hours_the_hours_show_but_raise_no_signal(at_now, db):
    user = UserFactory(role=Role.INTERVENANT)
    _log(user, TODAY, 720)
    week = _signal(workload_signals(user=user), user, "week")
    assert (week.value, week.planned, week.over) == (12.0, None, False)


def test_crisis_interventions_of_the_last_thirty_days_are_counted(at_now, worker):
    crisis = InterventionTypeFactory(name="Intervention de crise", is_crisis=True)
    for days in (0, 5, 29):
        _log(worker, TODAY - timedelta(days=days), 30, type=crisis)
    _log(worker, TODAY - timedelta(days=30), 30, type=crisis)  # 31 days ago: out
    _log(worker, TODAY, 30)  # not a crisis type
    WorkloadThresholds.objects.update_or_create(pk=1, defaults={"crisis_interventions": 2})
    signal = _signal(workload_signals(user=worker), worker, "crisis")
    assert (signal.value, signal.threshold, signal.over) == (3, 2, True)


def test_evening_and_weekend_hours_are_split_across_midnight(at_now, worker):
    friday, sunday, tuesday = date(2026, 6, 12), date(2026, 6, 7), date(2026, 6, 9)
    _log(worker, friday, 120, time(23, 0))  # 2 h of evening, 1 h of it on Saturday
    _log(worker, sunday, 60, time(23, 30))  # 1 h of evening, 30 min on Sunday, then Monday
    _log(worker, tuesday, 120, time(17, 0))  # 1 h after 18 h
    _log(worker, tuesday, 120, time(5, 0))  # 1 h before 6 h
    _log(worker, tuesday, 240, time(9, 0))  # a day's work: neither
    _log(worker, date(2026, 6, 13), 90, None)  # Saturday, no start time: weekend only
    rows = workload_signals(user=worker)
    assert _signal(rows, worker, "evening").value == 5.0
    assert _signal(rows, worker, "weekend").value == 3.0  # 1 h + 0.5 h + 1.5 h


def test_evening_and_weekend_thresholds_over_and_under(at_now, worker):
    for days in range(6):
        _log(worker, date(2026, 6, 13) - timedelta(days=7 * (days % 3)), 180, time(19, 0))
    WorkloadThresholds.objects.update_or_create(
        pk=1, defaults={"evening_hours": 12, "weekend_hours": 20}
    )
    rows = workload_signals(user=worker)
    evening, weekend = _signal(rows, worker, "evening"), _signal(rows, worker, "weekend")
    assert (evening.value, evening.over) == (18.0, True)
    assert (weekend.value, weekend.over) == (18.0, False)


def test_weeks_since_the_last_supervision_session(at_now, worker):
    SupervisionSessionFactory(supervised=[worker], date=TODAY - timedelta(days=70))
    SupervisionSessionFactory(supervised=[worker], date=TODAY - timedelta(days=200))
    # A session recorded ahead of time does not count as having happened.
    SupervisionSessionFactory(supervised=[worker], date=TODAY + timedelta(days=3))
    signal = _signal(workload_signals(user=worker), worker, "supervision")
    assert (signal.value, signal.threshold, signal.over) == (10, 6, True)


def test_a_person_never_supervised_is_over_the_threshold(at_now, worker):
    signal = _signal(workload_signals(user=worker), worker, "supervision")
    assert (signal.value, signal.over) == (-1, True)


def test_a_recent_session_is_under_the_threshold(at_now, worker):
    SupervisionSessionFactory(supervised=[worker], date=TODAY - timedelta(days=13))
    signal = _signal(workload_signals(user=worker), worker, "supervision")
    assert (signal.value, signal.over) == (1, False)


def test_the_people_over_a_threshold_come_first_and_their_signals_too(at_now, worker):
    calm = UserFactory(role=Role.INTERVENANT, first_name="Aline", last_name="Calme")
    SupervisionSessionFactory(supervised=[calm], date=TODAY - timedelta(days=7))
    SupervisionSessionFactory(supervised=[worker], date=TODAY - timedelta(days=7))
    _log(worker, TODAY, 720)
    _log(worker, TODAY - timedelta(days=1), 720)
    rows = workload_signals(user=worker)
    assert [row.user_id for row in rows] == [worker.pk, calm.pk]
    assert rows[0].signals[0].kind == "week" and rows[0].signals[0].over
    assert not rows[1].over


def test_only_intervenants_in_activity_are_measured(at_now, worker):
    UserFactory(role=Role.COORDINATION)
    UserFactory(role=Role.INTERVENANT, is_active=False)
    assert [row.user_id for row in workload_signals(user=worker)] == [worker.pk]


def test_one_persons_own_signals_only(at_now, worker):
    UserFactory(role=Role.INTERVENANT)
    assert [row.user_id for row in workload_signals(user=worker, only_self=True)] == [worker.pk]


@pytest.mark.parametrize("size", [1, 12])
def test_the_signals_run_a_fixed_number_of_queries(at_now, size):
    crisis = InterventionTypeFactory(name="Crise", is_crisis=True)
    for index in range(size):
        user = UserFactory(role=Role.INTERVENANT)
        WorkPlanFactory(user=user, hours_per_week=35)
        SupervisionSessionFactory(supervised=[user], date=TODAY - timedelta(days=index))
        for days in range(3):
            _log(user, TODAY - timedelta(days=days), 60, time(20, 0), type=crisis)
    WorkloadThresholds.current()
    with max_data_queries(4):
        rows = workload_signals(user=user)
    assert len(rows) == size
