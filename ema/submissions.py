"""One submission, one record.

Every create form carries a one-time token (`OneTimeFormMixin`). The view that saves it runs
its service inside `once(token=..., by=...)`, which first claims the token: a row of
`Submission`, unique, in the same transaction as the record. The same form sent again (a
retry on a weak connection, a second tap while the first request is in flight) finds the token
taken: nothing is created, and `one_time_submission` sends the person to the record already
made. A save that fails releases its token with the rest of the transaction, so the person can
correct the form and send it again.
"""

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.models import Submission

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

    def clean(self):
        cleaned = super().clean()
        if self.creates and not TOKEN_PATTERN.fullmatch(cleaned.get(FIELD) or ""):
            # The field is hidden: its error goes above the form, where it is read.
            self.add_error(
                None,
                _("This form is incomplete or too old: reload the page, then fill it in again."),
            )
        return cleaned

    @property
    def submission_token(self) -> str:
        return self.cleaned_data[FIELD]


class Claim:
    """The token claimed by a save; the block names the record it made."""

    def __init__(self, submission: Submission | None):
        self.submission = submission

    def made(self, record: models.Model | None):
        if record is not None and self.submission is not None:
            self.submission.record_type = ContentType.objects.get_for_model(record)
            self.submission.record_id = record.pk
            self.submission.save(update_fields=["record_type", "record_id"])
        return record


class AlreadySubmitted(Exception):
    """This form was already sent: its token is taken."""

    def __init__(self, submission: Submission | None):
        super().__init__("already submitted")
        self.submission = submission


def _previous(token: str) -> Submission | None:
    return Submission.objects.select_related("record_type").filter(token=token).first()


@contextmanager
def once(*, token: str, by) -> Iterator[Claim]:
    """Run the block that creates a record only if `token` was never used, in one
    transaction with the claim; raise AlreadySubmitted otherwise. A second request with the
    same token waits on the unique index until the first one ends, then finds it taken."""
    try:
        with transaction.atomic():
            claim = Claim(Submission.objects.create(token=token, author=by))
            yield claim
    except IntegrityError as error:
        previous = _previous(token)
        if previous is None:
            raise  # another integrity error of the block itself
        raise AlreadySubmitted(previous) from error


@contextmanager
def once_for(form: OneTimeFormMixin, *, by) -> Iterator[Claim]:
    """`once` for a form that creates a record; an edit form has nothing to claim."""
    if form.creates:
        with once(token=form.submission_token, by=by) as claim:
            yield claim
    else:
        yield Claim(None)


def _record_url(submission: Submission | None, user) -> str | None:
    if submission is None or submission.author_id != user.pk or submission.record_type is None:
        return None
    record = submission.record_type.get_object_for_this_type(pk=submission.record_id)
    return record.get_absolute_url()


def one_time_submission(fallback: str = "home") -> Callable:
    """Decorate a view whose form carries a one-time token: a token already used leads to
    the record it made (or to `fallback`), with a message, before the form is even read."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            token = request.POST.get(FIELD, "") if request.method == "POST" else ""
            try:
                if TOKEN_PATTERN.fullmatch(token) and (previous := _previous(token)):
                    raise AlreadySubmitted(previous)
                return view_func(request, *args, **kwargs)
            except AlreadySubmitted as done:
                messages.info(
                    request,
                    gettext("This form had already been sent: nothing was added a second time."),
                )
                try:
                    url = _record_url(done.submission, request.user)
                except models.ObjectDoesNotExist:
                    url = None
                return redirect(url or fallback)

        return wrapped

    return decorator
