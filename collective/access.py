"""Access to a collective issue: whoever follows the issues of its site (an intervenant of
another site gets 404, as for any record of a site)."""

from django.shortcuts import get_object_or_404

from collective.models import CollectiveIssue
from ema.accounts.models import User


def issue_for_user(user: User, pk: int) -> CollectiveIssue:
    """The issue, for whoever may see it; every one of them may also work on it."""
    return get_object_or_404(
        CollectiveIssue.objects.visible_to(user).select_related("site", "created_by"), pk=pk
    )
