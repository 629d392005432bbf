"""Bar charts drawn on the server as SVG: no JavaScript, readable on a phone, printable.

`bar_chart()` computes the geometry in Python; templates/charts/bar_chart.html draws it with an
accessible name and description, a legend, and the same numbers in an HTML table. Coordinates
are floats, written with a decimal point by the template's `{% localize off %}`.
"""

import itertools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext

from ema.svg import (
    BLUE,
    BLUISH_GREEN,
    FONT_SIZE,
    LINE_HEIGHT,
    MIDDLE_BASELINE,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    WIDTH,
)

Number = int | float | Decimal

# Label widths are estimated generously.
CHAR_WIDTH = 0.6 * FONT_SIZE
MARGIN = 12
GAP = 8
PLOT_HEIGHT = 280  # upright bars
BAND_PADDING = 0.25  # the share of a category's width left empty between its neighbours
SLANTED_CHARS = 16  # a slanted category name is cut after this many characters
LABEL_LINES = 2  # horizontal bars: the category's name above its bars, on at most two lines
BAR_THICKNESS = 24  # horizontal bars: a stack or a lone bar; a grouped bar is one line high
TICK_COUNT = 5
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
# The fill when the CSS has no rule for a bar's class ("series-1"…, static/css/ema.css).
PALETTE = (BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, VERMILLION)
SIN_45 = math.sqrt(0.5)

_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One set of values, one per category, drawn in one colour."""

    label: str | Promise
    values: Sequence[Number | None]
    css_class: str = ""  # "series-1"… by position when empty


@dataclass(frozen=True)
class Bar:
    """A rectangle of the picture: one series' value in one category."""

    x: float
    y: float
    width: float
    height: float
    css_class: str
    fill: str
    series: str | Promise
    category: str
    value: Decimal
    unit: str

    @property
    def label(self) -> str:
        """The tooltip, in the language of the page being drawn."""
        return gettext("%(series)s, %(category)s: %(value)s") % {
            "series": self.series,
            "category": self.category,
            "value": with_unit(self.value, self.unit),
        }


@dataclass(frozen=True)
class Label:
    """A category's name, under its bars or above them: the first line's baseline at (x, y),
    the next lines LINE_HEIGHT lower."""

    lines: tuple[str, ...]
    x: float
    y: float
    anchor: str  # "middle"; "end" when slanted; "start" above horizontal bars
    transform: str = ""  # "rotate(-45 x y)" when slanted


@dataclass(frozen=True)
class Tick:
    """A round value of the value axis: its grid line, and where its number is written."""

    value: Decimal
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class ValueText:
    """A value written at the end of a horizontal bar (or stack)."""

    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class LegendEntry:
    label: str | Promise
    css_class: str
    fill: str


@dataclass(frozen=True)
class Row:
    """A line of the data table: a category, its value in each series, and their total."""

    category: str
    cells: tuple[tuple[str | Promise, Decimal], ...]  # (series label, value)
    total: Decimal | None  # stacked bars only

    @property
    def values(self) -> tuple[Decimal, ...]:
        return tuple(value for _, value in self.cells)


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str | Promise
    description: str | Promise
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    stacked: bool
    horizontal: bool
    width: int
    height: float
    font_size: int
    line_height: int
    axis_max: Decimal
    tick_anchor: str  # text-anchor of the tick numbers
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    value_texts: tuple[ValueText, ...]
    legend: tuple[LegendEntry, ...]
    rows: tuple[Row, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height:.2f}"


@dataclass(frozen=True)
class _Frame:
    """Where the bars go: category i's bars from bands[i] for `band` across, and the value v at
    origin + v × scale along the value axis; the plot spans `across` on the other axis."""

    bands: list[float]
    band: float
    origin: float
    scale: float
    across: tuple[float, float]
    labels: list[Label]
    height: float


def with_unit(value: Decimal, unit: str) -> str:
    """A value in the active language's format, followed by its unit."""
    return f"{number_format(value)}\xa0{unit}" if unit else number_format(value)


