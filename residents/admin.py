from django.contrib import admin

from ema.admin_privacy import PersonalInformationAdmin, PersonalInformationInline
from residents.models import Consent, Household, Resident, Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "unit_count"]
    search_fields = ["name", "address"]


class ResidentInline(PersonalInformationInline, admin.TabularInline):
    model = Resident
    fields = ["first_name", "last_name", "date_of_birth", "birth_year", "gender"]
    extra = 0
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    list_display = ["label", "unit", "site", "status", "moved_in_on", "moved_out_on"]
    list_filter = ["site", "status"]
    search_fields = ["label", "unit", "members__last_name", "members__first_name"]
    list_select_related = ["site"]
    date_hierarchy = "moved_in_on"
    inlines = [ResidentInline]


class ConsentInline(PersonalInformationInline, admin.TabularInline):
    model = Consent
    fields = [
        "purpose",
        "partner",
        "given_by",
        "guardian_name",
        "given_on",
        "expires_on",
        "withdrawn_on",
    ]
    readonly_fields = ["obtained_by"]
    extra = 0
    show_change_link = True


@admin.register(Resident)
class ResidentAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "birth_year", "household"]
    list_filter = ["household__site", "gender"]
    search_fields = ["last_name", "first_name", "household__label", "household__unit"]
    list_select_related = ["household"]
    autocomplete_fields = ["household"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    # Who obtained a consent is read-only, and a consent is recorded in the application by
    # the person who obtained it (ema.admin_privacy).
    # A consent to share whose partner is empty names it only as older text (partner_name):
    # the filter "partner: empty" lists them, to choose their organisation.
    list_display = [
        "resident",
        "purpose",
        "partner",
        "partner_name",
        "given_by",
        "given_on",
        "expires_on",
        "withdrawn_on",
        "obtained_by",
    ]
    list_filter = [
        "purpose",
        ("partner", admin.EmptyFieldListFilter),
        "given_by",
        "resident__household__site",
    ]
    search_fields = ["resident__last_name", "resident__first_name", "partner__name"]
    list_select_related = ["resident", "obtained_by", "partner"]
    autocomplete_fields = ["resident", "partner"]
    readonly_fields = ["partner_name"]
    date_hierarchy = "given_on"
