"""Import of households and residents from the organisation's spreadsheets (CSV or XLSX).

`parse_upload` reads a file into rows of text, `import_preview` checks every row against the
database without writing anything, and `import_apply` checks again and saves all the rows, or
none of them.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models.functions import Lower, Trim
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from residents import services
from residents.models import AGE_OF_CONSENT, Consent, Household, Resident, Site, age_on
from residents.services import ConsentGiven

# The spreadsheet line of a row (the column names are on line 1), kept with its values.
LINE = "line"


@dataclass(frozen=True)
class Column:
    """One column of the import file: its French name, the other names it may go by, and
    what a person should write in it."""

    key: str
    aliases: tuple[str, ...]
    requirement: str
    help: str


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

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


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


# Reading the file ---------------------------------------------------------------------------


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The file could not be read. Save it again as CSV or Excel (.xlsx) and retry."),
        code="unreadable",
    )


def _csv_table(file: File) -> Iterator[list[Any]]:
    data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the ANSI code page.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _unreadable() from exc
    if "\x00" in text:
        raise _unreadable()
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise _unreadable() from exc


def _xlsx_table(file: File) -> Iterator[tuple[Any, ...]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises many kinds of errors on a damaged or disguised file.
        raise _unreadable() from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


TABLE_READERS = {".csv": _csv_table, ".xlsx": _xlsx_table}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A year or a phone number typed into a number cell.
        return str(int(value))
    return str(value).strip()


def _header_columns(header: Iterable[Any]) -> dict[int, str]:
    """The column key of each position in the header row; unknown columns are ignored."""
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, value in enumerate(header):
        name = _cell_text(value)
        key = HEADERS.get(_fold(name))
        if key is None:
            continue
        if key in seen:
            raise ValidationError(
                _("Two columns mean %(column)s: “%(first)s” and “%(second)s”. Keep only one."),
                code="duplicate_column",
                params={"column": key, "first": seen[key], "second": name},
            )
        seen[key] = name
        positions[position] = key
    missing = [key for key in REQUIRED_COLUMNS if key not in seen]
    if not any(key in seen for key in BIRTH_COLUMNS):
        missing.append(
            _("%(date)s or %(year)s") % {"date": BIRTH_COLUMNS[0], "year": BIRTH_COLUMNS[1]}
        )
    if missing:
        raise ValidationError(
            _(
                "These columns are missing from the first row of the file: %(columns)s. "
                "The first row must hold the column names listed on this page."
            ),
            code="missing_columns",
            params={"columns": ", ".join(missing)},
        )
    return positions


def parse_upload(*, file: File) -> list[dict[str, str]]:
    """Read an uploaded CSV or XLSX file into one dict per non-blank row: the text of each
    known column, and the spreadsheet line under LINE. Raise ValidationError when the file
    cannot be imported at all."""
    suffix = PurePath(file.name or "").suffix.lower()
    reader = TABLE_READERS.get(suffix)
    if reader is None:
        raise ValidationError(_("Choose a CSV file or an Excel file (.xlsx)."), code="file_type")
    if file.size is not None and file.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _(
                "The file is too large (%(size)s); the limit is %(limit)s. "
                "Split it in several files."
            ),
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
            },
        )
    file.seek(0)
    table = reader(file)
    header = next(table, None)
    if header is None or not any(_cell_text(value) for value in header):
        raise ValidationError(
            _("The file is empty: its first row must hold the column names."), code="empty"
        )
    positions = _header_columns(header)
    rows: list[dict[str, str]] = []
    for line, cells in enumerate(table, start=2):
        values = dict.fromkeys(COLUMN_KEYS, "")
        for position, value in enumerate(cells):
            if position in positions:
                values[positions[position]] = _cell_text(value)
        if not any(values.values()):
            continue
        if len(rows) == settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s rows. Split it in several files."),
                code="too_many_rows",
                params={"limit": settings.IMPORT_MAX_ROWS},
            )
        values[LINE] = str(line)
        rows.append(values)
    if not rows:
        raise ValidationError(
            _("The file holds the column names but no rows to import."), code="no_rows"
        )
    return rows


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


# Checking the rows --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ImportResult:
    """What an import saved."""

    households_created: int
    households_completed: int
    residents_created: int


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
    consent = Consent(
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
    if age is not None and age < AGE_OF_CONSENT and given_by != Consent.GivenBy.GUARDIAN:
        row.add_error(
            "consentement_par",
            _(
                "This resident was under %(age)s on %(date)s: the consent must come from a "
                "parent or guardian. Write parent in consentement_par and their name in "
                "nom_parent."
            )
            % {"age": AGE_OF_CONSENT, "date": date_format(given_on, "SHORT_DATE_FORMAT")},
        )
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

        person = _person_key(row.resident)
        name = {"name": row.resident.full_name, "year": row.resident.birth_year}
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
                % {**name, "household": plan.household},
            )
        seen_people.setdefault((unit, person), row.line)
        if not row.errors and row.consent is not None:
            plan.members.append((row.resident, row.consent))
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
        ) % {"household": existing, "site": site}
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


# Saving -------------------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, rows: list[dict[str, str]], user) -> ImportResult:
    """Check the rows again and save every household, resident and consent to keep a file
    (obtained by `user`) in one transaction; raise ValidationError, saving nothing, if any
    row has an error."""
    preview = import_preview(rows=rows, user=user)
    if preview.has_errors:
        raise ValidationError(preview.errors, code="rows_with_errors")
    if not preview.rows:
        raise ValidationError(_("There are no rows to import."), code="no_rows")
    created = completed = residents = 0
    for plan in preview.households:
        if plan.is_new:
            plan.household.site = plan.site
            services.household_save(household=plan.household, members=plan.members, by=user)
            created += 1
        else:
            for resident, consent in plan.members:
                resident.household = plan.household
                services.resident_create(resident=resident, consent=consent, by=user)
            completed += 1
        residents += len(plan.members)
    return ImportResult(
        households_created=created, households_completed=completed, residents_created=residents
    )
