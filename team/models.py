"""Team meetings (« réunions d’équipe »): who attended, the agenda in order, and the actions
each item gave someone.

A case discussion (« analyse de cas ») is about a household or one of its residents: what was
said about it, the decisions and its actions' text are for the staff who attended and for the
direction (team/access.py decides; each reading is recorded in the read log)."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ema.access import can_read_every_team_meeting
from ema.dates import first_day_of_records, planned_date

if TYPE_CHECKING:
    from ema.accounts.models import User

# A meeting's agenda stays short: its page records one reading per case discussion shown.
MAX_ITEMS = 20


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> Self:
        """The meetings a person attended; the direction sees all of them."""
        if can_read_every_team_meeting(user):
            return self
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(participants=user)


class Meeting(models.Model):
    """One team meeting: its day, who attended, and its agenda."""

    held_on = models.DateField(_("date"), validators=planned_date(earliest=first_day_of_records))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="team_meetings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Team meeting of %(day)s") % {"day": self.held_on.isoformat()})

    def get_absolute_url(self) -> str:
        return reverse("team:meeting_detail", args=[self.pk])


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order."""

    class Kind(models.TextChoices):
        CASE = "case", _("Case discussion")
        APPROACHES = "approaches", _("Exchange on approaches")
        TRAINING = "training", _("Training")
        ORGANISATION = "organisation", _("Organisation")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CASE)
    title = models.CharField(
        _("title"),
        max_length=150,
        help_text=_("A few words; for a case discussion, do not name the person here."),
    )
    # What a case discussion is about: a household, or one of its residents. A file removed
    # later (retention) leaves the discussion without its subject.
    household = models.ForeignKey(
        "residents.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_discussions",
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_discussions",
    )
    said = models.TextField(_("what was said, in brief"), max_length=4000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return str(_("Agenda item no. %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    @property
    def is_case_discussion(self) -> bool:
        return self.kind == self.Kind.CASE


class MeetingAction(models.Model):
    """Something an item gave a staff member to do by a day: one of their follow-ups."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    what = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due date"), validators=planned_date())
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=models.Q(done_on__isnull=True),
                name="meeting_action_open",
            )
        ]

    def __str__(self) -> str:
        return str(_("Meeting action no. %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return f"{self.item.meeting.get_absolute_url()}#action-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
