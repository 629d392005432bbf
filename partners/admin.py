from django.contrib import admin

from ema.admin_privacy import PersonalInformationAdmin, PersonalInformationInline
from partners.models import (
    Agreement,
    CommitteeMembership,
    Contact,
    Organisation,
    Referral,
    ReferralEvent,
    Service,
    StatusDelay,
)


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active", "sites"]
    search_fields = ["name", "services__name", "contacts__name"]
    filter_horizontal = ["sites"]
    exclude = ["present_at"]
    inlines = [ServiceInline, ContactInline, AgreementInline]


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    list_display = ["resident", "committee", "role", "since", "until"]
    list_filter = ["committee", "role"]
    search_fields = ["resident__last_name", "resident__first_name", "committee__name"]
    autocomplete_fields = ["resident", "committee"]


class ReferralEventInline(PersonalInformationInline, admin.TabularInline):
    model = ReferralEvent
    extra = 0
    readonly_fields = ["old_status", "new_status", "by", "at", "note"]
    can_delete = False


@admin.register(Referral)
class ReferralAdmin(PersonalInformationAdmin, admin.ModelAdmin):
    # Who created a referral and who is responsible for it are read-only, and referrals are
    # made in the application (ema.admin_privacy).
    list_display = ["organisation", "household", "status", "due_on", "responsible", "urgency"]
    list_filter = ["status", "direction", "urgency", "site", "organisation"]
    search_fields = ["organisation__name", "household__label", "resident__last_name"]
    list_select_related = ["organisation", "household", "responsible"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["resident", "household", "organisation", "consent"]
    filter_horizontal = ["themes"]
    exclude = ["interventions"]
    readonly_fields = ["status", "status_changed_at", "due_on"]
    inlines = [ReferralEventInline]


@admin.register(StatusDelay)
class StatusDelayAdmin(admin.ModelAdmin):
    list_display = ["status", "days"]
    list_editable = ["days"]
