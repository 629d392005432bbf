"""The benchmark's results as printed tables, targets, a summary line and the generated
sections of docs/benchmarks.md; and the description of the machine they were measured on."""

import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FLOOR, LAYOUT, ADMIN = "floor", "layout", "admin"
REFERENCES = (FLOOR, LAYOUT, ADMIN)  # measured beside the key pages, not judged
# A download of every row: judged on its own time, not against the floor of a page.
EXPORT = "intervention_export"
SCALE_TARGETS = ("dashboard", "annual_report")
FLOOR_FACTOR = 5
SCALE_FACTOR = 1.5
EXPORT_SECONDS = 10
TIMEOUT_MARK = "statement timeout"
SKELETON = """# Benchmarks

<!-- bench:begin -->
<!-- bench:end -->

<!-- loadtest:begin -->
<!-- loadtest:end -->
"""


def machine() -> dict[str, str]:
    """CPU, cores, memory, system and Python of this machine, and the time of the run."""
    cpu = "unknown"
    memory = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
        with open("/proc/meminfo", encoding="utf-8") as info:
            kilobytes = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
            memory = f"{kilobytes / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": platform.platform(terse=True),
        "python": platform.python_version(),
        "load": load(),
    }


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (linear interpolation)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: met, not met, or not measured in this run."""

    name: str
    met: bool | None
    details: str

    @property
    def mark(self) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[self.met]


def by_key(scale_run: dict) -> dict[str, dict]:
    return {result["key"]: result for result in scale_run["results"]}


def failed(result: dict) -> bool:
    return bool(result.get("error"))


def timed_out(result: dict) -> bool:
    return TIMEOUT_MARK in result.get("error", "")


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def scale_label(scale: float) -> str:
    return f"scale {scale:g}"


def dataset_line(scale_run: dict) -> str:
    """What the data set holds and when it was built."""
    dataset = scale_run["dataset"]
    counts = dataset["counts"]
    held = ", ".join(
        f"{counts[name]:,} {name}"
        for name in ("sites", "households", "residents", "interventions", "referrals")
    )
    how = "reused" if dataset["reused"] else "built now"
    return f"{held} ({how}; built on {dataset['built_on']} in {dataset['build_seconds']:.0f} s)"


def rows(scale_run: dict) -> list[list[str]]:
    """One row per page: median, p95, queries, SQL time, ratios to the floor and the admin."""
    results = by_key(scale_run)
    floor = results[FLOOR]["median_ms"]
    admin = results[ADMIN]["median_ms"]
    table = []
    for result in scale_run["results"]:
        if failed(result):
            table.append([result["title"], "failed", "", "", "", "", "", ""])
            continue
        queries = str(result["queries"])
        if result["queries_max"] != result["queries"]:
            queries += f"–{result['queries_max']}"
        title = result["title"] + (" (1 run)" if result.get("note") else "")
        table.append(
            [
                title,
                fmt(result["median_ms"]),
                fmt(result["p95_ms"]),
                queries,
                fmt(result["sql_ms"], 0),
                fmt(ratio(result["median_ms"], floor), 1, "×"),
                fmt(ratio(result["median_ms"], admin), 2, "×"),
                fmt(result["bytes"] / 1024, 1, " KiB"),
            ]
        )
    return table


HEADERS = ["page", "median ms", "p95 ms", "queries", "SQL ms", "/ floor", "/ admin", "size"]
COMPARE_HEADERS = ["page", "median ms", "median ms", "time ratio", "queries", "queries"]


def comparison(first: dict, last: dict) -> list[list[str]]:
    """One row per page: medians and queries at both scales, and the ratio of the times."""
    low, high = by_key(first), by_key(last)
    table = []
    for key, result in low.items():
        other = high.get(key, {})
        table.append(
            [
                result["title"],
                fmt(result.get("median_ms")) if not failed(result) else "failed",
                fmt(other.get("median_ms")) if other and not failed(other) else "failed",
                fmt(ratio(other.get("median_ms"), result.get("median_ms")), 2, "×"),
                fmt(result.get("queries"), 0),
                fmt(other.get("queries"), 0),
            ]
        )
    return table


def targets(runs: list[dict]) -> list[Target]:
    """The issue's three benchmark targets, judged on this run's scales."""
    by_scale = {run["scale"]: run for run in runs}
    found = []

    if 1.0 in by_scale and 10.0 in by_scale:
        low, high = by_key(by_scale[1.0]), by_key(by_scale[10.0])
        differ = [
            f"{low[key]['title']} ({_queries(low[key])} → {_queries(high[key])})"
            for key in low
            if key not in REFERENCES
            and (
                failed(low[key])
                or failed(high[key])
                or (low[key]["queries"], low[key]["queries_max"])
                != (high[key]["queries"], high[key]["queries_max"])
            )
        ]
        found.append(
            Target(
                "same SQL query count at scale 1 and scale 10",
                not differ,
                "; ".join(differ) or "every key page",
            )
        )
        slower = []
        for key in SCALE_TARGETS:
            factor = ratio(high[key].get("median_ms"), low[key].get("median_ms"))
            # A page over the slow budget at either scale is not judged on its ratio: a
            # pathological time at scale 1 would make any scale 10 look fine.
            both = ((1, low[key]), (10, high[key]))
            too_slow = [f"scale {scale}" for scale, result in both if result.get("note")]
            if too_slow:
                slower.append(f"{low[key]['title']} too slow to judge at {', '.join(too_slow)}")
            elif factor is None or factor > SCALE_FACTOR:
                slower.append(f"{low[key]['title']} {fmt(factor, 2, '×')}")
        found.append(
            Target(
                f"dashboard and annual report at scale 10 ≤ {SCALE_FACTOR}× scale 1",
                not slower,
                "; ".join(slower)
                or ", ".join(
                    f"{low[k]['title']} "
                    f"{fmt(ratio(high[k]['median_ms'], low[k]['median_ms']), 2, '×')}"
                    for k in SCALE_TARGETS
                ),
            )
        )
    else:
        for name in ("same SQL query count at scale 1 and scale 10", "scale 10 ≤ 1.5× scale 1"):
            found.append(Target(name, None, "needs scales 1 and 10"))

    if 1.0 in by_scale:
        results = by_key(by_scale[1.0])
        floor = results[FLOOR]["median_ms"]
        over = [
            f"{r['title']} {fmt(ratio(r.get('median_ms'), floor), 1, '×')}"
            for key, r in results.items()
            if key not in (*REFERENCES, EXPORT)
            and (failed(r) or r["median_ms"] > FLOOR_FACTOR * floor)
        ]
        found.insert(
            1,
            Target(
                f"every key page ≤ {FLOOR_FACTOR}× the floor at scale 1",
                not over,
                "; ".join(over) or "every key page",
            ),
        )
    else:
        found.insert(1, Target(f"key pages ≤ {FLOOR_FACTOR}× the floor", None, "needs scale 1"))

    export_target = f"full XLSX export of interventions < {EXPORT_SECONDS} s at scale 1"
    export = by_key(by_scale[1.0]).get(EXPORT) if 1.0 in by_scale else None
    if export is None:
        found.append(Target(export_target, None, "needs scale 1"))
    elif failed(export):
        found.append(Target(export_target, False, "failed"))
    else:
        found.append(
            Target(
                export_target,
                export["median_ms"] < EXPORT_SECONDS * 1000,
                f"{export['median_ms'] / 1000:.1f} s, {fmt(export['bytes'] / 1024, 0, ' KiB')}",
            )
        )
    return found


def _queries(result: dict) -> str:
    if failed(result):
        return "failed"
    if result["queries_max"] != result["queries"]:
        return f"{result['queries']}–{result['queries_max']}"
    return str(result["queries"])


def summary(runs: list[dict], found: list[Target]) -> str:
    """The run in one line."""
    scales = ", ".join(f"{run['scale']:g}" for run in runs)
    met = sum(target.met is True for target in found)
    judged = sum(target.met is not None for target in found)
    worst = []
    for run in runs:
        results = by_key(run)
        floor = results[FLOOR]["median_ms"]
        pages = [r for k, r in results.items() if k not in REFERENCES]
        fails = [r["title"] for r in pages if failed(r)]
        measured = [r for r in pages if not failed(r) and r["key"] != EXPORT]
        slowest = max(measured, key=lambda r: r["median_ms"], default=None)
        part = f"scale {run['scale']:g}: floor {fmt(floor)} ms"
        if slowest:
            part += (
                f", slowest {slowest['title']} {fmt(slowest['median_ms'])} ms "
                f"({fmt(ratio(slowest['median_ms'], floor), 0, '×')} floor)"
            )
        export = results.get(EXPORT)
        if export and not failed(export):
            part += f", full export {export['median_ms'] / 1000:.1f} s"
        if fails:
            part += f", failed: {', '.join(fails)}"
        worst.append(part)
    verdict = f"targets met {met}/{judged}" if judged else "no target judged at these scales"
    return f"bench [{scales}] {verdict} — " + "; ".join(worst)


def text_table(headers: list[str], table: list[list[str]]) -> str:
    """A fixed-width table: first column left-aligned, others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
    lines = []
    for row in [headers, *table]:
        cells = [
            str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown_table(headers: list[str], table: list[list[str]]) -> str:
    align = ["---"] + ["---:"] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in table]
    return "\n".join(lines)


