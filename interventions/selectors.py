"""Reads of interventions for pages: bounded queries, aggregates in the database."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ema.accounts.models import User
from ema.exports import Rows, Table
from ema.keyset import DayCursor, newest_first
from ema.numbers import minutes_to_hours
from ema.periods import end_of_week
from interventions.models import (
    GroupActivity,
    Intervention,
    InterventionQuerySet,
    InterventionType,
    Level,
    Participation,
    Place,
    Tally,
)
from residents.access import PeopleShown, people_shown
from residents.models import Resident

RECENT_DAYS = 90


def interventions_filtered(*, user: User, filters: dict) -> QuerySet[Intervention]:
    """Interventions a user sees, filtered as the list page asks, newest first, with the
    residents each names."""
    return with_people_named(intervention_rows(_filtered(user=user, filters=filters)))


@dataclass(frozen=True)
class InterventionPage:
    """One page of the filtered list: its rows, the cursor of the page after it (None on the
    last), and how many match with their hours when they are at most COUNT_LIMIT (None
    beyond: "more than 1,000")."""

    rows: list[Intervention]
    older: DayCursor | None
    count: int | None
    hours: float | None


# Past this many matching interventions the list says "more than" instead of counting them.
COUNT_LIMIT = 1000


def intervention_page(
    *, user: User, filters: dict, after: DayCursor | None = None, size: int = 25
) -> InterventionPage:
    """A page of the interventions a user sees, filtered as the list page asks, newest first,
    after `after`: a fixed number of queries, each reading a bounded number of rows whatever
    the size of the table (the index of the list's order, the count stopped at COUNT_LIMIT)."""
    chosen = _filtered(user=user, filters=filters)
    shown = chosen if after is None else chosen.filter(after.rows_after())
    rows = list(with_people_named(intervention_rows(shown))[: size + 1])
    older = DayCursor.of(rows[size - 1]) if len(rows) > size else None
    # Counted and summed over at most COUNT_LIMIT + 1 rows, in one query.
    # In the list's order, so that the database reads the index of that order and stops at
    # the limit, instead of gathering every match of a filter first.
    found = (
        chosen.order_by(*newest_first())
        .values("duration_minutes")[: COUNT_LIMIT + 1]
        .aggregate(count=Count("*"), minutes=Sum("duration_minutes"))
    )
    if found["count"] > COUNT_LIMIT:
        return InterventionPage(rows[:size], older, None, None)
    return InterventionPage(rows[:size], older, found["count"], minutes_to_hours(found["minutes"]))


def hours_filtered(*, user: User, filters: dict) -> float:
    """The hours of the interventions of the list, filtered alike: one aggregate query, the
    sum of their minutes rounded once."""
    minutes = _filtered(user=user, filters=filters).aggregate(minutes=Sum("duration_minutes"))
    return minutes_to_hours(minutes["minutes"])


def with_people_named(interventions: QuerySet[Intervention]) -> QuerySet[Intervention]:
    """The residents each intervention names (`people_named`), in one query for a page; the
    page shows the names its reader may see (residents.access.people_shown)."""
    return interventions.prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("resident__household").order_by(
                "resident__last_name", "resident__first_name", "pk"
            ),
            to_attr="people_named",
        )
    )


def visible_interventions(user: User) -> InterventionQuerySet:
    """Intervention.objects.visible_to(user), the reader's sites given as constants (read
    once a request, `User.site_ids`) rather than as a subquery: on one site, the database
    then reads the list's order from the per-site index, whatever the number of sites."""
    if user.sees_all_sites or not user.has_role:
        return Intervention.objects.visible_to(user)
    return Intervention.objects.filter(site__in=sorted(user.site_ids))


