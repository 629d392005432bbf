"""Demo-like data for the evaluation's tests: residents, staff and partners with names that
no page nor file of the research team may show, and texts typed by the team that no file may
hold."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from interventions.models import Level, Participation
from residents.models import Consent
from tests.factories import (
    ConsentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ResidentFactory,
    ThemeFactory,
    UserFactory,
)
from tests.partners.factories import OrganisationFactory, ReferralFactory

# What must never reach the research team: names, and every text typed in a file.
SECRETS = [
    "Zéphirine",
    "Quenneville",
    "Anatole",
    "Bellefeuille",
    "Gertrude",
    "Tremblayovitch",
    "NOTE-SOMMAIRE-SECRETE",
    "DECISION-SECRETE",
    "NOTE-RESTREINTE-SECRETE",
    "RAISON-SECRETE",
    "PARTAGE-SECRET",
    "514 555-0177",
    "4321, app. 9",
    "Parent-Tuteur-Secret",
]


@dataclass
class Data:
    consenting: list = field(default_factory=list)
    others: list = field(default_factory=list)
    author: object = None
    sessions: list = field(default_factory=list)
    referrals: list = field(default_factory=list)


def research_consent(resident, *, by, given_on=None, **values):
    return ConsentFactory(
        resident=resident,
        purpose=Consent.Purpose.RESEARCH,
        obtained_by=by,
        given_on=given_on or timezone.localdate() - timedelta(days=30),
        **values,
    )


@pytest.fixture
def evaluation_data(site_ss, site_ag):
    """Twelve residents of Saint-Sulpice (three with a research consent, a child's given by a
    parent), a group activity with sessions, interventions with notes and referrals."""
    today = timezone.localdate()
    author = UserFactory(
        username="gertrude", first_name="Gertrude", last_name="Tremblayovitch", sites=[site_ss]
    )
    household = HouseholdFactory(site=site_ss, label="Quenneville", unit="4321, app. 9")
    residents = []
    for number in range(12):
        resident = ResidentFactory(
            household=household,
            first_name="Zéphirine" if number % 2 else "Anatole",
            last_name="Quenneville" if number % 3 else "Bellefeuille",
            date_of_birth=date(2015, 5, 1) if number == 0 else date(1970 + number, 3, 14),
            phone="514 555-0177" if number else "",
        )
        ConsentFactory(resident=resident, obtained_by=author, given_on=today - timedelta(days=60))
        residents.append(resident)
    data = Data(author=author, consenting=residents[:3], others=residents[3:])
    research_consent(
        residents[0],
        by=author,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="Parent-Tuteur-Secret",
    )
    for resident in residents[1:3]:
        research_consent(resident, by=author)
    # A withdrawn research consent counts for nothing.
    research_consent(
        residents[3], by=author, given_on=today - timedelta(days=40), withdrawn_on=today
    )
    theme = ThemeFactory(name="Logement")
    activity = GroupActivityFactory(site=site_ss, name="Cuisine chez Zéphirine Quenneville")
    partner = OrganisationFactory(name="Maison des jeunes d’Ahuntsic")
    day = today.replace(day=1) if today.day > 3 else today
    for number in range(6):
        session = InterventionFactory(
            site=site_ss,
            author=author,
            activity=activity,
            level=Level.GROUP,
            type=activity.type,
            date=day,
            duration_minutes=90,
            count_6_12=number,
            summary="NOTE-SOMMAIRE-SECRETE",
            decisions="DECISION-SECRETE",
            restricted_note="NOTE-RESTREINTE-SECRETE",
        )
        session.themes.add(theme)
        partner.present_at.add(session)
        for resident in residents[: 2 + number]:
            Participation.objects.create(intervention=session, resident=resident)
        data.sessions.append(session)
    InterventionFactory(site=site_ag, author=author, date=day, summary="NOTE-SOMMAIRE-SECRETE")
    for resident in residents[:2] + residents[5:7]:
        data.referrals.append(
            ReferralFactory(
                resident=resident,
                organisation=partner,
                responsible=author,
                reason="RAISON-SECRETE",
                information_shared="PARTAGE-SECRET",
            )
        )
    return data
