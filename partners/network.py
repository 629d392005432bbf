"""The network picture: EMA in the centre and the partners it exchanged with in a period.

Four bounded queries (referral counts per partner, joint-activity counts per partner, the
commitments made at the period's concertation meetings per partner, the partners
themselves), then a layout computed in Python for a server-rendered SVG: the partners sit in
two columns curved around EMA, ordered by type then weight, one row each, so that labels
never overlap and the picture only grows taller with more partners.
"""

import math
import textwrap
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from ema.periods import custom_period
from ema.svg import (
    BLUE,
    BLUISH_GREEN,
    FONT_SIZE,
    GREY,
    LINE_HEIGHT,
    MIDDLE_BASELINE,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    WIDTH,
    YELLOW,
)
from interventions.models import Intervention
from partners.concertation.selectors import (
    NO_COMMITMENTS,
    CommitmentCounts,
    commitment_counts,
    meetings_in_period,
)
from partners.models import Commitment, Organisation, Referral
from residents.models import Site

# The width, type size and colours are every picture's (ema.svg): more partners make the
# picture taller, never its text smaller.
LABEL_CHARS = 16
LABEL_LINES = 3  # "Comité de locataires Saint-Sulpice" keeps the part that tells it apart
MARGIN = 30
MIN_HEIGHT = 300
CENTRE_RADIUS = 36
NODE_MAX_RADIUS = 22
NODE_MIN_RADIUS = 5
ROW_GAP = 6
# A column's distance from the centre: nearest at its ends, farthest at its middle.
COLUMN_NEAR = 72
COLUMN_FAR = 104
LABEL_GAP = 8
LINK_MIN_WIDTH = 1.0
LINK_MAX_WIDTH = 8.0

KIND_COLOURS: dict[str, str] = {
    Organisation.Kind.COMMUNITY: ORANGE,
    Organisation.Kind.HEALTH: SKY_BLUE,
    Organisation.Kind.SCHOOL: BLUISH_GREEN,
    Organisation.Kind.MUNICIPAL: YELLOW,
    Organisation.Kind.OMHM: BLUE,
    Organisation.Kind.PUBLIC_SAFETY: VERMILLION,
    Organisation.Kind.TENANT_COMMITTEE: REDDISH_PURPLE,
    Organisation.Kind.CONCERTATION_TABLE: GREY,
    Organisation.Kind.OTHER: GREY,
}
KIND_ORDER = {kind: position for position, kind in enumerate(Organisation.Kind.values)}


@dataclass(frozen=True)
class Exchange:
    """What EMA and one partner did together in the period."""

    organisation_id: int
    name: str
    kind: str
    kind_label: str
    referrals: int
    joint_activities: int
    # Commitments made at the period's concertation meetings: kept, still open, late now.
    commitments: CommitmentCounts = NO_COMMITMENTS

    @property
    def weight(self) -> int:
        return self.referrals + self.joint_activities + self.commitments.total

    @property
    def colour(self) -> str:
        return KIND_COLOURS.get(self.kind, KIND_COLOURS[Organisation.Kind.OTHER])


@dataclass(frozen=True)
class LabelLine:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class PartnerNode:
    """A partner placed in the picture: its circle, its link to EMA and its label."""

    exchange: Exchange
    x: float
    y: float
    r: float
    link_width: float
    label_anchor: str  # "start" on the right of the picture, "end" on the left
    label: tuple[LabelLine, ...]


@dataclass(frozen=True)
class KindEntry:
    """One line of the legend: a type of partner present in the picture."""

    kind: str
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class NetworkPicture:
    date_from: date
    date_to: date
    site: Site | None
    nodes: tuple[PartnerNode, ...]  # in the order around EMA: by type, then weight
    width: int
    height: int
    centre_x: float
    centre_y: float
    centre_r: float
    font_size: int
    legend: tuple[KindEntry, ...]

    @property
    def rows(self) -> list[Exchange]:
        """The table's rows: the busiest partner first."""
        return sorted(
            (node.exchange for node in self.nodes), key=lambda e: (-e.weight, e.name.lower())
        )

    @property
    def total_referrals(self) -> int:
        return sum(node.exchange.referrals for node in self.nodes)

    @property
    def total_joint_activities(self) -> int:
        return sum(node.exchange.joint_activities for node in self.nodes)

    @property
    def total_commitments(self) -> CommitmentCounts:
        counts = [node.exchange.commitments for node in self.nodes]
        return CommitmentCounts(
            kept=sum(c.kept for c in counts),
            open=sum(c.open for c in counts),
            late=sum(c.late for c in counts),
        )

    @property
    def has_late_commitments(self) -> bool:
        return any(node.exchange.commitments.late for node in self.nodes)

    @property
    def total(self) -> int:
        return self.total_referrals + self.total_joint_activities + self.total_commitments.total


