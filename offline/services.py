"""What the phone's queue sends when the network comes back: one sealed entry at a time.

Each entry was made by the same forms and is saved by the same services as the pages that work
online; its one-time token (made on the phone) keeps a retry, a second tab or a second device
from saving it twice, and an edit's version keeps it from overwriting a save it never saw.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ema.accounts.models import User
from ema.concurrency import StaleEditError
from ema.models import Submission
from ema.submissions import FIELD, TOKEN_PATTERN, AlreadySubmitted, once
from interventions import services as intervention_services
from interventions.access import activity_for_user, intervention_for_user
from interventions.forms import CountsEditForm, QuickLogForm, SessionForm
from interventions.models import Intervention
from offline.crypto import SealError, open_envelope
from offline.models import AtHand
from residents.models import Resident, Site

# An entry older than this is refused on sync, with what it said: a week-old note belongs in the
# full form, where its date is chosen, not in "today" or "yesterday".
MAX_AGE_DAYS = 7

CREATED, UPDATED, ALREADY = "created", "updated", "already"
STALE, INVALID, REFUSED = "stale", "invalid", "refused"
HTTP_STATUS = {CREATED: 201, UPDATED: 200, ALREADY: 200, STALE: 409, INVALID: 422, REFUSED: 403}


@dataclass
class Outcome:
    """What became of one entry, as the phone is told."""

    status: str
    record: Intervention | None = None
    errors: list[str] = field(default_factory=list)
    # A stale edit: each field's label, what the phone sent and what is saved now.
    fields: list[dict[str, Any]] = field(default_factory=list)
    version: int | None = None

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.status]


def _refused(message: str) -> Outcome:
    return Outcome(REFUSED, errors=[message])


def _invalid(form: forms.BaseForm) -> Outcome:
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        errors += [f"{label} : {message}" if label else str(message) for message in messages]
    return Outcome(INVALID, errors=errors)


def _data(fields: Any, **extra: str) -> QueryDict:
    """The entry's fields as the form reads a POST: a list is a field of several values."""
    data = QueryDict(mutable=True)
    if isinstance(fields, dict):
        for name, value in fields.items():
            values = value if isinstance(value, list) else [value]
            data.setlist(str(name), [str(item) for item in values if item is not None])
    for name, value in extra.items():
        data[name] = value
    return data


def _recorded_on(entry: dict[str, Any]) -> date | str:
    """The phone's day when the entry was made, or why it cannot be used."""
    value = parse_date(str(entry.get("recorded_on") or ""))
    today = timezone.localdate()
    if value is None:
        return _("This entry does not say on which day it was made.")
    if value > today + timedelta(days=1):
        return _("This entry is dated in the future: check the phone's date and time.")
    if value < today - timedelta(days=MAX_AGE_DAYS):
        return _(
            "This entry waited more than %(days)d days on the phone: log it with the full "
            "form, where its date can be chosen."
        ) % {"days": MAX_AGE_DAYS}
    return min(value, today)


def _already(token: str, user: User) -> Outcome | None:
    previous = Submission.objects.filter(token=token).first()
    if previous is None:
        return None
    if previous.author_id != user.pk:
        return _refused(_("This entry was sent from another account."))
    record = (
        Intervention.objects.filter(pk=previous.record_id).first()
        if previous.record_id is not None
        else None
    )
    return Outcome(ALREADY, record=record)


def _create(
    form: forms.Form, user: User, token: str, make: Callable[[Any], Intervention]
) -> Outcome:
    if not form.is_valid():
        return _invalid(form)
    try:
        with once(token=token, by=user) as claim:
            record = claim.made(make(form))
    except AlreadySubmitted:
        # The same entry sent twice at once: the other request saved it.
        return _already(token, user) or _refused(_("This entry could not be saved."))
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(form)
    return Outcome(CREATED, record=record)


