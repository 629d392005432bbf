# The task queue's app, loaded with Django so that @shared_task uses it (ema/celery.py).
from ema.celery import app as celery_app

__all__ = ["celery_app"]
