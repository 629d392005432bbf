from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User


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
