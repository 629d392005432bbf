"""One module decides what a role may do (ema.access): no other module or template compares a
role, and templates ask the same predicates as the views through `can`."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import RequestFactory

from ema import access
from ema.access import Permissions, Role
from tests.factories import InterventionFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
APPS = ["ema", "residents", "interventions", "partners", "team", "privacy", "incidents", "reports"]
ROLE_MEMBER = re.compile(r"\bRole\.(INTERVENANT|COORDINATION|DIRECTION|ADMIN)\b")
ROLE_IN_TEMPLATE = re.compile(r"\buser\.role\s*(==|!=|\bin\b)")
# Where a role is named, not compared for a permission: the policy itself, the account model
# that stores it (its default for `createsuperuser`, the admin flag it derives), and the demo
# data, which gives each demo account its role.
NAMING_A_ROLE = {"ema/access.py", "ema/accounts/models.py"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "demo" in relative or relative in NAMING_A_ROLE:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_module_but_the_policy_compares_a_role():
    found = [
        f"{name}:{number}"
        for name, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if ROLE_MEMBER.search(line)
    ]
    assert found == []


def test_no_template_compares_a_role():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_IN_TEMPLATE.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("role", [*Role.values, ""])
def test_templates_read_the_same_answers_as_the_views(db, role):
    user = UserFactory(role=role)
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string(
        "{% if can.see_dashboard %}D{% endif %}{% if can.review_privacy %}P{% endif %}"
        "{% if can.export %}E{% endif %}"
    )
    expected = (
        ("D" if access.can_see_dashboard(user) else "")
        + ("P" if access.can_review_privacy(user) else "")
        + ("E" if access.can_export(user) else "")
    )
    assert template.render({}, request) == expected


def test_a_name_that_is_no_predicate_is_an_error_not_a_silent_no(db):
    with pytest.raises(AttributeError):
        Permissions(UserFactory()).see_everything  # noqa: B018


def test_a_disabled_account_may_do_nothing(db):
    user = UserFactory(role=Role.DIRECTION, is_active=False)
    predicates = [
        getattr(access, name)
        for name in dir(access)
        if name.startswith("can_")
        and name
        not in {
            "can_edit_intervention",
            "can_edit_journal_entry",
            "can_handle_follow_up",
            "can_read_restricted_note",
            "can_see_site",
        }
    ]
    assert predicates
    assert not any(predicate(user) for predicate in predicates)
    # Even a follow-up given to them.
    intervention = InterventionFactory(author=user, follow_up_by=user, follow_up_due=date.today())
    assert not access.can_handle_follow_up(user, intervention)
