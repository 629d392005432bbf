"""The participation ladder: the roles of a resident's path to power (« pouvoir d’agir »), each
on a step, from taking part once to sitting in one of EMA's structures.

    step 1  participant              named in a group session (of an activity or an outing)
                                     or in a collective action
    step 2  returning participant    in one fiscal quarter: 3 attendances or more, or
                                     attendances in 2 different months or more
    step 3  volunteer                named "volunteer" in a session or an action, or recorded
    step 4  organiser                named "organiser" in a session or an action, or recorded
    step 5  committee member         a seat "member" on a tenant committee (partners)
    step 6  committee officer        president, secretary or treasurer of a tenant committee,
            EMA structure member     or a seat on EMA's residents' committee or board (recorded)

A resident stands, in a quarter, on the highest step of the roles held during it. Roles from
attendance are counted by fiscal quarter (the unit of the ladder); seats and recorded roles
have their own dates (since, until)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PARTICIPANT = "participant"
RETURNING = "returning"
VOLUNTEER = "volunteer"
ORGANISER = "organiser"
COMMITTEE_MEMBER = "committee_member"
COMMITTEE_OFFICER = "committee_officer"
RESIDENTS_COMMITTEE = "residents_committee"
BOARD = "board"

# Role code → its step. The codes are stable: the research export reads them.
STEP_OF: dict[str, int] = {
    PARTICIPANT: 1,
    RETURNING: 2,
    VOLUNTEER: 3,
    ORGANISER: 4,
    COMMITTEE_MEMBER: 5,
    COMMITTEE_OFFICER: 6,
    RESIDENTS_COMMITTEE: 6,
    BOARD: 6,
}
ROLE_LABELS: dict[str, Promise] = {
    PARTICIPANT: _("Participant"),
    RETURNING: _("Returning participant"),
    VOLUNTEER: _("Volunteer"),
    ORGANISER: _("Organiser"),
    COMMITTEE_MEMBER: _("Tenant committee member"),
    COMMITTEE_OFFICER: _("Tenant committee officer"),
    RESIDENTS_COMMITTEE: _("Member of EMA’s residents’ committee"),
    BOARD: _("Member of EMA’s board of directors"),
}
STEPS: dict[int, Promise] = {
    1: _("Participant"),
    2: _("Returning participant"),
    3: _("Volunteer"),
    4: _("Organiser"),
    5: _("Committee member"),
    6: _("Committee officer or EMA structure"),
}
TOP_STEP = max(STEPS)
# Returning participant: this many attendances in a quarter, or attendances in this many
# different months of it.
RETURNING_ATTENDANCES = 3
RETURNING_MONTHS = 2


def is_returning(*, attendances: int, months: int) -> bool:
    """Whether a quarter's attendances make a returning participant."""
    return attendances >= RETURNING_ATTENDANCES or months >= RETURNING_MONTHS
