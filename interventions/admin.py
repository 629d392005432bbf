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
from interventions.summaries import Bucket, buckets_of, summaries_refresh


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

    # A correction here changes the figures as the application's services would: the months
    # the intervention counted in and counts in now are computed again, in the same
    # transaction, once its themes and people are saved too.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        summaries_refresh(buckets=buckets_of([form.instance]))

    def delete_model(self, request, obj):
        buckets = buckets_of([obj])
        super().delete_model(request, obj)
        summaries_refresh(buckets=buckets)

    def delete_queryset(self, request, queryset):
        buckets = {Bucket.of(site, day) for site, day in queryset.values_list("site", "date")}
        super().delete_queryset(request, queryset)
        summaries_refresh(buckets=buckets)


@admin.register(GroupActivity)
class GroupActivityAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    list_display = ["name", "site", "season", "schedule", "is_active"]
    list_filter = ["site", "is_active", "season"]
    search_fields = ["name", "season"]
    list_select_related = ["site"]
    autocomplete_fields = ["registered"]
