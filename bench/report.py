"""The benchmark's results as printed tables, targets, a summary line and the generated
sections of docs/benchmarks.md; and the description of the machine they were measured on."""

import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# The pages' keys that the report treats apart (bench.pages uses the same names).
FLOOR, LAYOUT, ADMIN = "floor", "layout", "admin"
# The director's fiscal-year dashboard of one site: beside the dashboard of every site, it
# shows what a year costs when the number of sites shown stays the same.
SITE_DASHBOARD = "site_dashboard"
REFERENCES = (FLOOR, LAYOUT, ADMIN, SITE_DASHBOARD)  # measured beside the key pages, not judged
# Downloads of every row of a year or of the history: reported with their time and size, and
# held to the same number of queries at every scale, but not judged against the floor of a
# page nor on their growth (a file of ten times the rows is expected to take ten times longer).
EXPORT, RESEARCH_EXPORT = "intervention_export", "research_export"
DOWNLOADS = (EXPORT, RESEARCH_EXPORT)
# The targets (issue 17): the two pages that aggregate a whole year...
HEAVY = ("dashboard", "annual_report")
HEAVY_FLOOR_FACTOR = 20
# ...and every other key page.
FLOOR_FACTOR = 5
SCALE_FACTOR = 1.5
BASE_SCALE, TARGET_SCALE = 1.0, 10.0
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
    # Judged at a scale beyond the targets' (30): reported, not counted in the summary.
    informative: bool = False

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
    names = ("sites", "households", "residents", "interventions", "referrals", "team meetings")
    held = ", ".join(f"{counts[name]:,} {name}" for name in names if name in counts)
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
TARGET_HEADERS = ["target", "result", "details"]


def comparison_headers(runs: list[dict]) -> list[str]:
    """Medians at each scale, each larger scale's ratio to the first, queries at each."""
    first, others = runs[0], runs[1:]
    headers = ["page"] + [f"ms s{run['scale']:g}" for run in runs]
    headers += [f"s{run['scale']:g} / s{first['scale']:g}" for run in others]
    return headers + [f"queries s{run['scale']:g}" for run in runs]


def comparison(runs: list[dict]) -> list[list[str]]:
    """One row per page: its median at every scale, the ratio of each larger scale's median
    to the smallest scale's, and its queries at every scale."""
    scales = [by_key(run) for run in runs]
    table = []
    for key, result in scales[0].items():
        found = [results.get(key, {}) for results in scales]
        row = [result["title"]]
        row += [fmt(r.get("median_ms")) if r and not failed(r) else "failed" for r in found]
        row += [fmt(ratio(r.get("median_ms"), result.get("median_ms")), 2, "×") for r in found[1:]]
        row += [_queries(r) if r else "—" for r in found]
        table.append(row)
    return table


def key_pages(results: dict[str, dict]) -> list[str]:
    """Every measured page but the reference pages, downloads included."""
    return [key for key in results if key not in REFERENCES]


def other_pages(results: dict[str, dict]) -> list[str]:
    """The key pages held to 5× the floor: neither the heavy two nor a download."""
    return [key for key in key_pages(results) if key not in (*HEAVY, *DOWNLOADS)]


def targets(runs: list[dict]) -> list[Target]:
    """The issue's benchmark targets, judged on scale 1 and scale 10; the scale targets are
    also reported, for information, for every scale beyond 10 (30)."""
    by_scale = {run["scale"]: run for run in runs}
    base = by_key(by_scale[BASE_SCALE]) if BASE_SCALE in by_scale else None
    high = by_key(by_scale[TARGET_SCALE]) if TARGET_SCALE in by_scale else None
    heavy = "dashboard and annual report"
    found = [
        _same_queries(base, high, TARGET_SCALE),
        _floor_target(base, HEAVY, HEAVY_FLOOR_FACTOR, heavy),
        _scale_target(base, high, TARGET_SCALE, HEAVY, heavy),
        _floor_target(base, None, FLOOR_FACTOR, "every other key page"),
        _scale_target(base, high, TARGET_SCALE, None, "every other key page"),
    ]
    for scale in sorted(s for s in by_scale if s > TARGET_SCALE):
        larger = by_key(by_scale[scale])
        for target in (
            _same_queries(base, larger, scale),
            _scale_target(base, larger, scale, HEAVY, heavy),
            _scale_target(base, larger, scale, None, "every other key page"),
        ):
            found.append(
                Target(f"{target.name} (for information)", target.met, target.details, True)
            )
    return found


def _needs(scales: tuple[float, ...]) -> str:
    return "needs " + " and ".join(f"scale {scale:g}" for scale in scales)


def _same_queries(base: dict | None, high: dict | None, scale: float) -> Target:
    name = f"same SQL query count at scale 1 and scale {scale:g}"
    if base is None or high is None:
        return Target(name, None, _needs((BASE_SCALE, scale)))
    differ = [
        f"{base[key]['title']} ({_queries(base[key])} → {_queries(high.get(key, {}))})"
        for key in key_pages(base)
        if key not in high
        or failed(base[key])
        or failed(high[key])
        # The fewest of its counted requests: a request that comes a minute after the
        # previous one also writes the session's "last seen" stamp (3 queries that are not the
        # page's), as a download of half a minute often does.
        or base[key]["queries"] != high[key]["queries"]
    ]
    return Target(name, not differ, "; ".join(differ) or "every key page and download")


