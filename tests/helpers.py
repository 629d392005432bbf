"""What many test modules share: form data as a browser sends it, French as a person reads it,
the project's forms found by import, and query budgets."""

import html
import importlib
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.forms import BaseModelForm, BaseModelFormSet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ema.submissions import FIELD, new_token
from interventions.forms import HEADCOUNTS
from interventions.models import Level
from partners.models import Referral
from residents.models import Consent, Household
from tests.factories import InterventionTypeFactory, PlaceFactory

TODAY = timezone.localdate
REFERRAL_REASON = "Recherche d'un emploi d'été pour l'adolescent; rencontre prévue avec la famille."


class Token(str):
    """A partner link's token, where the URL table and the sweeps expect a world object:
    its `pk` is the token the URL carries."""

    @property
    def pk(self) -> str:
        return str(self)

    def refresh_from_db(self) -> None:
        pass


def page_text(response) -> str:
    """The page as a person reads it: entities decoded, white space collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


def french(message) -> str:
    """A message as the French page shows it (white space collapsed)."""
    with translation.override("fr-ca"):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
        return " ".join(text.split())


def once() -> dict[str, str]:
    """The one-time token a create form carries (ema.submissions), new for each call."""
    return {FIELD: new_token()}


def version_of(record) -> dict[str, str]:
    """The version an edit form carries back (ema.concurrency): the record's saved one."""
    record.refresh_from_db(fields=["version"])
    return {"version": str(record.version)}


def form_modules():
    """Every `forms.py` and `*_forms.py` of the project's apps, and of their subpackages
    (partners/concertation/forms.py)."""
    root = Path(settings.BASE_DIR)
    seen = set()
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(root) or ".venv" in path.parts:
            continue
        for file in sorted(path.rglob("*forms.py")):
            name = ".".join((config.name, *file.relative_to(path).with_suffix("").parts))
            if name not in seen:  # ema.accounts is an app and a folder of ema
                seen.add(name)
                yield importlib.import_module(name)


def model_forms() -> dict[str, type[BaseModelForm]]:
    """The ModelForms of those modules by dotted name, with the forms of their formsets."""
    found = {}
    for module in form_modules():
        for name, value in vars(module).items():
            if not isinstance(value, type):
                continue
            if issubclass(value, BaseModelForm) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
            elif (
                # A formset made by inlineformset_factory: its form has no name of its own.
                issubclass(value, BaseModelFormSet)
                and hasattr(value, "form")
                and not any(issubclass(value.form, known) for known in found.values())
            ):
                found[f"{module.__name__}.{name}"] = value.form
    return found


# What opens, closes or nests a transaction is not a query of data: BEGIN and COMMIT show on
# SQLite, not on PostgreSQL, and a test's own transaction turns every atomic block into a
# savepoint. Budgets count the statements that read or write rows.
TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE
)


# What a write costs to keep its month's figures (interventions.summaries): the site's lock,
# a DELETE per summary table (5) and an INSERT ... SELECT per source (6).
SUMMARY_QUERIES = 12


@contextmanager
def max_data_queries(limit: int):
    """Fail when the block runs more than `limit` statements that read or write rows."""
    with CaptureQueriesContext(connection) as context:
        yield context
    statements = [
        query["sql"]
        for query in context.captured_queries
        if not TRANSACTION_CONTROL.match(query["sql"])
    ]
    assert len(statements) <= limit, f"{len(statements)} queries:\n" + "\n".join(statements)


def intervention_post(site, **values):
    """POST data of the full form: an individual meeting today, 45 minutes."""
    data = {
        **once(),
        "level": Level.INDIVIDUAL,
        "type": InterventionTypeFactory(name="Accueil et écoute").pk,
        "place": PlaceFactory(name="Bureau").pk,
        "date": TODAY().isoformat(),
        "start_time": "14:00",
        "duration_minutes": "45",
        "site": site.pk,
        "summary": "Démarches pour le bail, rappel la semaine prochaine.",
        **dict.fromkeys(HEADCOUNTS, "0"),
    }
    data.update(values)
    return data


def form_data(form) -> dict:
    """What the rendered form would send back untouched."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def member(index, **values):
    """POST data of one member row of the household formset."""
    return {f"members-{index}-{name}": value for name, value in values.items()}


def household_post(site, *members, **household):
    data = {
        **once(),
        "site": site.pk,
        "unit": "1250, app. 4",
        "label": "Tremblay",
        "languages": "français",
        "moved_in_on": "2021-07-01",
        "status": Household.Status.ACTIVE,
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    data.update(household)
    for row in members:
        data.update(row)
    return data


def adult(index, **overrides):
    values = {
        "first_name": "Nadia",
        "last_name": "Tremblay",
        "date_of_birth": "1988-04-12",
        "consent_confirmed": "on",
        "consent_given_on": TODAY().isoformat(),
        "consent_given_by": Consent.GivenBy.PERSON,
    }
    values.update(overrides)
    return member(index, **values)


def child(index, **overrides):
    values = {
        "first_name": "Léo",
        "last_name": "Tremblay",
        "date_of_birth": date(TODAY().year - 7, 3, 1).isoformat(),
        "consent_confirmed": "on",
        "consent_given_on": TODAY().isoformat(),
        "consent_given_by": Consent.GivenBy.GUARDIAN,
        "guardian_name": "Nadia Tremblay",
    }
    values.update(overrides)
    return member(index, **values)


def referral_post(*, household, organisation, responsible, resident=None, **values):
    """POST data of the referral form: an outgoing, routine referral, nothing shared yet."""
    data = {
        "direction": Referral.Direction.OUTGOING,
        "household": household.pk,
        "resident": resident.pk if resident else "",
        "organisation": organisation.pk,
        "service": "",
        "reason": REFERRAL_REASON,
        "urgency": Referral.Urgency.ROUTINE,
        "responsible": responsible.pk,
        "consent": "",
        "consent_exception": "",
        "exception_justification": "",
        "information_shared": "",
        **once(),
    }
    data.update(values)
    return data


def pick_by_typing(page, field: str, typed: str, offered: str) -> None:
    """In a browser journey: type in the type-ahead of the form's `field`, wait until
    `offered` is offered, and choose it with the keyboard (static/js/picker.js)."""
    from playwright.sync_api import expect

    control = page.locator(f"#id_{field}-ts-control")
    control.click()
    control.press_sequentially(typed, delay=40)
    expect(page.locator(f"#id_{field}-ts-dropdown .option", has_text=offered)).to_be_visible()
    control.press("ArrowDown")
    control.press("Enter")
