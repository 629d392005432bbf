"""What the benchmark's processes agree on, without Django: data set names and versions,
scales, and the environment a measuring process or gunicorn runs with."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# A data set built by another version of bench.data is rebuilt. 2: team meetings, clinical
# supervision, the practice journal, research consents and roles on the residents' paths.
DATA_VERSION = 3
SEED = 2018
MARKER_TABLE = "bench_dataset"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_SCALES = "1,10"
DEFAULT_RUNS = 20
# A run of small scales only (the CI smoke, 0.05) checks that every page answers; its figures
# are not reported anywhere, so that it stays near a minute it times fewer rounds.
SMOKE_RUNS = 5
# Each scale's database is <prefix>_s<scale>; another prefix keeps two people's runs on one
# server apart (BENCH_DATABASE_PREFIX).
DEFAULT_PREFIX = "ema_bench"
# The benchmark times the writing of a whole file in the request: above these numbers of rows
# the pages hand it to a job (downloads/), which writes it with the same code.
FILES_IN_THE_REQUEST = {
    "EXPORT_IN_BACKGROUND_ROWS": str(10**9),
    "ANNUAL_REPORT_IN_BACKGROUND": str(10**9),
}


def check_scale(scale: float) -> float:
    """A scale is a whole number of steps of three sites, or a fraction of scale 1."""
    if scale <= 0 or (scale > 1 and scale != int(scale)):
        raise ValueError(f"A scale is a whole number, or a fraction below 1; not {scale:g}.")
    return float(scale)


def parse_scales(text: str) -> list[float]:
    """'1,10' -> [1.0, 10.0], smallest first."""
    return sorted({check_scale(float(part)) for part in text.replace(" ", "").split(",") if part})


def default_runs(scales: list[float]) -> int:
    """BENCH_RUNS, or 20 rounds; 5 when every scale is below 1 (a smoke)."""
    if os.environ.get("BENCH_RUNS"):
        return int(os.environ["BENCH_RUNS"])
    return SMOKE_RUNS if max(scales) < 1 else DEFAULT_RUNS


def database_name(scale: float) -> str:
    """The PostgreSQL database of a scale: ema_bench_s1, ema_bench_s10, ema_bench_s0_05."""
    prefix = os.environ.get("BENCH_DATABASE_PREFIX") or DEFAULT_PREFIX
    return f"{prefix}_s" + f"{scale:g}".replace(".", "_")


def server_url() -> str:
    """The PostgreSQL server from DATABASE_URL (its database name is ignored)."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(
            f"The benchmark runs on PostgreSQL; DATABASE_URL is {url!r}. "
            f"Unset it to use {DEFAULT_SERVER}."
        )
    return url


def database_url(server: str, name: str) -> str:
    """The server's URL with another database name."""
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def production_env(database: str, *, hosts: str) -> dict[str, str]:
    """The environment of a process that serves EMA as production does (DEBUG off), over
    plain HTTP on this machine, on a benchmark database."""
    env = dict(os.environ)
    # The benchmark measures the primary alone; a read replica's URL (CI sets one) names
    # another database than the benchmark's.
    for name in ("EMA_TESTING", "PYTEST_ADDOPTS", "DATABASE_REPLICA_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="ema.settings",
        DATABASE_URL=database,
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=hosts,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def python(args: list[str], *, env: dict[str, str], check: bool = True, timeout=None):
    """Run this Python on our own module or manage.py, from the project folder, no shell."""
    return subprocess.run(  # noqa: S603 - our own command line
        [PYTHON, *args], cwd=ROOT, env=env, check=check, timeout=timeout
    )


def start_python(args: list[str], *, env: dict[str, str]) -> subprocess.Popen:
    """Start this Python in the background (gunicorn), from the project folder, no shell."""
    return subprocess.Popen([PYTHON, *args], cwd=ROOT, env=env)  # noqa: S603 - our own command
