"""The benchmark's own logic: scales, database names, targets and the generated document.
(The benchmark itself runs in CI as `make bench BENCH_SCALES=0.05`.)"""

import pytest

from bench import config, report


def _result(key: str, median: float, queries: int = 5, **extra) -> dict:
    return {
        "key": key,
        "title": key.replace("_", " "),
        "median_ms": median,
        "p95_ms": median,
        "queries": queries,
        "queries_max": queries,
        "error": "",
        **extra,
    }


def _run(scale: float, **medians: float) -> dict:
    results = [_result("floor", 4), _result("layout", 5), _result("admin", 90)]
    results += [_result(key, median) for key, median in medians.items()]
    return {"scale": scale, "results": results}


def _targets(*runs: dict) -> dict:
    return {t.name: t for t in report.targets(list(runs))}


FLOOR_5 = "every other key page ≤ 5× the floor at scale 1"
HEAVY_20 = "dashboard and annual report ≤ 20× the floor at scale 1"
QUERIES = "same SQL query count at scale 1 and scale 10"
HEAVY_SCALE = "dashboard and annual report at scale 10 ≤ 1.5× scale 1"
OTHERS_SCALE = "every other key page at scale 10 ≤ 1.5× scale 1"


def test_scales_are_whole_numbers_or_fractions_of_scale_one(monkeypatch):
    assert config.parse_scales("10, 1") == [1.0, 10.0]
    assert config.parse_scales("1,10,30") == [1.0, 10.0, 30.0]
    assert config.database_name(0.05) == "ema_bench_s0_05"
    assert config.database_name(10) == "ema_bench_s10"
    with pytest.raises(ValueError, match="whole number"):
        config.parse_scales("2.5")
    monkeypatch.setenv("BENCH_DATABASE_PREFIX", "ema_bench_mine")
    assert config.database_name(30) == "ema_bench_mine_s30"


def test_the_smoke_times_fewer_rounds_than_a_measure(monkeypatch):
    monkeypatch.delenv("BENCH_RUNS", raising=False)
    assert config.default_runs([1.0, 10.0]) == 20
    assert config.default_runs([0.05]) == 5
    monkeypatch.setenv("BENCH_RUNS", "3")
    assert config.default_runs([1.0]) == 3


def test_the_targets_are_the_issues_five_each_judged_once():
    small = _run(1, my_day=10, dashboard=40, annual_report=40)
    large = _run(10, my_day=10, dashboard=40, annual_report=40)
    found = report.targets([small, large])
    assert [t.name for t in found] == [QUERIES, HEAVY_20, HEAVY_SCALE, FLOOR_5, OTHERS_SCALE]
    assert all(t.met for t in found)
    assert report.summary([small, large], found).startswith("bench [1, 10] targets met 5/5")


def test_the_dashboard_and_the_report_have_twenty_floors_the_other_pages_five():
    # The floor is 4 ms: the dashboard at 15 floors meets its target, "Ma journée" at 6 not.
    targets = _targets(_run(1, my_day=24, dashboard=60, annual_report=72))
    assert targets[HEAVY_20].met is True
    assert targets[HEAVY_20].details == "dashboard 15.0×; annual report 18.0×"
    assert targets[FLOOR_5].met is False
    assert targets[FLOOR_5].details == "my day 6.0×"
    over = _targets(_run(1, my_day=12, dashboard=60, annual_report=84))[HEAVY_20]
    assert over.met is False
    assert over.details == "annual report 21.0×"


def test_scale_targets_compare_times_and_query_counts_of_both_scales():
    small = _run(1, my_day=10, household=10, dashboard=100, annual_report=100)
    large = _run(10, my_day=10, household=16, dashboard=200, annual_report=120)
    large["results"][3]["queries"] = large["results"][3]["queries_max"] = 6  # my_day
    targets = _targets(small, large)
    assert targets[QUERIES].met is False
    assert "my day (5 → 6)" in targets[QUERIES].details
    assert targets[HEAVY_SCALE].met is False
    assert targets[HEAVY_SCALE].details == "dashboard 2.00×"
    assert targets[OTHERS_SCALE].met is False
    assert targets[OTHERS_SCALE].details == "household 1.60×"


def test_a_session_stamp_on_one_counted_request_is_not_a_different_query_count():
    small = _run(1, my_day=10, dashboard=100, annual_report=100)
    large = _run(10, my_day=10, dashboard=100, annual_report=100)
    # Counted 5 and 8 at scale 1: the second request also wrote the session's stamp.
    small["results"][3]["queries_max"] = 8  # my_day
    assert _targets(small, large)[QUERIES].met is True


def test_one_sites_dashboard_is_measured_beside_the_targets_not_judged():
    small = _run(1, my_day=10, dashboard=40, annual_report=40, site_dashboard=400)
    large = _run(10, my_day=10, dashboard=40, annual_report=40, site_dashboard=4000)
    found = report.targets([small, large])
    assert all(t.met for t in found)
    assert "site dashboard" not in report.summary([small, large], found)


