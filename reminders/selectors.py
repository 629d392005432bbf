"""What is due for a person: the bell's reminders and the digests' lines. Counts, reference
codes and links only: a reminder never names a resident (the page it links to does, for whoever
may read it)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ema.access import can_act_on_referrals, can_follow_up_partners, can_see_every_figure
from ema.accounts.models import User
from interventions.models import Intervention
from partners.models import Commitment, Referral
from partners.selectors import agreements_ending_soon
from residents.selectors import consents_to_renew, residents_to_give_own_consent
from team.selectors import action_counts

# The reference codes a reminder lists, at most; the page lists them all.
CODES_SHOWN = 10


@dataclass(frozen=True)
class Reminder:
    kind: str
    count: int
    text: str
    url: str
    codes: list[str] = field(default_factory=list)
    # Where each piece of work is done, when it is done on several pages (a code, a page).
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PartnerLine:
    partner: str
    count: int
    codes: list[str]


def _code(referral_id: int) -> str:
    return _("no. %(number)s") % {"number": referral_id}


def reminders_for(*, user: User, today: date) -> list[Reminder]:
    """What waits on `user` today, most urgent first: their overdue and due follow-ups (and
    team meeting actions), the referrals they are responsible for past their delay, and, for
    those who follow the partners up, the late concertation commitments and the agreements
    ending within 60 days."""
    follow_ups = Intervention.objects.filter(
        follow_up_by=user, follow_up_due__isnull=False, follow_up_done_on__isnull=True
    ).aggregate(
        overdue=Count("pk", filter=Q(follow_up_due__lt=today)),
        due=Count("pk", filter=Q(follow_up_due=today)),
    )
    found = []
    follow_ups_url = reverse("interventions:follow_ups")
    if follow_ups["overdue"]:
        count = follow_ups["overdue"]
        text = ngettext("%(n)d follow-up overdue", "%(n)d follow-ups overdue", count)
        found.append(Reminder("follow_ups_overdue", count, text % {"n": count}, follow_ups_url))
    if follow_ups["due"]:
        count = follow_ups["due"]
        text = ngettext("%(n)d follow-up due today", "%(n)d follow-ups due today", count)
        found.append(Reminder("follow_ups_due", count, text % {"n": count}, follow_ups_url))
    actions = action_counts(user=user, today=today)
    if actions["overdue"]:
        count = actions["overdue"]
        text = ngettext(
            "%(n)d team meeting action overdue", "%(n)d team meeting actions overdue", count
        )
        found.append(
            Reminder("meeting_actions_overdue", count, text % {"n": count}, follow_ups_url)
        )
    if actions["due"]:
        count = actions["due"]
        text = ngettext(
            "%(n)d team meeting action due today", "%(n)d team meeting actions due today", count
        )
        found.append(Reminder("meeting_actions_due", count, text % {"n": count}, follow_ups_url))
    late = list(
        Referral.objects.visible_to(user)
        .overdue(today)
        .filter(responsible=user)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    if late:
        text = ngettext(
            "%(n)d referral waiting on you past its delay",
            "%(n)d referrals waiting on you past their delay",
            len(late),
        )
        found.append(
            Reminder(
                "referrals_overdue",
                len(late),
                text % {"n": len(late)},
                reverse("partners:referral_queue"),
                [_code(pk) for pk in late[:CODES_SHOWN]],
            )
        )
    if can_act_on_referrals(user):
        found += _consent_reminders(user=user, today=today)
    if can_see_every_figure(user):
        overdue = Referral.objects.visible_to(user).overdue(today).count()
        if overdue:
            text = ngettext(
                "%(n)d referral of the team is past its delay",
                "%(n)d referrals of the team are past their delay",
                overdue,
            )
            found.append(
                Reminder(
                    "team_referrals_overdue",
                    overdue,
                    text % {"n": overdue},
                    reverse("partners:referral_queue"),
                )
            )
    if can_follow_up_partners(user):
        late_commitments = Commitment.objects.late(today).count()
        if late_commitments:
            text = ngettext(
                "%(n)d commitment made at a concertation table is late",
                "%(n)d commitments made at concertation tables are late",
                late_commitments,
            )
            found.append(
                Reminder(
                    "commitments_late",
                    late_commitments,
                    text % {"n": late_commitments},
                    reverse("partners:commitment_list") + "?late_only=on",
                )
            )
        ending = agreements_ending_soon().count()
        if ending:
            text = ngettext(
                "%(n)d agreement with a partner ends within 60 days",
                "%(n)d agreements with partners end within 60 days",
                ending,
            )
            found.append(
                Reminder(
                    "agreements_ending",
                    ending,
                    text % {"n": ending},
                    reverse("partners:organisation_list"),
                )
            )
    return found


def _linked(kind: str, text: str, links: list[tuple[str, str]], count: int) -> Reminder:
    """A reminder whose pieces of work are done each on its own page (a resident's file)."""
    return Reminder(
        kind,
        count,
        text,
        reverse("reminders:list"),
        [label for label, _url in links[:CODES_SHOWN]],
        links[:CODES_SHOWN],
    )


def _consent_reminders(*, user: User, today: date) -> list[Reminder]:
    """Consents of the user's sites ending within 30 days, and residents who turned 14 on a
    guardian's consent: each listed by its number, linking to the resident's page."""
    found = []
    ending = consents_to_renew(user=user, on=today)
    if ending:
        text = ngettext(
            "%(n)d consent ends within 30 days: to renew",
            "%(n)d consents end within 30 days: to renew",
            len(ending),
        )
        links = [
            (_("consent no. %(number)s") % {"number": row.consent_id}, row.resident_url)
            for row in ending
        ]
        found.append(_linked("consents_ending", text % {"n": len(ending)}, links, len(ending)))
    turned = residents_to_give_own_consent(user=user)
    if turned:
        text = ngettext(
            "%(n)d resident turned 14: consent to renew by the person",
            "%(n)d residents turned 14: consent to renew by the person",
            len(turned),
        )
        links = [
            (_("resident no. %(number)s") % {"number": row.resident_id}, row.resident_url)
            for row in turned
        ]
        found.append(_linked("own_consent_due", text % {"n": len(turned)}, links, len(turned)))
    return found


def stale_referrals_by_partner(*, user: User, today: date) -> list[PartnerLine]:
    """The weekly summary: the referrals overdue on `user`'s sites, by partner, most first."""
    rows = (
        Referral.objects.visible_to(user)
        .overdue(today)
        .order_by("organisation__name", "due_on", "pk")
        .values_list("organisation__name", "pk")
    )
    by_partner: dict[str, list[int]] = {}
    for partner, pk in rows:
        by_partner.setdefault(partner, []).append(pk)
    lines = [
        PartnerLine(partner, len(pks), [_code(pk) for pk in pks[:CODES_SHOWN]])
        for partner, pks in by_partner.items()
    ]
    return sorted(lines, key=lambda line: (-line.count, line.partner))
