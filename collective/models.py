"""A site's collective issues (« enjeux collectifs »): vermin, safety, cohabitation, upkeep...
worked at the three levels, with the households affected, the interventions linked, the
partners mobilised and the responses obtained."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ema.access import can_follow_collective_issues
from ema.dates import record_date
from interventions.models import Intervention
from partners.models import Organisation
from residents.models import Household, Site, SiteScopedQuerySet

if TYPE_CHECKING:
    from ema.accounts.models import User

FUTURE = _("This date is in the future.")


class Category(models.TextChoices):
    """A fixed list, so that reports can count issues by kind over the years (a stable code,
    never an editable name)."""

    VERMIN = "vermin", _("Vermin")
    SAFETY = "safety", _("Safety")
    COHABITATION = "cohabitation", _("Cohabitation")
    UPKEEP = "upkeep", _("Upkeep")
    OTHER = "other", _("Other")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MOBILISING = "mobilising", _("Mobilisation under way")
    RESOLVED = "resolved", _("Resolved")
    DROPPED = "dropped", _("Dropped")


# An issue still being worked: the dashboard lists these.
ONGOING = (IssueStatus.OPEN, IssueStatus.MOBILISING)


class CollectiveIssueQuerySet(SiteScopedQuerySet):
    def visible_to(self, user: "User") -> Self:
        """The issues of the user's sites (of every site for coordination and direction)."""
        if not can_follow_collective_issues(user):
            return self.none()
        return super().visible_to(user)

    def ongoing(self) -> Self:
        return self.filter(status__in=ONGOING)


class CollectiveIssue(models.Model):
    """A problem shared by a site's residents, that the team works on with them and with the
    partners, at the individual, group and collective levels."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="collective_issues"
    )
    title = models.CharField(
        _("title"),
        max_length=150,
        help_text=_("A few words that name the issue, without naming anyone."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    opened_on = models.DateField(_("opened on"), validators=record_date(FUTURE))
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    status_changed_on = models.DateField(_("status since"), editable=False, null=True)
    description = models.TextField(
        _("description"),
        max_length=4000,
        blank=True,
        help_text=_("What residents live with, since when, what is at stake."),
    )
    households = models.ManyToManyField(
        Household,
        verbose_name=_("households affected"),
        blank=True,
        related_name="collective_issues",
    )
    interventions = models.ManyToManyField(
        Intervention,
        verbose_name=_("interventions linked"),
        blank=True,
        related_name="collective_issues",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partners mobilised"),
        blank=True,
        related_name="collective_issues",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="collective_issues_created",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CollectiveIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective issue")
        verbose_name_plural = _("collective issues")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="collective_issue_category_valid",
                violation_error_message=_("Choose a category."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=IssueStatus.values),
                name="collective_issue_status_valid",
                violation_error_message=_("Choose a status."),
            ),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collective:issue_detail", args=[self.pk])

    @property
    def is_ongoing(self) -> bool:
        return self.status in ONGOING


class IssueStatusChange(models.Model):
    """One step of an issue's status, with its date: the history that the page shows."""

    issue = models.ForeignKey(
        CollectiveIssue,
        verbose_name=_("collective issue"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices)
    changed_on = models.DateField(_("date of the change"), validators=record_date(FUTURE))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_on:%Y-%m-%d} — {self.get_status_display()}"


class IssueResponse(models.Model):
    """What a partner (the OMHM, the city...) answered or did about an issue, and when."""

    issue = models.ForeignKey(
        CollectiveIssue,
        verbose_name=_("collective issue"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="collective_responses",
    )
    received_on = models.DateField(_("date"), validators=record_date(FUTURE))
    answer = models.TextField(
        _("what was answered or done"),
        max_length=2000,
        help_text=_("For example: extermination planned in every unit of building 2."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("response obtained")
        verbose_name_plural = _("responses obtained")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["issue", "-received_on"])]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} — {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("collective:issue_detail", args=[self.issue_id]) + "#responses"

    def clean(self):
        issue = getattr(self, "issue", None)
        if issue is not None and self.received_on and self.received_on < issue.opened_on:
            raise ValidationError(
                {"received_on": _("A response cannot come before the issue was opened.")}
            )
