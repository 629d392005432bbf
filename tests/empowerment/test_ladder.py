"""The ladder's figures on hand-built paths (tests/empowerment/conftest.py): the steps of each
quarter, who moved up and who stepped back, per site and for all of EMA; the roles derived
from attendance and seats, and those recorded by hand; small counts hidden in reports."""

from datetime import date

import pytest

from ema.exports import SUPPRESSED
from ema.periods import fiscal_year_of
from empowerment import ladder as steps
from empowerment.charts import ladder_chart, ladder_table
from empowerment.selectors import ladder_of, path_of, path_steps
from tests.empowerment.paths import attend
from tests.factories import GroupActivityFactory, resident_of

YEAR = fiscal_year_of(date(2025, 4, 1))  # April 1, 2025 to March 31, 2026


def by_step(quarter):
    return {step: count for step, count in quarter.by_step.items() if count}


def test_a_resident_climbs_from_participant_to_committee_officer_over_three_quarters(
    climb, direction, site_ss
):
    ladder = ladder_of(user=direction, year=YEAR, site=site_ss)

    assert [quarter.period.label for quarter in ladder.quarters] == [
        "T1 2025-2026",
        "T2 2025-2026",
        "T3 2025-2026",
        "T4 2025-2026",
    ]
    assert [by_step(quarter) for quarter in ladder.quarters] == [
        {1: 2},  # the climber and the one who steps back, at one session each
        {5: 1},  # the climber's committee seat
        {6: 1, 2: 1},  # the climber presides; three sessions in October make a returning one
        {6: 1},
    ]
    assert [quarter.new for quarter in ladder.quarters] == [1, 0, 1, 0]
    assert [quarter.moved_up for quarter in ladder.quarters] == [0, 1, 1, 0]


def test_who_stepped_back_is_listed_with_the_steps_before_and_after(climb, direction, site_ss):
    quarters = ladder_of(user=direction, year=YEAR, site=site_ss).quarters

    assert [quarter.stepped_back for quarter in quarters] == [
        [(climb.stepper.pk, 3, 1)],  # a volunteer in January-March 2025, then one session
        [(climb.stepper.pk, 1, 0)],
        [],
        [(climb.returning.pk, 2, 0)],
    ]


def test_all_of_ema_adds_the_other_sites(climb, direction, site_ag):
    ladder = ladder_of(user=direction, year=YEAR)

    assert [by_step(quarter) for quarter in ladder.quarters] == [
        {1: 2, 6: 1},
        {5: 1, 4: 1, 6: 1},
        {6: 2, 2: 1},
        {6: 2},
    ]
    assert [len(quarter.stepped_back) for quarter in ladder.quarters] == [1, 1, 1, 1]
    assert ladder.quarters[2].stepped_back == [(climb.organiser.pk, 4, 0)]
    assert [by_step(q) for q in ladder_of(user=direction, year=YEAR, site=site_ag).quarters] == [
        {6: 1},
        {4: 1, 6: 1},
        {6: 1},
        {6: 1},
    ]


def test_an_intervenant_counts_only_the_residents_of_their_sites(climb, intervenant_ag):
    ladder = ladder_of(user=intervenant_ag, year=YEAR)

    assert [quarter.total for quarter in ladder.quarters] == [1, 2, 1, 1]


def test_returning_means_three_attendances_or_two_months_in_a_quarter(site_ss, direction):
    activity = GroupActivityFactory(site=site_ss)
    twice_one_month, two_months = resident_of(site_ss), resident_of(site_ss)
    for day in (date(2025, 4, 1), date(2025, 4, 8)):
        attend(twice_one_month, day, activity=activity)
    for day in (date(2025, 4, 30), date(2025, 5, 1)):
        attend(two_months, day, activity=activity)

    first = ladder_of(user=direction, year=YEAR).quarters[0]

    assert by_step(first) == {1: 1, 2: 1}
    assert steps.is_returning(attendances=3, months=1)
    assert not steps.is_returning(attendances=2, months=1)


def test_the_path_of_a_resident_joins_attendance_and_seats_with_their_dates(climb):
    path = [
        (held.role, held.step, held.since, held.until) for held in path_of(resident=climb.climber)
    ]

    assert path == [
        (steps.PARTICIPANT, 1, date(2025, 5, 6), date(2025, 5, 6)),
        (steps.RETURNING, 2, date(2025, 7, 8), date(2025, 8, 12)),
        (steps.COMMITTEE_MEMBER, 5, date(2025, 9, 1), date(2025, 11, 30)),
        (steps.COMMITTEE_OFFICER, 6, date(2025, 12, 1), None),
    ]


def test_a_recorded_role_and_an_organiser_named_in_an_action_are_on_the_path(climb):
    assert [(held.role, held.source) for held in path_of(resident=climb.stepper)] == [
        (steps.VOLUNTEER, "recorded"),
        (steps.PARTICIPANT, "attendance"),
    ]
    assert {held.role for held in path_of(resident=climb.organiser)} == {
        steps.PARTICIPANT,
        steps.ORGANISER,
    }


def test_path_steps_gives_codes_steps_and_dates_without_names(climb):
    rows = list(path_steps(start=date(2025, 10, 1), end=date(2025, 12, 31)))

    assert sorted(rows) == sorted(
        [
            (climb.climber.pk, steps.COMMITTEE_MEMBER, 5, date(2025, 10, 1), date(2025, 11, 30)),
            (climb.climber.pk, steps.COMMITTEE_OFFICER, 6, date(2025, 12, 1), None),
            (climb.returning.pk, steps.RETURNING, 2, date(2025, 10, 2), date(2025, 10, 16)),
            (climb.board.pk, steps.BOARD, 6, date(2025, 10, 1), None),
        ]
    )
    assert all(len(row) == 5 and isinstance(row.resident_id, int) for row in rows)


def test_reports_hide_counts_under_five_but_show_five(site_ss, direction):
    activity = GroupActivityFactory(site=site_ss)
    for _index in range(5):
        attend(resident_of(site_ss), date(2025, 4, 7), activity=activity)
    for _index in range(2):
        attend(resident_of(site_ss), date(2025, 4, 7), level="collective", role="volunteer")
    ladder = ladder_of(user=direction, year=YEAR)

    first = ladder_table(ladder).for_funders().rows[0]
    chart = ladder_chart(ladder)

    assert first[1] == 5 and first[3] == SUPPRESSED  # 5 participants, 2 volunteers
    assert first[7] == 7  # on the ladder in all
    drawn = {bar.series for bar in chart.bars}
    assert str(steps.STEPS[1]) in drawn and str(steps.STEPS[3]) not in drawn
    assert str(steps.STEPS[3]) in {
        bar.series for bar in ladder_chart(ladder, suppressed=False).bars
    }


@pytest.mark.parametrize("count", [2, 30])
def test_the_ladder_takes_three_queries_whatever_the_residents(
    site_ss, direction, count, django_assert_max_num_queries
):
    activity = GroupActivityFactory(site=site_ss)
    for index in range(count):
        attend(resident_of(site_ss), date(2025, 4 + index % 9, 3), activity=activity)

    with django_assert_max_num_queries(3):
        ladder = ladder_of(user=direction, year=YEAR)

    assert sum(quarter.total for quarter in ladder.quarters) == count
