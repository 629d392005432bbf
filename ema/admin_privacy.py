"""The Django admin is not a back door: what it shows of personal information is recorded in
the read log, it never shows a restricted field, and it never lets an administrator say who
did the work.

A ModelAdmin of a model that holds personal information mixes in `PersonalInformationAdmin`
(and its inlines `PersonalInformationInline`):

- every page that shows its records is a reading: a list (one line per page shown, naming
  the records listed), a record's change, history or deletion page, an action's page, and
  the autocomplete of another form's field. The line names the model, the page and the
  records' numbers, never what they hold, not even what was searched;
- a field that the audit trail masks (a restricted note) is never in a form, a column, a
  search, a filter or a lookup of the address;
- a field naming a staff account (author, co-intervenants, follow-up, obtained by, created
  by...) is read-only, and such a record is not added in the admin: it is the team's record,
  made in the application.

The read log belongs to `privacy`, which sits above the domain apps: this core module cannot
import it. It records through the core's port (ema.read_log), as the application's pages do.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.template.response import TemplateResponse

from ema.read_log import ReadKind, record_read

if TYPE_CHECKING:
    # The mixins below are mixed into these (a ModelAdmin, an inline); for the types only.
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin

    _SharedBase = BaseModelAdmin
    _AdminBase = ModelAdmin
    _InlineBase = InlineModelAdmin
else:
    _SharedBase = _AdminBase = _InlineBase = object

# A list page shows at most `list_max_show_all` records (200 by default): the numbers kept
# are bounded by it.
MAX_IDS = 200


class View:
    """The admin pages that show records, as the read log names them."""

    CHANGELIST = "changelist"
    CHANGE = "change"
    HISTORY = "history"
    DELETE = "delete"
    ACTION = "action"
    AUTOCOMPLETE = "autocomplete"


def staff_fields(model: type[models.Model]) -> list[str]:
    """The fields of `model` that name a staff account (who did, obtained or follows up)."""
    user_model = get_user_model()
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.many_to_many)
        and field.related_model is user_model
    ]


def restricted_fields(model: type[models.Model]) -> set[str]:
    """The fields the audit trail masks (a restricted note): for their author and the
    direction only, so never for the admin."""
    if not auditlog.contains(model):
        return set()
    return set(auditlog.get_model_fields(model)["mask_fields"])


def touches_restricted_field(model: type[models.Model], lookup: str) -> bool:
    """Whether a lookup (`restricted_note__icontains`, `sessions__restricted_note`) reads
    a restricted field of `model` or of a model it leads to."""
    for part in lookup.split(LOOKUP_SEP):
        if part in restricted_fields(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        # A relation's model is a class once the apps are loaded ("self" only before).
        if not field.is_relation or not isinstance(field.related_model, type):
            return False
        model = field.related_model
    return False


def _without(names: Iterable, banned: set[str]) -> list:
    """`names` (fields, columns, filters, search fields) without those touching `banned`."""
    kept = []
    for name in names:
        key = name[0] if isinstance(name, (list, tuple)) else name
        if isinstance(key, str) and key.lstrip("^=@").split(LOOKUP_SEP)[0] in banned:
            continue
        kept.append(name)
    return kept


def record_admin_read(
    request,
    *,
    model: type[models.Model],
    view: str,
    target_id: int | None = None,
    ids: Iterable | None = None,
    details: dict | None = None,
) -> None:
    """Write one line of the read log for an admin page that showed records of `model`: one
    record (`target_id`) or a list (`ids`, the numbers of the records shown)."""
    # Numbers only: the selection of an action comes from the form as text.
    numbers = None if ids is None else [int(pk) for pk in ids if str(pk).isdigit()][:MAX_IDS]
    record_read(
        user=request.user,
        kind=ReadKind.ADMIN,
        # One record by its number (it need not be loaded, nor still exist), or the model
        # of a list.
        target=model if target_id is None else model(pk=target_id),
        details={
            "view": view,
            **({"ids": numbers} if numbers is not None else {}),
            **(details or {}),
        },
    )


class _StaffAndRestrictedFields(_SharedBase):
    """What the admin pages and their inlines share: restricted fields hidden, staff fields
    read-only, no new record of the team's work."""

    def _restricted(self) -> set[str]:
        return restricted_fields(self.model)

    def _staff(self) -> list[str]:
        return staff_fields(self.model)

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *sorted(self._restricted())]

    def get_readonly_fields(self, request, obj=None):
        excluded = set(self.exclude or []) | self._restricted()
        fields = _without(super().get_readonly_fields(request, obj), self._restricted())
        return [*fields, *(name for name in self._staff() if name not in {*fields, *excluded})]


