"""The task queue: Celery, with Redis as its broker (CELERY_BROKER_URL).

Without a broker (the embedded `make run`, the tests), tasks run in the process at once, so that
everything works on one machine; `make worker` and `make beat` start a real worker and the
scheduler against the broker. The schedule is declared in code (settings.CELERY_BEAT_SCHEDULE).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ema.settings")

app = Celery("ema")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