def _tidy(value: Decimal) -> Decimal:
    """12.50 → 12.5 and 10.0 → 10, never 1E+1."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _clean(value: Number | None) -> Decimal:
    number = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    if not number.is_finite() or number < 0:
        raise ValueError(f"A bar chart draws finite values of zero or more, not {value!r}.")
    return _tidy(number.quantize(Decimal("0.01")))


def nice_axis(peak: Decimal, *, whole: bool = False) -> tuple[Decimal, Decimal]:
    """A round step (1, 2, 2.5 or 5 times a power of ten; at least 1 for `whole` numbers) and
    the axis maximum, the first multiple of it at or above the peak (1 when nothing is drawn)."""
    peak = peak if peak > 0 else Decimal(1)
    raw = peak / TICK_COUNT
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(s * magnitude for s in NICE_STEPS if s * magnitude >= raw)
    step = max(step, Decimal(1)) if whole else step
    return _tidy(step), _tidy((peak / step).to_integral_value(ROUND_CEILING) * step)


def bar_chart(
    *,
    title: str | Promise,
    description: str | Promise,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    unit: str = "",
    horizontal: bool = False,
    row_totals: Sequence[Number] | None = None,
) -> BarChart:
    """A bar chart, stacked or grouped: upright bars over the categories, or horizontal bars
    with one row per category (rankings, long names). Values are zero or more; None is 0.

    A stacked chart's total of each category is the sum of its values, or `totals` when the
    caller has them exact in `row_totals` (hours rounded from the sum of minutes, not a sum of
    rounded hours)."""
    categories, series = tuple(str(c) for c in categories), tuple(series)
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("Each series needs one value per category.")
    if row_totals is not None and len(row_totals) != len(categories):
        raise ValueError("A total is needed for each category.")
    values = [[_clean(v) for v in s.values] for s in series]
    classes = [s.css_class or f"series-{i % len(PALETTE) + 1}" for i, s in enumerate(series)]
    fills = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    rows = tuple(
        Row(
            category,
            tuple((s.label, v[i]) for s, v in zip(series, values, strict=True)),
            (
                (
                    _clean(row_totals[i])
                    if row_totals is not None
                    else _tidy(sum((v[i] for v in values), Decimal(0)))
                )
                if stacked
                else None
            ),
        )
        for i, category in enumerate(categories)
    )
    flat = [v for vs in values for v in vs]
    totals = [r.total for r in rows if r.total is not None]  # every row has one when stacked
    # The stacked bars end at the sum of their values, which a given total may not equal.
    stack_ends = [sum(row.values, Decimal(0)) for row in rows] if stacked else []
    peak = max([*totals, *stack_ends] if stacked else flat, default=Decimal(0))
    step, axis_max = nice_axis(peak, whole=all(v == int(v) for v in flat))
    tick_values = [_tidy(step * i) for i in range(int(axis_max / step) + 1)]
    ends = totals if stacked else flat
    layout = _horizontal if horizontal else _vertical
    frame = layout(rows, tick_values, axis_max, len(series), stacked=stacked, ends=ends, unit=unit)

    bars, value_texts = [], []
    share = 1 if stacked else 1 / max(len(series), 1)  # of the band, across
    thickness = round(share * frame.band, 2)
    for i, row in enumerate(rows):
        start = Decimal(0)
        for j, value in enumerate(row.values):
            across = frame.bands[i] + (0 if stacked else j * share) * frame.band
            a = frame.origin + float(start) * frame.scale
            b = frame.origin + float(start + value) * frame.scale
            along, length = round(min(a, b), 2), round(abs(b - a), 2)
            x, y, w, h = (
                (along, round(across, 2), length, thickness)
                if horizontal
                else (round(across, 2), along, thickness, length)
            )
            if length > 0:
                bar = Bar(
                    x, y, w, h, classes[j], fills[j], series[j].label, row.category, value, unit
                )
                bars.append(bar)
            start += value if stacked else 0
            if horizontal and (not stacked or j == len(series) - 1):
                middle = across + thickness / 2 + FONT_SIZE * MIDDLE_BASELINE
                end = row.total if stacked and row.total is not None else value
                value_texts.append(ValueText(end, round(b + GAP / 2, 2), round(middle, 2)))
    ticks = []
    for t in tick_values:
        at, (low, high) = round(frame.origin + float(t) * frame.scale, 2), frame.across
        if horizontal:
            ticks.append(Tick(t, at, low, at, high, at, round(high + GAP + FONT_SIZE * 0.8, 2)))
        else:
            ticks.append(
                Tick(t, low, at, high, at, low - GAP, round(at + FONT_SIZE * MIDDLE_BASELINE, 2))
            )
    return BarChart(
        id=f"chart-{slugify(str(title))[:40].strip('-') or 'bars'}-{next(_ids)}",
        title=title,
        description=description,
        categories=categories,
        series=series,
        unit=unit,
        stacked=stacked,
        horizontal=horizontal,
        width=WIDTH,
        height=round(frame.height, 2),
        font_size=FONT_SIZE,
        line_height=LINE_HEIGHT,
        axis_max=axis_max,
        tick_anchor="middle" if horizontal else "end",
        ticks=tuple(ticks),
        bars=tuple(bars),
        labels=tuple(frame.labels),
        value_texts=tuple(value_texts),
        legend=tuple(map(LegendEntry, [s.label for s in series], classes, fills)),
        rows=rows,
    )


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _vertical(
    rows: tuple[Row, ...], ticks: list[Decimal], axis_max: Decimal, count: int, **_: object
) -> _Frame:
    """Upright bars over the categories; names too wide for their band are slanted."""
    left = MARGIN + max(_text_width(str(t)) for t in ticks) + GAP
    top, right, n = FONT_SIZE, WIDTH - MARGIN, max(len(rows), 1)
    longest = max((len(r.category) for r in rows), default=0)
    slanted = _text_width("x" * longest) > (right - left) / n - GAP
    if slanted:  # the first name, slanted down to the left, must stay in the picture
        left = max(left, min(longest, SLANTED_CHARS) * CHAR_WIDTH * SIN_45)
    band = (right - left) / n
    bottom = top + PLOT_HEIGHT
    # Slanted names sit band × sin 45° apart: keep one in `every` when they would touch.
    every = math.ceil(LINE_HEIGHT / (band * SIN_45)) if slanted else 1
    labels = []
    for i in range(0, len(rows), every):
        name, x = rows[i].category, round(left + (i + 0.5) * band, 2)
        if not slanted:
            labels.append(Label((name,), x, bottom + GAP + FONT_SIZE * 0.8, "middle"))
            continue
        if len(name) > SLANTED_CHARS:  # the whole name is in the tooltips and the table
            name = name[: SLANTED_CHARS - 1].rstrip() + "…"
        y = round(bottom + GAP + FONT_SIZE * MIDDLE_BASELINE, 2)
        labels.append(Label((name,), x, y, "end", f"rotate(-45 {x:.2f} {y:.2f})"))
    depth = (
        min(longest, SLANTED_CHARS) * CHAR_WIDTH * SIN_45 + FONT_SIZE / 2 if slanted else FONT_SIZE
    )
    return _Frame(
        bands=[left + (i + BAND_PADDING / 2) * band for i in range(len(rows))],
        band=band * (1 - BAND_PADDING),
        origin=bottom,
        scale=-PLOT_HEIGHT / float(axis_max),
        across=(round(left, 2), right),
        labels=labels,
        height=bottom + GAP + depth + MARGIN,
    )


def _horizontal(
    rows: tuple[Row, ...],
    ticks: list[Decimal],
    axis_max: Decimal,
    count: int,
    *,
    stacked: bool,
    ends: list[Decimal],
    unit: str,
) -> _Frame:
    """One row per category, its name above its bars across the whole width so that long
    names fit on a phone; each bar, or each stack, ends with its value."""
    room = max((_text_width(with_unit(v, unit)) for v in ends), default=0)
    right = WIDTH - MARGIN - max(room + GAP, _text_width(str(ticks[-1])) / 2)
    thickness = BAR_THICKNESS if stacked or count <= 1 else LINE_HEIGHT * count
    chars = int((WIDTH - 2 * MARGIN) / CHAR_WIDTH)
    labels, bands, y = [], [], float(MARGIN)
    for row in rows:
        lines = textwrap.wrap(row.category, chars, max_lines=LABEL_LINES, placeholder="…")
        labels.append(Label(tuple(lines), MARGIN, round(y + FONT_SIZE * 0.8, 2), "start"))
        bands.append(y + max(len(lines), 1) * LINE_HEIGHT + GAP / 2)
        y = bands[-1] + thickness + 2 * GAP
    bottom = max(y - GAP, MARGIN + LINE_HEIGHT)
    return _Frame(
        bands=bands,
        band=thickness,
        origin=MARGIN,
        scale=(right - MARGIN) / float(axis_max),
        across=(MARGIN, round(bottom, 2)),
        labels=labels,
        height=bottom + GAP + FONT_SIZE * 0.8 + MARGIN,
    )