def partner_exchanges(
    *, user, date_from: date, date_to: date, site: Site | None = None
) -> list[Exchange]:
    """Referrals made, interventions held and commitments made at concertation meetings with
    each partner in the period, counting only what the user may see (the meetings are every
    role's); partners with nothing in the period are left out."""
    # Referrals are timestamped: the period's days run from midnight to midnight, local time.
    starts, ends = custom_period(date_from, date_to).datetime_range()
    referrals = Referral.objects.visible_to(user).filter(
        created_at__gte=starts, created_at__lt=ends
    )
    interventions = Intervention.objects.visible_to(user).filter(
        date__gte=date_from, date__lte=date_to
    )
    if site is not None:
        referrals = referrals.filter(site=site)
        interventions = interventions.filter(site=site)
    referral_counts = dict(
        referrals.order_by()
        .values_list("organisation_id")
        .annotate(count=Count("pk"))
        .values_list("organisation_id", "count")
    )
    presence = Organisation.present_at.through.objects.filter(intervention__in=interventions)
    joint_counts = dict(
        # The plugin does not see an annotation on a many-to-many's through model: a false
        # "Cannot resolve keyword 'count'" (django-stubs 5.2).
        presence.order_by()  # type: ignore[misc]
        .values_list("organisation_id")
        .annotate(count=Count("intervention_id"))
        .values_list("organisation_id", "count")
    )
    commitments = commitment_counts(
        today=timezone.localdate(),
        commitments=Commitment.objects.filter(
            meeting__in=meetings_in_period(date_from=date_from, date_to=date_to, site=site)
        ),
    )
    ids = set(referral_counts) | set(joint_counts) | set(commitments)
    if not ids:
        return []
    organisations = Organisation.objects.filter(pk__in=ids).only("pk", "name", "kind").order_by()
    return [
        Exchange(
            organisation_id=organisation.pk,
            name=organisation.name,
            kind=organisation.kind,
            kind_label=str(organisation.get_kind_display()),
            referrals=referral_counts.get(organisation.pk, 0),
            joint_activities=joint_counts.get(organisation.pk, 0),
            commitments=commitments.get(organisation.pk, NO_COMMITMENTS),
        )
        for organisation in organisations
    ]


def network_layout(
    exchanges: list[Exchange],
    *,
    date_from: date,
    date_to: date,
    site: Site | None = None,
) -> NetworkPicture:
    """Place EMA in the centre and the partners around it: a circle's area and a link's width
    grow with the partner's referrals and joint activities."""
    exchanges = sorted(
        (e for e in exchanges if e.weight > 0),
        key=lambda e: (KIND_ORDER.get(e.kind, len(KIND_ORDER)), -e.weight, e.name.lower()),
    )
    labels = [_label_lines(e.name) for e in exchanges]
    # One row per partner, as tall as the longest label or the largest circle.
    row = max(2 * NODE_MAX_RADIUS, LINE_HEIGHT * max(map(len, labels), default=1)) + ROW_GAP
    right_count = math.ceil(len(exchanges) / 2)
    rows = max(right_count, 1)
    height = max(MIN_HEIGHT, rows * row + 2 * MARGIN)
    centre_x, centre_y = WIDTH / 2, height / 2
    heaviest = max((e.weight for e in exchanges), default=1)

    left_count = len(exchanges) - right_count
    nodes = []
    for position, (exchange, lines) in enumerate(zip(exchanges, labels, strict=True)):
        # Clockwise from the top right: down the right column, then up the left one.
        if position < right_count:
            side, index, column_size = 1, position, right_count
        else:
            side, index, column_size = -1, len(exchanges) - 1 - position, left_count
        y = centre_y + (index - (column_size - 1) / 2) * row
        # How far along the column from its middle (0) to the picture's edge (1).
        along = abs(y - centre_y) / (rows * row / 2)
        x = centre_x + side * (
            COLUMN_NEAR + (COLUMN_FAR - COLUMN_NEAR) * math.sqrt(max(0.0, 1 - along**2))
        )
        # The area, not the radius, tells the weight.
        r = max(NODE_MIN_RADIUS, NODE_MAX_RADIUS * math.sqrt(exchange.weight / heaviest))
        label_x = round(x + side * (r + LABEL_GAP), 1)
        # The label's lines are centred on the circle, each baseline MIDDLE_BASELINE em lower.
        first_y = y - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * MIDDLE_BASELINE
        link_width = LINK_MIN_WIDTH + (LINK_MAX_WIDTH - LINK_MIN_WIDTH) * exchange.weight / heaviest
        nodes.append(
            PartnerNode(
                exchange=exchange,
                x=round(x, 1),
                y=round(y, 1),
                r=round(r, 1),
                link_width=round(link_width, 1),
                label_anchor="start" if side > 0 else "end",
                label=tuple(
                    LabelLine(text=text, x=label_x, y=round(first_y + i * LINE_HEIGHT, 1))
                    for i, text in enumerate(lines)
                ),
            )
        )

    kind_counts = Counter(e.kind for e in exchanges)
    legend = tuple(
        KindEntry(kind=e.kind, label=e.kind_label, colour=e.colour, count=kind_counts[e.kind])
        for e in {e.kind: e for e in exchanges}.values()  # in the picture's order of types
    )
    return NetworkPicture(
        date_from=date_from,
        date_to=date_to,
        site=site,
        nodes=tuple(nodes),
        width=WIDTH,
        height=height,
        centre_x=centre_x,
        centre_y=centre_y,
        centre_r=CENTRE_RADIUS,
        font_size=FONT_SIZE,
        legend=legend,
    )


def _label_lines(name: str) -> list[str]:
    """A partner's name on a few short lines, cut with an ellipsis when it is too long."""
    return textwrap.wrap(name, width=LABEL_CHARS, max_lines=LABEL_LINES, placeholder="…") or [
        name[:LABEL_CHARS]
    ]


def network_picture(
    *, user, date_from: date, date_to: date, site: Site | None = None
) -> NetworkPicture:
    """The network picture of the period, as the user may see it."""
    exchanges = partner_exchanges(user=user, date_from=date_from, date_to=date_to, site=site)
    return network_layout(exchanges, date_from=date_from, date_to=date_to, site=site)
