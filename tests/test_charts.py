"""Charts: structure (not pixels), the one palette, and the display object."""

from __future__ import annotations

import base64

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from kit import motivations as m
from kit.charts import OKABE_ITO, PALETTE, ChartDisplay, sort_chart


def _summary(content):
    value = m.empty()
    for card in content.cards[:6]:
        value = m.place(value, card.id, "watch", "often")
    for card in content.cards[6:9]:
        value = m.place(value, card.id, "healthy", "rarely")
    value = m.place(value, content.cards[9].id, "not_me", None)
    return m.summarize_sort(value, content)


def test_sort_chart_has_one_bar_row_per_column_labelled_with_counts(content):
    fig = sort_chart(_summary(content), content)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    rows = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    top_to_bottom = [rows[y] for y in sorted(rows, reverse=True)]
    assert top_to_bottom == [content.text(f"bucket_{b}") for b in m.BUCKETS]
    widths = sorted(p.get_width() for p in ax.patches if p.get_width() > 0)
    assert widths == [1, 3, 6]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3", "6"]
    assert ax.get_title(loc="left") == content.text("chart_title")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [content.text(f"frequency_{f}") for f in (*m.FREQUENCIES, "unmarked")]


def test_sort_chart_uses_the_palette(content):
    (ax,) = sort_chart(_summary(content), content).axes
    colors = {
        tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in ax.patches if p.get_width() > 0
    }
    expected = {
        tuple(round(c, 3) for c in to_rgb(PALETTE[k])) for k in ("often", "rarely", "not_me")
    }
    assert colors == expected


def test_palette_is_built_from_okabe_ito_only():
    allowed = set(OKABE_ITO.values()) | {PALETTE["ink"], PALETTE["muted"]}
    for key, value in PALETTE.items():
        for color in value if isinstance(value, tuple) else (value,):
            assert color in allowed, key


def test_display_gives_png_html_with_escaped_summary_and_text(content):
    shown = ChartDisplay(sort_chart(_summary(content), content), 'Mostly "watch" <cards>')
    bundle = shown._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["text/plain"] == 'Mostly "watch" <cards>'
    html = bundle["text/html"]
    assert 'alt="Mostly &quot;watch&quot; &lt;cards&gt;"' in html
    assert "<cards>" not in html and "http" not in html
