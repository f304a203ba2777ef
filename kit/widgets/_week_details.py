"""The week exercise's reference details as static HTML: what each activity counts, the
reference lines with their sources, and the illustrative role profiles.

Escaped here (content text goes into HTML); the widget only shows the result.
"""

from __future__ import annotations

from kit import allocation as logic
from kit.content import Content, Role
from kit.widgets._base import escape

__all__ = ["week_details_html"]

_MUTED = "color:#555;font-size:0.9em"


def week_details_html(content: Content) -> str:
    """Return the three folded details under the week's sliders."""
    return _counts_html(content) + _references_html(content) + _profiles_html(content)


def _citations(keys: tuple[str, ...], content: Content) -> str:
    out = []
    for source in logic.cited_sources(keys, content):
        cited = escape(source.citation())
        if source.url:
            cited = (
                f"<a href='{escape(source.url)}' target='_blank' "
                f"rel='noopener noreferrer'>{cited}</a>"
            )
        out.append(cited)
    return "; ".join(out)


def _counts_html(content: Content) -> str:
    t = content.text
    items = "".join(
        f"<dt><b>{escape(a.label)}</b></dt><dd style='margin:0 0 4px 16px'>{escape(a.counts)}</dd>"
        for a in content.activities
    )
    return (
        f"<details class='wk-counts'><summary>{escape(t('week_counts_heading'))}"
        f"</summary><dl style='font-size:0.9em'>{items}</dl></details>"
    )


def _references_html(content: Content) -> str:
    t = content.text
    items = "".join(
        f"<li>{escape(line.text)} <span style='{_MUTED}'>"
        f"({escape(t('week_sources'))}: {_citations(line.sources, content)})</span></li>"
        for line in content.reference_lines
    )
    return (
        f"<details class='wk-reference-lines' open><summary>"
        f"{escape(t('week_references_heading'))}</summary>"
        f"<ul style='font-size:0.9em'>{items}</ul></details>"
    )


def _profiles_html(content: Content) -> str:
    t = content.text
    rows = "".join(_profile_row(role, content) for role in content.roles)
    head = "".join(
        f"<th style='text-align:left'>{escape(t(k))}</th>"
        for k in ("week_col_profile", "week_col_hands_on", "week_col_meetings", "week_sources")
    )
    return (
        f"<details class='wk-profiles'><summary>{escape(t('week_profiles_heading'))}"
        f"</summary><p style='{_MUTED}'>{escape(t('week_illustrative'))}</p>"
        "<table style='border-collapse:collapse;font-size:0.9em' cellpadding='4'>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def _profile_row(role: Role, content: Content) -> str:
    c = content
    hands_on = logic.hands_on_share(role.week.hours, c)
    meetings = logic.meeting_share(role.week.hours, c)
    return (
        f"<tr><td><b>{escape(role.label)}</b><br>"
        f"<span style='{_MUTED}'>{escape(role.summary)}</span></td>"
        f"<td>{round(hands_on * 100)}%</td><td>{round(meetings * 100)}%</td>"
        f"<td style='{_MUTED}'>{_citations(role.week.sources, content)}</td></tr>"
    )
