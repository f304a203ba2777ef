"""The week's charts: structure (axes, bars, labels, colours), not pixels."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from kit import allocation as logic
from kit.charts.core import PALETTE
from kit.charts.week import SERIES, gap_chart, week_chart


@pytest.fixture
def comparison(content):
    value = logic.empty(content, 45)
    value["current"] = logic.rebalance(value["current"], "hands_on_coding", 20)
    value["ideal"] = logic.rebalance(value["ideal"], "design_architecture", 12)
    return logic.compare(value, content, "tech_lead")


def _rgb(color) -> tuple[float, ...]:
    return tuple(round(c, 3) for c in to_rgb(color))


def _labels_top_to_bottom(ax) -> list[str]:
    rows = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    return [rows[y] for y in sorted(rows, reverse=True)]


def test_week_chart_groups_three_labelled_bars_per_activity(comparison, content):
    fig = week_chart(comparison, content)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    n = len(content.activities)
    assert _labels_top_to_bottom(ax) == [a.label for a in content.activities]
    assert len(ax.patches) == 3 * n
    assert len(ax.texts) == 3 * n  # every bar carries its hours
    assert "20" in {t.get_text() for t in ax.texts}
    (legend,) = fig.legends  # one row below the axis: it never hides a bar
    assert [t.get_text() for t in legend.get_texts()] == [
        "The week I had",
        "The week I want",
        "Tech Lead (illustrative, scaled)",
    ]
    assert ax.get_xlabel() == "hours in a 45-hour week"
    assert ax.get_title(loc="left") == "Hours per activity in a 45-hour week"


def test_week_chart_series_differ_in_colour_and_hatching(comparison, content):
    (ax,) = week_chart(comparison, content).axes
    n = len(content.activities)
    for i, (series, hatch) in enumerate(SERIES):
        bars = ax.patches[i * n : (i + 1) * n]
        assert {_rgb(b.get_facecolor()[:3]) for b in bars} == {_rgb(PALETTE[series])}
        assert {b.get_hatch() or "" for b in bars} == {hatch}
    assert len({hatch for _, hatch in SERIES}) == 3


def test_week_chart_profile_is_scaled_to_the_participants_total(comparison, content):
    (ax,) = week_chart(comparison, content).axes
    n = len(content.activities)
    profile = ax.patches[2 * n :]
    assert sum(b.get_width() for b in profile) == pytest.approx(45)


def test_gap_chart_shows_signed_labelled_gains_and_losses(comparison, content):
    fig = gap_chart(comparison, content)
    (ax,) = fig.axes
    assert _labels_top_to_bottom(ax) == [a.label for a in content.activities]
    widths = [b.get_width() for b in ax.patches]
    assert widths == [comparison.gap_hours[a] for a in comparison.activities]
    for bar, gap in zip(ax.patches, widths, strict=True):
        if gap:
            key = "gain" if gap > 0 else "loss"
            assert _rgb(bar.get_facecolor()[:3]) == _rgb(PALETTE[key])
    texts = [t.get_text() for t in ax.texts]
    assert texts == [logic.signed_hours(g) for g in widths]
    assert any(t.startswith("+") for t in texts) and any(t.startswith("\u2212") for t in texts)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "More time in the week I want",
        "Less time in the week I want",
    ]
    assert ax.get_title(loc="left") == "From the week I had to the week I want"


def test_a_gap_chart_of_two_equal_weeks_draws_without_bars(content):
    value = logic.empty(content)
    (ax,) = gap_chart(logic.compare(value, content), content).axes
    assert all(b.get_width() == 0 for b in ax.patches)
    assert {t.get_text() for t in ax.texts} == {"0 h"}
