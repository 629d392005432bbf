"""Every page of the daily log runs the same number of queries with 10 or 1,000 interventions."""

import pytest
from django.urls import reverse

from tests.factories import (
    ConsentedResidentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    bulk_interventions,
)

# page -> (url builder, budget). Budgets count the session and the user; the edit form also
# records that the author read the restricted note it shows.
PAGES = {
    "quick_log": (lambda objects: reverse("interventions:quick_log"), 7),
    "intervention_create": (lambda objects: reverse("interventions:intervention_create"), 14),
    "log_again": (
        lambda objects: (
            reverse("interventions:intervention_create") + f"?from={objects['intervention'].pk}"
        ),
        18,
    ),
    "intervention_update": (
        lambda objects: reverse(
            "interventions:intervention_update", args=[objects["intervention"].pk]
        ),
        19,
    ),
    "intervention_delete": (
        lambda objects: reverse(
            "interventions:intervention_delete", args=[objects["intervention"].pk]
        ),
        3,
    ),
    "activity_list": (lambda objects: reverse("interventions:activity_list"), 4),
    "activity_create": (lambda objects: reverse("interventions:activity_create"), 6),
    "activity_update": (
        lambda objects: reverse("interventions:activity_update", args=[objects["activity"].pk]),
        8,
    ),
    "session_create": (
        lambda objects: reverse("interventions:session_create", args=[objects["activity"].pk]),
        6,  # with the last session and who it named, for "everyone from the last session"
    ),
}


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_page_query_count_does_not_grow_with_interventions(
    client_as, intervenant_ss, site_ss, page_name, count, django_assert_max_num_queries
):
    residents = ConsentedResidentFactory.create_batch(3, household=HouseholdFactory(site=site_ss))
    activity = GroupActivityFactory(site=site_ss)
    activity.registered.set(residents)
    bulk_interventions(count, author=intervenant_ss, site=site_ss, activity=activity)
    intervention = InterventionFactory(
        author=intervenant_ss, site=site_ss, restricted_note="Note de l’auteure."
    )
    intervention.participations.create(resident=residents[0])
    objects = {"intervention": intervention, "activity": activity}
    url_for, budget = PAGES[page_name]
    client = client_as(intervenant_ss)
    with django_assert_max_num_queries(budget):
        response = client.get(url_for(objects))
    assert response.status_code == 200
