"""Who may see a supervision session: its supervisor and the persons supervised, nobody else.

The direction learns from support.selectors that a session took place (date, who, length),
never its notes nor its themes; it opens a session only if it took part in it.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ema.accounts.models import User
from ema.read_log import ReadKind, record_read
from support.models import SupervisionSession


def sessions_visible_to(user: User) -> QuerySet[SupervisionSession]:
    """The sessions a person may open: those they led or were supervised in."""
    if not user.is_active:
        return SupervisionSession.objects.none()
    return SupervisionSession.objects.of_participant(user)


def session_for_user(user: User, pk: int) -> SupervisionSession:
    """A session of which `user` is the supervisor or one of the persons supervised; 404 for
    anybody else, who does not learn that it exists."""
    return get_object_or_404(
        sessions_visible_to(user)
        .select_related("supervisor")
        .prefetch_related("supervised", "themes"),
        pk=pk,
    )


def session_notes_read(*, session: SupervisionSession, by: User) -> None:
    """Record in the read log that someone read a session's notes (never their content), as
    for a restricted note."""
    if session.notes:
        record_read(user=by, kind=ReadKind.RESTRICTED_NOTE, target=session)