def machine_table(about: dict[str, str]) -> str:
    names = {
        "date": "run",
        "cpu": "CPU",
        "cores": "cores",
        "memory": "memory",
        "system": "system",
        "python": "Python",
        "django": "Django",
        "postgresql": "PostgreSQL",
        "load": "load average at start (1 / 5 / 15 min)",
        "load_end": "load average at end",
        "settings": "settings",
    }
    return markdown_table(["", ""], [[names.get(k, k), v] for k, v in about.items()])


def bench_markdown(runs: list[dict], about: dict[str, str], found: list[Target], line: str) -> str:
    """The generated section of docs/benchmarks.md for `make bench`."""
    parts = [
        "## `make bench`: measured figures",
        "",
        "Generated by `make bench`; times are server times in milliseconds, measured in "
        "process through the whole middleware stack (median and 95th percentile of "
        f"{runs[0]['results'][0]['runs']} rounds after a warm-up); queries are the SQL "
        "queries of one request; SQL ms is the database's share of one request.",
        "",
        machine_table(about),
        "",
    ]
    for run in runs:
        parts += [
            f"### {scale_label(run['scale']).capitalize()}",
            "",
            dataset_line(run),
            "",
            markdown_table(HEADERS, rows(run)),
            "",
        ]
        remarks = [f"- {r['title']} failed: {r['error']}" for r in run["results"] if failed(r)]
        remarks += [f"- {r['title']}: {r['note']}" for r in run["results"] if r.get("note")]
        parts += [*remarks, ""] if remarks else []
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        headers = [
            "page",
            f"median ms, {scale_label(first['scale'])}",
            f"median ms, {scale_label(last['scale'])}",
            f"{scale_label(last['scale'])} / {scale_label(first['scale'])}",
            f"queries, {scale_label(first['scale'])}",
            f"queries, {scale_label(last['scale'])}",
        ]
        parts += [
            f"### {scale_label(last['scale']).capitalize()} against {scale_label(first['scale'])}",
            "",
            markdown_table(headers, comparison(first, last)),
            "",
        ]
    parts += ["### Targets", ""]
    parts += [f"- **{t.mark}**: {t.name} — {t.details}" for t in found]
    parts += ["", "Summary: `" + line + "`", "", "### Slowest queries", ""]
    parts += slowest_markdown(runs[-1])
    return "\n".join(parts).rstrip() + "\n"


