from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.accounts.models import User

# What an account may not change about itself: another administrator must (and the change is
# audited and shown to the direction, privacy:account_changes).
SELF_LOCKED_FIELDS = ["role", "is_superuser", "is_active"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "sites", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = ["sites"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role and sites"), {"fields": ["role", "sites", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Role and sites"), {"fields": ["role", "sites"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += [name for name in SELF_LOCKED_FIELDS if name not in fields]
        return fields


# Two-factor devices: an administrator sees them and deletes those of a person who lost the
# phone (who then sets up a new app at the next login), but never adds one, nor moves one to
# another account: either would let the administrator log in as that person.
class DeleteOnlyDeviceAdmin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(DeleteOnlyDeviceAdmin, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class RecoveryCodesAdmin(DeleteOnlyDeviceAdmin, StaticDeviceAdmin):
    pass
