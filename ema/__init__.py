# The task queue's app, loaded with Django so that @shared_task uses it (ema/celery.py).
from ema.celery import app as celery_app

# The application's version: written in the research data set's description (and wherever a
# file must say which EMA made it). Raised with each release.
__version__ = "2026.12"

__all__ = ["__version__", "celery_app"]
