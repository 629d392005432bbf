from django.contrib import admin

from collective.models import CollectiveIssue, IssueResponse
from ema.admin_privacy import PersonalInformationAdmin, PersonalInformationInline


class ResponseInline(PersonalInformationInline, admin.TabularInline):
    model = IssueResponse
    extra = 0
    fields = ["received_on", "organisation", "answer"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CollectiveIssue)
class CollectiveIssueAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    """Readable by administrators, each reading recorded (its description is free text);
    opened and edited in the application, where edits are versioned and each status step is
    kept."""

    list_display = ["title", "site", "category", "status", "opened_on"]
    list_filter = ["site", "category", "status"]
    date_hierarchy = "opened_on"
    fields = ["site", "title", "category", "opened_on", "status", "description"]
    readonly_fields = fields
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
