"""A new member whose name and age are those of a resident already on file is shown to the
person with a link to that file; nothing is saved until they say it is not the same person.
Duplicates are never merged silently, and the check never reveals another site's residents."""

from datetime import date

import pytest
from django.urls import reverse

from residents.models import Household, Resident
from residents.selectors import Person, likely_duplicates
from tests.factories import HouseholdFactory, ResidentFactory
from tests.helpers import adult, household_post, page_text, version_of

CREATE_URL = reverse("residents:household_create")


def on_file(site, first_name="Étienne", last_name="Côté", born=date(1988, 4, 12)):
    household = HouseholdFactory(site=site, label=last_name)
    return ResidentFactory(
        household=household, first_name=first_name, last_name=last_name, date_of_birth=born
    )


def new_etienne(site, **overrides):
    """A new household whose one member is "etienne COTE", born a year after the one on file."""
    values = {"first_name": "etienne", "last_name": "COTE", "date_of_birth": "1989-01-03"}
    values.update(overrides)
    return household_post(site, adult(0, **values))


def test_a_likely_duplicate_is_shown_with_a_link_and_nothing_is_saved(
    client_as, intervenant_ss, site_ss
):
    existing = on_file(site_ss)
    response = client_as(intervenant_ss).post(CREATE_URL, new_etienne(site_ss))
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    text = page_text(response)
    assert "Étienne Côté" in text
    assert "Ce n’est pas la même personne" in text
    assert not Household.objects.filter(label="Tremblay").exists()
    assert Resident.objects.count() == 1
    # Nothing typed is lost.
    assert response.context["formset"].forms[0]["first_name"].value() == "etienne"


def test_a_first_name_that_starts_the_same_is_a_likely_duplicate(
    client_as, intervenant_ss, site_ss
):
    existing = on_file(site_ss, first_name="Jean-Philippe")
    response = client_as(intervenant_ss).post(CREATE_URL, new_etienne(site_ss, first_name="Jean"))
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()


def test_saying_it_is_not_the_same_person_saves(client_as, intervenant_ss, site_ss):
    on_file(site_ss)
    data = new_etienne(site_ss, not_a_duplicate="on")
    response = client_as(intervenant_ss).post(CREATE_URL, data)
    assert response.status_code == 302
    household = Household.objects.get(label="Tremblay")
    assert [m.first_name for m in household.members.all()] == ["etienne"]
    assert Resident.objects.filter(search_key="cote etienne").count() == 2


@pytest.mark.parametrize("born", ["1986-06-01", "1991-06-01"])
def test_another_birth_year_is_no_duplicate(client_as, intervenant_ss, site_ss, born):
    on_file(site_ss)
    response = client_as(intervenant_ss).post(CREATE_URL, new_etienne(site_ss, date_of_birth=born))
    assert response.status_code == 302
    assert Resident.objects.count() == 2


def test_another_name_is_no_duplicate(client_as, intervenant_ss, site_ss):
    on_file(site_ss)
    response = client_as(intervenant_ss).post(CREATE_URL, new_etienne(site_ss, first_name="Amina"))
    assert response.status_code == 302


def test_a_resident_of_a_site_i_do_not_see_is_never_revealed(
    client_as, intervenant_ss, site_ss, site_ag
):
    hidden = on_file(site_ag)
    response = client_as(intervenant_ss).post(CREATE_URL, new_etienne(site_ss))
    assert response.status_code == 302
    assert hidden.get_absolute_url() not in response.content.decode()
    assert Resident.objects.count() == 2


def test_coordination_is_warned_of_a_resident_of_any_site(
    client_as, coordination, site_ss, site_ag
):
    existing = on_file(site_ag)
    response = client_as(coordination).post(CREATE_URL, new_etienne(site_ss))
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()


def test_a_member_added_to_an_existing_household_is_checked_too(client_as, intervenant_ss, site_ss):
    existing = on_file(site_ss)
    household = HouseholdFactory(site=site_ss, label="Tremblay")
    member = ResidentFactory(household=household, first_name="Nadia", last_name="Tremblay")
    data = household_post(
        site_ss,
        {
            "members-0-id": member.pk,
            "members-0-household": household.pk,
            "members-0-first_name": "Nadia",
            "members-0-last_name": "Tremblay",
            "members-0-date_of_birth": "1985-03-14",
            **{f"members-0-{k}": v for k, v in version_of(member).items()},
        },
        adult(1, first_name="Étienne", last_name="Côté", date_of_birth="1988-02-02"),
        unit=household.unit,
        **version_of(household),
    )
    data["members-INITIAL_FORMS"] = "1"
    url = reverse("residents:household_update", args=[household.pk])
    response = client_as(intervenant_ss).post(url, data)
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert household.members.count() == 1


def test_the_check_is_one_query_whatever_the_number_of_new_members(
    intervenant_ss, site_ss, django_assert_num_queries
):
    on_file(site_ss)
    people = [Person("Étienne", "Côté", 1988), Person("Léa", "Roy", 2010), Person("X", "", 2000)]
    with django_assert_num_queries(1):
        found = likely_duplicates(user=intervenant_ss, people=people)
    assert [len(rows) for rows in found] == [1, 0, 0]
