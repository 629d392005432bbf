"""The digests by email: once a day for each person with something due (from DIGEST_HOUR), once
a week for coordination (from Monday, WEEKLY_SUMMARY_HOUR). Each send takes a unique row of
DigestSent in the transaction that sends it: a second run, a retry or a second worker sends
nothing twice, and a run that fails sends nothing and takes nothing, so the next one tries again.
Email is not a safe channel: counts, reference codes and links, never a name, an address or a
note."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ema.access import can_follow_up_partners, can_review_privacy
from ema.accounts.models import User
from partners.concertation.selectors import late_commitments_by_partner
from privacy.retention import households_due_for_retention
from reminders.models import Digest, DigestChoice, DigestSent
from reminders.selectors import reminders_for, stale_referrals_by_partner


def receives(*, user: User, digest: str) -> bool:
    """Whether `user` chose to receive `digest` (the daily one by default; the weekly one by
    default for coordination, the only ones it is for)."""
    if digest == Digest.WEEKLY and not can_follow_up_partners(user):
        return False
    choice = DigestChoice.objects.filter(user=user).first()
    if choice is None:
        return True
    return choice.weekly if digest == Digest.WEEKLY else choice.daily


def digest_choice_save(*, user: User, daily: bool, weekly: bool) -> DigestChoice:
    choice, _ = DigestChoice.objects.update_or_create(
        user=user, defaults={"daily": daily, "weekly": weekly}
    )
    return choice


def _recipients(digest: str, day: date) -> QuerySet[User]:
    already = DigestSent.objects.filter(digest=digest, day=day).values("user_id")
    return (
        User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=already).order_by("pk")
    )


def _send(*, user: User, digest: str, day: date, subject: str, body: str) -> bool:
    with transaction.atomic():
        _, created = DigestSent.objects.get_or_create(user=user, digest=digest, day=day)
        if not created:
            return False
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True


def _link(path: str) -> str:
    return settings.EMA_BASE_URL + path


def daily_digest_send(*, user: User, today: date) -> bool:
    """Send `user` today's digest if they receive it and something is due; True if sent."""
    if not (user.is_active and user.email and user.has_role):
        return False
    if not receives(user=user, digest=Digest.DAILY):
        return False
    reminders = reminders_for(user=user, today=today)
    if not reminders:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "today": today,
            "reminders": [(reminder, _link(reminder.url)) for reminder in reminders],
            "choices": _link(reverse("reminders:choices")),
        }
        subject = render_to_string("reminders/email/daily_subject.txt", context).strip()
        body = render_to_string("reminders/email/daily_body.txt", context)
    return _send(user=user, digest=Digest.DAILY, day=today, subject=subject, body=body)


def weekly_summary_send(*, user: User, monday: date) -> bool:
    """Send the coordinator the week's summary of stale referrals and late concertation
    commitments, by partner."""
    if not (user.is_active and user.email and receives(user=user, digest=Digest.WEEKLY)):
        return False
    today = timezone.localdate()
    lines = stale_referrals_by_partner(user=user, today=today)
    late = late_commitments_by_partner(today=today)
    if not (lines or late):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "monday": monday,
            "lines": lines,
            "total": sum(line.count for line in lines),
            "queue": _link(reverse("partners:referral_queue")),
            "late_commitments": late,
            "late_total": sum(count for _, count in late),
            "commitments": _link(reverse("partners:commitment_list") + "?late_only=on"),
            "choices": _link(reverse("reminders:choices")),
        }
        subject = render_to_string("reminders/email/weekly_subject.txt", context).strip()
        body = render_to_string("reminders/email/weekly_body.txt", context)
    return _send(user=user, digest=Digest.WEEKLY, day=monday, subject=subject, body=body)


def daily_digests_send(*, now: datetime | None = None) -> int:
    """Every digest due now: none before DIGEST_HOUR; after it, each person's once today."""
    now = timezone.localtime(now)
    if now.hour < settings.DIGEST_HOUR:
        return 0
    today = now.date()
    return sum(daily_digest_send(user=user, today=today) for user in _recipients("daily", today))


def weekly_summaries_send(*, now: datetime | None = None) -> int:
    """The week's summaries: from Monday at WEEKLY_SUMMARY_HOUR, once each that week."""
    now = timezone.localtime(now)
    monday = now.date() - timedelta(days=now.weekday())
    if now.weekday() == 0 and now.hour < settings.WEEKLY_SUMMARY_HOUR:
        return 0
    return sum(
        weekly_summary_send(user=user, monday=monday) for user in _recipients("weekly", monday)
    )


def retention_notices_send(*, now: datetime | None = None) -> int:
    """Once a month, tell the direction how many files are due for anonymisation (a count
    and the page where they are reviewed and confirmed); nothing when none is."""
    now = timezone.localtime(now)
    first = now.date().replace(day=1)
    if now.hour < settings.DIGEST_HOUR:
        return 0
    # Who is still to be told this month, before the count (which reads every household).
    directors = [user for user in _recipients(Digest.RETENTION, first) if can_review_privacy(user)]
    if not directors:
        return 0
    due = households_due_for_retention(today=now.date()).count()
    if not due:
        return 0
    sent = 0
    for user in directors:
        with translation.override(settings.LANGUAGE_CODE):
            context = {"user": user, "due": due, "page": _link(reverse("privacy:retention_due"))}
            subject = render_to_string("reminders/email/retention_subject.txt", context).strip()
            body = render_to_string("reminders/email/retention_body.txt", context)
        sent += _send(user=user, digest=Digest.RETENTION, day=first, subject=subject, body=body)
    return sent
