"""One real worker, end to end: a Celery worker process with the machine's Redis as its broker
and the tests' PostgreSQL database runs the daily digests job sent to it, and the digest
reaches a real SMTP server. Skipped (with the reason) on SQLite, which a second process cannot
share; on PostgreSQL a missing Redis skips it too, except under CI=true, where it fails."""

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from reminders.models import DigestSent
from tests.factories import InterventionFactory
from tests.reminders.smtp import start_smtp_server

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"

pytestmark = pytest.mark.django_db(transaction=True)


def _redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def worker_environment():
    if connection.vendor != "postgresql":
        # CI runs the suite on PostgreSQL (.ci/run); the embedded SQLite cannot be shared.
        pytest.skip("a worker process needs the tests' database on a server (DATABASE_URL)")
    if not _redis_answers():
        reason = f"no Redis answers at {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the worker test cannot run: {reason}")
        pytest.skip(reason)
    database = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        # The worker reads no report: no replica (whose URL names the database of the tests'
        # server, not their test database).
        "DATABASE_REPLICA_URL": "",
        "CELERY_BROKER_URL": BROKER,
        "DIGEST_HOUR": "0",
        "CONN_MAX_AGE": "0",
    }


def test_a_real_worker_runs_the_digest_job_and_the_email_goes_out(
    worker_environment, intervenant_ss, site_ss
):
    InterventionFactory(
        author=intervenant_ss,
        site=site_ss,
        follow_up_due=timezone.localdate() - timedelta(days=1),
        follow_up_by=intervenant_ss,
    )
    controller, inbox = start_smtp_server()
    queue = f"ema-test-{uuid.uuid4().hex[:8]}"  # this test's own: no other worker takes it
    environment = {
        **worker_environment,
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
    }
    worker = subprocess.Popen(  # noqa: S603 -- this Python, a constant command
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ema",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sender = Celery(broker=BROKER)
        # Sent twice, as a retry or a second scheduler would: the digest still goes once.
        for _ in range(2):
            sender.send_task("reminders.tasks.send_daily_digests", queue=queue)
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.3)
        time.sleep(1)  # the second run, which must send nothing
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        controller.stop()
    assert len(inbox.messages) == 1, output[-3000:]
    assert inbox.messages[0]["To"] == intervenant_ss.email
    assert "1 suivi en retard" in inbox.messages[0].get_content()
    assert DigestSent.objects.filter(user=intervenant_ss).count() == 1
