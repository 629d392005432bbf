"""The audit history of records, read from django-auditlog for display on their pages."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

HISTORY_LIMIT = 100

# django-auditlog's own labels are not translated into French.
ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("viewed"),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    timestamp: datetime
    actor: str
    action: str
    object_label: str
    changes: list[Change]


def redact(value: str) -> str:
    """What the audit trail keeps of a restricted note: that it changed, never its words."""
    return "•••" if value else ""


def _raw_value(value) -> str:
    return "" if value in (None, "None") else str(value)


def history_for(
    records: list[tuple[type[models.Model], list[int]]],
    *,
    # Keyed like an audit entry's record: its model and number (either unknown, None).
    labels: dict[tuple[type[models.Model] | None, int | None], str] | None = None,
) -> list[HistoryEntry]:
    """The latest audit entries of the given records, newest first, with field names,
    choices and related records shown as a person reads them. Bounded queries: one for the
    entries, one per kind of related record. Records are named as the audit trail kept them
    (by number, never by a person's name), or by `labels` that the page, which may name
    them, passes."""
    labels = labels or {}
    condition = Q()
    for model, ids in records:
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_id__in=ids)
    if not condition:
        return []
    entries = list(
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:HISTORY_LIMIT]
    )

    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in entry.changes_dict.items():
            field = _field(model, name)
            if isinstance(values, dict):
                continue
            if field is not None and field.is_relation and field.many_to_one:
                wanted[field.related_model].update(_raw_value(v) for v in values if _raw_value(v))
    related = {
        model: {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
        for model, pks in wanted.items()
    }

    return [
        HistoryEntry(
            timestamp=entry.timestamp,
            actor=str(entry.actor) if entry.actor else "",
            action=str(ACTIONS.get(entry.action, entry.get_action_display())),
            object_label=labels.get(
                (entry.content_type.model_class(), _record_number(entry.object_id)),
                entry.object_repr,
            ),
            changes=_changes(entry, related),
        )
        for entry in entries
    ]


def _record_number(object_id: Any) -> int | None:
    try:
        return int(object_id)
    except (TypeError, ValueError):
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def _changes(entry, labels) -> list[Change]:
    model = entry.content_type.model_class()
    changes = []
    for name, values in entry.changes_dict.items():
        field = _field(model, name)
        if field is None or field.primary_key:
            continue
        if isinstance(values, dict):
            # A many-to-many change: objects added to or removed from the relation.
            objects = ", ".join(str(item) for item in values.get("objects", []))
            removed = values.get("operation") in {"delete", "clear"}
            changes.append(
                Change(
                    field=str(field.verbose_name),
                    old=objects if removed else "",
                    new="" if removed else objects,
                )
            )
            continue
        old, new = (_raw_value(v) for v in [*values, "", ""][:2])
        label = str(field.verbose_name)
        if field.choices:
            choices = {str(key): str(text) for key, text in field.flatchoices}
            old, new = choices.get(old, old), choices.get(new, new)
        elif field.is_relation and field.many_to_one:
            related = labels.get(field.related_model, {})
            old, new = related.get(old, old), related.get(new, new)
        changes.append(Change(field=label, old=old, new=new))
    return changes
