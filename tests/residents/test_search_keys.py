"""Names are found and sorted the way people read them: without regard to accents or case,
on SQLite as on PostgreSQL."""

import pytest

from ema.folding import folded
from privacy.retention import anonymise_household
from residents.models import Household, Resident
from residents.selectors import household_search
from tests.factories import HouseholdFactory, ResidentFactory
from tests.privacy.families import TODAY, family


def test_folding_drops_accents_case_and_extra_spaces():
    assert folded("  Étienne   LÉVESQUE-Côté ") == "etienne levesque-cote"
    assert folded("Noël Çelik") == "noel celik"


@pytest.mark.django_db
class TestSearch:
    def test_a_name_typed_without_accents_or_capitals_finds_the_person(self, coordination):
        household = HouseholdFactory(label="Bélanger")
        ResidentFactory(household=household, first_name="Étienne", last_name="Bélanger")
        for typed in ("etienne", "ÉTIENNE", "Etienne belanger", "belanger"):
            assert list(household_search(user=coordination, q=typed)) == [household], typed
        assert list(Resident.objects.matching("étienne bél")) == list(
            Resident.objects.filter(first_name="Étienne")
        )

    def test_every_word_must_be_found(self, coordination):
        ResidentFactory(first_name="Élise", last_name="Roy")
        assert not Resident.objects.matching("élise gagnon").exists()

    def test_a_renamed_person_is_found_under_the_new_name_only(self, coordination):
        resident = ResidentFactory(first_name="Amélie", last_name="Roy")
        resident.last_name = "Séguin"
        resident.save(update_fields=["last_name"])
        assert list(Resident.objects.matching("seguin")) == [resident]
        assert not Resident.objects.matching("roy").exists()


@pytest.mark.django_db
def test_names_with_accents_sort_with_their_letter():
    names = ("Zola", "Émond", "Duval", "élie", "Faucher")
    household = HouseholdFactory(label="Zola")
    for name in names:
        ResidentFactory(household=household, last_name=name, first_name="A")
        HouseholdFactory(label=name)
    expected = ["Duval", "élie", "Émond", "Faucher", "Zola"]
    assert [r.last_name for r in Resident.objects.filter(household=household)] == expected
    in_order = [h.label for h in Household.objects.filter(label__in=names)]
    assert list(dict.fromkeys(in_order)) == expected


@pytest.mark.django_db
def test_an_anonymised_file_keeps_no_name_in_its_search_keys(site_ss, intervenant_ss):
    household = family(site_ss, intervenant_ss)
    assert Resident.objects.matching("ginette zwarthoed").exists()  # the test sees its target
    anonymise_household(household=household, today=TODAY)
    for name in ("zwarthoed", "ginette", "jean-philippe"):
        assert not Household.objects.matching(name).exists(), name
        assert not Resident.objects.matching(name).exists(), name
