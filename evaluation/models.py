"""The practice journal of the developmental evaluation: the team's changes of practice,
decisions, observations and lessons, each with its reasons and the figures that informed it,
kept as they were that day."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.access import can_read_practice_journal
from ema.dates import past_date

if TYPE_CHECKING:
    from ema.accounts.models import User


class JournalEntryQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> Self:
        """The whole journal for whoever may read it (staff and the research team)."""
        return self if can_read_practice_journal(user) else self.none()


class JournalEntry(models.Model):
    """One dated entry of the practice journal."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change of practice")
        DECISION = "decision", _("Decision")
        OBSERVATION = "observation", _("Observation")
        LESSON = "lesson", _("Lesson learned")

    date = models.DateField(
        _("date"), validators=past_date(_("A journal entry records a day that has come."))
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=160)
    rationale = models.TextField(
        _("rationale"),
        max_length=4000,
        help_text=_(
            "What was decided or seen, and why. The research team reads the journal: "
            "never write a resident's name or anything that identifies a person."
        ),
    )
    # The dashboard figures the entry cites, as they were when it was written: a list of
    # {"key", "label", "rows": [[label, value], ...]} and the period they cover. Never
    # recomputed, so that the entry keeps what the team saw that day.
    figures = models.JSONField(_("figures cited"), default=list, blank=True, editable=False)
    figures_period = models.JSONField(
        _("period of the figures"), default=dict, blank=True, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="journal_entries",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return gettext("Journal entry no. %(number)s (%(kind)s)") % {
            "number": self.pk,
            "kind": self.get_kind_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("evaluation:entry_detail", args=[self.pk])
