"""Server-rendered bar charts: their geometry, and what the template writes."""

import itertools
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from ema.charts import Series, bar_chart, nice_axis

MONTHS = ["2026-04", "2026-05", "2026-06"]


def _levels(**options):
    return bar_chart(
        title="Hours by level, month by month",
        description="Stacked bars: hours of each level in each month.",
        categories=MONTHS,
        series=[
            Series(label="Individual", values=[12.5, 3, None], css_class="level-individual"),
            Series(label="Group", values=[Decimal("7.5"), 0, 2], css_class="level-group"),
            Series(label="Collective", values=[20, 4, 1], css_class="level-collective"),
        ],
        unit="h",
        **options,
    )


def _render(*charts):
    return "".join(render_to_string("charts/bar_chart.html", {"chart": c}) for c in charts)


def _svg(html):
    return re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, flags=re.S).group(0)


def _bars(chart, series_label):
    return [bar for bar in chart.bars if bar.series == series_label]


def test_a_bars_height_is_proportional_to_its_value():
    chart = bar_chart(
        title="Interventions",
        description="One bar per month.",
        categories=MONTHS,
        series=[Series(label="Interventions", values=[10, 20, 5])],
    )
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == pytest.approx(heights[0] / 2)
    assert {bar.width for bar in chart.bars} == {chart.bars[0].width}
    # Every bar stands on the baseline: the grid line of 0.
    baseline = chart.ticks[0].y1
    assert all(bar.y + bar.height == pytest.approx(baseline) for bar in chart.bars)


def test_the_tallest_bar_reaches_the_top_of_the_plot_area():
    chart = bar_chart(
        title="Referrals",
        description="…",
        categories=MONTHS,
        series=[Series(label="Referrals", values=[40, 12, 30])],
    )
    assert chart.axis_max == 40
    top, baseline = chart.ticks[-1].y1, chart.ticks[0].y1
    assert chart.bars[0].y == pytest.approx(top)
    assert chart.bars[1].height == pytest.approx((baseline - top) * 12 / 40)


def test_stacked_bars_sum_to_the_months_total():
    chart = _levels(stacked=True)
    scale = (chart.ticks[0].y1 - chart.ticks[-1].y1) / float(chart.axis_max)
    for month, total in zip(MONTHS, [40, 7, 3], strict=True):
        stack = sorted((b for b in chart.bars if b.category == month), key=lambda b: -b.y)
        assert sum(bar.height for bar in stack) == pytest.approx(total * scale, abs=0.05)
        # Each segment sits on the one below it, in the order of the series.
        for lower, upper in itertools.pairwise(stack):
            assert upper.y + upper.height == pytest.approx(lower.y, abs=0.02)
    assert [row.total for row in chart.rows] == [40, 7, 3]
    # A None or a zero draws nothing, but keeps its place in the table.
    assert len(chart.bars) == 7
    assert chart.rows[2].values == (0, 2, 1)


def test_grouped_bars_stand_side_by_side():
    chart = _levels(stacked=False)
    april = [b for b in chart.bars if b.category == "2026-04"]
    assert [b.series for b in april] == ["Individual", "Group", "Collective"]
    assert april[1].x == pytest.approx(april[0].x + april[0].width)
    assert all(row.total is None for row in chart.rows)
    assert chart.axis_max == 20


@pytest.mark.parametrize(
    ("peak", "whole", "step", "axis_max"),
    [
        (Decimal(37), True, 10, 40),
        (Decimal(40), True, 10, 40),
        (Decimal("12.5"), False, Decimal("2.5"), Decimal("12.5")),
        (Decimal(7), True, 2, 8),
        (Decimal(2), True, 1, 2),
        (Decimal("0.3"), False, Decimal("0.1"), Decimal("0.3")),
        (Decimal(1234), True, 250, 1250),
        (Decimal(0), True, 1, 1),
    ],
)
def test_the_value_axis_has_round_ticks(peak, whole, step, axis_max):
    assert nice_axis(peak, whole=whole) == (step, axis_max)


def test_a_peak_of_37_gives_ticks_up_to_40():
    chart = bar_chart(
        title="Residents met",
        description="…",
        categories=["A", "B"],
        series=[Series(label="Residents", values=[37, 11])],
    )
    assert [tick.value for tick in chart.ticks] == [0, 10, 20, 30, 40]
    top, baseline = chart.ticks[-1].y1, chart.ticks[0].y1
    assert chart.bars[0].height == pytest.approx((baseline - top) * 37 / 40, abs=0.01)