def _filtered(*, user: User, filters: dict) -> InterventionQuerySet:
    interventions = visible_interventions(user)
    if filters.get("date_from"):
        interventions = interventions.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        interventions = interventions.filter(date__lte=filters["date_to"])
    for name in ("site", "level", "type", "activity"):
        if filters.get(name):
            interventions = interventions.filter(**{name: filters[name]})
    if filters.get("theme"):
        # A probe of the (intervention, theme) key for each row read in the list's order,
        # rather than a join that gathers every intervention of the theme first.
        tagged = Intervention.themes.through.objects.filter(
            intervention=OuterRef("pk"), theme=filters["theme"]
        )
        interventions = interventions.filter(Exists(tagged))
    if filters.get("intervenant"):
        interventions = interventions.filter(involving(filters["intervenant"]))
    if filters.get("household"):
        interventions = interventions.filter(
            Exists(
                Participation.objects.filter(
                    intervention=OuterRef("pk"), resident__household=filters["household"]
                )
            )
        )
    if filters.get("resident"):
        interventions = interventions.filter(
            Exists(
                Participation.objects.filter(
                    intervention=OuterRef("pk"), resident=filters["resident"]
                )
            )
        )
    return interventions


def involving(staff: User) -> Q:
    """Interventions a staff member wrote or took part in as a co-intervenant.

    A subquery rather than a join: no duplicate rows to remove with DISTINCT, so a page of
    the newest ones reads a few index entries instead of the person's whole history."""
    joined = Intervention.co_intervenants.through.objects.filter(user=staff)
    return Q(author=staff) | Q(pk__in=joined.values("intervention_id"))


def intervention_rows(interventions: InterventionQuerySet) -> QuerySet[Intervention]:
    """What a row of a list of interventions shows, fetched in a fixed number of queries (a
    row shows no theme: the themes are on the intervention's page)."""
    return (
        interventions.select_related("type", "place", "site", "author")
        .annotate(participant_count=_participant_count())
        .with_headcount()
        .order_by(*newest_first())
    )


def _participant_count() -> Coalesce:
    # Counted per row shown, after the page is cut (a join with GROUP BY would count the
    # participants of every matching intervention before sorting them).
    named = (
        Participation.objects.filter(intervention=OuterRef("pk"))
        .order_by()
        .values("intervention")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(named), 0)


# The rows of an export arrive from the database in chunks of this many.
EXPORT_CHUNK_ROWS = 2000
_EXPORT_FIELDS = (
    "pk",
    "date",
    "start_time",
    "site__name",
    "level",
    "type__name",
    "place__name",
    "duration_minutes",
    "headcount",
    "participant_count",
    "author_id",
    "author__first_name",
    "author__last_name",
    "author__username",
    "themes__name",
)


def intervention_export_count(*, user: User, filters: dict) -> int:
    """How many interventions the export of the list, filtered alike, holds."""
    return _filtered(user=user, filters=filters).count()


def intervention_export_table(*, user: User, filters: dict) -> Table:
    """The interventions of the list, filtered alike, as a table to export, without
    residents' names (privacy by default). Its rows are read in one query, a row at a time,
    while the file is written."""
    chosen = _filtered(user=user, filters=filters)
    # One row per intervention and theme, the themes of an intervention one after the other.
    # The interventions are chosen in a subquery: a filter on a theme joins the themes too,
    # and the export would show only that theme.
    joined = (
        Intervention.objects.filter(pk__in=chosen.values("pk"))
        .annotate(participant_count=_participant_count())
        .with_headcount()
        .order_by("-date", "-start_time", "-pk", "themes__position", "themes__name")
        .values_list(*_EXPORT_FIELDS)
    )
    return Table(
        title=_("Interventions"),
        headers=[
            _("Date"),
            _("Start"),
            _("Site"),
            _("Level"),
            _("Type"),
            _("Place"),
            _("Minutes"),
            _("People counted"),
            _("People named"),
            _("Themes"),
            _("Author"),
        ],
        rows=Rows(lambda: _intervention_export_rows(joined)),
    )


def _intervention_export_rows(joined: QuerySet) -> Iterator[list]:
    levels = {value: str(label) for value, label in Level.choices}
    authors: dict[int, str] = {}
    for _pk, lines in groupby(joined.iterator(chunk_size=EXPORT_CHUNK_ROWS), key=itemgetter(0)):
        first, *others = lines
        (_id, day, start, site, level, type_, place, minutes, counted, named) = first[:10]
        author_id, first_name, last_name, username, theme = first[10:]
        if author_id not in authors:
            author = User(first_name=first_name, last_name=last_name, username=username)
            authors[author_id] = str(author)
        themes = [theme, *(line[-1] for line in others)] if theme else []
        yield [
            day.isoformat(),
            start.strftime("%H:%M") if start else "",
            site,
            levels.get(level, level),
            type_,
            place,
            minutes,
            counted,
            named,
            ", ".join(themes),
            authors[author_id],
        ]


