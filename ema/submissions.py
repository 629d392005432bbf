"""One submission, one record.

Every create form carries a one-time token (`OneTimeFormMixin`). The view that saves it runs
its service inside `once(token=..., by=...)`, which takes the token once the record is made: a
row of `Submission`, unique, in the same transaction as the record. The same form sent again
(a retry on a weak connection, a second tap while the first request is in flight) finds the
token taken: its work is undone, nothing is created, and `one_time_submission` sends the
person to the record already made. A save that fails takes no token, so the person can correct
the form and send it again.
"""

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.models import Submission

if TYPE_CHECKING:
    from ema.accounts.models import User
    from ema.http import AuthenticatedHttpRequest

P = ParamSpec("P")
M = TypeVar("M", bound=models.Model | None)

FIELD = "submission"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class OneTimeFormMixin(forms.Form):
    """A hidden one-time token, made when the form is first shown, that the save claims."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # An edit makes nothing new: its guard is the version (ema.concurrency).
            del self.fields[FIELD]
        elif not self.is_bound:
            self.initial[FIELD] = new_token()

    @property
    def creates(self) -> bool:
        return FIELD in self.fields

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The token is the form's own: what the form hands a service is the person's input.
        self.submission_token = cleaned.pop(FIELD, "") or ""
        if self.creates and not TOKEN_PATTERN.fullmatch(self.submission_token):
            # The field is hidden: its error goes above the form, where it is read.
            self.add_error(
                None,
                _("This form is incomplete or too old: reload the page, then fill it in again."),
            )
        return cleaned


class Claim:
    """The save of a form carrying a one-time token: the block names the record it made."""

    def __init__(self, token: str | None):
        self.token = token
        self.record: models.Model | None = None

    def made(self, record: M) -> M:
        self.record = record
        return record


class AlreadySubmitted(Exception):
    """This form was already sent: its token is taken."""

    def __init__(self, submission: Submission | None):
        super().__init__("already submitted")
        self.submission = submission


def _previous(token: str) -> Submission | None:
    return Submission.objects.select_related("record_type").filter(token=token).first()


@contextmanager
def once(*, token: str, by: "User") -> Iterator[Claim]:
    """Run the block that creates a record, then take `token` (a unique row) in the same
    transaction; if the token was already taken, undo the block and raise AlreadySubmitted.
    Two requests sent at once with the same token both do the work; the second one's claim
    waits on the unique index until the first commits, then fails, and its work is undone."""
    claim = Claim(token)
    try:
        with transaction.atomic():
            yield claim
            record = claim.record
            Submission.objects.create(
                token=token,
                author=by,
                record_type=ContentType.objects.get_for_model(record) if record else None,
                record_id=record.pk if record else None,
            )
    except IntegrityError as error:
        previous = _previous(token)
        if previous is None:
            raise  # another integrity error of the block itself
        raise AlreadySubmitted(previous) from error


@contextmanager
def once_for(form: OneTimeFormMixin, *, by: "User") -> Iterator[Claim]:
    """`once` for a form that creates a record; an edit form has nothing to claim."""
    if form.creates:
        with once(token=form.submission_token, by=by) as claim:
            yield claim
    else:
        yield Claim(None)


def _record_url(submission: Submission | None, user: "User") -> str | None:
    if submission is None or submission.author_id != user.pk or submission.record_type is None:
        return None
    record = submission.record_type.get_object_for_this_type(pk=submission.record_id)
    # What a one-time form makes is a record with its own page.
    return record.get_absolute_url()  # type: ignore[attr-defined]


def _already_made(
    request: "AuthenticatedHttpRequest", submission: Submission | None, fallback: str
) -> HttpResponseBase:
    messages.info(
        request, gettext("This form had already been sent: nothing was added a second time.")
    )
    try:
        url = _record_url(submission, request.user)
    except models.ObjectDoesNotExist:
        url = None
    return redirect(url or fallback)


def one_time_submission(
    fallback: str = "home",
) -> Callable[
    [Callable[Concatenate["AuthenticatedHttpRequest", P], HttpResponseBase]],
    Callable[Concatenate["AuthenticatedHttpRequest", P], HttpResponseBase],
]:
    """Decorate a view whose form carries a one-time token: a token already used leads to
    the record it made (or to `fallback`), with a message, before the form is even read."""

    def decorator(
        view_func: Callable[Concatenate["AuthenticatedHttpRequest", P], HttpResponseBase],
    ) -> Callable[Concatenate["AuthenticatedHttpRequest", P], HttpResponseBase]:
        @wraps(view_func)
        def wrapped(
            request: "AuthenticatedHttpRequest", *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            try:
                response = view_func(request, *args, **kwargs)
            except AlreadySubmitted as done:
                return _already_made(request, done.submission, fallback)
            token = request.POST.get(FIELD, "") if request.method == "POST" else ""
            if response.status_code >= 400 and TOKEN_PATTERN.fullmatch(token):
                # A copy refused only because its first sending was saved (the household's
                # unit is now taken by the household it made): lead to that record instead.
                previous = _previous(token)
                if previous is not None:
                    return _already_made(request, previous, fallback)
            return response

        return wrapped

    return decorator
