"""The dashboard settings moved from ema to reports with their row: the targets the direction
saved before the move are the ones read after it.

The migrations run with `manage.py migrate` on a database of their own (a SQLite file), from
before the move to the end: the test database, shared by the suite, stays as it is."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings


def _migrate(database, *target):
    subprocess.run(  # noqa: S603 - no shell, this Python and manage.py
        [sys.executable, "manage.py", "migrate", *target, "--no-input", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DATABASE_REPLICA_URL": ""},
        check=True,
    )


def test_the_targets_saved_before_the_move_are_read_after_it(tmp_path):
    database = tmp_path / "before-the-move.sqlite3"
    _migrate(database, "ema", "0002_submission")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO ema_dashboardsettings (id, target_individual, target_group, "
            "target_collective, not_reached_months) VALUES (1, 50, 20, 30, 9)"
        )
        # As in a database made before the move: the content type is ema's.
        db.execute(
            "UPDATE django_content_type SET app_label = 'ema' WHERE model = 'dashboardsettings'"
        )

    _migrate(database)

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT id, target_individual, target_group, target_collective, not_reached_months "
            "FROM reports_dashboardsettings"
        ).fetchall()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        content_types = db.execute(
            "SELECT app_label FROM django_content_type WHERE model = 'dashboardsettings'"
        ).fetchall()
    assert rows == [(1, 50, 20, 30, 9)]
    assert "ema_dashboardsettings" not in tables
    assert content_types == [("reports",)]
