"""The access policy: which role may do what. Object helpers live beside each app's models
(`residents/access.py`) and start from `visible_to(user)` querysets."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied

from ema.accounts.models import Role

MANAGERS = frozenset({Role.COORDINATION, Role.DIRECTION, Role.ADMIN})


def has_any_role(user, roles) -> bool:
    return user.is_authenticated and user.is_active and user.role in roles


def can_see_site(user, site_id: int | None) -> bool:
    """Whoever sees every site, or a person assigned to this one: the rule behind every
    `visible_to(user)` queryset, for a row already in hand (no query once the sites are
    read)."""
    if not (user.is_authenticated and user.has_role):
        return False
    return user.sees_all_sites or site_id in user.site_ids


def can_view_history(user) -> bool:
    """The audit history of a file is for the direction (and the administrators)."""
    return has_any_role(user, {Role.DIRECTION, Role.ADMIN})


def can_import_households(user) -> bool:
    """Bulk imports touch every site: coordination, direction and administrators."""
    return has_any_role(user, MANAGERS)


def role_not_required(view_func: Callable) -> Callable:
    """Mark a view that an account without a role may still open (log out, language...)."""
    view_func.role_not_required = True
    return view_func


def two_factor_not_required(view_func: Callable) -> Callable:
    """Mark a view that a person who still owes the second factor may open (log out...)."""
    view_func.two_factor_not_required = True
    return view_func


def role_required(*roles: str) -> Callable:
    """Decorator for function views limited to some roles."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(UserPassesTestMixin):
    """Class-based views limited to `allowed_roles`."""

    allowed_roles: frozenset[str] = frozenset()
    raise_exception = True

    def test_func(self) -> bool:
        return has_any_role(self.request.user, self.allowed_roles)