def _quick_log(user: User, entry: dict[str, Any], token: str, day: date) -> Outcome:
    form = QuickLogForm(
        _data(entry.get("fields"), **{FIELD: token}),
        user=user,
        sites=Site.objects.visible_to(user),
        today=day,
    )
    return _create(
        form,
        user,
        token,
        lambda form: intervention_services.quick_log_create(by=user, **form.entry()),
    )


def _session(user: User, entry: dict[str, Any], token: str, day: date) -> Outcome:
    activity = activity_for_user(user, _number(entry.get("activity")))
    fields = dict(entry.get("fields") or {})
    # The session is of the day it was logged: the phone has no calendar to choose from.
    fields["date"] = day.isoformat()
    form = SessionForm(_data(fields, **{FIELD: token}), user=user, activity=activity)
    return _create(
        form,
        user,
        token,
        lambda form: intervention_services.activity_session_create(
            activity=activity, by=user, **form.cleaned_data
        ),
    )


def _edit(user: User, entry: dict[str, Any], version: Any) -> Outcome:
    intervention = intervention_for_user(user, _number(entry.get("intervention")), write=True)
    fields = entry.get("fields") or {}
    form = CountsEditForm(_data(fields, version=str(version or "")), instance=intervention)
    if not form.is_valid():
        return _invalid(form)
    expected = form.expected_version
    changes = {name: form.cleaned_data[name] for name in CountsEditForm.Meta.fields}
    try:
        intervention_services.intervention_counts_update(
            intervention=form.instance, expected_version=expected, **changes
        )
    except StaleEditError as error:
        saved = Intervention.objects.get(pk=intervention.pk)
        if all(getattr(saved, name) == value for name, value in changes.items()):
            # This very correction, sent again after its answer was lost: nothing to choose.
            return Outcome(ALREADY, record=saved)
        return Outcome(
            STALE,
            record=saved,
            errors=list(error.messages),
            fields=[
                {
                    "name": name,
                    "label": str(form.fields[name].label),
                    "yours": changes[name],
                    "theirs": getattr(saved, name),
                }
                for name in CountsEditForm.Meta.fields
            ],
            version=saved.version,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(form)
    return Outcome(UPDATED, record=form.instance)


def _number(value: Any) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise Http404
    return int(text)


def sync_entry(*, user: User, envelope: Any, version: Any = None) -> Outcome:
    """Open one sealed entry of `user`'s queue and save it, once. `version` is the version an
    edit expects (sent in the clear: after a refusal, the person may choose to keep theirs)."""
    if not isinstance(envelope, dict):
        return _refused(_("This entry is damaged: it cannot be read."))
    try:
        entry = open_envelope(user, envelope)
    except SealError:
        return _refused(_("This entry was made under another account, or is damaged."))
    kind = entry.get("kind")
    try:
        if kind == "edit":
            return _edit(user, entry, version)
        token = str(entry.get("token") or "")
        if not TOKEN_PATTERN.fullmatch(token):
            return _refused(_("This entry is damaged: it cannot be read."))
        done = _already(token, user)
        if done is not None:
            return done
        day = _recorded_on(entry)
        if isinstance(day, str):
            return Outcome(INVALID, errors=[day])
        if kind == "quick_log":
            return _quick_log(user, entry, token, day)
        if kind == "session":
            return _session(user, entry, token, day)
    except (Http404, PermissionDenied):
        return _refused(_("You can no longer change this record, or it no longer exists."))
    return _refused(_("This entry is damaged: it cannot be read."))


def keep_at_hand(*, user: User, resident: Resident) -> AtHand:
    """Keep `resident` at hand for `user` (whose sites hold them: the caller checked); refused
    past AT_HAND_LIMIT people."""
    existing = AtHand.objects.filter(user=user, resident=resident).first()
    if existing is not None:
        return existing
    kept = AtHand(user=user, resident=resident)
    kept.full_clean(exclude=["user", "resident"], validate_constraints=False)
    kept.save()
    return kept


def put_away(*, user: User, resident: Resident) -> None:
    AtHand.objects.filter(user=user, resident=resident).delete()
