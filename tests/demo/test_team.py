"""The demo's year of team meetings: every two weeks, with case discussions about demo
households of the participants' sites, and actions mostly done, some open, a few late."""

import pytest
from django.utils import timezone

from demo.households import seed_demo
from demo.meetings import MEETINGS, seed_team_meetings
from team.models import AgendaItem, Meeting, MeetingAction

pytestmark = pytest.mark.django_db


def test_a_year_of_meetings_with_case_discussions_and_actions_once():
    seed_demo()
    summary = seed_team_meetings(seed=7)
    assert summary is not None
    assert Meeting.objects.count() == MEETINGS
    assert seed_team_meetings(seed=7) is None  # safe to run again
    today = timezone.localdate()
    assert AgendaItem.objects.filter(kind=AgendaItem.Kind.CASE).count() >= MEETINGS
    for item in AgendaItem.objects.filter(kind=AgendaItem.Kind.CASE).select_related(
        "household", "meeting"
    ):
        sites = {site.pk for user in item.meeting.participants.all() for site in user.sites.all()}
        assert item.household.site_id in sites
    actions = MeetingAction.objects.all()
    done = actions.filter(done_on__isnull=False).count()
    late = actions.filter(done_on__isnull=True, due_on__lt=today).count()
    assert done > actions.count() / 2
    assert late >= 1
    assert actions.filter(done_on__isnull=True, due_on__gte=today).exists() or late
    for action in actions.select_related("item__meeting"):
        assert action.item.meeting.participants.filter(pk=action.owner_id).exists()
