"""The demo's evaluation: the research account, research consents for about 40 % of the
residents with a file (a parent's for a child), and a year of journal entries with their
figures; deterministic and safe to rerun."""

import pytest
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD
from demo.activity import seed_activity
from demo.evaluation import seed_evaluation
from demo.households import seed_demo
from ema.accounts.models import Role, User
from evaluation.models import JournalEntry
from residents.models import Consent

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_research_account_consents_and_a_year_of_journal():
    seed_demo()
    seed_activity(days=60)
    summary = seed_evaluation()
    research = User.objects.get(username="recherche")
    assert research.role == Role.RESEARCH
    assert research.check_password(DEMO_PASSWORD)
    with_a_file = (
        Consent.objects.filter(purpose=Consent.Purpose.KEEP_FILE).values("resident").distinct()
    )
    research_consents = Consent.objects.filter(purpose=Consent.Purpose.RESEARCH)
    assert summary.research_consents == research_consents.count()
    assert 0.33 <= research_consents.count() / with_a_file.count() <= 0.47
    for consent in research_consents.select_related("resident")[:300]:
        consent.full_clean()
    entries = JournalEntry.objects.all()
    assert entries.count() == summary.entries == 24
    assert set(entries.values_list("kind", flat=True)) == set(JournalEntry.Kind.values)
    assert not entries.filter(date__gt=timezone.localdate()).exists()
    assert all(entry.figures and entry.figures_period for entry in entries)
    # Safe to run again, and the same each time.
    assert seed_evaluation().entries == 0
    assert seed_evaluation().research_consents == 0
