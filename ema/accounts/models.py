import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ema.access import (
    Role,
    can_open_the_admin,
    can_see_every_site,
    has_a_role,
    must_give_a_second_factor,
)


def new_session_token() -> str:
    return secrets.token_hex(16)


class StaffManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The first account, made with `createsuperuser`, administers the app.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A staff account. Without a role, an account can log in but sees nothing."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    sites = models.ManyToManyField(
        "residents.Site",
        verbose_name=_("sites"),
        blank=True,
        related_name="staff",
        help_text=_("The sites an outreach worker works in and can see."),
    )

    # Part of every session's proof of login: changing it ends every session of the account.
    session_token = models.CharField(max_length=32, default=new_session_token, editable=False)

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Only the admin role opens the Django admin; the flag follows the role.
        self.is_staff = self.role == Role.ADMIN or self.is_superuser
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None) -> str:
        # Sessions hold this hash: it changes with the password and with `end_sessions`.
        return salted_hmac(
            "ema.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_token}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_sessions(self) -> None:
        """End every session of this account at its next request."""
        self.session_token = new_session_token()
        self.save(update_fields=["session_token"])

    # What the access policy (ema.access) says of this account, for querysets and templates.

    @property
    def has_role(self) -> bool:
        return has_a_role(self)

    @cached_property
    def site_ids(self) -> frozenset[int]:
        """The sites this account is assigned to, read once per request."""
        return frozenset(self.sites.values_list("pk", flat=True))

    @property
    def sees_all_sites(self) -> bool:
        return can_see_every_site(self)

    @property
    def requires_two_factor(self) -> bool:
        return must_give_a_second_factor(self)

    def has_perm(self, perm, obj=None) -> bool:
        # The Django admin is the administrators': every model of it is theirs to edit.
        return can_open_the_admin(self) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return can_open_the_admin(self) or super().has_module_perms(app_label)


class LoginFailure(models.Model):
    """A failed login on a username, whatever the address: the second line of the login's
    defence (ema.accounts.throttle). An attempt is counted as soon as its password is being
    checked, and the row is deleted if the password was right.

    The username is kept as a keyed hash: people type anything in that field, a resident's
    name included, and it never lands in this table as typed."""

    username_key = models.UUIDField(_("username key"))
    device = models.UUIDField(
        _("device"),
        null=True,
        blank=True,
        help_text=_("The nonce of the browser's device cookie for this username, if any."),
    )
    failed_at = models.DateTimeField(_("failed at"), db_index=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")
        indexes = [
            models.Index(fields=["username_key", "failed_at"], name="login_failure_username")
        ]

    def __str__(self) -> str:
        return f"{self.username_key} {self.failed_at:%Y-%m-%d %H:%M:%S}"