# A household's or a person's page shows this many of their latest interventions, and a link
# to the list of all of them (a page at a time).
TIMELINE_ROWS = 20


def timeline_for(
    *, user: User, residents: list[Resident], limit: int = TIMELINE_ROWS
) -> list[Intervention]:
    """Interventions that name any of these residents, newest first: on one site, read from
    the per-site index in the list's order, as many as the page shows."""
    named = Participation.objects.filter(intervention=OuterRef("pk"), resident__in=residents)
    interventions = visible_interventions(user).filter(Exists(named))
    return list(
        intervention_rows(interventions).prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(resident__in=residents).select_related(
                    "resident__household"
                ),
                to_attr="named_here",
            )
        )[:limit]
    )


@dataclass(frozen=True)
class MyDay:
    today: list[Intervention]
    frequent_types: list[InterventionType]
    recent: list[Intervention]
    open_follow_ups: int
    overdue_follow_ups: int

    @property
    def entries(self) -> int:
        return len(self.today)

    @property
    def hours(self) -> float:
        """Today's hours, from the sum of today's minutes."""
        return minutes_to_hours(sum(i.duration_minutes for i in self.today))

    @property
    def people(self) -> int:
        """People met today: those counted and those named, entry by entry."""
        # Both are annotations of intervention_rows.
        return sum(
            getattr(i, "headcount", 0) + getattr(i, "participant_count", 0) for i in self.today
        )


def frequent_types(*, user: User) -> list[InterventionType]:
    """The four types `user` logged most lately, completed by the first of the list: the big
    buttons of the quick log."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    type_ids = list(
        Intervention.objects.filter(author=user, date__gte=since)
        .values("type")
        .annotate(uses=Count("*"))
        .order_by("-uses")
        .values_list("type", flat=True)[:4]
    )
    types = InterventionType.objects.active().in_bulk(type_ids)
    frequent = [types[pk] for pk in type_ids if pk in types]
    if len(frequent) < 4:
        frequent += list(
            InterventionType.objects.active().exclude(pk__in=type_ids)[: 4 - len(frequent)]
        )
    return frequent


def day_of(*, user: User) -> MyDay:
    """The home page of an intervenant: today's entries, shortcuts, recent entries."""
    today = timezone.localdate()
    mine = Intervention.objects.filter(involving(user))
    follow_ups = Intervention.objects.filter(
        follow_up_by=user, follow_up_due__isnull=False, follow_up_done_on__isnull=True
    ).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(follow_up_due__lt=today)),
    )
    return MyDay(
        today=list(with_people_named(intervention_rows(mine.filter(date=today)))),
        frequent_types=frequent_types(user=user),
        recent=list(
            with_people_named(
                intervention_rows(Intervention.objects.filter(date__lt=today, author=user))
            )[:8]
        ),
        open_follow_ups=follow_ups["open"],
        overdue_follow_ups=follow_ups["overdue"],
    )


