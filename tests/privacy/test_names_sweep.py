"""Names only for those who may open the file: residents of Saint-Sulpice, with marker names,
are named everywhere the data can reach — on André-Grasset's committee, in André-Grasset's
interventions and group activity (rows that older data, or a household moved since, can
hold), on Saint-Sulpice's own committee and records — and an intervenant of André-Grasset
reads every page of the URL table, the household search, the exports and the JSON: no marker
appears anywhere. They see a count instead ("1 person from another site")."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from ema.accounts.models import Role
from interventions.models import Intervention, Participation, Tally
from partners.models import CommitteeMembership, Contact, Status
from partners.services import partner_link_create
from tests.collective.factories import collective_issue_of
from tests.evaluation.factories import JournalEntryFactory
from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    UserFactory,
    prepared_file_of,
)
from tests.helpers import Token
from tests.incidents.factories import IncidentFactory
from tests.logins import log_in
from tests.partners.factories import CommitmentFactory, ReferralFactory, TenantCommitteeFactory
from tests.security.pages import read_page
from tests.support.factories import SupervisionSessionFactory
from tests.team.factories import case_discussion_of
from tests.url_table import EXPECTATIONS

MARKER = "Zorglubienne"


@pytest.fixture
def sweep(site_ss, site_ag):
    """Saint-Sulpice's marked family, and André-Grasset's records that name its members."""
    marked = HouseholdFactory(site=site_ss, label=f"{MARKER}-Famille", unit=f"{MARKER} 1")
    mother = ConsentedResidentFactory(
        household=marked,
        first_name=f"{MARKER}-Mère",
        last_name=MARKER,
        school=f"École {MARKER}",
        phone="514 555-0199",
    )
    child = ConsentedResidentFactory(
        household=marked, first_name=f"{MARKER}-Enfant", last_name=MARKER
    )
    ss_staff = UserFactory(role=Role.INTERVENANT, sites=[site_ss])
    viewer = UserFactory(username="lecteur.ag", role=Role.INTERVENANT, sites=[site_ag])

    # André-Grasset's own family, whose pages the viewer opens.
    own = HouseholdFactory(site=site_ag, label="Lefebvre")
    neighbour = ConsentedResidentFactory(household=own, first_name="Rosalie", last_name="Lefebvre")
    # A committee of André-Grasset with a Saint-Sulpice member, and Saint-Sulpice's own.
    committee_ag = TenantCommitteeFactory(name="Comité André-Grasset", committee_site=site_ag)
    committee_ss = TenantCommitteeFactory(name="Comité Saint-Sulpice", committee_site=site_ss)
    for committee in (committee_ag, committee_ss):
        CommitteeMembership.objects.create(committee=committee, resident=mother, since="2025-01-01")
    CommitteeMembership.objects.create(
        committee=committee_ag, resident=neighbour, since="2025-01-01"
    )
    # An intervention of André-Grasset naming both families (rows written before the rule on
    # sites, or whose household moved since: the model refuses them now).
    intervention = InterventionFactory(site=site_ag, author=viewer, follow_up_due="2026-01-05")
    for resident in (mother, child, neighbour):
        Participation.objects.create(intervention=intervention, resident=resident)
    committee_ag.present_at.add(intervention)
    # A group activity of André-Grasset with a Saint-Sulpice child registered and coming.
    activity = GroupActivityFactory(site=site_ag)
    activity.registered.add(child, neighbour)
    for _ in range(5):
        session = InterventionFactory(site=site_ag, author=viewer, activity=activity)
        Participation.objects.create(intervention=session, resident=child)
    # Saint-Sulpice's records about the family: never shown to the viewer.
    InterventionFactory(site=site_ss, author=ss_staff, summary=f"Visite chez {MARKER}")
    sent = ReferralFactory(
        resident=mother,
        responsible=ss_staff,
        reason=f"Pour {MARKER}",
        consented=True,
        status=Status.SENT,
    )
    # Its partner answers from a link: the page the link opens names nobody either.
    contact = Contact.objects.create(
        organisation=sent.organisation, name="Julie Gagnon", email="julie@partenaire.example.org"
    )
    _, token = partner_link_create(referral=sent, contact=contact, by=ss_staff)
    referral = ReferralFactory(resident=neighbour, responsible=viewer, organisation=committee_ag)
    # A team meeting the viewer attended, where a Saint-Sulpice colleague brought a case
    # discussion about the marked family: the viewer reads it, never the family's name.
    discussion = case_discussion_of(marked, participants=[ss_staff, viewer], owner=viewer)
    commitment = CommitmentFactory(organisation=committee_ag)
    objects = {
        "household": own,
        "resident": neighbour,
        "consent": neighbour.consents.get(),
        "intervention": intervention,
        "activity": activity,
        "organisation": committee_ag,
        "committee": committee_ag,
        "referral": referral,
        "incident": IncidentFactory(recorded_by=UserFactory(role=Role.DIRECTION)),
        "journal_entry": JournalEntryFactory(author=viewer),
        "tally": Tally.objects.create(
            author=viewer, type=intervention.type, place=intervention.place, site=site_ag
        ),
        "prepared_file": prepared_file_of(viewer),
        "meeting": discussion.meeting,
        "agenda_item": discussion,
        "meeting_action": discussion.actions.get(),
        # André-Grasset's issue, the viewer's supervision with a Saint-Sulpice colleague, a
        # concertation table's commitment: none of their pages names the marked family.
        "collective_issue": collective_issue_of(
            household=own, intervention=intervention, partner=committee_ag, by=viewer
        ),
        "supervision_session": SupervisionSessionFactory(supervisor=ss_staff, supervised=[viewer]),
        "team_member": viewer,
        "concertation_meeting": commitment.meeting,
        "commitment": commitment,
        "bad_partner_token": Token("pas-un-vrai-jeton-" + "x" * 25),
        "partner_token": Token(token),
    }
    return viewer, objects, committee_ss


def _read(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return html.unescape(response.content.decode("utf-8", "replace"))


def test_no_page_names_a_resident_to_someone_who_cannot_open_their_file(client, sweep):
    viewer, objects, committee_ss = sweep
    log_in(client, viewer)
    read = {}
    for route, (method, target, _) in sorted(EXPECTATIONS.items()):
        if method != "get":
            continue
        url = reverse(route, args=[objects[target].pk] if target else [])
        read[url] = client.get(url)
    read["committee of the other site"] = client.get(committee_ss.get_absolute_url())
    found = client.post(reverse("residents:household_list"), {"q": MARKER}, follow=True)
    # The search box shows back what the person typed; the results name nobody.
    assert not list(found.context["page_obj"])
    for name in ("intervention_export", "referral_export"):
        for fmt in ("csv", "xlsx"):
            read[f"{name} {fmt}"] = client.get(reverse(f"{_app(name)}:{name}"), {"format": fmt})
    # The type-ahead answers names of the viewer's own sites only, typed with or without accents.
    for typed in (MARKER, MARKER.lower()):
        for route in ("residents:resident_lookup", "residents:household_lookup"):
            read[f"{route} {typed}"] = client.post(reverse(route), {"q": typed})
    read["partner link"] = client.get(
        reverse("partners:partner_link", args=[objects["partner_token"]])
    )
    for route in ("privacy:resident_personal_information_json",):
        read[route] = client.get(reverse(route, args=[objects["resident"].pk]))

    leaks = {
        where: response.status_code for where, response in read.items() if MARKER in _read(response)
    }
    assert not leaks
    # The pages were read, not refused: the sweep means something.
    assert read[objects["intervention"].get_absolute_url()].status_code == 200
    assert read["committee of the other site"].status_code == 200
    assert read[f"residents:resident_lookup {MARKER}"].status_code == 200
    assert read["partner link"].status_code == 200


def _app(name: str) -> str:
    return "interventions" if name.startswith("intervention") else "partners"


def _from_another_site(count: int) -> str:
    with translation.override("fr-ca"):
        return translation.ngettext(
            "%(count)s person from another site", "%(count)s people from another site", count
        ) % {"count": count}


def test_people_of_another_site_are_counted_where_they_are_not_named(client, sweep):
    viewer, objects, committee_ss = sweep
    log_in(client, viewer)
    one, two = (_from_another_site(count) for count in (1, 2))
    committee = _read(client.get(objects["committee"].get_absolute_url()))
    assert one in " ".join(committee.split())
    assert "Rosalie Lefebvre" in committee
    other_committee = " ".join(_read(client.get(committee_ss.get_absolute_url())).split())
    assert one in other_committee
    intervention = " ".join(_read(client.get(objects["intervention"].get_absolute_url())).split())
    assert two in intervention
    assert "Rosalie Lefebvre" in intervention
    activity = " ".join(_read(client.get(objects["activity"].get_absolute_url())).split())
    assert one in activity


def test_whoever_may_open_the_file_reads_the_names(client, sweep, coordination):
    _, objects, committee_ss = sweep
    log_in(client, coordination)
    assert MARKER in _read(client.get(committee_ss.get_absolute_url()))
    assert MARKER in _read(client.get(objects["intervention"].get_absolute_url()))


def test_editing_an_intervention_keeps_the_people_its_author_cannot_see(client, sweep):
    viewer, objects, _ = sweep
    intervention = objects["intervention"]
    log_in(client, viewer)
    url = reverse("interventions:intervention_update", args=[intervention.pk])
    page = client.get(url)
    assert MARKER not in _read(page)
    # What the browser sends back: the people it was shown, and its change.
    form = read_page(page, url).form_to("interventions:intervention_update")
    response = client.post(url, form.data({"summary": "Revu par son auteur."}))
    assert response.status_code == 302, response.context and response.context["form"].errors
    intervention = Intervention.objects.get(pk=intervention.pk)
    assert intervention.summary == "Revu par son auteur."
    assert intervention.participations.count() == 3