def test_scale_thirty_is_compared_with_scale_one_for_information_only():
    small = _run(1, my_day=10, dashboard=40, annual_report=40)
    ten = _run(10, my_day=11, dashboard=44, annual_report=44)
    thirty = _run(30, my_day=30, dashboard=44, annual_report=44)
    found = report.targets([small, ten, thirty])
    informative = [t for t in found if t.informative]
    assert {t.name for t in informative} == {
        "same SQL query count at scale 1 and scale 30 (for information)",
        "dashboard and annual report at scale 30 ≤ 1.5× scale 1 (for information)",
        "every other key page at scale 30 ≤ 1.5× scale 1 (for information)",
    }
    assert [t.met for t in informative] == [True, True, False]
    # The five targets are met; what scale 30 shows is reported beside them, not counted.
    assert "targets met 5/5" in report.summary([small, ten, thirty], found)
    headers = report.comparison_headers([small, ten, thirty])
    assert headers[4:6] == ["s10 / s1", "s30 / s1"]
    my_day = next(row for row in report.comparison([small, ten, thirty]) if row[0] == "my day")
    assert my_day[1:6] == ["10.0", "11.0", "30.0", "1.10×", "3.00×"]


def test_the_targets_are_printed_as_a_table_of_met_and_not_met():
    small = _run(1, my_day=30, dashboard=40, annual_report=40)
    table = report.text_table(report.TARGET_HEADERS, report.targets_table(report.targets([small])))
    lines = table.splitlines()
    assert lines[0].split() == ["target", "result", "details"]
    assert any(FLOOR_5 in line and "NOT met" in line and "my day 7.5×" in line for line in lines)
    assert any(HEAVY_20 in line and " met " in line for line in lines)
    assert any(QUERIES in line and "not measured" in line for line in lines)


def test_a_failed_page_is_reported_not_hidden():
    run = _run(1, my_day=10, dashboard=10, annual_report=10)
    run["results"][4] |= {"error": "OperationalError: canceling statement due to statement timeout"}
    line = report.summary([run], report.targets([run]))
    assert "failed: dashboard" in line
    assert _targets(run)[HEAVY_20].details.startswith("dashboard failed")


def test_writing_a_section_keeps_what_people_wrote(tmp_path):
    document = tmp_path / "benchmarks.md"
    document.write_text(
        "# Benchmarks\n\nIntro.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\n## Notes\n"
    )
    report.write_section(document, "bench", "new figures\n")
    report.write_section(document, "loadtest", "load figures\n")
    text = document.read_text()
    assert "old" not in text
    assert "Intro." in text and "## Notes" in text
    assert "<!-- bench:begin -->\nnew figures\n<!-- bench:end -->" in text
    assert "<!-- loadtest:begin -->\nload figures\n<!-- loadtest:end -->" in text


def test_the_downloads_are_reported_not_judged_against_the_floor_but_keep_their_queries():
    small = _run(1, my_day=10, dashboard=10, annual_report=10)
    small["results"].append(_result("intervention_export", 7_400, bytes=2_600_000))
    small["results"].append(_result("research_export", 900, bytes=400_000))
    large = _run(10, my_day=10, dashboard=10, annual_report=10)
    large["results"].append(_result("intervention_export", 74_000, queries=4, bytes=26_000_000))
    large["results"].append(_result("research_export", 9_000, queries=9, bytes=4_000_000))
    targets = _targets(small, large)
    assert targets[FLOOR_5].met is True
    assert targets[OTHERS_SCALE].met is True
    assert targets[QUERIES].met is False
    assert "research export (5 → 9)" in targets[QUERIES].details
    line = report.summary([small, large], list(targets.values()))
    assert "full export 7.4 s, research zip 0.9 s" in line


@pytest.mark.django_db
def test_the_benchmark_data_set_builds_from_the_demo_generators_of_today(monkeypatch, settings):
    """The benchmark borrows the demo's building blocks: a change to them must not break it
    (CI's smoke would find out last, after the whole suite)."""
    from bench import data, pages
    from evaluation.models import JournalEntry
    from interventions.models import Intervention
    from partners.models import Referral
    from residents.models import Consent
    from support.models import SupervisionSession
    from team.models import AgendaItem, Meeting, MeetingAction

    monkeypatch.setattr(data, "_settle", lambda: None)  # CLUSTER and VACUUM: not in a test
    data.build(scale=0.01, log=lambda line: None)
    assert Intervention.objects.count() > 100
    assert Referral.objects.exists()
    # What the team and evaluation pages show: the intervenant whose pages are measured
    # attended meetings with case discussions about households and open actions.
    mine = Meeting.objects.filter(participants__username=pages.INTERVENANT)
    assert mine.exists()
    assert AgendaItem.objects.filter(meeting__in=mine, kind=AgendaItem.Kind.CASE).exists()
    assert MeetingAction.objects.filter(done_on__isnull=True).exists()
    assert SupervisionSession.objects.exists()
    assert JournalEntry.objects.exists()
    assert Consent.objects.filter(purpose=Consent.Purpose.RESEARCH).exists()
    settings.ROOT_URLCONF = "bench.urls"  # its floor and layout pages
    assert {page.key for page in pages.pages()} >= {
        "follow_ups",
        "meeting_list",
        "meeting",
        "journal",
        "research_export",
    }
