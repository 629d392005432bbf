"""Checking the rows of an import against the models and the database: the preview."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from residents.imports.columns import (
    BIRTH_COLUMNS,
    COLUMN_KEYS,
    CONSENT_FIELDS,
    GENDERS,
    GIVEN_BY,
    HOUSEHOLD_FIELDS,
    LINE,
    REQUIRED_COLUMNS,
    RESIDENT_FIELDS,
    _fold,
)
from residents.models import Consent, Household, Resident, Site, age_on, consent_giver_errors
from residents.services import ConsentGiven

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


@dataclass
class PreviewRow:
    """One row of the file as it would be imported, with what is wrong with it."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    error_columns: set[str] = field(default_factory=set)
    household: Household | None = None
    household_is_new: bool = True
    resident: Resident | None = None
    consent: ConsentGiven | None = None

    def add_error(self, column: str, message: str) -> None:
        if column:
            text = _("Line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": column,
                "message": message,
            }
        else:
            text = _("Line %(line)s: %(message)s") % {"line": self.line, "message": message}
        self.errors.append(text)
        self.error_columns.add(column)


@dataclass
class PlannedHousehold:
    """A household of the file: a new one, or an active one already in this unit."""

    household: Household
    site: Site
    is_new: bool
    first_row: PreviewRow
    members: list[tuple[Resident, ConsentGiven]] = field(default_factory=list)
    # Why the file's household cannot go in this unit, if it cannot.
    conflict: str = ""


@dataclass
class ImportPreview:
    """What an import would create, row by row."""

    rows: list[PreviewRow]
    households: list[PlannedHousehold]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    @property
    def new_households(self) -> int:
        return sum(1 for planned in self.households if planned.is_new)

    @property
    def matched_households(self) -> int:
        return sum(1 for planned in self.households if not planned.is_new)

    @property
    def new_residents(self) -> int:
        return sum(1 for row in self.rows if row.resident is not None)