def _floor_target(base: dict | None, keys, factor: float, who: str) -> Target:
    """`who` (the pages `keys`, or every other key page for None) within `factor` × the
    floor at scale 1."""
    name = f"{who} ≤ {factor:g}× the floor at scale 1"
    if base is None:
        return Target(name, None, _needs((BASE_SCALE,)))
    floor = base[FLOOR]["median_ms"]
    keys = [k for k in (keys or other_pages(base)) if k in base]
    figures = [
        (
            base[k]["title"],
            "failed" if failed(base[k]) else fmt(ratio(base[k]["median_ms"], floor), 1, "×"),
        )
        for k in keys
    ]
    over = [
        f"{title} {figure}"
        for k, (title, figure) in zip(keys, figures, strict=True)
        if failed(base[k]) or base[k]["median_ms"] > factor * floor
    ]
    if over:
        return Target(name, False, "; ".join(over))
    if len(keys) <= 3:
        return Target(name, True, "; ".join(f"{title} {figure}" for title, figure in figures))
    return Target(name, True, f"all {len(keys)} pages")


def _scale_target(base: dict | None, high: dict | None, scale: float, keys, who: str) -> Target:
    """`who` at `scale` within SCALE_FACTOR × their scale-1 time. A page measured once
    (over the slow budget) at either scale is not judged on its ratio: a pathological time at
    scale 1 would make any larger scale look fine."""
    name = f"{who} at scale {scale:g} ≤ {SCALE_FACTOR:g}× scale 1"
    if base is None or high is None:
        return Target(name, None, _needs((BASE_SCALE, scale)))
    keys = [k for k in (keys or other_pages(base)) if k in base]
    slower, figures = [], []
    for key in keys:
        low, large = base[key], high.get(key, {"error": "not measured"})
        title = low["title"]
        if failed(low) or failed(large):
            slower.append(f"{title} failed")
            continue
        too_slow = [f"scale {s:g}" for s, r in ((BASE_SCALE, low), (scale, large)) if r.get("note")]
        factor = ratio(large.get("median_ms"), low.get("median_ms"))
        figures.append(f"{title} {fmt(factor, 2, '×')}")
        if too_slow:
            slower.append(f"{title} too slow to judge at {', '.join(too_slow)}")
        elif factor is None or factor > SCALE_FACTOR:
            slower.append(f"{title} {fmt(factor, 2, '×')}")
    if slower:
        return Target(name, False, "; ".join(slower))
    if len(keys) <= 3:
        return Target(name, True, "; ".join(figures))
    return Target(name, True, f"all {len(keys)} pages")


def targets_table(found: list[Target]) -> list[list[str]]:
    """The targets as rows: what, met or not, and the pages that decide it."""
    return [[target.name, target.mark, target.details] for target in found]


def _queries(result: dict) -> str:
    if not result:
        return "—"
    if failed(result):
        return "failed"
    if result["queries_max"] != result["queries"]:
        return f"{result['queries']}–{result['queries_max']}"
    return str(result["queries"])


def summary(runs: list[dict], found: list[Target]) -> str:
    """The run in one line."""
    scales = ", ".join(f"{run['scale']:g}" for run in runs)
    counted = [target for target in found if not target.informative]
    met = sum(target.met is True for target in counted)
    judged = sum(target.met is not None for target in counted)
    worst = []
    for run in runs:
        results = by_key(run)
        floor = results[FLOOR]["median_ms"]
        pages = [r for k, r in results.items() if k not in REFERENCES]
        fails = [r["title"] for r in pages if failed(r)]
        measured = [r for r in pages if not failed(r) and r["key"] not in DOWNLOADS]
        slowest = max(measured, key=lambda r: r["median_ms"], default=None)
        part = f"scale {run['scale']:g}: floor {fmt(floor)} ms"
        if slowest:
            part += (
                f", slowest {slowest['title']} {fmt(slowest['median_ms'])} ms "
                f"({fmt(ratio(slowest['median_ms'], floor), 0, '×')} floor)"
            )
        for key, label in ((EXPORT, "full export"), (RESEARCH_EXPORT, "research zip")):
            download = results.get(key)
            if download and not failed(download):
                part += f", {label} {download['median_ms'] / 1000:.1f} s"
        if fails:
            part += f", failed: {', '.join(fails)}"
        worst.append(part)
    verdict = f"targets met {met}/{judged}" if judged else "no target judged at these scales"
    return f"bench [{scales}] {verdict} — " + "; ".join(worst)


def text_table(headers: list[str], table: list[list[str]], *, numbers: bool = True) -> str:
    """A fixed-width table: first column left-aligned, the others right-aligned when they hold
    numbers."""
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
    lines = []
    for row in [headers, *table]:
        cells = [
            str(cell).ljust(widths[i]) if i == 0 or not numbers else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown_table(headers: list[str], table: list[list[str]], *, numbers: bool = True) -> str:
    """A Markdown table; the columns after the first right-aligned when they hold numbers."""
    align = ["---"] + ["---:" if numbers else "---"] * (len(headers) - 1)
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
        larger = ", ".join(scale_label(run["scale"]) for run in runs[1:])
        parts += [
            f"### {larger.capitalize()} against {scale_label(runs[0]['scale'])}",
            "",
            markdown_table(comparison_headers(runs), comparison(runs)),
            "",
        ]
    parts += ["### Targets", ""]
    rows_ = [[name, f"**{mark}**", details] for name, mark, details in targets_table(found)]
    parts += [markdown_table(TARGET_HEADERS, rows_, numbers=False)]
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
