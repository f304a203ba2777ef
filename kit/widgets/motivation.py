"""The motivation card sort: why do I still do hands-on work?

One card at a time: say how often it is true, choose a column, and the next unsorted card
appears. The three columns below show what has been placed. Every control is a plain
button or text box, so Tab and Enter/Space reach and press everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from kit import motivations as logic
from kit._palette import PALETTE
from kit.answers import AnswerStore, DemoStore
from kit.content import Content
from kit.widgets._base import DEFAULT, ExerciseWidget, escape
from kit.widgets._chart import ChartPanel

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not with the page
    from kit.charts import ChartDisplay

__all__ = ["MotivationSort"]

#: The default shuffle: cards dealt in a fixed mixed order, not healthy-first.
DEFAULT_SEED = 20240525

_CARD_STYLE = (
    "border:1px solid #bbb;border-radius:8px;padding:14px 18px;"
    "background:#fafafa;font-size:1.15em;line-height:1.4;min-height:3.2em"
)


class MotivationSort(ExerciseWidget):
    """Sort the reasons for doing hands-on work into healthy, watch and not me.

    Parameters
    ----------
    content
        The workshop content; default: :func:`kit.load_content`.
    store
        Where answers are restored from and saved to. Default: the participant folder of
        this run mode; ``None``: nothing is read or saved.
    seed
        Order in which the cards are dealt; ``None`` keeps the content's order.

    Examples
    --------
    >>> sort = MotivationSort(store=None)                            # doctest: +SKIP
    >>> sort.value = {"cards": {"faster_myself": {"bucket": "watch",
    ...                                           "frequency": "often"}}, "own": []}
    """

    exercise = "motivations"

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        seed: int | None = DEFAULT_SEED,
        **kwargs: Any,
    ):
        self._seed = seed
        self._position = 0
        self._revealed = False
        super().__init__(content=content, store=store, **kwargs)
        self.add_class("wk-motivation-sort")
        self._build()
        self._position = self._first_unsorted(0)
        self._render()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        t = self._content.text
        self._title = widgets.HTML(
            f"<h3 style='margin:0 0 4px 0'>{escape(t('sort_title'))}</h3>"
            f"<div style='color:#333'>{escape(t('sort_instructions'))}</div>"
        )
        self._progress_bar = widgets.IntProgress(
            min=0, max=1, value=0, layout=widgets.Layout(width="220px")
        )
        self._progress = widgets.Label()
        self._progress.add_class("wk-progress")
        self._card = widgets.HTML()
        self._card.add_class("wk-card")
        self._frequency = widgets.ToggleButtons(
            options=[(t(f"frequency_{f}"), f) for f in logic.FREQUENCIES],
            value=None,
            style={"button_width": "110px"},
        )
        self._frequency.add_class("wk-frequency")
        self._frequency.observe(lambda _c: self._enable_buckets(), names="value")
        self._bucket_hint = widgets.HTML()
        self._bucket_hint.add_class("wk-bucket-hint")
        self._buckets = {}
        for bucket in logic.BUCKETS:
            button = widgets.Button(
                description=t(f"bucket_{bucket}"),
                tooltip=t(f"bucket_{bucket}"),
                layout=widgets.Layout(width="170px", height="40px"),
            )
            button.style.button_color = {
                "healthy": "#d9f0e8",
                "watch": "#fbe3d4",
                "not_me": "#eeeeee",
            }[bucket]
            button.add_class(f"wk-bucket-{bucket}")
            button.on_click(lambda _b, bucket=bucket: self._place_current(bucket))
            self._buckets[bucket] = button
        self._previous = widgets.Button(
            description=t("sort_previous"), layout=widgets.Layout(width="130px")
        )
        self._next = widgets.Button(
            description=t("sort_next"), layout=widgets.Layout(width="130px")
        )
        self._previous.on_click(lambda _b: self._move(-1))
        self._next.on_click(lambda _b: self._move(+1))
        self._columns = {b: widgets.HTML(layout=widgets.Layout(width="33%")) for b in logic.BUCKETS}
        for b, col in self._columns.items():
            col.add_class(f"wk-column-{b}")
        self._own_text = widgets.Text(
            placeholder=t("own_placeholder"), layout=widgets.Layout(width="420px")
        )
        self._own_text.add_class("wk-own-text")
        self._own_add = widgets.Button(
            description=t("own_add"), layout=widgets.Layout(width="170px")
        )
        self._own_add.on_click(lambda _b: self._add_own())
        self._own_message = widgets.Label()
        self._reveal = widgets.Button(
            description=t("reveal_key"), layout=widgets.Layout(width="230px")
        )
        self._reveal.on_click(lambda _b: self._show_key())
        self._reveal_anyway = widgets.Button(
            description=t("reveal_anyway"), layout=widgets.Layout(width="150px")
        )
        self._reveal_anyway.on_click(lambda _b: self._show_key())
        self._reveal_note = widgets.Label()
        self._key = widgets.HTML()
        self._key.add_class("wk-key")
        self._chart = ChartPanel(
            self.chart,
            t("chart_button"),
            t("chart_stale"),
            empty=lambda: None if self._sorted_any() else t("chart_empty_sort"),
        )
        self._chart_button, self._chart_image, self._chart_caption = (
            self._chart.button,
            self._chart.image,
            self._chart.caption,
        )
        self.children = [
            self._title,
            self._notice,
            widgets.HBox([self._progress_bar, self._progress]),
            self._card,
            widgets.HTML(f"<b>{escape(t('sort_how_often'))}</b>"),
            self._frequency,
            widgets.HTML(f"<b>{escape(t('sort_where'))}</b>"),
            widgets.HBox(list(self._buckets.values())),
            self._bucket_hint,
            widgets.HBox([self._previous, self._next]),
            widgets.HBox(list(self._columns.values())),
            widgets.HBox([self._own_text, self._own_add]),
            self._own_message,
            widgets.HBox([self._reveal, self._reveal_anyway]),
            self._reveal_note,
            self._key,
            self._chart,
        ]

    def _sorted_any(self) -> bool:
        return bool(self.value["cards"]) or any(o["bucket"] for o in self.value["own"])

    # ------------------------------------------------------------------ actions
    @property
    def _deck(self) -> tuple[str, ...]:
        return logic.deck(self._content, self.value, self._seed)

    @property
    def current_card(self) -> str | None:
        """The id of the card on show (``None`` for an empty deck)."""
        deck = self._deck
        return deck[self._position % len(deck)] if deck else None

    def _first_unsorted(self, start: int) -> int:
        deck = self._deck
        for step in range(len(deck)):
            i = (start + step) % len(deck)
            if logic.placement(self.value, deck[i]) is None:
                return i
        return start % len(deck) if deck else 0

    def _place_current(self, bucket: str) -> None:
        card = self.current_card
        if card is None:
            return
        new = logic.place(self.value, card, bucket, self._frequency.value)
        following = logic.deck(self._content, new, self._seed)
        self._position = self._next_unsorted(new, following, self._position)
        self.value = new  # saves and redraws

    def _next_unsorted(self, value: dict, deck: tuple[str, ...], start: int) -> int:
        for step in range(1, len(deck) + 1):
            i = (start + step) % len(deck)
            if logic.placement(value, deck[i]) is None:
                return i
        return (start + 1) % len(deck)

    def _move(self, step: int) -> None:
        if self._deck:
            self._position = (self._position + step) % len(self._deck)
            self._render()

    def _add_own(self) -> None:
        t = self._content.text
        try:
            new, own_id = logic.add_own(self.value, self._own_text.value)
        except ValueError as exc:
            key = {"empty": "own_empty", "too_long": "own_too_long", "limit": "own_limit"}
            limit = logic.OWN_TEXT_LIMIT if str(exc) == "too_long" else logic.MAX_OWN
            self._own_message.value = t(
                key[str(exc)], **({} if str(exc) == "empty" else {"limit": limit})
            )
            return
        self._position = logic.deck(self._content, new, self._seed).index(own_id)
        self._own_text.value = ""
        self.value = new
        self._own_message.value = t("own_added")

    def _show_key(self) -> None:
        self._revealed = True
        self._render()

    def summary(self) -> logic.SortSummary:
        """Return the summary of the current sort."""
        return logic.summarize_sort(self.value, self._content)

    def chart(self) -> ChartDisplay:
        """Return the chart of the current sort with its text summary."""
        summary = self.summary()
        from kit.charts import (  # here: matplotlib loads when a chart is drawn, not with the page
            ChartDisplay,
            sort_chart,
        )

        return ChartDisplay(
            sort_chart(summary, self._content), logic.summary_text(summary, self._content)
        )

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        if not hasattr(self, "_card"):
            return  # the base class restores the value before the view exists
        t = self._content.text
        with self.hold_sync():
            done, total = logic.progress(self.value, self._content)
            self._progress_bar.max = max(total, 1)
            self._progress_bar.value = done
            self._progress.value = t("sort_progress", sorted=done, total=total)
            self._render_card(total)
            self._render_columns()
            remaining = total - done
            self._reveal.disabled = remaining > 0
            show_buttons = not self._revealed
            for b in (self._reveal, self._reveal_anyway):
                b.layout.display = None if show_buttons else "none"
            self._reveal_anyway.layout.display = None if (show_buttons and remaining) else "none"
            if self._revealed:
                self._reveal_note.value = ""
            elif remaining:
                self._reveal_note.value = t("reveal_locked", remaining=remaining)
            else:
                self._reveal_note.value = t("sort_all_done")
            self._key.value = self._key_html() if self._revealed else ""
            self._chart.mark_stale()

    def _render_card(self, total: int) -> None:
        t = self._content.text
        card_id = self.current_card
        if card_id is None:
            self._card.value = ""
            return
        text, own = self._card_text(card_id)
        place = logic.placement(self.value, card_id)
        badge = (
            (f"<span style='font-size:0.8em;color:#555'> · {escape(t('sort_own_badge'))}</span>")
            if own
            else ""
        )
        where = ""
        if place is not None:
            freq = f" · {t('frequency_' + place['frequency'])}" if place["frequency"] else ""
            where = (
                f"<div style='font-size:0.85em;color:#333;margin-top:6px'>"
                f"&#10003; {escape(t('bucket_' + place['bucket']) + freq)}</div>"
            )
        self._card.value = (
            f"<div style='color:#555;font-size:0.9em'>"
            f"{escape(t('sort_position', position=self._position + 1, total=total))}"
            f"{badge}</div><div style='{_CARD_STYLE}'>{escape(text)}{where}</div>"
        )
        self._frequency.value = place["frequency"] if place else None
        self._enable_buckets()

    def _enable_buckets(self) -> None:
        """A column can be chosen once 'how often' is said for the card on show."""
        unmarked = self._frequency.value is None
        for button in self._buckets.values():
            button.disabled = unmarked
        self._bucket_hint.value = (
            f"<span class='wk-note'>{escape(self._content.text('sort_how_often_first'))}</span>"
            if unmarked
            else ""
        )

    def _card_text(self, card_id: str) -> tuple[str, bool]:
        cards = self._content.by_id["cards"]
        if card_id in cards:
            return cards[card_id].text, False
        for own in self.value["own"]:
            if own["id"] == card_id:
                return own["text"], True
        return card_id, False

    def _render_columns(self) -> None:
        t = self._content.text
        placed: dict[str, list[str]] = {b: [] for b in logic.BUCKETS}
        for card_id in self._deck:
            place = logic.placement(self.value, card_id)
            if place is not None:
                text, _ = self._card_text(card_id)
                freq = (
                    f" ({t('frequency_' + place['frequency']).lower()})"
                    if place["frequency"]
                    else ""
                )
                placed[place["bucket"]].append(escape(text) + escape(freq))
        for bucket, column in self._columns.items():
            items = "".join(f"<li style='margin-bottom:3px'>{x}</li>" for x in placed[bucket])
            body = (
                f"<ul style='padding-left:18px;margin:4px 0'>{items}</ul>"
                if items
                else f"<div style='color:#4a5561'>{escape(t('sort_column_empty'))}</div>"
            )
            column.value = (
                f"<div style='border-top:4px solid {PALETTE[bucket]};padding:4px 6px;"
                f"line-height:1.35;font-size:0.9em'><b>{escape(t('bucket_' + bucket))} "
                f"({len(placed[bucket])})</b>{body}</div>"
            )

    def _key_html(self) -> str:
        t = self._content.text
        c = self._content
        summary = self.summary()
        themes = c.by_id["themes"]
        rows = []
        for card in c.cards:
            place = logic.placement(self.value, card.id)
            yours = t("bucket_" + place["bucket"]) if place else "–"
            differs = place is not None and place["bucket"] not in ("not_me", card.reading)
            mark = f"<br><small><i>{escape(t('key_differs'))}</i></small>" if differs else ""
            rows.append(
                "<tr>"
                f"<td>{escape(card.text)}</td>"
                f"<td>{escape(yours)}{mark}</td>"
                f"<td style='border-left:4px solid {PALETTE[card.reading]}'>"
                f"{escape(t('reading_' + card.reading))}</td>"
                f"<td>{escape(themes[card.theme].label)}</td></tr>"
            )
        head = "".join(
            f"<th style='text-align:left'>{escape(t(k))}</th>"
            for k in (
                "key_col_card",
                "key_col_yours",
                "key_col_key",
                "key_col_theme",
            )  # each card's note is the facilitator's prompt: the guide and decks keep it
        )
        cards = c.by_id["cards"]
        pair_items = []
        for report in summary.pairs:
            if report.status in ("unsorted", "not_me"):
                continue
            a, b = (cards[x].text for x in report.cards)
            ya, yb = (t("bucket_" + x) for x in report.buckets)
            flag = f"<b>{escape(t('pair_worth'))}:</b> " if report.worth_discussing else ""
            pair_items.append(
                f"<li>{flag}<i>{escape(a)}</i> ({escape(ya)}) / <i>{escape(b)}</i> "
                f"({escape(yb)})<br>{escape(report.prompt)}</li>"
            )
        pairs = f"<ul>{''.join(pair_items)}</ul>" if pair_items else ""
        return (
            "<div style='line-height:1.4'>"
            f"<h4>{escape(t('key_heading'))}</h4>"
            f"<p style='color:#333'>{escape(t('key_disclaimer'))}</p>"
            f"<h4>{escape(t('summary_heading'))}</h4>"
            f"<p class='wk-summary'>{escape(logic.summary_text(summary, c))}</p>"
            + (f"<h4>{escape(t('pairs_heading'))}</h4>{pairs}" if pairs else "")
            + "<table style='border-collapse:collapse;font-size:0.9em' cellpadding='4'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