def _parse_date(value: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _date_value(row: PreviewRow, column: str) -> date | None:
    value = row.values[column]
    if not value:
        return None
    try:
        return _parse_date(value)
    except ValueError:
        row.add_error(
            column,
            _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.")
            % {"value": value},
        )
        return None


def _model_errors(
    row: PreviewRow, instance: models.Model, columns: dict[str, str], exclude: list[str]
) -> None:
    """Run the model's own validation and report each error under its column. The checks
    that need the database (foreign keys, the unit already taken, constraints) are left to
    the bulk look-ups of import_preview and to the services at import time."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            column = columns.get(field_name, "")
            # A column already reported (an empty or malformed value) needs no second message.
            if field_name != NON_FIELD_ERRORS and column in row.error_columns:
                continue
            for message in messages:
                row.add_error(column, message)


def _check_row(row: PreviewRow, sites: dict[str, Site]) -> tuple[Site | None, Household]:
    """Check one row on its own; return its site and the household its values describe."""
    values = row.values
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            row.add_error(column, _("This column is required."))
    if not values["date_naissance"] and not values["annee_naissance"]:
        row.add_error(
            "date_naissance",
            _("Enter a date of birth, or a birth year in the column annee_naissance."),
        )

    site = sites.get(_fold(values["site"])) if values["site"] else None
    if values["site"] and site is None:
        row.add_error("site", _("There is no site named “%(name)s”.") % {"name": values["site"]})

    moved_in_on = _date_value(row, "date_arrivee")
    date_of_birth = _date_value(row, "date_naissance")
    given_on = _date_value(row, "consentement_date")
    birth_year = None
    if values["annee_naissance"]:
        try:
            birth_year = int(values["annee_naissance"])
        except ValueError:
            row.add_error(
                "annee_naissance",
                _("“%(value)s” is not a year; write four digits, for example 1985.")
                % {"value": values["annee_naissance"]},
            )
    if date_of_birth and birth_year and date_of_birth.year != birth_year:
        row.add_error("annee_naissance", _("The birth year does not match the date of birth."))
    gender = GENDERS.get(_fold(values["genre"]), "") if values["genre"] else ""
    if values["genre"] and not gender:
        row.add_error(
            "genre",
            _("“%(value)s” is not a gender this import knows; write %(choices)s.")
            % {
                "value": values["genre"],
                "choices": "femme, homme, non-binaire, autre, ne-se-prononce-pas",
            },
        )
    given_by = GIVEN_BY.get(_fold(values["consentement_par"]))
    if given_by is None:
        row.add_error(
            "consentement_par",
            _("“%(value)s” is not understood; write personne or parent.")
            % {"value": values["consentement_par"]},
        )
        given_by = Consent.GivenBy.PERSON

    # The site is attached once the file is checked: Household.clean() would look for a
    # taken unit with one query per row, and import_preview does that for all rows at once.
    household = Household(
        unit=values["logement"],
        label=values["menage"],
        languages=values["langues"],
        moved_in_on=moved_in_on,
    )
    _model_errors(row, household, HOUSEHOLD_FIELDS, exclude=["site"])
    resident = Resident(
        first_name=values["prenom"],
        last_name=values["nom"],
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        gender=gender,
        phone=values["telephone"],
        school=values["ecole"],
    )
    _model_errors(row, resident, RESIDENT_FIELDS, exclude=["household"])
    guardian_name = values["nom_parent"] if given_by == Consent.GivenBy.GUARDIAN else ""
    consent = Consent(  # type: ignore[misc]  # a date left out stays None: full_clean says so
        purpose=Consent.Purpose.KEEP_FILE,
        given_on=given_on,
        given_by=given_by,
        guardian_name=guardian_name,
    )
    _model_errors(row, consent, CONSENT_FIELDS, exclude=["resident", "obtained_by"])

    # The age on the consent day, once both dates are known to be right.
    age = None
    if given_on and not row.error_columns.intersection(BIRTH_COLUMNS):
        age = age_on(date_of_birth=date_of_birth, birth_year=birth_year, on=given_on)
    if age is not None and age < 0:
        row.add_error("consentement_date", _("The consent date is before the date of birth."))
    # The guardian's name is checked with the consent's other fields (nom_parent) above.
    giver = consent_giver_errors(age=age, given_by=given_by, guardian_name=guardian_name)
    if "given_by" in giver:
        how = _("Write parent in consentement_par and their name in nom_parent.")
        row.add_error("consentement_par", " ".join([str(giver["given_by"]), str(how)]))
    if given_on and not any(column in row.error_columns for column in CONSENT_FIELDS.values()):
        row.consent = ConsentGiven(
            given_on=given_on, given_by=given_by, guardian_name=guardian_name
        )
    row.resident = resident
    return site, household


def _unit_key(unit: str) -> str:
    # The same comparison as the database rule on units: case-insensitive, trimmed.
    return unit.strip().lower()


def _person_key(resident: Resident) -> tuple[str, str, int | None]:
    return (_fold(resident.first_name), _fold(resident.last_name), resident.birth_year)


def _existing_households(
    units: set[tuple[int, str]],
) -> tuple[dict[tuple[int, str], Household], dict[int, set[tuple[str, str, int | None]]]]:
    """The active households in the units of the file, and their members, in two queries."""
    if not units:
        return {}, {}
    households = (
        Household.objects.active()
        .annotate(unit_key=Lower(Trim("unit")))
        .filter(site_id__in={site_id for site_id, _unit in units})
        .filter(unit_key__in={unit for _site_id, unit in units})
    )
    by_unit = {
        (household.site_id, household.unit_key): household
        for household in households
        if (household.site_id, household.unit_key) in units
    }
    members: dict[int, set[tuple[str, str, int | None]]] = {
        household.pk: set() for household in by_unit.values()
    }
    if members:
        for member in Resident.objects.filter(household__in=members.keys()).only(
            "household_id", "first_name", "last_name", "birth_year"
        ):
            members[member.household_id].add(_person_key(member))
    return by_unit, members


def import_preview(*, rows: list[dict[str, str]], user) -> ImportPreview:
    """Check every row, and what it would create, without writing anything. The database is
    read in a fixed number of queries, whatever the number of rows."""
    sites = {_fold(site.name): site for site in Site.objects.visible_to(user).only("pk", "name")}
    preview_rows: list[PreviewRow] = []
    checked: list[tuple[PreviewRow, Site | None, Household]] = []
    for values in rows:
        row = PreviewRow(
            line=int(values.get(LINE) or 0),
            values={key: str(values.get(key) or "").strip() for key in COLUMN_KEYS},
        )
        site, household = _check_row(row, sites)
        preview_rows.append(row)
        checked.append((row, site, household))

    units = {
        (site.pk, _unit_key(household.unit))
        for _row, site, household in checked
        if site and household.unit
    }
    existing, existing_members = _existing_households(units)

    planned: dict[tuple[int, str], PlannedHousehold] = {}
    seen_people: dict[tuple[tuple[int, str], tuple[str, str, int | None]], int] = {}
    for row, site, household in checked:
        if site is None or not household.unit.strip():
            continue
        unit = (site.pk, _unit_key(household.unit))
        plan = planned.get(unit)
        if plan is None:
            plan = _plan_household(site, household, existing.get(unit), first_row=row)
            planned[unit] = plan
        else:
            _check_same_household(row, household, plan)
        if plan.conflict:
            row.add_error("menage", plan.conflict)
        row.household = plan.household
        row.household_is_new = plan.is_new

        resident = row.resident
        assert resident is not None  # _check_row names one on every row
        person = _person_key(resident)
        name = {"name": resident.full_name, "year": resident.birth_year}
        if person[2] is not None and (unit, person) in seen_people:
            row.add_error(
                "prenom",
                _("%(name)s, born in %(year)s, is already on line %(other)s for this unit.")
                % {**name, "other": seen_people[(unit, person)]},
            )
        elif not plan.is_new and person in existing_members.get(plan.household.pk, ()):
            row.add_error(
                "prenom",
                _("%(name)s, born in %(year)s, is already a member of the household %(household)s.")
                % {**name, "household": plan.household.display_name},
            )
        seen_people.setdefault((unit, person), row.line)
        if not row.errors and row.consent is not None:
            plan.members.append((resident, row.consent))
    return ImportPreview(rows=preview_rows, households=list(planned.values()))


def _plan_household(
    site: Site, household: Household, existing: Household | None, first_row: PreviewRow
) -> PlannedHousehold:
    if existing is None:
        return PlannedHousehold(household=household, site=site, is_new=True, first_row=first_row)
    # Only new members are added to a household already in EMA; its details stay as they are.
    plan = PlannedHousehold(household=existing, site=site, is_new=False, first_row=first_row)
    if _fold(existing.label) != _fold(household.label):
        plan.conflict = _(
            "Another active household, %(household)s, already lives in this unit of "
            "%(site)s. Check the unit or the household name."
        ) % {"household": existing.display_name, "site": site}
    return plan


def _check_same_household(row: PreviewRow, household: Household, plan: PlannedHousehold) -> None:
    """Rows of one unit describe one household: they must agree on it."""
    first = plan.first_row
    if _fold(household.label) != _fold(first.values["menage"]):
        row.add_error(
            "menage",
            _(
                "“%(value)s” differs from “%(first)s” on line %(line)s for the same unit; "
                "the rows of one unit form one household."
            )
            % {"value": household.label, "first": first.values["menage"], "line": first.line},
        )
    if not plan.is_new:
        return
    # A household detail may be given on any of its rows, but not two different ways.
    known = plan.household
    if household.languages and "langues" not in row.error_columns:
        if not known.languages:
            known.languages = household.languages
        elif _fold(household.languages) != _fold(known.languages):
            row.add_error(
                "langues",
                _("“%(value)s” differs from “%(known)s”, given for the same household above.")
                % {"value": household.languages, "known": known.languages},
            )
    if household.moved_in_on and "date_arrivee" not in row.error_columns:
        if not known.moved_in_on:
            known.moved_in_on = household.moved_in_on
        elif household.moved_in_on != known.moved_in_on:
            row.add_error(
                "date_arrivee",
                _("“%(value)s” differs from “%(known)s”, given for the same household above.")
                % {
                    "value": row.values["date_arrivee"],
                    "known": date_format(known.moved_in_on, "SHORT_DATE_FORMAT"),
                },
            )
