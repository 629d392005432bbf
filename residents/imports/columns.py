"""The columns of the import file: their names, how headers are matched, and an example file."""

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy

from residents.models import Consent, Resident

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The spreadsheet line of a row (the column names are on line 1), kept with its values.
LINE = "line"


@dataclass(frozen=True)
class Column:
    """One column of the import file: its French name, the other names it may go by, and
    what a person should write in it."""

    key: str
    aliases: tuple[str, ...]
    requirement: "StrOrPromise"
    help: "StrOrPromise"


_REQUIRED = gettext_lazy("Required")
_OPTIONAL = gettext_lazy("Optional")

COLUMNS = (
    Column(
        "site",
        ("site name", "nom du site"),
        _REQUIRED,
        gettext_lazy("The name of the site, as in EMA."),
    ),
    Column(
        "logement",
        ("unit", "unité", "appartement", "adresse", "address"),
        _REQUIRED,
        gettext_lazy("The unit or address. The rows of one unit form one household."),
    ),
    Column(
        "menage",
        ("ménage", "nom du ménage", "household", "household name", "famille"),
        _REQUIRED,
        gettext_lazy("The household's name, usually the family name."),
    ),
    Column(
        "langues",
        ("langues parlées", "languages"),
        _OPTIONAL,
        gettext_lazy("The languages spoken in the household."),
    ),
    Column(
        "date_arrivee",
        ("date d'arrivée", "arrivée", "moved in on", "move-in date"),
        _OPTIONAL,
        gettext_lazy("The day the household moved in."),
    ),
    Column("prenom", ("prénom", "first name"), _REQUIRED, gettext_lazy("First name.")),
    Column("nom", ("nom de famille", "last name"), _REQUIRED, gettext_lazy("Last name.")),
    Column(
        "date_naissance",
        ("date de naissance", "date of birth", "birth date"),
        gettext_lazy("Required, or the birth year"),
        gettext_lazy("Date of birth."),
    ),
    Column(
        "annee_naissance",
        ("année de naissance", "birth year"),
        gettext_lazy("Required, or the date of birth"),
        gettext_lazy("Birth year, when the date of birth is not known."),
    ),
    Column(
        "genre",
        ("gender",),
        _OPTIONAL,
        gettext_lazy("femme, homme, non-binaire, autre or ne-se-prononce-pas."),
    ),
    Column("telephone", ("téléphone", "tél", "phone"), _OPTIONAL, gettext_lazy("Phone number.")),
    Column("ecole", ("école", "school"), _OPTIONAL, gettext_lazy("School.")),
    Column(
        "consentement_date",
        ("date du consentement", "date consentement", "consent date", "consent given on"),
        _REQUIRED,
        gettext_lazy("The day the consent to keep a file was given."),
    ),
    Column(
        "consentement_par",
        ("consentement donné par", "consent given by", "given by"),
        _OPTIONAL,
        gettext_lazy(
            "personne (the person) or parent (a parent or guardian); personne when empty. "
            "Under 14, the consent must come from a parent or guardian."
        ),
    ),
    Column(
        "nom_parent",
        ("nom du parent", "nom du tuteur", "parent name", "guardian name"),
        gettext_lazy("Required when the consent comes from a parent"),
        gettext_lazy("The name of the parent or guardian who gave the consent."),
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_COLUMNS = ("site", "logement", "menage", "prenom", "nom", "consentement_date")
BIRTH_COLUMNS = ("date_naissance", "annee_naissance")

# Which column a model field's error belongs to.
HOUSEHOLD_FIELDS = {
    "unit": "logement",
    "label": "menage",
    "languages": "langues",
    "moved_in_on": "date_arrivee",
}
RESIDENT_FIELDS = {
    "first_name": "prenom",
    "last_name": "nom",
    "date_of_birth": "date_naissance",
    "birth_year": "annee_naissance",
    "gender": "genre",
    "phone": "telephone",
    "school": "ecole",
}
CONSENT_FIELDS = {
    "given_on": "consentement_date",
    "given_by": "consentement_par",
    "guardian_name": "nom_parent",
}


def _fold(text: str) -> str:
    """Lower case, without accents, spaces or punctuation: “Date d'arrivée” → “datedarrivee”."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


HEADERS = {_fold(name): column.key for column in COLUMNS for name in (column.key, *column.aliases)}
GENDERS = {
    **{_fold(value): value for value in Resident.Gender.values},
    "femme": Resident.Gender.WOMAN,
    "f": Resident.Gender.WOMAN,
    "homme": Resident.Gender.MAN,
    "h": Resident.Gender.MAN,
    "m": Resident.Gender.MAN,
    "nonbinaire": Resident.Gender.NON_BINARY,
    "nonbinary": Resident.Gender.NON_BINARY,
    "autre": Resident.Gender.OTHER,
    "neseprononcepas": Resident.Gender.UNDISCLOSED,
    "prefersnottosay": Resident.Gender.UNDISCLOSED,
}
GIVEN_BY = {
    "": Consent.GivenBy.PERSON,
    "personne": Consent.GivenBy.PERSON,
    "lapersonne": Consent.GivenBy.PERSON,
    "person": Consent.GivenBy.PERSON,
    "parent": Consent.GivenBy.GUARDIAN,
    "tuteur": Consent.GivenBy.GUARDIAN,
    "tutrice": Consent.GivenBy.GUARDIAN,
    "parenttuteur": Consent.GivenBy.GUARDIAN,
    "parenttutrice": Consent.GivenBy.GUARDIAN,
    "parentoututeur": Consent.GivenBy.GUARDIAN,
    "guardian": Consent.GivenBy.GUARDIAN,
    "parentorguardian": Consent.GivenBy.GUARDIAN,
}


def example_csv(*, site_name: str) -> str:
    """A small example file, with the columns in order and one family of two (fictitious)."""
    today = timezone.localdate().isoformat()
    unit = "1250, app. 4"
    rows = [
        COLUMN_KEYS,
        (
            site_name,
            unit,
            "Exemple",
            "français",
            "2019-07-01",
            "Marie",
            "Exemple",
            "1985-03-14",
            "",
            "femme",
            "514 555-0123",
            "",
            today,
            "personne",
            "",
        ),
        (
            site_name,
            unit,
            "Exemple",
            "français",
            "2019-07-01",
            "Léo",
            "Exemple",
            "",
            str(timezone.localdate().year - 9),
            "homme",
            "",
            "École du quartier",
            today,
            "parent",
            "Marie Exemple",
        ),
    ]
    output = io.StringIO()
    # Semicolons, and a byte-order mark: what Excel in French expects when it opens a CSV.
    output.write("\ufeff")
    csv.writer(output, delimiter=";").writerows(rows)
    return output.getvalue()
