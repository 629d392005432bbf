"""`make bench`: build or reuse the data set of each scale, measure the pages, print the
tables and a summary line, and write the figures into docs/benchmarks.md.

    python -m bench.run [--scales 1,10] [--runs 20] [--output docs/benchmarks.md]

Defaults come from BENCH_SCALES, BENCH_RUNS (20; 5 when every scale is below 1, the CI smoke)
and BENCH_OUTPUT ("-" writes nothing). The PostgreSQL server is DATABASE_URL's
(postgres://postgres@127.0.0.1:5432 when unset); each scale has its own database there,
ema_bench_s<scale> (BENCH_DATABASE_PREFIX instead of ema_bench), made and filled when missing.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from bench import config, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES") or config.DEFAULT_SCALES)
    parser.add_argument("--runs", type=int, help="rounds timed (BENCH_RUNS; 20, a smoke 5)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--statement-timeout",
        type=float,
        default=float(os.environ.get("BENCH_STATEMENT_TIMEOUT") or 30),
        help="seconds after which a page's SQL statement is cancelled and the page failed",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=float(os.environ.get("BENCH_SLOW_SECONDS") or 5),
        help="seconds: a page whose first request takes longer is measured once",
    )
    parser.add_argument("--output", default=os.environ.get("BENCH_OUTPUT") or "docs/benchmarks.md")
    args = parser.parse_args(argv)
    scales = config.parse_scales(args.scales)
    args.runs = args.runs or config.default_runs(scales)
    server = config.server_url()
    about = report.machine()

    _collectstatic(config.database_url(server, config.database_name(scales[0])))
    runs = []
    for scale in scales:
        runs.append(_measure_scale(server, scale, args))
        print()
        print(f"{report.scale_label(scale)}: {report.dataset_line(runs[-1])}")
        print(report.text_table(report.HEADERS, report.rows(runs[-1])))
        for result in runs[-1]["results"]:
            if report.failed(result):
                print(f"  {result['title']} failed: {result['error']}")
            elif result.get("note"):
                print(f"  {result['title']}: {result['note']}")
    if len(runs) > 1:
        print()
        larger = ", ".join(report.scale_label(run["scale"]) for run in runs[1:])
        print(f"{larger} against {report.scale_label(runs[0]['scale'])}")
        print(report.text_table(report.comparison_headers(runs), report.comparison(runs)))

    found = report.targets(runs)
    print()
    print("Targets (issue 17)")
    print(report.text_table(report.TARGET_HEADERS, report.targets_table(found), numbers=False))
    line = report.summary(runs, found)
    print(line)

    about |= {
        "django": runs[0]["django"],
        "postgresql": runs[0]["postgresql"],
        "load_end": report.load(),
        "settings": "DEBUG off, production settings over plain HTTP, CONN_MAX_AGE=60",
    }
    if args.output != "-":
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        report.write_section(path, "bench", report.bench_markdown(runs, about, found, line))
        print(f"Wrote {path}")
    errors = [r for run in runs for r in run["results"] if r["error"] and not report.timed_out(r)]
    return 1 if errors else 0


def _collectstatic(database: str) -> None:
    """Production settings serve hashed static files from a manifest: build it."""
    config.python(
        ["manage.py", "collectstatic", "--no-input", "-v0"],
        env=config.production_env(database, hosts="testserver"),
    )


def _measure_scale(server: str, scale: float, args: argparse.Namespace) -> dict:
    """Prepare the scale's database, then measure it in a fresh process."""
    name = config.database_name(scale)
    state = prepare_database(server, name, scale)
    print(f"scale {scale:g}: database {name} ({state})", flush=True)
    with tempfile.TemporaryDirectory(prefix="ema-bench-") as folder:
        out = Path(folder) / "results.json"
        command = ["-m", "bench.measure", "--scale", f"{scale:g}"]
        command += ["--runs", str(args.runs), "--warmup", str(args.warmup), "--out", str(out)]
        command += [
            "--statement-timeout",
            f"{args.statement_timeout:g}",
            "--slow",
            f"{args.slow:g}",
        ]
        env = config.production_env(config.database_url(server, name), hosts="testserver,127.0.0.1")
        env.update(config.FILES_IN_THE_REQUEST)
        config.python(command, env=env)
        return json.loads(out.read_text(encoding="utf-8"))


def prepare_database(server: str, name: str, scale: float) -> str:
    """Keep the database if it holds this version's data set of this scale; otherwise drop
    it and make an empty one (the measuring process migrates and fills it)."""
    with psycopg.connect(config.database_url(server, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            marker = read_marker(config.database_url(server, name))
            wanted = (config.DATA_VERSION, scale, config.SEED)
            if marker and (marker["version"], marker["scale"], marker["seed"]) == wanted:
                return "reused"
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return "rebuilt" if exists else "new"


def read_marker(url: str) -> dict | None:
    """The benchmark's marker in that database, or None."""
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT to_regclass(%s)", [config.MARKER_TABLE]).fetchone()
        if not found or found[0] is None:
            return None
        row = connection.execute(
            sql.SQL("SELECT details FROM {}").format(sql.Identifier(config.MARKER_TABLE))
        ).fetchone()
    return json.loads(row[0]) if row else None


if __name__ == "__main__":
    sys.exit(main())
