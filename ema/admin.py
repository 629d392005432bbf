"""The audit trail in the Django admin: its past values are personal information, so each
page of it is recorded in the read log like a file's (ema.admin_privacy)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from ema.admin_privacy import PersonalInformationAdmin

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(PersonalInformationAdmin, LogEntryAdmin):
    def read_target(self, obj):
        # The past values shown are the audited record's: the reading is of that record.
        model = obj.content_type.model_class()
        if model is None or obj.object_id is None:
            return LogEntry, obj.pk, {}
        return model, obj.object_id, {"audit_entry": obj.pk}
