"""Measure the pages on one data set, in this process, through the whole WSGI stack.

    python -m bench.measure --scale 1 --runs 20 --out results.json

Runs with DATABASE_URL pointing at the scale's database (bench.run sets it up): migrates,
builds or reuses the data set, then sends each page's request `--warmup` times, counts its SQL
queries twice, and times `--runs` rounds in which every page is requested once (a download,
warmed up once, in the first few rounds only), so that a burst of load from elsewhere on the
machine touches every page alike. A page whose first request takes more than `--slow` seconds
(or the page's own `slow`) is measured that once, and a page with an SQL statement longer than
`--statement-timeout` seconds is reported as failed, instead of holding the run for hours.
"""

import argparse
import json
import statistics
import time
from dataclasses import asdict, dataclass, field

import django

from bench.report import percentile

SLOWEST = 3  # queries kept per page, slowest first
SQL_CHARS = 2000


@dataclass(frozen=True)
class Result:
    """One page's figures: times in milliseconds, SQL queries per request, response size."""

    key: str
    title: str
    username: str
    method: str
    path: str
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    min_ms: float | None = None
    queries: int | None = None
    queries_max: int | None = None
    bytes: int | None = None
    sql_ms: float | None = None  # time spent in SQL during one counted request
    slowest: list = field(default_factory=list)  # [[ms, sql], ...] of that request
    note: str = ""
    error: str = ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--statement-timeout", type=float, default=30, help="seconds")
    parser.add_argument("--slow", type=float, default=5, help="seconds: measure once beyond")
    parser.add_argument("--out", required=True, help="where to write the results (JSON)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench import data

    print(f"scale {args.scale:g}: database {connection.settings_dict['NAME']}", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    dataset = data.ensure(scale=args.scale, log=lambda line: print(line, flush=True))
    if dataset.reused:
        print(f"  reusing the data set built on {dataset.built_on}", flush=True)
    with override_settings(ROOT_URLCONF="bench.urls"):
        results, notes = measure(
            runs=args.runs,
            warmup=args.warmup,
            statement_timeout=args.statement_timeout,
            slow=args.slow,
        )
    output = {
        "scale": args.scale,
        "dataset": {**asdict(dataset), "built_on": dataset.built_on.isoformat()},
        "results": [asdict(result) for result in results],
        "notes": notes,
        "postgresql": connection.cursor().connection.info.parameter_status("server_version"),
        "django": django.get_version(),
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(output, out, indent=2)


def measure(
    *, runs: int, warmup: int, statement_timeout: float, slow: float
) -> tuple[list[Result], list[str]]:
    """Warm up and count queries, then time `runs` rounds of every page that neither failed
    nor took more than `slow` seconds (such a page is measured once)."""
    from bench import pages as bench_pages

    _limit_statements(statement_timeout)
    pages = bench_pages.pages()
    clients = bench_pages.Clients(probe=pages[0].path)
    timings: dict[str, list[float]] = {page.key: [] for page in pages}
    counted: dict[str, Counted] = {}
    sizes: dict[str, int] = {}
    errors: dict[str, str] = {}
    with bench_pages.todays_work(bench_pages.INTERVENANT):
        for page in pages:
            started = time.perf_counter()
            try:
                warm = warmup if page.max_runs is None else min(warmup, 1)
                counted[page.key] = _warm_up(clients[page.username], page, warm, page.slow or slow)
            except Exception as error:
                seconds = time.perf_counter() - started
                errors[page.key] = f"{type(error).__name__} after {seconds:.0f} s: {error}"
                print(f"  {page.title}: {errors[page.key]}", flush=True)
        measured = [p for p in pages if p.key not in errors and not counted[p.key].too_slow]
        for round_number in range(runs):
            for page in measured:
                if page.max_runs is not None and round_number >= page.max_runs:
                    continue
                client = clients[page.username]
                started = time.perf_counter()
                sizes[page.key] = _send(client, page)
                timings[page.key].append((time.perf_counter() - started) * 1000)
            if (round_number + 1) % 5 == 0 or round_number + 1 == runs:
                print(f"  measured {round_number + 1}/{runs} rounds", flush=True)
    results = []
    for page in pages:
        about = {"key": page.key, "title": page.title, "username": page.username}
        about |= {"method": page.method, "path": page.path}
        if page.key in errors:
            results.append(Result(**about, error=errors[page.key]))
            continue
        count = counted[page.key]
        times = timings[page.key] or [count.first_ms]
        results.append(
            Result(
                **about,
                runs=len(times),
                median_ms=round(statistics.median(times), 2),
                p95_ms=round(percentile(times, 0.95), 2),
                min_ms=round(min(times), 2),
                queries=min(count.queries),
                queries_max=max(count.queries),
                bytes=sizes.get(page.key, count.size),
                sql_ms=round(sum(ms for ms, _ in count.sql), 2),
                slowest=[
                    [round(ms, 2), text[:SQL_CHARS]]
                    for ms, text in sorted(count.sql, key=lambda q: -q[0])[:SLOWEST]
                ],
                note=(
                    f"one request took {count.first_ms / 1000:.1f} s "
                    f"(over {page.slow or slow:g} s): "
                    "measured once"
                    if count.too_slow
                    else ""
                ),
            )
        )
    return results, clients.notes


@dataclass
class Counted:
    """What the warm-up learnt of a page: SQL queries per request (the last counted
    request's statements with their times), and the first request's time and size."""

    queries: list[int]
    sql: list[tuple[float, str]]
    first_ms: float
    size: int
    too_slow: bool


def _warm_up(client, page, warmup: int, slow: float) -> Counted:
    """Send the page `warmup` times and twice more counting its queries; stop after the
    first request if it took more than `slow` seconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        size = _send(client, page)
    first = time.perf_counter() - started
    count = Counted([len(captured)], _statements(captured), first * 1000, size, first > slow)
    if count.too_slow:
        print(f"  {page.title}: {first:.1f} s for one request: measured once", flush=True)
        return count
    for _ in range(warmup):
        _send(client, page)
    count.queries = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            _send(client, page)
        count.queries.append(len(captured))
    count.sql = _statements(captured)
    return count


def _statements(captured) -> list[tuple[float, str]]:
    return [(float(query["time"]) * 1000, query["sql"]) for query in captured]


def _limit_statements(seconds: float) -> None:
    """Cancel any SQL statement that runs longer than `seconds`, on every connection."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def limit(sender, connection, **kwargs) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection_created.connect(limit, weak=False, dispatch_uid="bench_statement_timeout")
    connection.ensure_connection()
    limit(None, connection)


def _send(client, page) -> int:
    """Send the page's request, read the whole response, check its status; its size."""
    send = client.post if page.method == "POST" else client.get
    response = send(page.path, page.request_data())
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != page.status:
        raise RuntimeError(
            f"{page.method} {page.path} as {page.username}: {response.status_code}, "
            f"expected {page.status} {response.get('Location', '')}"
        )
    return len(body)


if __name__ == "__main__":
    main()
