"""Changes of staff accounts, read from the audit trail for the direction: who gave which
role or sites, deactivated an account, changed a password, set up or removed a second factor.

The audit trail keeps them (ema/accounts/apps.py registers the fields); the values it keeps
are codes and numbers, never a password hash, a device's secret or a recovery code.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.access import Role
from ema.accounts.models import User

ACCOUNT_MODELS = (User, TOTPDevice, StaticDevice)


@dataclass(frozen=True)
class AccountChange:
    timestamp: datetime
    sentences: list[str]


def account_change_entries() -> QuerySet[LogEntry]:
    """The audit entries of staff accounts and of their two-factor devices, newest first."""
    content_types = ContentType.objects.get_for_models(*ACCOUNT_MODELS).values()
    return (
        LogEntry.objects.filter(content_type__in=[ct.pk for ct in content_types])
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def account_changes(entries: Iterable[LogEntry]) -> list[AccountChange]:
    """The entries (a page of them) as sentences a person reads; one query for the accounts
    they concern, whatever their number."""
    entries = list(entries)
    accounts = User.objects.in_bulk({pk for entry in entries if (pk := _account_pk(entry))})
    return [
        AccountChange(timestamp=entry.timestamp, sentences=_sentences(entry, accounts))
        for entry in entries
    ]


def _account_pk(entry: LogEntry) -> int | None:
    """The account an entry is about: the account itself, or the owner of a device."""
    if entry.content_type.model_class() is User:
        return entry.object_id
    fields = (entry.serialized_data or {}).get("fields", {})
    return fields.get("user")


def _actor_label(entry: LogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    # A deleted account keeps its address in the entry; a command has neither.
    return entry.actor_email or _("The system")


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else ""


def _new(values) -> str:
    return values[1] if isinstance(values, list) and len(values) > 1 else ""


def _old(values) -> str:
    return values[0] if isinstance(values, list) and values else ""


def _sentences(entry: LogEntry, accounts: dict[int, User]) -> list[str]:
    model = entry.content_type.model_class()
    pk = _account_pk(entry)
    if pk in accounts:
        account = str(accounts[pk])
    else:
        # A deleted account: its entries keep the name it had; its devices' do not.
        account = entry.object_repr if model is User else _("a deleted account")
    names = {"actor": _actor_label(entry), "account": account}
    by_self = entry.actor_id is not None and entry.actor_id == pk
    if model is User:
        sentences = _account_sentences(entry, names, by_self)
    elif model is TOTPDevice:
        sentences = _device_sentences(entry, names, by_self, APP_SENTENCES)
    else:
        sentences = _device_sentences(entry, names, by_self, RECOVERY_CODES_SENTENCES)
    return [sentence % names for sentence in sentences]


def _account_sentences(entry: LogEntry, names: dict, by_self: bool) -> list[str]:
    changes = entry.changes_dict
    if entry.action == LogEntry.Action.DELETE:
        return [_("%(actor)s deleted the account of %(account)s.")]
    sentences = []
    if entry.action == LogEntry.Action.CREATE:
        names["role"] = _role_label(_new(changes.get("role")))
        sentences.append(
            _("%(actor)s created the account of %(account)s, with the role %(role)s.")
            if names["role"]
            else _("%(actor)s created the account of %(account)s, without a role.")
        )
        if _new(changes.get("is_superuser")) == "True":
            sentences.append(_("%(actor)s gave %(account)s the superuser status."))
        if _new(changes.get("is_active")) == "False":
            sentences.append(_("%(actor)s deactivated the account of %(account)s."))
        return sentences

    if "role" in changes:
        names["role"] = _role_label(_new(changes["role"]))
        names["old"] = _role_label(_old(changes["role"]))
        if not names["role"]:
            sentences.append(_("%(actor)s took the role %(old)s away from %(account)s."))
        elif names["old"]:
            sentences.append(
                _("%(actor)s gave %(account)s the role %(role)s (previously %(old)s).")
            )
        else:
            sentences.append(_("%(actor)s gave %(account)s the role %(role)s."))
    if "is_active" in changes:
        sentences.append(
            _("%(actor)s reactivated the account of %(account)s.")
            if _new(changes["is_active"]) == "True"
            else _("%(actor)s deactivated the account of %(account)s.")
        )
    if "is_superuser" in changes:
        sentences.append(
            _("%(actor)s gave %(account)s the superuser status.")
            if _new(changes["is_superuser"]) == "True"
            else _("%(actor)s took the superuser status away from %(account)s.")
        )
    if "password" in changes:
        sentences.append(
            _("%(account)s changed their password.")
            if by_self
            else _("%(actor)s changed the password of %(account)s.")
        )
    sites = changes.get("sites")
    if isinstance(sites, dict):
        names["sites"] = ", ".join(str(site) for site in sites.get("objects", []))
        sentences.append(
            _("%(actor)s gave %(account)s access to the sites: %(sites)s.")
            if sites.get("operation") == "add"
            else _("%(actor)s took away the access of %(account)s to the sites: %(sites)s.")
        )
    return sentences


# What happened to a device, said of an authenticator app and of recovery codes (the French
# of each differs in gender and number): action -> (said by its owner, said by someone else).
APP_SENTENCES = {
    "started": (
        gettext_lazy("%(account)s started setting up an authenticator app."),
        gettext_lazy("%(actor)s started setting up an authenticator app for %(account)s."),
    ),
    "added": (
        gettext_lazy("%(account)s set up an authenticator app."),
        gettext_lazy("%(actor)s added an authenticator app to the account of %(account)s."),
    ),
    "confirmed": (
        gettext_lazy("%(account)s set up an authenticator app."),
        gettext_lazy("%(actor)s confirmed an authenticator app of %(account)s."),
    ),
    "suspended": (
        gettext_lazy("%(actor)s suspended an authenticator app of %(account)s."),
        gettext_lazy("%(actor)s suspended an authenticator app of %(account)s."),
    ),
    "moved": (
        gettext_lazy("%(actor)s moved an authenticator app to the account of %(account)s."),
        gettext_lazy("%(actor)s moved an authenticator app to the account of %(account)s."),
    ),
    "renamed": (
        gettext_lazy("%(actor)s renamed an authenticator app of %(account)s."),
        gettext_lazy("%(actor)s renamed an authenticator app of %(account)s."),
    ),
    "removed": (
        gettext_lazy("%(account)s removed their authenticator app."),
        gettext_lazy("%(actor)s removed the authenticator app of %(account)s."),
    ),
}
RECOVERY_CODES_SENTENCES = {
    "started": (
        gettext_lazy("%(account)s received recovery codes."),
        gettext_lazy("%(actor)s created recovery codes for %(account)s."),
    ),
    "added": (
        gettext_lazy("%(account)s received recovery codes."),
        gettext_lazy("%(actor)s created recovery codes for %(account)s."),
    ),
    "confirmed": (
        gettext_lazy("%(account)s received recovery codes."),
        gettext_lazy("%(actor)s confirmed the recovery codes of %(account)s."),
    ),
    "suspended": (
        gettext_lazy("%(actor)s suspended the recovery codes of %(account)s."),
        gettext_lazy("%(actor)s suspended the recovery codes of %(account)s."),
    ),
    "moved": (
        gettext_lazy("%(actor)s moved recovery codes to the account of %(account)s."),
        gettext_lazy("%(actor)s moved recovery codes to the account of %(account)s."),
    ),
    "renamed": (
        gettext_lazy("%(actor)s renamed the recovery codes of %(account)s."),
        gettext_lazy("%(actor)s renamed the recovery codes of %(account)s."),
    ),
    "removed": (
        gettext_lazy("%(account)s removed their recovery codes."),
        gettext_lazy("%(actor)s removed the recovery codes of %(account)s."),
    ),
}


def _device_sentences(entry: LogEntry, names: dict, by_self: bool, sentences) -> list[str]:
    changes = entry.changes_dict
    if entry.action == LogEntry.Action.CREATE:
        what = "added" if _new(changes.get("confirmed")) == "True" else "started"
    elif entry.action == LogEntry.Action.DELETE:
        what = "removed"
    elif "user" in changes:
        what = "moved"
    elif "confirmed" in changes:
        what = "confirmed" if _new(changes["confirmed"]) == "True" else "suspended"
    else:
        what = "renamed"
    by_owner, by_other = sentences[what]
    return [str(by_owner if by_self else by_other)]