@pytest.mark.parametrize("values", [[0, 0, 0], [None, None, None], [0.0, None, Decimal(0)]])
def test_a_chart_of_zeros_has_an_axis_up_to_one_and_no_bar(values):
    for horizontal in (False, True):
        chart = bar_chart(
            title="Nothing yet",
            description="…",
            categories=MONTHS,
            series=[Series(label="Hours", values=values), Series(label="More", values=values)],
            stacked=True,
            horizontal=horizontal,
        )
        assert chart.bars == ()
        assert chart.axis_max == 1
        assert [tick.value for tick in chart.ticks] == [0, 1]
        assert [row.total for row in chart.rows] == [0, 0, 0]
        assert "<svg" in _render(chart)


def test_a_chart_without_categories_still_renders():
    chart = bar_chart(title="Empty", description="…", categories=[], series=[])
    assert chart.bars == () and chart.rows == ()
    assert 'role="img"' in _render(chart)


def test_values_must_match_the_categories_and_not_be_negative():
    with pytest.raises(ValueError, match="one value per category"):
        bar_chart(title="T", description="D", categories=MONTHS, series=[Series("S", [1, 2])])
    with pytest.raises(ValueError, match="zero or more"):
        bar_chart(title="T", description="D", categories=["A"], series=[Series("S", [-1])])


def test_horizontal_bars_give_each_category_its_own_row():
    names = [
        "Housing, tenant rights and repairs with the Office municipal d'habitation de Montréal",
        "Food security",
        "Employment",
    ]
    chart = bar_chart(
        title="Top themes",
        description="…",
        categories=names,
        series=[Series(label="Interventions", values=[37, 20, 3])],
        horizontal=True,
    )
    bars = chart.bars
    assert [bar.category for bar in bars] == names
    assert bars[0].y < bars[1].y < bars[2].y
    assert bars[1].width == pytest.approx(bars[0].width * 20 / 37, abs=0.01)
    assert {bar.x for bar in bars} == {chart.ticks[0].x1}
    assert chart.tick_anchor == "middle" and chart.ticks[-1].value == 40
    # A long name is wrapped above its bar, inside the picture's width, and never cut short
    # of its first words.
    first = chart.labels[0]
    assert 1 < len(first.lines) <= 2
    assert first.lines[0].startswith("Housing, tenant rights")
    assert all(first.x + len(line) * 0.6 * chart.font_size <= chart.width for line in first.lines)
    assert first.y < bars[0].y
    # Each bar ends with its value, and the longest one still fits in the picture.
    assert [text.value for text in chart.value_texts] == [37, 20, 3]
    assert chart.value_texts[0].x > bars[0].x + bars[0].width
    assert chart.value_texts[0].x + 3 * 0.6 * chart.font_size <= chart.width


def test_horizontal_stacks_end_with_their_total():
    chart = _levels(stacked=True, horizontal=True)
    assert [text.value for text in chart.value_texts] == [40, 7, 3]
    april = [bar for bar in chart.bars if bar.category == "2026-04"]
    assert [bar.series for bar in april] == ["Individual", "Group", "Collective"]
    assert {bar.y for bar in april} == {april[0].y}
    for left, right in itertools.pairwise(april):
        assert right.x == pytest.approx(left.x + left.width, abs=0.02)
    end = april[-1].x + april[-1].width
    assert end == pytest.approx(chart.ticks[-1].x1)  # 40, the axis maximum
    assert end < chart.value_texts[0].x


def test_many_months_slant_their_names_and_keep_them_in_the_picture():
    months = [f"2026-{month:02d}" for month in range(1, 13)] + ["A very long category name"]
    chart = bar_chart(
        title="A year",
        description="…",
        categories=months,
        series=[Series(label="Hours", values=list(range(13)))],
    )
    assert all(label.transform.startswith("rotate(-45 ") for label in chart.labels)
    assert chart.labels[-1].lines == ("A very long cat…",)
    assert len(chart.labels[0].lines[0]) * 0.6 * chart.font_size * 0.71 <= chart.labels[0].x


