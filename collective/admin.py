from django.contrib import admin

from collective.models import CollectiveIssue, IssueResponse


class ResponseInline(admin.TabularInline):
    model = IssueResponse
    extra = 0
    fields = ["received_on", "organisation", "answer", "recorded_by"]
    readonly_fields = fields


@admin.register(CollectiveIssue)
class CollectiveIssueAdmin(admin.ModelAdmin):
    """Read in the admin; opened and edited in the application, where edits are versioned
    and each status step is kept."""

    list_display = ["title", "site", "category", "status", "opened_on"]
    list_filter = ["site", "category", "status"]
    date_hierarchy = "opened_on"
    fields = ["site", "title", "category", "opened_on", "status", "description", "created_by"]
    readonly_fields = fields
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
