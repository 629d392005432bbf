"""The rule on who gives a consent is written once (residents.models.consent_giver_errors): the
model, the household form and the import give the same answer and the same message, whose age
comes from the one constant."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from residents import models
from residents.forms import MemberForm
from residents.imports import import_preview
from residents.imports.columns import COLUMN_KEYS, LINE
from residents.models import Consent, consent_giver_errors
from tests.factories import ConsentFactory, ResidentFactory

TODAY = timezone.localdate()


def _born(years_ago: int) -> date:
    return date(TODAY.year - years_ago, 1, 1)


def _message(age: int) -> str:
    with translation.override("fr-ca"):
        return str(consent_giver_errors(age=age, given_by="person", guardian_name="")["given_by"])


@pytest.fixture
def sixteen(monkeypatch):
    """The law's age, were it 16: every entry point follows the one constant."""
    monkeypatch.setattr(models, "AGE_OF_CONSENT", 16)


def _model_says(born: date) -> str | None:
    consent = ConsentFactory.build(
        resident=ResidentFactory(date_of_birth=born),
        given_by=Consent.GivenBy.PERSON,
        guardian_name="",
        given_on=TODAY,
    )
    with translation.override("fr-ca"):
        try:
            consent.full_clean(exclude=["obtained_by"])
        except ValidationError as error:
            return error.message_dict.get("given_by", [None])[0]
    return None


def _form_says(born: date) -> str | None:
    form = MemberForm(
        data={
            "first_name": "Léo",
            "last_name": "Tremblay",
            "date_of_birth": born.isoformat(),
            "consent_confirmed": "on",
            "consent_given_on": TODAY.isoformat(),
            "consent_given_by": "person",
        }
    )
    with translation.override("fr-ca"):
        form.is_valid()
        return (form.errors.get("consent_given_by") or [None])[0]


def _import_says(born: date, site, user) -> str:
    row = {
        **dict.fromkeys(COLUMN_KEYS, ""),
        LINE: "2",
        "site": site.name,
        "logement": "12, app. 3",
        "menage": "Tremblay",
        "prenom": "Léo",
        "nom": "Tremblay",
        "date_naissance": born.isoformat(),
        "consentement_date": TODAY.isoformat(),
        "consentement_par": "personne",
    }
    with translation.override("fr-ca"):
        return " ".join(import_preview(rows=[row], user=user).rows[0].errors)


@pytest.mark.django_db
def test_the_model_the_form_and_the_import_refuse_a_childs_own_consent_alike(site_ss, coordination):
    born = _born(10)
    expected = _message(10)
    assert "14" in expected
    assert _model_says(born) == expected
    assert _form_says(born) == expected
    assert expected in _import_says(born, site_ss, coordination)


@pytest.mark.django_db
def test_they_all_follow_the_one_constant(site_ss, coordination, sixteen):
    born = _born(15)
    expected = _message(15)
    assert "16" in expected
    assert _model_says(born) == expected
    assert _form_says(born) == expected
    assert expected in _import_says(born, site_ss, coordination)


@pytest.mark.django_db
def test_from_the_age_of_consent_the_person_gives_it(site_ss, coordination):
    born = _born(15)
    assert _model_says(born) is None
    assert _form_says(born) is None
    assert "consentement_par" not in _import_says(born, site_ss, coordination)
