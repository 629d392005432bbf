"""The queue of referrals to follow: grouped by what needs doing, filtered, scoped by site."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral, Status
from tests.factories import ConsentedResidentFactory, HouseholdFactory, UserFactory
from tests.partners.factories import OrganisationFactory, ReferralFactory

URL = reverse("partners:referral_queue")
TODAY = timezone.localdate
GROUPS = ["overdue", Status.DRAFT, Status.SENT, "under_way"]


def resident_of(site, **values):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site), **values)


def referral(site, status=Status.DRAFT, **values):
    return ReferralFactory(resident=resident_of(site), consented=True, status=status, **values)


def overdue(made):
    Referral.objects.filter(pk=made.pk).update(due_on=TODAY() - timedelta(days=1))
    return made


def grouped(response) -> dict[str, set[int]]:
    return {key: {r.pk for r in rows} for key, rows in response.context["groups"].items()}


class TestGroups:
    def test_groups_what_needs_doing_and_leaves_closed_referrals_out(
        self, client_as, coordination, site_ss
    ):
        draft = referral(site_ss)
        sent = referral(site_ss, Status.SENT)
        accepted = referral(site_ss, Status.ACCEPTED)
        in_progress = referral(site_ss, Status.IN_PROGRESS)
        late_draft = overdue(referral(site_ss))
        late_sent = overdue(referral(site_ss, Status.SENT))
        for status in (Status.COMPLETED, Status.REFUSED, Status.NO_FOLLOW_UP, Status.CANCELLED):
            overdue(referral(site_ss, status))

        response = client_as(coordination).get(URL)

        assert response.status_code == 200
        assert list(response.context["groups"]) == GROUPS
        assert grouped(response) == {
            "overdue": {late_draft.pk, late_sent.pk},
            Status.DRAFT: {draft.pk},
            Status.SENT: {sent.pk},
            "under_way": {accepted.pk, in_progress.pk},
        }

    def test_a_referral_due_today_is_not_yet_overdue(self, client_as, coordination, site_ss):
        today = referral(site_ss, Status.SENT)
        Referral.objects.filter(pk=today.pk).update(due_on=TODAY())
        groups = grouped(client_as(coordination).get(URL))
        assert groups["overdue"] == set()
        assert groups[Status.SENT] == {today.pk}

    def test_the_most_urgent_due_date_comes_first(self, client_as, coordination, site_ss):
        later = referral(site_ss, Status.SENT)
        sooner = referral(site_ss, Status.SENT)
        Referral.objects.filter(pk=sooner.pk).update(due_on=TODAY() + timedelta(days=1))
        rows = client_as(coordination).get(URL).context["groups"][Status.SENT]
        assert [r.pk for r in rows] == [sooner.pk, later.pk]


class TestFilters:
    def test_filters_by_partner(self, client_as, coordination, site_ss):
        clsc = OrganisationFactory(name="CLSC")
        mine = referral(site_ss, organisation=clsc)
        referral(site_ss)
        groups = grouped(client_as(coordination).get(URL, {"organisation": clsc.pk}))
        assert groups[Status.DRAFT] == {mine.pk}

    def test_filters_by_site(self, client_as, coordination, site_ss, site_ag):
        here = referral(site_ss, Status.SENT)
        referral(site_ag, Status.SENT)
        groups = grouped(client_as(coordination).get(URL, {"site": site_ss.pk}))
        assert groups[Status.SENT] == {here.pk}

    def test_filters_by_responsible(self, client_as, coordination, intervenant_ss, site_ss):
        mine = referral(site_ss, responsible=intervenant_ss)
        referral(site_ss)
        groups = grouped(client_as(coordination).get(URL, {"responsible": intervenant_ss.pk}))
        assert groups[Status.DRAFT] == {mine.pk}

    def test_an_intervenant_cannot_filter_on_a_site_they_do_not_see(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        mine = referral(site_ss)
        referral(site_ag)
        response = client_as(intervenant_ss).get(URL, {"site": site_ag.pk})
        assert "site" in response.context["form"].errors
        assert grouped(response)[Status.DRAFT] == {mine.pk}


class TestScope:
    def test_an_intervenant_sees_only_the_referrals_of_their_sites(
        self, client_as, intervenant_ss, site_ss, site_ag
    ):
        mine = referral(site_ss, Status.SENT)
        late = overdue(referral(site_ss))
        referral(site_ag, Status.SENT)
        overdue(referral(site_ag))
        groups = grouped(client_as(intervenant_ss).get(URL))
        assert groups == {
            "overdue": {late.pk},
            Status.DRAFT: set(),
            Status.SENT: {mine.pk},
            "under_way": set(),
        }

    def test_the_direction_sees_every_site(self, client_as, direction, site_ss, site_ag):
        here = referral(site_ss)
        there = referral(site_ag)
        assert grouped(client_as(direction).get(URL))[Status.DRAFT] == {here.pk, there.pk}


@pytest.mark.parametrize("count", [5, 100])
def test_query_count_does_not_grow_with_referrals(
    client_as, intervenant_ss, site_ss, count, django_assert_max_num_queries
):
    organisations = OrganisationFactory.create_batch(3)
    people = [resident_of(site_ss) for _ in range(5)]
    responsibles = [UserFactory(sites=[site_ss]) for _ in range(3)]
    statuses = [Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS]
    for index in range(count):
        made = ReferralFactory(
            resident=people[index % 5] if index % 4 else None,
            household=people[index % 5].household,
            organisation=organisations[index % 3],
            responsible=responsibles[index % 3],
            consented=bool(index % 4),
            direction=Referral.Direction.OUTGOING if index % 4 else Referral.Direction.INCOMING,
            status=statuses[index % 4],
        )
        if index % 7 == 0:
            overdue(made)
    client = client_as(intervenant_ss)
    # session, user, the user's sites (who may be named), the partners, sites and people of
    # the filter form, the groups' totals, one page of referrals
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert sum(len(rows) for rows in response.context["groups"].values()) == min(count, 50)
    assert response.context["page_obj"].paginator.count == count


def test_a_long_queue_is_paginated_most_urgent_first(client_as, coordination, site_ss):
    resident = resident_of(site_ss)
    organisation = OrganisationFactory()
    made = [
        ReferralFactory(
            resident=resident, organisation=organisation, consented=True, status=Status.SENT
        )
        for _ in range(52)
    ]
    late = [overdue(referral) for referral in made[:3]]
    client = client_as(coordination)
    first = client.get(URL)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert dict(first.context["sections"][i][::2] for i in range(4)) == {
        "overdue": 3,
        Status.DRAFT: 0,
        Status.SENT: 49,
        "under_way": 0,
    }
    assert grouped(first)["overdue"] == {r.pk for r in late}
    assert len(grouped(first)[Status.SENT]) == 47
    second = client.get(URL, {"page": 2})
    assert grouped(second)["overdue"] == set()
    assert len(grouped(second)[Status.SENT]) == 2
    # The totals stay those of the whole queue on every page.
    assert second.context["sections"][2][2] == 49
