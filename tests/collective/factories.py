"""Factories of collective issues."""

from datetime import timedelta

import factory
from django.utils import timezone

from collective.models import Category, CollectiveIssue, IssueStatus, IssueStatusChange
from collective.services import issue_response_create
from tests.factories import SiteFactory, UserFactory


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


class CollectiveIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveIssue
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    title = factory.Sequence(lambda n: f"Punaises de lit au bâtiment {n}")
    category = Category.VERMIN
    opened_on = factory.LazyFunction(lambda: days_ago(60))
    status = IssueStatus.OPEN
    status_changed_on = factory.SelfAttribute("opened_on")
    description = "Plusieurs ménages signalent des punaises depuis l’automne."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def first_step(self, create, extracted, **kwargs):
        if create:
            IssueStatusChange.objects.create(
                issue=self, status=self.status, changed_on=self.opened_on, by=self.created_by
            )


def collective_issue_of(*, household, intervention, partner, by) -> CollectiveIssue:
    """An issue of the household's site with that household affected, that intervention
    linked, that partner mobilised and one response from it: the world's."""
    issue = CollectiveIssueFactory(site=household.site, created_by=by)
    issue.households.add(household)
    issue.interventions.add(intervention)
    issue_response_create(
        issue=issue,
        organisation=partner,
        received_on=days_ago(5),
        answer="Extermination prévue dans les logements du bâtiment 2.",
        by=by,
    )
    return issue
