from django.core.exceptions import PermissionDenied

from ema.access import reads_only_the_evaluation


class RoleRequiredMiddleware:
    """Refuse every page to an authenticated account that has no role.

    Runs after LoginRequiredMiddleware. Views that an account without a role still needs
    (log out, change password, switch language) are marked with `role_not_required`. The
    research role opens only the views marked `open_to_research` besides those.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "role_not_required", False):
            return None
        if not request.user.has_role:
            raise PermissionDenied
        if reads_only_the_evaluation(request.user) and not getattr(
            view_func, "open_to_research", False
        ):
            raise PermissionDenied
        return None