def usual_place(*, user: User) -> Place | None:
    """The place this person logs most often lately."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    place_id = (
        Intervention.objects.filter(author=user, date__gte=since)
        .values("place")
        .annotate(uses=Count("*"))
        .order_by("-uses")
        .values_list("place", flat=True)
        .first()
    )
    if place_id is None:
        return Place.objects.active().first()
    return Place.objects.filter(pk=place_id).first()


def follow_ups_for(*, user: User) -> QuerySet[Intervention]:
    """A person's open follow-ups, overdue first, then by due date, with the residents each
    names (one query for a whole page)."""
    return (
        Intervention.objects.filter(
            follow_up_by=user, follow_up_due__isnull=False, follow_up_done_on__isnull=True
        )
        .select_related("type", "site", "author")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("resident__household").order_by(
                    "resident__last_name", "resident__first_name", "pk"
                ),
            )
        )
        .order_by("follow_up_due", "pk")
    )


class FollowUpGroup(NamedTuple):
    """Follow-ups due in one stretch of time: overdue, this week, later."""

    key: str
    label: str
    items: list["FollowUpItem"]
    # Follow-ups kept by an upper app (a team meeting's actions): anything with a `due` day.
    others: list[Any]

    @property
    def size(self) -> int:
        return len(self.items) + len(self.others)


class FollowUpItem(NamedTuple):
    intervention: Intervention
    people: PeopleShown[Participation]


def follow_up_groups(
    *, user: User, interventions: Iterable[Intervention], others: Iterable[Any] = ()
) -> list[FollowUpGroup]:
    """A page of follow-ups cut into overdue, due this week (to Saturday) and later, each
    with the people it names that the reader may see by name and a count of the others;
    `others` (rows with a `due` day, a team meeting's actions) are cut the same way."""
    today = timezone.localdate()
    week_end = end_of_week(today)
    groups = {
        "overdue": FollowUpGroup("overdue", _("Overdue"), [], []),
        "week": FollowUpGroup("week", _("This week"), [], []),
        "later": FollowUpGroup("later", _("Later"), [], []),
    }

    def key_of(due: date | None) -> str:
        if due is not None and due < today:
            return "overdue"
        if due is not None and due <= week_end:
            return "week"
        return "later"

    for intervention in interventions:
        people = people_shown(
            user, intervention.participations.all(), resident=attrgetter("resident")
        )
        groups[key_of(intervention.follow_up_due)].items.append(FollowUpItem(intervention, people))
    for other in others:
        groups[key_of(other.due)].others.append(other)
    return [group for group in groups.values() if group.items or group.others]


@dataclass(frozen=True)
class ActivityStats:
    sessions: int
    average_attendance: float
    participants: int
    new_participants: int
    returning_participants: int
    stopped_coming: list[Resident]


def activity_stats(
    *, activity: GroupActivity, since: date | None = None, absent_sessions: int = 3
) -> ActivityStats:
    """Participation in a group activity: sessions, attendance, new and returning people, and
    those not seen in the last `absent_sessions` sessions, so that someone reaches out.
    New participants are those first seen on or after `since` (30 days ago by default)."""
    named = (
        Participation.objects.filter(intervention=OuterRef("pk"))
        .values("intervention")
        .annotate(count=Count("pk"))
        .values("count")
    )
    sessions = activity.sessions.with_headcount().annotate(named=Coalesce(Subquery(named), 0))
    totals = sessions.aggregate(held=Count("pk"), average=Avg(F("named") + F("headcount")))

    since = since or (timezone.localdate() - timedelta(days=30))
    people = (
        Participation.objects.filter(intervention__activity=activity)
        .values("resident")
        .annotate(first=Min("intervention__date"))
    )
    participants = people.count()
    new = people.filter(first__gte=since).count()

    recent = sessions.order_by("-date", "-pk").values("pk")[:absent_sessions]
    stopped = []
    if totals["held"] > absent_sessions:
        stopped = list(
            Resident.objects.filter(participations__intervention__activity=activity)
            .exclude(participations__intervention__in=Subquery(recent))
            .select_related("household")
            .distinct()
            .order_by("search_key")
        )
    return ActivityStats(
        sessions=totals["held"],
        average_attendance=round(totals["average"] or 0, 1),
        participants=participants,
        new_participants=new,
        returning_participants=participants - new,
        stopped_coming=stopped,
    )


def open_tallies(*, user: User) -> list[Tally]:
    """The tallies this person started and has not closed, most recent first."""
    return list(Tally.objects.filter(author=user).open().select_related("type", "place"))


@dataclass(frozen=True)
class LastSession:
    date: date
    named: frozenset[int]  # the residents it names, by id


def last_session(*, activity: GroupActivity) -> LastSession | None:
    """The latest session of a group activity and who it names (one query), so that the
    next session's attendance can start from it."""
    latest = activity.sessions.order_by(
        "-date", F("start_time").desc(nulls_last=True), "-pk"
    ).values("pk")[:1]
    # One row per person named, or one row with no one for a session of a headcount only.
    rows = list(
        Intervention.objects.filter(pk=Subquery(latest)).values_list(
            "date", "participations__resident_id"
        )
    )
    if not rows:
        return None
    return LastSession(
        date=rows[0][0], named=frozenset(resident for _, resident in rows if resident is not None)
    )


def activity_has_session_on(*, activity: GroupActivity, day: date) -> bool:
    """Whether a session of the activity is already logged on `day` (one query)."""
    return activity.sessions.filter(date=day).exists()
