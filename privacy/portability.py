"""Access and portability (Law 25, s. 27): everything the organisation holds about one
resident, as plain data that serialises to JSON and renders as a readable page.

What the export holds, and what it leaves out on purpose:

- **The person's record**: names, date of birth and birth year, gender, languages, phone,
  school; their household's site, unit, languages, status and move-in/out dates. Not the
  household's name (the family name, shared with relatives, that can carry other people's
  names) and never the other members.
- **Consents**: purpose, partner, who gave it, dates, the staff member who obtained it. When a
  parent or guardian gave it, the export says so but leaves out the guardian's name: it is
  another person's information.
- **Interventions that name the person**: date, time, duration, level, type, place, site,
  themes, group activity, their role, the staff involved, follow-up dates. Never the other
  named participants, their number, or the anonymous headcount.
  Free text (summary, decisions, restricted note) is included only when the intervention names
  this person alone: there it is about them. When it names others too, the text is about
  several people: the export keeps the metadata with `text_withheld` set, and the direction
  can extract the passages about the person after reviewing them.
  Restricted notes are included (for interventions naming the person alone) because they are
  personal information the organisation holds, and the export is made by the direction, which
  may read every restricted note; the access request itself is the read-log entry.
- **Referrals that name the person**: partner, service, themes, dates, status, outcome,
  reason, information shared, exception to consent, and each step (date, statuses, note).
  Referrals of the whole household (without a named resident) keep their metadata only, with
  `text_withheld`, for the same reason as interventions naming several people.
- **Tenant committees and group activities** the person belongs or belonged to.

Left out: the read log of their file and the audit history (records about staff actions on the
file, available on request), and the history of the household's other members.

Free text anywhere may still mention someone else; the direction reads the page before handing
the export over.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from empowerment.models import RoleRecord
from interventions.models import GroupActivity, Participation
from partners.models import CommitteeMembership, Referral, ReferralEvent
from residents.models import Consent, Resident

FORMAT_VERSION = 1


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _time(value) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def _datetime(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _staff(user) -> str | None:
    return str(user) if user is not None else None


def _resident(resident: Resident) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "date_of_birth": _date(resident.date_of_birth),
        "birth_year": resident.birth_year,
        "gender": resident.gender,
        "gender_display": str(resident.get_gender_display()) if resident.gender else "",
        "languages": resident.languages,
        "phone": resident.phone,
        "school": resident.school,
        "created_at": _datetime(resident.created_at),
        "updated_at": _datetime(resident.updated_at),
    }


def _household(resident: Resident) -> dict[str, Any]:
    household = resident.household
    return {
        "site": household.site.name,
        "unit": household.unit,
        "languages": household.languages,
        "status": household.status,
        "status_display": str(household.get_status_display()),
        "moved_in_on": _date(household.moved_in_on),
        "moved_out_on": _date(household.moved_out_on),
    }


def _consents(resident: Resident) -> list[dict[str, Any]]:
    consents = Consent.objects.filter(resident=resident).select_related("obtained_by", "partner")
    return [
        {
            "purpose": consent.purpose,
            "purpose_display": str(consent.get_purpose_display()),
            "partner_name": consent.partner_label,
            "given_by": consent.given_by,
            "given_by_display": str(consent.get_given_by_display()),
            "given_on": _date(consent.given_on),
            "withdrawn_on": _date(consent.withdrawn_on),
            "expires_on": _date(consent.expires_on),
            "in_force": consent.is_in_force,
            "obtained_by": _staff(consent.obtained_by),
        }
        for consent in consents.order_by("-given_on", "-pk")
    ]


def _interventions(resident: Resident) -> list[dict[str, Any]]:
    others = Participation.objects.filter(intervention=OuterRef("intervention")).exclude(
        resident=resident
    )
    participations = (
        Participation.objects.filter(resident=resident)
        .annotate(names_others=Exists(others))
        .select_related(
            "intervention__type",
            "intervention__place",
            "intervention__site",
            "intervention__author",
            "intervention__activity",
        )
        .prefetch_related("intervention__themes", "intervention__co_intervenants")
        .order_by("-intervention__date", "-intervention__start_time", "-intervention__pk")
    )
    rows = []
    for participation in participations:
        intervention = participation.intervention
        alone = not participation.names_others
        rows.append(
            {
                "date": _date(intervention.date),
                "start_time": _time(intervention.start_time),
                "duration_minutes": intervention.duration_minutes,
                "level": intervention.level,
                "level_display": str(intervention.get_level_display()),
                "type": intervention.type.name,
                "place": intervention.place.name,
                "site": intervention.site.name,
                "themes": [theme.name for theme in intervention.themes.all()],
                "group_activity": intervention.activity.name if intervention.activity else None,
                "role": participation.role,
                "role_display": str(participation.get_role_display()),
                "author": _staff(intervention.author),
                "co_intervenants": [_staff(u) for u in intervention.co_intervenants.all()],
                "follow_up_due": _date(intervention.follow_up_due),
                "follow_up_done_on": _date(intervention.follow_up_done_on),
                "text_withheld": not alone,
                "summary": intervention.summary if alone else None,
                "decisions": intervention.decisions if alone else None,
                "restricted_note": intervention.restricted_note if alone else None,
            }
        )
    return rows


def _referral_base(referral: Referral) -> dict[str, Any]:
    return {
        "partner": referral.organisation.name,
        "service": referral.service.name if referral.service else None,
        "direction": referral.direction,
        "direction_display": str(referral.get_direction_display()),
        "created_at": _datetime(referral.created_at),
        "status": referral.status,
        "status_display": str(referral.get_status_display()),
        "status_changed_at": _datetime(referral.status_changed_at),
        "due_on": _date(referral.due_on),
        "outcome": referral.outcome,
        "outcome_display": str(referral.get_outcome_display()) if referral.outcome else "",
    }


def _referrals(resident: Resident) -> list[dict[str, Any]]:
    referrals = (
        Referral.objects.filter(resident=resident)
        .select_related("organisation", "service", "responsible")
        .prefetch_related(
            "themes",
            Prefetch(
                "events",
                queryset=ReferralEvent.objects.select_related(
                    "by", "via_link__contact__organisation"
                ),
            ),
        )
        .order_by("-created_at", "-pk")
    )
    return [
        {
            **_referral_base(referral),
            "themes": [theme.name for theme in referral.themes.all()],
            "urgency": referral.urgency,
            "urgency_display": str(referral.get_urgency_display()),
            "accompanied": referral.accompanied,
            "responsible": _staff(referral.responsible),
            "reason": referral.reason,
            "information_shared": referral.information_shared,
            "consent_exception": referral.consent_exception,
            "consent_exception_display": (
                str(referral.get_consent_exception_display()) if referral.consent_exception else ""
            ),
            "exception_justification": referral.exception_justification,
            "events": [
                {
                    "at": _datetime(event.at),
                    "old_status": event.old_status,
                    "old_status_display": (
                        str(event.get_old_status_display()) if event.old_status else ""
                    ),
                    "new_status": event.new_status,
                    "new_status_display": str(event.get_new_status_display()),
                    "by": _staff(event.by),
                    # A partner's answer through its link: the organisation, no account.
                    "by_partner": (
                        event.via_link.contact.organisation.name if event.via_link else None
                    ),
                    "note": event.note,
                }
                for event in referral.events.all()
            ],
        }
        for referral in referrals
    ]


def _household_referrals(resident: Resident) -> list[dict[str, Any]]:
    referrals = (
        Referral.objects.filter(household_id=resident.household_id, resident__isnull=True)
        .select_related("organisation", "service")
        .order_by("-created_at", "-pk")
    )
    return [{**_referral_base(referral), "text_withheld": True} for referral in referrals]


def _committees(resident: Resident) -> list[dict[str, Any]]:
    memberships = (
        CommitteeMembership.objects.filter(resident=resident)
        .select_related("committee")
        .order_by("-since", "-pk")
    )
    return [
        {
            "committee": membership.committee.name,
            "role": membership.role,
            "role_display": str(membership.get_role_display()),
            "since": _date(membership.since),
            "until": _date(membership.until),
        }
        for membership in memberships
    ]


def _roles(resident: Resident) -> list[dict[str, Any]]:
    """The roles recorded by hand on the resident's path (empowerment)."""
    return [
        {
            "role": role.role,
            "role_display": str(role.get_role_display()),
            "since": _date(role.since),
            "until": _date(role.until),
            "note": role.note,
        }
        for role in RoleRecord.objects.filter(resident=resident).order_by("-since", "-pk")
    ]


def _group_activities(resident: Resident) -> list[dict[str, Any]]:
    activities = (
        GroupActivity.objects.filter(registered=resident)
        .select_related("site")
        .order_by("-created_at", "-pk")
    )
    return [
        {
            "name": activity.name,
            "site": activity.site.name,
            "season": activity.season,
            "schedule": activity.schedule,
        }
        for activity in activities
    ]


def personal_information_of(*, resident: Resident) -> dict[str, Any]:
    """Everything held about one resident and nobody else, as JSON-serialisable data (dates as
    ISO strings). For the direction only: it includes restricted notes. A fixed number of
    queries whatever the size of the file; see the module docstring for what is left out."""
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": _datetime(timezone.now()),
        "resident": _resident(resident),
        "household": _household(resident),
        "consents": _consents(resident),
        "interventions": _interventions(resident),
        "referrals": _referrals(resident),
        "household_referrals": _household_referrals(resident),
        "tenant_committees": _committees(resident),
        "roles": _roles(resident),
        "group_activities": _group_activities(resident),
    }