class PersonalInformationAdmin(_StaffAndRestrictedFields, _AdminBase):
    """Mix into the ModelAdmin of a model that holds personal information (see the module)."""

    # Staff fields and restricted fields ------------------------------------------------------

    def has_add_permission(self, request):
        # The admin would become the author (or the one who obtained a consent) of a record
        # of the team's work: it is made in the application.
        return not self._staff() and super().has_add_permission(request)

    def get_list_display(self, request):
        return _without(super().get_list_display(request), self._restricted())

    def get_list_filter(self, request):
        return _without(super().get_list_filter(request), self._restricted())

    def get_search_fields(self, request):
        return _without(super().get_search_fields(request), self._restricted())

    def lookup_allowed(self, lookup, value, request=None):
        if touches_restricted_field(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        locked = set(self._staff()) | self._restricted()
        for name in self.list_editable:
            if name in locked:
                errors.append(
                    checks.Error(
                        f"'{name}' names a staff account or is restricted: it cannot be "
                        "in list_editable.",
                        obj=self.__class__,
                        id="ema.E001",
                    )
                )
        return errors

    # Reads -----------------------------------------------------------------------------------

    def read_target(self, obj) -> tuple[type[models.Model], int, dict]:
        """Whose information a page of `obj` shows: a model, a number, and what to add
        (never the content)."""
        return self.model, obj.pk, {}

    def _record(self, request, view: str, ids=None, details=None) -> None:
        record_admin_read(request, model=self.model, view=view, ids=ids, details=details)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if not isinstance(response, TemplateResponse) or response.context_data is None:
            return response
        changelist = response.context_data.get("cl")
        if changelist is not None:
            # Evaluating the page here caches it for the template: no second query.
            shown = list(changelist.result_list)
            self._record(
                request,
                View.CHANGELIST,
                ids=[obj.pk for obj in shown],
                details={
                    "page": changelist.page_num,
                    "count": len(shown),
                    "searched": bool(changelist.query),
                    "filtered": bool(changelist.has_active_filters),
                },
            )
        else:
            # An action's page (the confirmation of a deletion) lists the records selected.
            across = request.POST.get("select_across") == "1"
            self._record(
                request,
                View.ACTION,
                ids=[] if across else request.POST.getlist(ACTION_CHECKBOX_NAME),
                details={"action": request.POST.get("action", ""), "all": across},
            )
        return response

    def _record_object_page(self, request, response, view: str, key: str):
        if isinstance(response, TemplateResponse) and response.context_data:
            obj = response.context_data.get(key)
            if obj is not None:
                model, pk, details = self.read_target(obj)
                record_admin_read(request, model=model, view=view, target_id=pk, details=details)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # The add page shows no record ("original" is None there).
        return self._record_object_page(request, response, View.CHANGE, "original")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._record_object_page(request, response, View.HISTORY, "object")

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._record_object_page(request, response, View.DELETE, "object")


class PersonalInformationInline(_StaffAndRestrictedFields, _InlineBase):
    """Mix into the inlines of a record holding personal information; their page is the
    parent's, which records the reading."""

    # An inline's signature (request, obj), as Django's InlineModelAdmin has it.
    def has_add_permission(self, request, obj):  # type: ignore[override]
        return not self._staff() and super().has_add_permission(request, obj)


class ReadLoggedAutocompleteView(AutocompleteJsonView):
    """The autocomplete of a form's field lists records like a list page: recorded too."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.model_admin, PersonalInformationAdmin):
            # Evaluating the page here caches it for the response: no second query.
            shown = list(context["object_list"])
            record_admin_read(
                self.request,
                model=self.model_admin.model,
                view=View.AUTOCOMPLETE,
                ids=[obj.pk for obj in shown],
                details={"count": len(shown), "searched": bool(self.term)},
            )
        return context
