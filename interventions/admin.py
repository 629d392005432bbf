from django.contrib import admin

from ema.admin_privacy import PersonalInformationAdmin, PersonalInformationInline
from interventions.models import (
    GroupActivity,
    Intervention,
    InterventionType,
    Participation,
    Place,
    Theme,
)


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "default_level", "is_crisis", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["default_level", "is_crisis", "is_active"]
    search_fields = ["name"]


@admin.register(Place, Theme)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ParticipationInline(PersonalInformationInline, admin.TabularInline):
    model = Participation
    autocomplete_fields = ["resident"]
    extra = 0


@admin.register(Intervention)
class InterventionAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    # The restricted note is for its author and the direction: never shown, searched or
    # filtered on here. The author, the co-intervenants and the follow-up are read-only, and
    # interventions are logged in the application, never added here (ema.admin_privacy).
    list_display = ["date", "type", "level", "site", "author", "duration_minutes"]
    list_filter = ["level", "site", "type", "date"]
    search_fields = ["summary", "author__username", "author__last_name"]
    list_select_related = ["type", "site", "author"]
    date_hierarchy = "date"
    autocomplete_fields = ["activity"]
    filter_horizontal = ["themes"]
    inlines = [ParticipationInline]
    exclude = ["restricted_note"]


@admin.register(GroupActivity)
class GroupActivityAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    list_display = ["name", "site", "season", "schedule", "is_active"]
    list_filter = ["site", "is_active", "season"]
    search_fields = ["name", "season"]
    list_select_related = ["site"]
    autocomplete_fields = ["registered"]
