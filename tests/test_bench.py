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


def test_scales_are_whole_numbers_or_fractions_of_scale_one():
    assert config.parse_scales("10, 1") == [1.0, 10.0]
    assert config.database_name(0.05) == "ema_bench_s0_05"
    assert config.database_name(10) == "ema_bench_s10"
    with pytest.raises(ValueError, match="whole number"):
        config.parse_scales("2.5")


def test_a_key_page_slower_than_five_floors_misses_the_target():
    run = _run(1, my_day=12, dashboard=30, annual_report=10)
    targets = {t.name: t for t in report.targets([run])}
    floor = targets["every key page ≤ 5× the floor at scale 1"]
    assert floor.met is False
    assert "dashboard 7.5×" in floor.details
    assert "my day" not in floor.details


def test_scale_targets_compare_times_and_query_counts_of_both_scales():
    small = _run(1, my_day=10, dashboard=100, annual_report=100)
    large = _run(10, my_day=10, dashboard=200, annual_report=120)
    large["results"][3]["queries"] = large["results"][3]["queries_max"] = 6  # my_day
    targets = {t.name: t for t in report.targets([small, large])}
    assert targets["same SQL query count at scale 1 and scale 10"].met is False
    assert "my day (5 → 6)" in targets["same SQL query count at scale 1 and scale 10"].details
    scaled = targets["dashboard and annual report at scale 10 ≤ 1.5× scale 1"]
    assert scaled.met is False
    assert scaled.details == "dashboard 2.00×"


def test_a_failed_page_is_reported_not_hidden():
    run = _run(1, my_day=10, dashboard=10, annual_report=10)
    run["results"][4] |= {"error": "OperationalError: canceling statement due to statement timeout"}
    line = report.summary([run], report.targets([run]))
    assert "failed: dashboard" in line


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


def test_the_full_export_is_judged_on_its_own_time_not_on_the_floor():
    run = _run(1, my_day=10, dashboard=10, annual_report=10)
    run["results"].append(_result("intervention_export", 7_400, bytes=2_600_000))
    targets = {t.name: t for t in report.targets([run])}
    assert targets["every key page ≤ 5× the floor at scale 1"].met is True
    export = targets["full XLSX export of interventions < 10 s at scale 1"]
    assert export.met is True
    assert export.details.startswith("7.4 s")
    assert "full export 7.4 s" in report.summary([run], list(targets.values()))


def test_a_full_export_of_ten_seconds_or_more_misses_its_target():
    run = _run(1, my_day=10, dashboard=10, annual_report=10)
    run["results"].append(_result("intervention_export", 10_000, bytes=2_600_000))
    targets = {t.name: t for t in report.targets([run])}
    assert targets["full XLSX export of interventions < 10 s at scale 1"].met is False


@pytest.mark.django_db
def test_the_benchmark_data_set_builds_from_the_demo_generators_of_today(monkeypatch):
    """The benchmark borrows the demo's building blocks: a change to them must not break it
    (CI's smoke would find out last, after the whole suite)."""
    from bench import data
    from interventions.models import Intervention
    from partners.models import Referral

    monkeypatch.setattr(data, "_settle", lambda: None)  # CLUSTER and VACUUM: not in a test
    data.build(scale=0.01, log=lambda line: None)
    assert Intervention.objects.count() > 100
    assert Referral.objects.exists()
