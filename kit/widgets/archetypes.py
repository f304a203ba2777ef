"""The archetype matcher: which leadership shape fits me?

One statement per row, each with the buttons 1 to 5 and 'prefer not to say'. Below the
rows a result card shows the top two shapes and the gap between them, what each shape is,
which answers drove the result, whether the shape is likely to exist where the participant
works, and how the result sits next to the ideal week of the time exercise. A radar chart
is drawn on demand. Every control is a plain button, so Tab and Enter/Space reach and press
everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from kit import archetypes as logic
from kit._palette import PALETTE
from kit.answers import AnswerStore, DemoStore
from kit.content import Content
from kit.widgets._base import DEFAULT, ExerciseWidget, escape
from kit.widgets._chart import ChartPanel

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not with the page
    from kit.charts import ChartDisplay

__all__ = ["ArchetypeMatcher"]

_CARD_STYLE = (
    "border:1px solid #bbb;border-radius:8px;padding:12px 16px;background:#fafafa;line-height:1.45"
)


class ArchetypeMatcher(ExerciseWidget):
    """Rate statements from 1 to 5 and see which Staff archetype, or management, fits.

    Parameters
    ----------
    content
        The workshop content; default: :func:`kit.load_content`.
    store
        Where answers are restored from and saved to. Default: the participant folder of
        this run mode; ``None``: nothing is read or saved, and no ideal week is shown.

    Examples
    --------
    >>> shape = ArchetypeMatcher(store=None)                          # doctest: +SKIP
    >>> shape.value = {"guide_one_team": 5, "own_domain": 2, "large_org": 4}
    >>> shape.result().top
    """

    exercise = "archetypes"

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        self._declined: set[str] = set()  # 'prefer not to say', shown but never stored
        self._from_view = False
        self._syncing = False
        super().__init__(content=content, store=store, **kwargs)
        self.add_class("wk-archetype-matcher")
        self._build()
        self._render()

    # ------------------------------------------------------------------ contract hooks
    @traitlets.validate("value")
    def _valid_value(self, proposal: dict) -> dict:
        # Saved answers to retired statements are kept aside when restoring (base class);
        # a value set from Python must name statements that exist.
        value = logic.validate(proposal["value"])
        logic.check_known(value, self._content)
        return value

    def _on_value_changed(self, change: dict) -> None:
        if not self._from_view:
            self._declined.clear()  # a value set from Python replaces the whole view
        super()._on_value_changed(change)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        c = self._content
        t = c.text
        legend = " \u00b7 ".join(f"{n} = {label}" for n, label in c.scale.items())
        self._title = widgets.HTML(
            f"<h3 style='margin:0 0 4px 0'>{escape(t('archetypes_title'))}</h3>"
            f"<div style='color:#333'>{escape(t('archetypes_instructions'))}</div>"
            f"<div class='wk-disclaimer' style='color:#444;font-size:0.9em;margin-top:4px'>"
            f"<i>{escape(t('archetypes_disclaimer'))}</i></div>"
        )
        self._progress_bar = widgets.IntProgress(
            min=0, max=1, value=0, layout=widgets.Layout(width="220px")
        )
        self._progress = widgets.Label()
        self._progress.add_class("wk-progress")
        self._legend = widgets.HTML(
            f"<div style='font-size:0.9em;color:#333'>{escape(legend)}</div>"
        )
        self._choices: dict[str, widgets.ToggleButtons] = {}
        statement_rows = [self._row(i, s.id, s.text) for i, s in enumerate(c.statements, start=1)]
        context_rows = [
            self._row(len(c.statements) + i, q.id, q.text) for i, q in enumerate(c.context, start=1)
        ]
        context_heading = (
            widgets.HTML(f"<b>{escape(t('archetypes_context_heading'))}</b>")
            if context_rows
            else None
        )
        self._result_card = widgets.HTML()
        self._result_card.add_class("wk-result")
        self._chart = ChartPanel(
            self.chart,
            t("archetypes_chart_button"),
            t("chart_stale"),
            width="560px",
            empty=lambda: None if self.value else t("archetypes_chart_nothing"),
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
            self._legend,
            *statement_rows,
            *([context_heading] if context_heading else []),
            *context_rows,
            self._result_card,
            self._chart,
        ]

    def _row(self, number: int, sid: str, text: str) -> widgets.Box:
        c = self._content
        t = c.text
        choice = widgets.ToggleButtons(
            options=[
                *((str(n), n) for n in c.scale),
                (t("archetypes_prefer_not"), logic.PREFER_NOT),
            ],
            tooltips=[*c.scale.values(), t("archetypes_prefer_not_tip")],
            value=None,
            style={"button_width": "auto"},
        )
        choice.add_class("wk-choice")
        choice.observe(lambda change, sid=sid: self._on_choice(sid, change["new"]), names="value")
        self._choices[sid] = choice
        label = widgets.HTML(
            f"<div style='line-height:1.35'><b>{number}.</b> {escape(text)}</div>",
            layout=widgets.Layout(width="48%", min_width="280px"),
        )
        row = widgets.HBox(
            [label, choice],
            layout=widgets.Layout(
                flex_flow="row wrap",
                align_items="center",
                justify_content="space-between",
                border_top="1px solid #e2e2e2",
                padding="4px 0",
            ),
        )
        row.add_class("wk-statement")
        row.add_class(f"wk-statement-{sid}")
        return row

    # ------------------------------------------------------------------ actions
    def _on_choice(self, sid: str, choice: Any) -> None:
        if self._syncing:
            return
        new = dict(self.value)
        new.pop(sid, None)
        if choice == logic.PREFER_NOT:
            self._declined.add(sid)
        else:
            self._declined.discard(sid)
            if choice is not None:
                new[sid] = choice
        if new == self.value:
            self._render()  # e.g. 'prefer not to say' on an unanswered row: progress only
            return
        self._from_view = True
        try:
            self.value = new  # saves and redraws
        finally:
            self._from_view = False

    def result(self) -> logic.ShapeResult:
        """Return the scored result of the current answers."""
        return logic.score_answers(self.value, self._content)

    def lenses(self) -> logic.LensComparison:
        """Return the result next to the ideal week saved by the time exercise."""
        return logic.compare_lenses(self.result(), self._ideal_week(), self._content)

    def chart(self) -> ChartDisplay:
        """Return the radar chart of the current result with its text summary."""
        result = self.result()
        from kit.charts import (  # here: matplotlib loads when a chart is drawn, not with the page
            ChartDisplay,
            shape_chart,
        )

        return ChartDisplay(
            shape_chart(result, self._content), logic.result_text(result, self._content)
        )

    def _ideal_week(self) -> dict | None:
        """Read the ideal week saved by the time exercise without changing its file."""
        if self._store is None:
            return None
        value = self._store.peek("allocation").value or {}
        ideal = value.get("ideal")
        return ideal if isinstance(ideal, dict) else None

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        if not hasattr(self, "_result_card"):
            return  # the base class restores the value before the view exists
        t = self._content.text
        with self.hold_sync():
            self._syncing = True
            try:
                for sid, choice in self._choices.items():
                    shown = self.value.get(sid)
                    if shown is None and sid in self._declined:
                        shown = logic.PREFER_NOT
                    choice.value = shown
            finally:
                self._syncing = False
            answered, total = logic.progress(self.value, self._content)
            passed = sum(1 for sid in self._declined if sid not in self.value)
            self._progress_bar.max = max(total, 1)
            self._progress_bar.value = answered
            self._progress.value = (
                t("archetypes_progress_passed", answered=answered, total=total, passed=passed)
                if passed
                else t("archetypes_progress", answered=answered, total=total)
            )
            result = self.result()
            self._result_card.value = self._result_html(result)
            self._chart.mark_stale()

    def _result_html(self, result: logic.ShapeResult) -> str:
        c = self._content
        t = c.text
        parts = [
            f"<h4 style='margin:0 0 6px 0'>{escape(t('archetypes_result_heading'))}</h4>",
            f"<p class='wk-disclaimer' style='color:#444;font-size:0.9em'><i>"
            f"{escape(t('archetypes_disclaimer'))}</i></p>",
            f"<p class='wk-headline'><b>{escape(logic.headline(result, c))}</b></p>",
        ]
        if result.status != "no_answers":
            parts.append(self._bars_html(result))
        if result.top:
            parts.append(
                f"<div style='font-size:0.9em;color:#444;margin-top:6px'>"
                f"{escape(t('archetypes_why_intro'))}</div>"
            )
        for role_id in result.top:
            parts.append(self._role_html(result, role_id))
        if self._store is not None:
            lens = self.lenses()
            parts.append(
                f"<div class='wk-lens' style='margin-top:8px'><b>"
                f"{escape(t('archetypes_lens_heading'))}</b><br>"
                f"{escape(logic.lens_text(lens, c))}</div>"
            )
        return f"<div class='wk-result-card' style='{_CARD_STYLE}'>{''.join(parts)}</div>"

    def _bars_html(self, result: logic.ShapeResult) -> str:
        c = self._content
        rows = []
        for item in result.ranking:
            label = c.by_id["roles"][item.role_id].label
            lead = item.role_id in result.top
            color = PALETTE["series"][0] if lead else PALETTE["profile"]
            weight = "bold" if lead else "normal"
            rows.append(
                f"<div class='wk-score wk-score-{item.role_id}' style='display:flex;"
                f"align-items:center;gap:8px;margin:2px 0'>"
                f"<span style='flex:0 1 170px;min-width:0;font-weight:{weight}'>"
                f"{escape(label)}</span>"
                f"<span style='flex:1 1 240px;max-width:240px;min-width:60px;background:#eee;"
                "height:12px;position:relative'>"
                f"<span style='position:absolute;left:0;top:0;bottom:0;"
                f"width:{item.score:.1f}%;background:{color}'></span>"
                f"<span style='position:absolute;left:50%;top:-2px;bottom:-2px;"
                f"border-left:1px dashed {PALETTE['muted']}'></span></span>"
                f"<span>{round(item.score)}</span></div>"
            )
        explainer = (
            f"<div style='font-size:0.85em;color:#444;margin:4px 0 8px 0'>"
            f"{escape(c.text('archetypes_score_explainer'))}</div>"
        )
        return f"<div class='wk-scores'>{''.join(rows)}</div>{explainer}"

    def _role_html(self, result: logic.ShapeResult, role_id: str) -> str:
        c = self._content
        t = c.text
        role = c.by_id["roles"][role_id]
        sources = c.by_id["sources"]
        citations = " ".join(sources[s].citation() for s in role.sources if s in sources)
        why = logic.why_lines(result, role_id, c)
        why_html = (
            (
                "<ul style='margin:2px 0 4px 0;padding-left:18px'>"
                + "".join(f"<li>{escape(line)}</li>" for line in why)
                + "</ul>"
            )
            if why
            else f"<div>{escape(t('archetypes_why_none'))}</div>"
        )
        flags = [logic.availability_text(f, c) for f in result.available(role_id)]
        flags_html = "".join(
            f"<div class='wk-availability' style='border-left:4px solid {PALETTE['watch']};"
            f"padding:2px 8px;margin-top:6px'><b>{escape(t('archetypes_availability_heading'))}"
            f"</b> {escape(text)}</div>"
            for text in flags
        )
        return (
            f"<div class='wk-role wk-role-{role_id}' style='margin-top:10px'>"
            f"<h5 style='margin:0;font-size:1.05em'>{escape(role.label)} "
            f"({round(result.score(role_id))})</h5>"
            f"<div style='color:#333'><i>{escape(role.summary)}</i></div>"
            f"<p style='margin:4px 0'>{escape(role.description)}</p>"
            f"<div class='wk-why'><b>{escape(t('archetypes_why_heading'))}</b>{why_html}</div>"
            f"{flags_html}"
            f"<div class='wk-sources' style='font-size:0.85em;color:#444;margin-top:4px'>"
            f"{escape(t('archetypes_sources'))}: {escape(citations)}</div>"
            "</div>"
        )
