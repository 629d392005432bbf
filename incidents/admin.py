from django.contrib import admin

from ema.admin_privacy import PersonalInformationAdmin
from incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    """Readable by administrators, each reading recorded; recorded and changed by the
    direction in the application (where edits are versioned), and never deleted: the law
    keeps the register five years."""

    list_display = ["aware_on", "title", "risk", "people_count", "recorded_by"]
    list_filter = ["risk"]
    date_hierarchy = "aware_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
