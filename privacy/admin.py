from django.contrib import admin

from privacy.models import ReadEvent


@admin.register(ReadEvent)
class ReadEventAdmin(admin.ModelAdmin):
    """Readable by administrators, changeable by nobody."""

    list_display = ["at", "actor", "kind", "target_type", "target_id"]
    list_filter = ["kind"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
