"""The copies of personal information that the audit history (django-auditlog) keeps, found
and scrubbed when a household is anonymised (privacy/retention.py).

A log entry keeps the record's text as it was (`object_repr`), the old and new value of each
changed field (`changes`, or `changes_text` in older entries), and optionally a copy of the
record (`serialized_data`) and extra context (`additional_data`). Scrubbing keeps the entry,
who made it, when and which fields changed, so the history still shows that work was done.
"""

import json
from collections import defaultdict
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from ema.history import redact
from interventions.models import GroupActivity, Intervention, Participation
from partners.models import Referral, ReferralEvent
from residents.models import Consent, Household, Resident

# The fields whose values are personal information or free text, model by model. The others
# (statuses, dates, counts, links to other records by number) stay in the history.
PERSONAL_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Household: frozenset({"label", "unit", "languages"}),
    Resident: frozenset(
        {"first_name", "last_name", "date_of_birth", "phone", "school", "languages"}
    ),
    Consent: frozenset({"guardian_name"}),
    Participation: frozenset(),
    Intervention: frozenset({"summary", "decisions", "restricted_note"}),
    Referral: frozenset({"reason", "information_shared", "exception_justification"}),
    ReferralEvent: frozenset({"note"}),
}
SCRUBBED_FIELDS = ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]
BATCH_SIZE = 500
NO_VALUE = (None, "", "None")


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def deleted(model: type[models.Model], key: str, parent_ids: Iterable[int]) -> dict[int, dict]:
    """Records of `model` deleted since, whose foreign key `key` pointed at one of
    `parent_ids`: their number and their last values, read from their deletion entry."""
    parents = sorted(str(pk) for pk in parent_ids)
    if not parents:
        return {}
    entries = LogEntry.objects.filter(
        content_type=_content_type(model),
        action=LogEntry.Action.DELETE,
        **{f"changes__{key}__0__in": parents},
    ).values_list("object_id", "changes")
    return {object_id: changes or {} for object_id, changes in entries if object_id is not None}


def _mask(value):
    return value if value in NO_VALUE else redact(str(value))


def _known_names(entries: list[LogEntry], names: dict[int, str]) -> set[str]:
    """Every name a resident had: today's, the text of their entries, and each first name
    with each last name they were given."""
    resident_type = _content_type(Resident)
    known = set(names.values())
    parts: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in entries:
        if entry.content_type_id != resident_type.pk:
            continue
        known.add(entry.object_repr)
        for field in ("first_name", "last_name"):
            values = (entry.changes or {}).get(field) or []
            parts[entry.object_id][field].update(v for v in values if v not in NO_VALUE)
    for fields in parts.values():
        known.update(
            f"{first} {last}" for first in fields["first_name"] for last in fields["last_name"]
        )
    return {name for name in known if name and name.strip()}


def _rename_m2m(changes: dict, names: dict[str, str]) -> bool:
    """Replace the names of anonymised residents in many-to-many changes (auditlog records
    the added or removed records by their text); True when something changed."""
    renamed = False
    for values in changes.values():
        if isinstance(values, dict) and values.get("type") == "m2m":
            objects = values.get("objects") or []
            replaced = [names.get(str(item), item) for item in objects]
            renamed = renamed or replaced != objects
            values["objects"] = replaced
    return renamed


def _scrub_changes(changes: dict, fields: frozenset[str], names: dict[str, str]) -> dict:
    scrubbed = {}
    for name, values in changes.items():
        if name in fields and isinstance(values, list | tuple):
            scrubbed[name] = [_mask(value) for value in values]
        elif name in fields:
            scrubbed[name] = _mask(values)
        else:
            scrubbed[name] = values
    _rename_m2m(scrubbed, names)
    return scrubbed


def _changes_of(entry: LogEntry) -> dict | None:
    if entry.changes:
        return entry.changes
    if entry.changes_text:
        try:
            parsed = json.loads(entry.changes_text)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return entry.changes


def scrub_history(
    *,
    records: dict[type[models.Model], set[int]],
    reprs: dict[tuple[type[models.Model], int], str],
    neutral: dict[type[models.Model], str],
    names: dict[int, str],
    anonymous_name: str,
    activities: QuerySet[GroupActivity],
) -> int:
    """Scrub every entry about `records`: their text becomes `reprs` (or the `neutral` text
    of their model, for records deleted since), personal fields are masked, copies dropped.
    Then rename the residents (`names`: their names before anonymisation) in the
    registrations to `activities`. Bounded queries: one read and batched writes each."""
    condition = Q()
    for model, ids in records.items():
        if ids:
            condition |= Q(content_type=_content_type(model), object_id__in=sorted(ids))
    entries = list(LogEntry.objects.filter(condition)) if condition else []
    renamed = dict.fromkeys(_known_names(entries, names), anonymous_name)
    # An entry's content type may be null in Django's model; these entries are filtered on it.
    models_by_type: dict[int | None, type[models.Model]] = {
        _content_type(model).pk: model for model in records
    }
    for entry in entries:
        model = models_by_type[entry.content_type_id]
        if model in neutral:
            entry.object_repr = reprs.get((model, entry.object_id), neutral[model])
        changes = _changes_of(entry)
        if changes is not None:
            changes = _scrub_changes(changes, PERSONAL_FIELDS.get(model, frozenset()), renamed)
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
    LogEntry.objects.bulk_update(entries, SCRUBBED_FIELDS, batch_size=BATCH_SIZE)

    registrations = [
        entry
        for entry in LogEntry.objects.filter(
            content_type=_content_type(GroupActivity),
            object_id__in=activities.values("pk"),
            changes__has_key="registered",
        )
        if _rename_m2m(entry.changes, renamed)
    ]
    LogEntry.objects.bulk_update(registrations, ["changes"], batch_size=BATCH_SIZE)
    return len(entries) + len(registrations)


def scrub_admin_log(
    *,
    records: dict[type[models.Model], set[int]],
    reprs: dict[tuple[type[models.Model], int | None], str],
) -> int:
    """The Django admin's own log (django_admin_log) keeps a record's text as it was when an
    administrator changed it, and the text of the inline rows added or removed with it: the
    text becomes the record's anonymised one (or its number) and the message is emptied.
    One read and one batched write."""
    condition = Q()
    for model, ids in records.items():
        if ids:
            condition |= Q(
                content_type=_content_type(model), object_id__in=[str(pk) for pk in sorted(ids)]
            )
    if not condition:
        return 0
    # An entry's content type may be null in Django's model; these entries are filtered on it.
    models_by_type: dict[int | None, type[models.Model]] = {
        _content_type(model).pk: model for model in records
    }
    entries = list(AdminLogEntry.objects.filter(condition))
    for entry in entries:
        model = models_by_type[entry.content_type_id]
        number = int(entry.object_id) if str(entry.object_id).isdigit() else None
        entry.object_repr = reprs.get((model, number), f"{model._meta.label} #{number}")
        entry.change_message = ""
    AdminLogEntry.objects.bulk_update(
        entries, ["object_repr", "change_message"], batch_size=BATCH_SIZE
    )
    return len(entries)