def slowest_markdown(run: dict) -> list[str]:
    """The slowest SQL of each page at the largest scale, for the diagnosis."""
    lines = [
        f"At {scale_label(run['scale'])}, the slowest queries of one request of each page:",
        "",
    ]
    for result in run["results"]:
        if failed(result) or not result.get("slowest") or result["key"] in (FLOOR, LAYOUT):
            continue
        lines.append(f"<details><summary>{result['title']}: {fmt(result['sql_ms'])} ms of SQL"
                     f" in {result['queries']} queries</summary>")  # fmt: skip
        lines.append("")
        for ms, sql in result["slowest"]:
            lines += [f"{fmt(ms)} ms:", "", "```sql", _shorten(sql), "```", ""]
        lines += ["</details>", ""]
    return lines


def _shorten(sql: str, limit: int = 700) -> str:
    """The SQL without its long column lists."""
    sql = re.sub(r"SELECT (DISTINCT )?(\"[^ ]+\"\.\"[^ ]+\"(, )?){4,}", r"SELECT \1… ", sql)
    return sql if len(sql) <= limit else sql[:limit] + " …"


def write_section(path: Path, name: str, content: str) -> None:
    """Replace the generated section `name` of the document, keeping what people wrote."""
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text:
        text = text.rstrip() + f"\n\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{content}{end}{tail}", encoding="utf-8")