def test_the_svg_is_an_image_with_a_title_and_a_description():
    chart = _levels(stacked=True)
    html = _render(chart)
    svg = _svg(html)
    assert f'aria-labelledby="{chart.id}-title {chart.id}-desc"' in svg
    assert f'<title id="{chart.id}-title">Hours by level, month by month</title>' in svg
    assert f'<desc id="{chart.id}-desc">Stacked bars: hours of each level' in svg
    assert 'viewBox="0 0 640 ' in svg and 'width="100%"' in svg
    assert svg.count("<rect ") == len(chart.bars)
    assert 'class="level-individual"' in svg
    with translation.override("fr-ca"):  # the language the test client renders in
        show = gettext("Show the data")
    assert "<figure" in html and "<details" in html and show in html
    assert "style=" not in html


def test_the_table_has_the_same_numbers_in_french():
    chart = _levels(stacked=True)
    with translation.override("fr-ca"):
        html = _render(chart)
    table = html[html.index("<table") :]
    assert "<caption" in table and "Hours by level, month by month" in table
    assert table.count('<th scope="col"') == 4  # three levels and their total
    assert '<th scope="row">2026-04</th>' in table
    for number in ["12,5\xa0h", "7,5\xa0h", "20\xa0h", "40\xa0h", "0\xa0h"]:
        assert number.replace("\xa0", "&#160;") in table
    assert "12.5" not in table
    # The tooltips and the tick numbers are in French too.
    with translation.override("fr-ca"):
        tooltip = gettext("%(series)s, %(category)s: %(value)s") % {
            "series": "Individual",
            "category": "2026-04",
            "value": "12,5\xa0h",
        }
    assert f"<title>{tooltip}</title>" in _svg(html)
    with translation.override("en"):
        assert "12.5&#160;h" in _render(chart)


@pytest.mark.parametrize("horizontal", [False, True])
def test_svg_coordinates_take_a_decimal_point_in_french(horizontal):
    chart = bar_chart(
        title="Hours",
        description="…",
        categories=[*MONTHS, "A fourth month with a long name, slanted"],
        series=[Series("A", [1.25, 3.5, 7, 2]), Series("B", [Decimal("0.75"), 0, 2.5, 1])],
        stacked=True,
        horizontal=horizontal,
    )
    with translation.override("fr-ca"):
        svg = _svg(_render(chart))
    attributes = re.findall(
        r'\b(?:x|y|x1|x2|y1|y2|width|height|viewBox|transform|dy|font-size)="([^"]*)"', svg
    )
    assert attributes and any("." in value for value in attributes)
    assert not [value for value in attributes if "," in value]
    # The numbers people read, though, are French.
    with translation.override("fr-ca"):
        tooltip = gettext("%(series)s, %(category)s: %(value)s") % {
            "series": "A",
            "category": "2026-04",
            "value": "1,25",
        }
    assert f"<title>{tooltip}</title>" in svg
    if horizontal:
        assert ">9,5</text>" in svg  # at the end of the third stack


def test_tick_numbers_are_localised():
    chart = bar_chart(
        title="Hours",
        description="…",
        categories=["A", "B"],
        series=[Series("Hours", [0.3, 1.2])],
    )
    assert [str(tick.value) for tick in chart.ticks] == ["0", "0.25", "0.5", "0.75", "1", "1.25"]
    with translation.override("fr-ca"):
        svg = _svg(_render(chart))
    assert ">0,25</text>" in svg and ">1,25</text>" in svg


def test_two_charts_on_a_page_have_different_ids():
    first, second = _levels(stacked=True), _levels(stacked=True)
    assert first.id != second.id
    assert re.fullmatch(r"[a-z][a-z0-9-]*", first.id)
    ids = re.findall(r'\bid="([^"]+)"', _render(first, second))
    assert len(ids) == len(set(ids)) == 6


def test_labels_are_escaped_in_the_picture_and_the_table():
    chart = bar_chart(
        title="<script>alert('title')</script>",
        description="<b>bold</b>",
        categories=["<script>alert('category')</script>", "B"],
        series=[
            Series(label="<script>alert('series')</script>", values=[1, 2]),
            Series("C", [1, 1]),
        ],
        stacked=True,
    )
    html = _render(chart)
    assert "<script" not in html and "<b>" not in html
    svg, table = _svg(html), html[html.index("<table") :]
    for part in (svg, table):
        assert "&lt;script&gt;alert(&#x27;category&#x27;)" in part
        assert "&lt;script&gt;alert(&#x27;series&#x27;)" in part
        assert "&lt;script&gt;alert(&#x27;title&#x27;)" in part
    assert 'data-label="&lt;script&gt;alert(&#x27;series&#x27;)&lt;/script&gt;"' in table
