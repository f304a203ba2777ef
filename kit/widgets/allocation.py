"""The time-allocation exercise: where does my week go, and where do I want it to go?

Two weeks, the one I had and the one I want, each split across the content's activities with
one slider per activity. Moving a slider never changes a row the participant set or locked:
the untouched rows make room, and when none are left the hours wait as "not yet placed"
(:func:`kit.allocation.place`), so each week always adds up to its total. While a slider
moves, only cheap widgets change in place (the other sliders, the total line and a few HTML
bars); the matplotlib charts are drawn on demand. Every control is a native slider, toggle,
button, text box or drop-down, so a keyboard reaches and works all of it (arrow keys move a
focused slider by half an hour).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from kit import allocation as logic
from kit._palette import PALETTE
from kit.answers import AnswerStore, DemoStore
from kit.content import Content
from kit.widgets._base import DEFAULT, ExerciseWidget, escape
from kit.widgets._chart import ChartPanel
from kit.widgets._week_details import week_details_html

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not with the page
    from kit.charts import ChartDisplay

__all__ = ["TimeAllocation"]

#: The drop-down's choice for "the profile nearest my ideal week".
NEAREST = "nearest"

_MUTED = "color:#555;font-size:0.9em"


class TimeAllocation(ExerciseWidget):
    """Split the week I had and the week I want across activities; compare with profiles.

    Parameters
    ----------
    content
        The workshop content; default: :func:`kit.load_content`.
    store
        Where answers are restored from and saved to. Default: the participant folder of
        this run mode; ``None``: nothing is read or saved.
    total
        Hours in a fresh week (in half-hour steps; default: the content's
        ``default_total_hours``). A restored week keeps its own total.

    Examples
    --------
    >>> week = TimeAllocation(store=None, total=45)                  # doctest: +SKIP
    >>> week.value["total"], sum(week.value["current"].values())
    (45, 45.0)
    >>> week.chart("tech_lead")        # the two weeks against the Tech Lead profile
    """

    exercise = "allocation"

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        total: float | None = None,
        **kwargs: Any,
    ):
        self._default_total = total
        self._quiet = False
        super().__init__(content=content, store=store, **kwargs)
        self.add_class("wk-time-allocation")
        self._build()
        self._render()

    # ------------------------------------------------------------------ contract hooks
    def _empty_value(self) -> dict:
        return logic.validate(logic.empty(self._content, self._default_total))

    @traitlets.validate("value")
    def _valid_value(self, proposal: dict) -> dict:
        # Restored answers go through _split_known first; a value set from Python must name
        # only activities of this kit, and gets every missing one at 0 hours.
        return logic.complete(self._validate_value(proposal["value"]), self._content)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        t = self._content.text
        total = self.value["total"]
        self._title = widgets.HTML(
            f"<h3 style='margin:0 0 4px 0'>{escape(t('week_title'))}</h3>"
            f"<div style='color:#333'>{escape(t('week_instructions'))}</div>"
        )
        self._total_field = widgets.BoundedFloatText(
            value=total,
            min=logic.MIN_TOTAL,
            max=logic.MAX_TOTAL,
            step=logic.STEP,
            description=t("week_total_label"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="210px"),
        )
        self._total_field.add_class("wk-total-field")
        self._total_field.observe(self._on_total_typed, names="value")
        self._total_status = widgets.HTML()
        self._total_status.add_class("wk-total")
        self._sliders: dict[str, dict[str, widgets.FloatSlider]] = {}
        self._lock_buttons: dict[str, dict[str, widgets.ToggleButton]] = {}
        self._free: dict[str, widgets.HTML] = {}
        self._reset: dict[str, widgets.Button] = {}
        pages = [self._build_week(week, total) for week in logic.WEEKS]
        self._copy_current = widgets.Button(
            description=t("week_copy_current"), layout=widgets.Layout(width="220px")
        )
        self._copy_current.add_class("wk-copy-current")
        self._copy_current.on_click(lambda _b: self._start_ideal_from_current())
        pages[1].children = (
            *pages[1].children[:-2],
            widgets.HBox([self._reset["ideal"], self._copy_current]),
            pages[1].children[-1],
        )
        self._tabs = widgets.Tab(children=pages, titles=tuple(t(f"week_{w}") for w in logic.WEEKS))
        self._tabs.add_class("wk-weeks")
        self._feedback = widgets.HTML()
        self._feedback.add_class("wk-feedback")
        roles = self._content.roles
        self._profile_choice = widgets.Dropdown(
            options=[(t("week_profile_nearest"), NEAREST)] + [(r.label, r.id) for r in roles],
            value=NEAREST,
            description=t("week_profile_choice"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="380px"),
        )
        self._profile_choice.add_class("wk-profile-choice")
        self._profile_choice.observe(self._on_profile_chosen, names="value")
        self._illustrative = widgets.HTML(
            f"<p style='{_MUTED}'>{escape(t('week_illustrative'))}</p>"
        )
        self._illustrative.add_class("wk-illustrative")
        self._charts = ChartPanel(
            lambda: (self.chart(), self.gap_chart()),
            t("week_chart_button"),
            t("week_chart_stale"),
            "760px",
            count=2,
            controls=(self._profile_choice,),
        )
        self._chart_button, self._chart_note = self._charts.button, self._charts.note
        self._week_image, self._gap_image = self._charts.images
        self._week_caption, self._gap_caption = self._charts.captions
        for widget, css in [
            (self._week_image, "wk-week-chart"),
            (self._week_caption, "wk-week-caption"),
            (self._gap_image, "wk-gap-chart"),
            (self._gap_caption, "wk-gap-caption"),
        ]:
            widget.add_class(css)
        self._references = widgets.HTML(week_details_html(self._content))
        self._references.add_class("wk-references")
        self.children = [
            self._title,
            self._notice,
            widgets.HBox([self._total_field, self._total_status]),
            self._tabs,
            self._feedback,
            self._illustrative,
            self._charts,
            self._references,
        ]

    def _build_week(self, week: str, total: float) -> widgets.VBox:
        t = self._content.text
        rows: list[widgets.Widget] = [
            widgets.HTML(
                f"<div style='{_MUTED};margin:4px 0'>{escape(t(f'week_{week}_hint'))}</div>"
            )
        ]
        self._sliders[week], self._lock_buttons[week] = {}, {}
        # One layout and style shared by all rows: half as many widget models to open.
        slider_layout, lock_layout, row_layout = (
            widgets.Layout(max_width="720px"),  # a long track on a laptop; flexes on a phone
            widgets.Layout(width="90px"),
            widgets.Layout(),
        )
        slider_style = widgets.SliderStyle(description_width="220px")
        for activity in self._content.activities:
            aid = activity.id
            slider = widgets.FloatSlider(
                value=self.value[week][aid],
                min=0,
                max=total,
                step=logic.STEP,
                description=activity.label,
                tooltip=activity.counts,
                continuous_update=True,
                readout_format=".1f",
                style=slider_style,
                layout=slider_layout,
            )
            slider.add_class("wk-slider")
            slider.add_class(f"wk-slider-{week}-{aid}")
            slider.observe(functools.partial(self._on_slider, week, aid), names="value")
            lock = widgets.ToggleButton(
                value=False,
                description=t("week_lock"),
                tooltip=t("week_lock_tooltip", activity=activity.label),
                layout=lock_layout,
            )
            lock.add_class("wk-lock")
            lock.add_class(f"wk-lock-{week}-{aid}")
            lock.observe(functools.partial(self._on_lock, week, aid), names="value")
            self._sliders[week][aid], self._lock_buttons[week][aid] = slider, lock
            row = widgets.HBox([slider, lock], layout=row_layout)
            row.add_class("wk-week-row")
            rows.append(row)
        reset = widgets.Button(description=t("week_reset"), layout=widgets.Layout(width="220px"))
        reset.add_class(f"wk-reset-{week}")
        reset.on_click(lambda _b: self._reset_week(week))
        self._reset[week] = reset
        self._free[week] = widgets.HTML()
        self._free[week].add_class(f"wk-free-{week}")
        page = widgets.VBox([*rows, widgets.HBox([reset]), self._free[week]])
        page.add_class(f"wk-week-{week}")
        return page

    # ------------------------------------------------------------------ reactions
    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Set controls from Python without their observers reacting (no feedback loop)."""
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    def _with(self, week: str, **keys: Any) -> dict:
        """A new value with some per-week keys of ``week`` replaced (hours: ``hours=``)."""
        value = dict(self.value)
        if "hours" in keys:
            value[week] = keys.pop("hours")
        for key, new in keys.items():
            value[key] = {**value[key], week: new}
        return value

    def _rows(self, chosen: set[str]) -> list[str]:
        return [a.id for a in self._content.activities if a.id in chosen]

    def _on_slider(self, week: str, aid: str, change: dict) -> None:
        if self._quiet:
            return
        value = self.value
        keep = {*value["set"][week], *value["locked"][week]}
        hours, unplaced = logic.place(
            value[week], value["unplaced"][week], aid, change["new"], keep
        )
        if hours == value[week]:
            self._render()  # nothing could move (every other row kept): snap back
            return
        self.value = self._with(  # one event; saves and redraws
            week,
            hours=hours,
            unplaced=unplaced,
            set=self._rows(keep - set(value["locked"][week]) | {aid}),
        )

    def _on_lock(self, week: str, aid: str, change: dict) -> None:
        if self._quiet:
            return
        locked = set(self.value["locked"][week])
        (locked.add if change["new"] else locked.discard)(aid)
        self._replace(self._with(week, locked=self._rows(locked)))

    def _reset_week(self, week: str) -> None:
        ids = [a.id for a in self._content.activities]
        hours = logic.even_split(ids, self.value["total"])
        self._replace(self._with(week, hours=hours, unplaced=0.0, set=[], locked=[]))

    def _start_ideal_from_current(self) -> None:
        value = self.value
        self._replace(
            self._with(
                "ideal",
                hours=dict(value["current"]),
                unplaced=value["unplaced"]["current"],
                set=[],
                locked=[],
            )
        )

    def _replace(self, value: dict) -> None:
        if value == self.value:
            self._render()  # no event, but locks or controls may need redrawing
        else:
            self.value = value

    def _on_total_typed(self, change: dict) -> None:
        if self._quiet:
            return
        new, _unlocked = logic.resize(self.value, logic.typed_total(change["new"]))
        self._replace(new)  # a week whose locked hours did not fit comes back unlocked

    def _on_profile_chosen(self, change: dict) -> None:
        if self._charts.drawn:
            self._charts.draw()

    # ------------------------------------------------------------------ comparisons, charts
    def comparison(self, profile_id: str | None = None) -> logic.WeekComparison:
        """Return the two weeks compared with each other and with one role profile.

        ``profile_id=None`` means the profile chosen in the widget's drop-down (by default
        the one nearest the ideal week).
        """
        if profile_id is None and self._profile_choice.value != NEAREST:
            profile_id = self._profile_choice.value
        return logic.compare(self.value, self._content, profile_id)

    def chart(self, profile_id: str | None = None) -> ChartDisplay:
        """Return the chart of the week I had, the week I want and a profile, with its text.

        Parameters
        ----------
        profile_id
            A role id such as ``"tech_lead"``; ``None`` means the profile chosen in the
            widget (by default the one nearest the ideal week).
        """
        comparison = self.comparison(profile_id)
        # at call time: matplotlib loads when a chart is drawn, not with the page
        from kit.charts import ChartDisplay
        from kit.charts.week import week_chart

        return ChartDisplay(
            week_chart(comparison, self._content), logic.comparison_text(comparison, self._content)
        )

    def gap_chart(self) -> ChartDisplay:
        """Return the chart of the gap between the week I had and the week I want."""
        comparison = self.comparison()
        # at call time: matplotlib loads when a chart is drawn, not with the page
        from kit.charts import ChartDisplay
        from kit.charts.week import gap_chart

        return ChartDisplay(
            gap_chart(comparison, self._content), logic.gap_text(comparison, self._content)
        )

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        if not hasattr(self, "_tabs"):
            return  # the base class restores the value before the view exists
        t = self._content.text
        value = self.value
        total = value["total"]
        with self._quietly(), self.hold_sync():
            if self._total_field.value != total:
                self._total_field.value = total
            for week in logic.WEEKS:
                self._render_week(week, value, total)
            status = t(
                "week_total_status",
                total=f"{total:g}",
                **{w: f"{sum(value[w].values()):g}" for w in logic.WEEKS},
            )
            self._total_status.value = f"<b>{escape(status)}</b>"
            self._feedback.value = self._feedback_html()
            self._charts.mark_stale()

    def _render_week(self, week: str, value: dict, total: float) -> None:
        t = self._content.text
        hours, locked = value[week], set(value["locked"][week])
        for aid, slider in self._sliders[week].items():
            h = hours[aid]
            if slider.max != total:
                with slider.hold_sync():
                    if total > slider.max:  # widen first, so the value is never clipped
                        slider.max = total
                        slider.value = h
                    else:
                        slider.value = h
                        slider.max = total
            elif slider.value != h:
                slider.value = h
            is_locked = aid in locked
            if slider.disabled != is_locked:
                lock = self._lock_buttons[week][aid]
                with lock.hold_sync():
                    lock.value = is_locked
                    lock.description = t("week_locked" if is_locked else "week_lock")
                slider.disabled = is_locked
        held = sum(hours[aid] for aid in locked)
        free = t("week_free", locked=f"{held:g}", free=f"{total - held:g}")
        lines = [f"<div style='{_MUTED}'>{escape(free)}</div>"]
        waiting = value["unplaced"][week]
        if waiting:
            note = escape(t("week_unplaced", hours=f"{waiting:g}"))
            lines.insert(0, f"<div class='wk-unplaced' role='status'>{note}</div>")
        elif locked | set(value["set"][week]) >= set(hours):
            lines.insert(0, f"<div class='wk-full'>{escape(t('week_full'))}</div>")
        self._free[week].value = "".join(lines)

    def _feedback_html(self) -> str:
        c = self._content
        t = c.text
        value = self.value
        roles = c.by_id["roles"]
        labels = {a.id: a.label for a in c.activities}

        def bar(share: float, week: str) -> str:
            pct = round(share * 100)
            return (
                "<div style='display:inline-block;width:min(120px,20vw);height:10px;"
                "background:#e8e8e8;vertical-align:middle'>"
                f"<div style='width:{pct}%;height:100%;background:{PALETTE[week]}'>"
                f"</div></div> <span>{pct}%</span>"
            )

        def row(key: str, cells: list[str], css: str) -> str:
            tds = "".join(
                f"<td class='{css}-{w}' style='padding:2px 12px 2px 0'>{cell}</td>"
                for w, cell in zip(logic.WEEKS, cells, strict=True)
            )
            return (
                f"<tr><th style='text-align:left;padding-right:12px'>{escape(t(key))}"
                f"</th>{tds}</tr>"
            )

        nearest = []
        for week in logic.WEEKS:
            role_id, d = logic.nearest_profiles(value[week], c)[0]
            nearest.append(
                escape(t("week_in_common", role=roles[role_id].label, percent=round((1 - d) * 100)))
            )
        head = "".join(
            f"<th style='text-align:left'>{escape(t(f'week_{w}'))}</th>" for w in logic.WEEKS
        )
        biggest = logic.biggest_change(value)
        if biggest is None:
            change = escape(t("week_no_change"))
        else:
            aid, hours = biggest
            change = escape(f"{logic.signed_hours(hours)} {labels[aid]}")
        return (
            f"<div style='margin:6px 0'><b>{escape(t('week_feedback_heading'))}</b>"
            "<table style='border-collapse:collapse;font-size:0.95em'>"
            f"<thead><tr><th></th>{head}</tr></thead><tbody>"
            + row(
                "week_hands_on",
                [bar(logic.hands_on_share(value[w], c), w) for w in logic.WEEKS],
                "wk-hands-on",
            )
            + row(
                "week_meetings",
                [bar(logic.meeting_share(value[w], c), w) for w in logic.WEEKS],
                "wk-meetings",
            )
            + row("week_nearest", nearest, "wk-nearest")
            + f"<tr><th style='text-align:left'>{escape(t('week_biggest_change'))}</th>"
            f"<td class='wk-biggest-change' colspan='2'>{change}</td></tr>"
            "</tbody></table></div>"
        )
