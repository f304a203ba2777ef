"""The last page: the three exercises together, the report, and a check-in later."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from kit import answers, synthesis
from kit.answers import AnswerStore, DemoStore, store_from_env
from kit.content import Content, load_content
from kit.widgets._base import DEFAULT, escape
from kit.widgets._chart import ChartPanel

__all__ = ["YourPath"]


class YourPath(widgets.VBox):
    """Pull the card sort, the week and the shapes into one page; save the report.

    Parameters
    ----------
    content
        The workshop content.
    store
        Where the answers are read from; default: the participant folder of this run mode.
        The page only reads answers; it writes the report and snapshots beside them.
    """

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-your-path")
        self.add_class("wk-kit")  # the kit's look (theme.css) in JupyterLab too
        self._content = content if content is not None else load_content()
        self._store = store_from_env() if store is DEFAULT else store
        t = self._content.text
        self._page = widgets.HTML()
        self._page.add_class("wk-path-page")
        self._drawn: dict[str, Any] = {}
        self._pending: asyncio.Handle | None = None
        self._panels = {
            key: ChartPanel(lambda key=key: self._drawn[key], None, "", "680px", summaries=False)
            for key in ("sort", "week", "shape")
        }
        self._charts = {key: panel.image for key, panel in self._panels.items()}
        self._refresh = widgets.Button(
            description=t("path_refresh"), layout=widgets.Layout(width="200px")
        )
        self._refresh.on_click(lambda _b: self.refresh())
        self._save = widgets.Button(
            description=t("path_save_report"),
            button_style="primary",
            layout=widgets.Layout(width="200px"),
        )
        self._save.add_class("wk-save-report")
        self._save.on_click(lambda _b: self.save_report())
        self._snapshot = widgets.Button(
            description=t("path_snapshot"), layout=widgets.Layout(width="300px")
        )
        self._snapshot.on_click(lambda _b: self.keep_snapshot())
        self._message = widgets.HTML()
        self._message.add_class("wk-path-message")
        self._snapshots = widgets.Dropdown(
            description=t("path_compare_label"), style={"description_width": "initial"}
        )
        self._compare_button = widgets.Button(
            description=t("path_compare"), layout=widgets.Layout(width="200px")
        )
        self._compare_button.on_click(lambda _b: self._compare_now())
        self._comparison = widgets.HTML()
        self._comparison.add_class("wk-path-comparison")
        writable = isinstance(self._store, AnswerStore)
        self._snapshot.disabled = not writable
        self._blocks: dict[str, widgets.HTML] = {}
        body = []
        for key in ("sort", "week", "shape", "commitments"):
            block = widgets.HTML()
            self._blocks[key] = block
            body.append(block)
            if key in self._panels:
                body.append(self._panels[key])
        self.children = [
            widgets.HTML(f"<h3 style='margin:0'>{escape(t('path_title'))}</h3>"),
            self._page,
            *body,
            widgets.HBox([self._refresh, self._save, self._snapshot]),
            self._message,
            widgets.HBox([self._snapshots, self._compare_button]),
            self._comparison,
        ]
        self.refresh()

    # ------------------------------------------------------------------ data
    def journey(self) -> synthesis.Journey:
        """Return the answers as they are saved now."""
        if self._store is None:
            return synthesis.Journey()
        return synthesis.gather(self._store, self._content)

    def refresh(self) -> None:
        """Read the answers again and redraw the page (after changing an exercise)."""
        journey = self.journey()
        t = self._content.text
        with self.hold_sync():
            notes = "".join(f"<p style='color:#555'>{escape(n)}</p>" for n in journey.notices)
            intro = f"<p><i>{escape(t('path_nothing_yet'))}</i></p>" if journey.empty else ""
            self._page.value = notes + intro
            for section in synthesis.summarize(journey, self._content):
                style = "" if section.done else " style='color:#555;font-style:italic'"
                items = "".join(f"<li>{escape(i)}</li>" for i in section.items)
                lead = (
                    f"<p>{escape(t('path_often_watch'))}</p>"
                    if section.key == "sort" and items
                    else ""
                )
                healthy = "".join(f"<li>{escape(i)}</li>" for i in section.healthy)
                self._blocks[section.key].value = (
                    f"<h4 style='margin-bottom:4px'>{escape(section.heading)}</h4>"
                    + (f"<p{style}>{escape(section.text)}</p>" if section.text else "")
                    + (f"{lead}<ul>{items}</ul>" if items else "")
                    + (f"<p>{escape(t('path_healthy'))}</p><ul>{healthy}</ul>" if healthy else "")
                )
            self._update_snapshots()
        self._draw_soon(journey)

    def _draw_soon(self, journey: synthesis.Journey) -> None:
        """Draw the charts now, or in a kernel just after the page has gone out.

        In a kernel (an event loop runs) the charts, a few tenths of a second of
        matplotlib, are drawn once the words and buttons above have been sent, so the page
        is readable and usable at once; a sentence holds each chart's place meanwhile.
        """
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or journey.empty:
            self._draw(journey)
            return
        waiting = f"<p class='wk-drawing'><i>{escape(self._content.text('path_drawing'))}</i></p>"
        for panel in self._panels.values():
            panel.caption.value = waiting
        self._pending = loop.call_soon(self._draw, journey)

    def _draw(self, journey: synthesis.Journey) -> None:
        self._pending = None
        if self.comm is None:
            return  # closed meanwhile: the participant has moved on
        self._drawn = _charts_for(journey, self._content) if not journey.empty else {}
        with self.hold_sync():
            for key, panel in self._panels.items():
                panel.draw() if key in self._drawn else panel.clear()

    def _home(self) -> Path | None:
        return self._store.home if isinstance(self._store, AnswerStore) else None

    # ------------------------------------------------------------------ actions
    def save_report(self) -> Path | None:
        """Save the report in the participant folder and offer it as a download."""
        t = self._content.text
        self.refresh()  # the page above says what the report says (commitments included)
        journey = self.journey()
        # here, not at the top: the report module loads matplotlib (its charts)
        from kit.render import report

        page = report.render_html(journey, self._content)
        link = (
            f"<a class='wk-download' download='my-leadership-path.html' "
            f"href='data:text/html;base64,"
            f"{base64.b64encode(page.encode('utf-8')).decode('ascii')}'>"
            f"{escape(t('path_report_download'))}</a>"
        )
        if not isinstance(self._store, AnswerStore):
            self._message.value = link
            return None
        try:  # owner-only, and never through a link planted where the report goes
            target = self._store.write_personal(answers.REPORT_FILE, page.encode("utf-8"))
        except OSError as exc:
            self._message.value = (
                escape(t("path_report_failed", reason=exc.strerror or str(exc))) + "<br>" + link
            )
            return None
        self._message.value = (
            f"<p>{escape(t('path_report_ready'))}</p><p>{link}</p>"
            f"<details class='wk-where'><summary>{escape(t('saved_where'))}</summary>"
            f"{escape(t('path_report_saved', path=str(target)))}</details>"
        )
        return target

    def keep_snapshot(self) -> Path | None:
        """Keep a dated copy of all answers, for the check-in in a month."""
        t = self._content.text
        home = self._home()
        if home is None:
            self._message.value = escape(t("path_snapshot_unavailable"))
            return None
        try:
            kept = answers.snapshot(home)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._message.value = escape(f"The snapshot could not be kept: {reason}")
            return None
        self._message.value = escape(
            t("path_snapshot_done", path=str(kept)) if kept else t("path_snapshot_nothing")
        )
        self._update_snapshots()
        return kept

    def _update_snapshots(self) -> None:
        home = self._home()
        found = answers.list_snapshots(home) if home is not None else []
        chosen = self._snapshots.value
        self._snapshots.options = [(p.name, str(p)) for p in reversed(found)]
        if found:  # keep the participant's choice, else offer the newest snapshot
            self._snapshots.value = chosen if chosen in {str(p) for p in found} else str(found[-1])
            if "wk-path-none" in self._comparison.value:
                self._comparison.value = ""
        self._compare_button.disabled = not found
        if not found:
            self._comparison.value = (
                f"<span class='wk-path-none' style='color:#555'>"
                f"{escape(self._content.text('path_compare_none'))}"
                "</span>"
            )

    def _compare_now(self) -> None:
        if not self._snapshots.value:
            return
        then = synthesis.gather(AnswerStore(self._snapshots.value), self._content)
        lines = synthesis.compare(then, self.journey(), self._content)
        self._comparison.value = "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>"


def _charts_for(journey: synthesis.Journey, content: Content) -> dict[str, Any]:
    # here, not at the top: the report module loads matplotlib, which a page with nothing
    # to chart never needs (about 0.4 s and 20 MB of the last page's kernel)
    from kit.render import report

    return report.charts_for(journey, content)
