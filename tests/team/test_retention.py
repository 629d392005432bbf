"""A case discussion under Law 25: when the household's file is anonymised, what was said and
decided about it and its actions' words are cleared; the meeting, its date, who attended and
who owed what stay (the team's work)."""

from privacy.retention import ANONYMISED_TEXT, anonymise_household
from tests.factories import UserFactory
from tests.privacy.families import TODAY, family
from tests.team.factories import AgendaItemFactory, MeetingFactory, case_discussion_of


def test_anonymising_a_file_clears_its_case_discussions_but_keeps_the_meeting(site_ss):
    household = family(site_ss, UserFactory(sites=[site_ss]))
    colleague = UserFactory(sites=[site_ss])
    discussion = case_discussion_of(
        household,
        participants=[colleague],
        said="La mère de Jérémie Lachapelle est épuisée.",
        decisions="Accompagner Mme Lachapelle au CLSC.",
    )
    about_a_member = AgendaItemFactory(
        meeting=MeetingFactory(created_by=colleague, participants=[colleague]),
        resident=household.members.first(),
        household=household,
        said="Jérémie ne va plus à l’école.",
    )
    elsewhere = case_discussion_of(
        family(site_ss, UserFactory(sites=[site_ss])),
        participants=[colleague],
        said="Une autre famille.",
    )

    anonymise_household(household=household, today=TODAY)

    for item in (discussion, about_a_member):
        item.refresh_from_db()
        assert (item.said, item.decisions) == ("", "")
    action = discussion.actions.get()
    assert action.what == ANONYMISED_TEXT
    assert action.owner == colleague
    assert list(discussion.meeting.participants.all()) == [colleague]
    elsewhere.refresh_from_db()
    assert elsewhere.said == "Une autre famille."
