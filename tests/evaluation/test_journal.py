"""The practice journal: staff write entries citing the dashboard's figures, kept as they
were that day; the research team reads it only; the author and the direction edit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ema.access import can_edit_journal_entry, can_write_practice_journal
from evaluation.models import JournalEntry
from interventions.models import Level
from tests.evaluation.factories import JournalEntryFactory
from tests.factories import InterventionFactory
from tests.helpers import french, once, page_text, version_of

JOURNAL_URL = reverse("evaluation:journal")
CREATE_URL = reverse("evaluation:entry_create")
MONTH = {"kind": "month"}


def _entry(**values):
    return {
        "date": timezone.localdate().isoformat(),
        "kind": JournalEntry.Kind.CHANGE,
        "title": "Une permanence le samedi",
        "rationale": "Les familles qui travaillent la semaine ne venaient pas.",
        **values,
        **once(),
    }


def _log(site, hours, day=None):
    return InterventionFactory(
        site=site,
        date=day or timezone.localdate(),
        level=Level.INDIVIDUAL,
        duration_minutes=60 * hours,
    )


def test_an_entry_keeps_the_figures_it_cites_as_they_were(client_as, intervenant_ss, site_ss):
    _log(site_ss, 2)
    client = client_as(intervenant_ss)
    response = client.post(
        f"{CREATE_URL}?kind=month", _entry(figures=["hours_by_level", "referrals"])
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.author == intervenant_ss
    assert [figure["key"] for figure in entry.figures] == ["hours_by_level", "referrals"]
    individual = entry.figures[0]["rows"][0]
    assert individual[1] == 2.0
    assert entry.figures_period["start"] == timezone.localdate().replace(day=1).isoformat()
    kept = entry.figures
    # The data changes after: the entry's figures do not.
    _log(site_ss, 5)
    entry.refresh_from_db()
    assert entry.figures == kept
    page = client.get(entry.get_absolute_url())
    assert "2,0" in page_text(page) or "2.0" in page_text(page)


def test_the_form_warns_that_the_research_team_reads_the_journal(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(CREATE_URL)
    text = page_text(response)
    assert "équipe de recherche" in text
    assert french(JournalEntry._meta.get_field("rationale").help_text) in text


def test_an_entry_without_a_title_is_refused_and_what_was_typed_is_kept(client_as, intervenant_ss):
    response = client_as(intervenant_ss).post(CREATE_URL, _entry(title=""))
    assert response.status_code == 400
    assert french("This field is required.") in page_text(response)
    assert "Les familles qui travaillent" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_an_entry_of_a_day_to_come_is_refused(client_as, intervenant_ss):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as(intervenant_ss).post(CREATE_URL, _entry(date=tomorrow))
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()


def test_research_reads_the_journal_but_does_not_write(client_as, research, intervenant_ss):
    entry = JournalEntryFactory(author=intervenant_ss, title="Soirées jeux au local")
    client = client_as(research)
    assert "Soirées jeux au local" in page_text(client.get(JOURNAL_URL))
    assert client.get(entry.get_absolute_url()).status_code == 200
    assert client.post(CREATE_URL, _entry()).status_code == 403
    assert not can_write_practice_journal(research)
    assert JournalEntry.objects.count() == 1


def test_the_author_and_the_direction_edit_an_entry_others_do_not(
    client_as, intervenant_ss, intervenant_ag, direction, coordination
):
    entry = JournalEntryFactory(author=intervenant_ss)
    assert can_edit_journal_entry(intervenant_ss, entry)
    assert can_edit_journal_entry(direction, entry)
    assert not can_edit_journal_entry(intervenant_ag, entry)
    assert not can_edit_journal_entry(coordination, entry)
    url = reverse("evaluation:entry_update", args=[entry.pk])
    data = {
        "date": entry.date.isoformat(),
        "kind": entry.kind,
        "title": "Titre corrigé",
        "rationale": entry.rationale,
        **version_of(entry),
    }
    assert client_as(intervenant_ag).post(url, data).status_code == 403
    response = client_as(direction).post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Titre corrigé"
    assert entry.version == 2


@pytest.mark.parametrize("count", [3, 40])
def test_the_journal_pages_have_a_bounded_query_count(
    client_as, research, intervenant_ss, count, django_assert_max_num_queries
):
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                date=timezone.localdate(),
                kind=JournalEntry.Kind.LESSON,
                title=f"Leçon {n}",
                rationale="…",
                author=intervenant_ss,
            )
            for n in range(count)
        ]
    )
    client = client_as(research)
    with django_assert_max_num_queries(6):
        response = client.get(JOURNAL_URL)
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(JournalEntry.objects.first().get_absolute_url()).status_code == 200


def test_the_create_page_and_its_post_have_a_bounded_query_count(
    client_as, intervenant_ss, site_ss, django_assert_max_num_queries
):
    _log(site_ss, 1)
    client = client_as(intervenant_ss)
    with django_assert_max_num_queries(40):
        assert client.get(CREATE_URL, MONTH).status_code == 200
    with django_assert_max_num_queries(45):
        response = client.post(f"{CREATE_URL}?kind=month", _entry(figures=["participation"]))
    assert response.status_code == 302
