from django.contrib import admin

from support.models import SupervisionTheme


# Only the reference list: the sessions themselves (their notes) are never in the admin.
@admin.register(SupervisionTheme)
class SupervisionThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
