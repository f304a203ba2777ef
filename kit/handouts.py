"""Print-ready handouts from the content, for people who cannot install anything on the day.

``workshop-kit handouts`` prints four handouts as HTML pages made for paper (A4, page breaks,
cut lines) and, with Chromium present, as PDFs:

- ``cards``: the card deck to cut out, a sorting mat, and the facilitator's key;
- ``week``: the week worksheet (the week I had and the week I want) and the profiles;
- ``questionnaire``: the statements, and a scoring sheet that works out on paper what the
  notebook computes (see :func:`paper_scores`);
- ``commitments``: the commitments page.

Everything on them comes from the content (``kit.load_content``), so a facilitator's own
content folder gives their own handouts. The words that exist only on paper are the
``handout_*`` keys of ``ui.yaml``. All text is escaped.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.content import Card, Content, load_content

__all__ = [
    "HANDOUTS",
    "Written",
    "paper_scores",
    "render_cards",
    "render_commitments",
    "render_handouts",
    "render_questionnaire",
    "render_week",
    "role_divisors",
    "write_handouts",
]

#: The handouts, in printing order: file stem -> renderer.
HANDOUTS: tuple[str, ...] = ("cards", "week", "questionnaire", "commitments")

_CARDS_PER_PAGE = 8
_OWN_CARDS = 4


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text(content: Content, key: str, **values: object) -> str:
    """A word on paper, from ``ui.yaml`` like every word the participant reads."""
    return content.text(key, **values)


# --------------------------------------------------------------------------- page frame
_CSS = """
@page { size: A4; margin: 12mm; }
@page landscape { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Source Sans Pro", "Helvetica Neue", Arial, sans-serif;
       font-size: 10pt; line-height: 1.35; color: #111; margin: 0; }
.page { break-after: page; position: relative; }
.page:last-child { break-after: auto; }
.landscape { page: landscape; }
.kit { font-size: 8pt; color: #555; margin: 0 0 2mm 0; }
h1 { font-size: 15pt; margin: 0 0 2mm 0; }
h2 { font-size: 12pt; margin: 4mm 0 2mm 0; }
p { margin: 0 0 2.5mm 0; }
.muted { color: #555; }
.small { font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.3mm solid #888; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #eef3f7; font-weight: bold; }
td.num, th.num { text-align: center; white-space: nowrap; }
td.blank { min-width: 12mm; }
tr { break-inside: avoid; }
.box { display: inline-block; width: 4mm; height: 4mm; border: 0.3mm solid #333;
       vertical-align: -0.8mm; margin: 0 1mm 0 0; background: #fff; }
.cards { display: grid; grid-template-columns: 1fr 1fr; }
.card { border: 0.3mm dashed #777; height: 62mm; padding: 5mm 6mm; display: flex;
        flex-direction: column; justify-content: space-between; break-inside: avoid; }
.card .text { font-size: 12.5pt; line-height: 1.35; }
.card .often { font-size: 8.5pt; color: #333; }
.card .often span { margin-right: 2.5mm; white-space: nowrap; }
.card .label { font-size: 7.5pt; color: #777; text-align: right; }
.card .line { border-bottom: 0.3mm solid #aaa; height: 8mm; }
.mat { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 4mm; height: 120mm; }
.mat div { border: 0.6mm solid #888; border-top-width: 3mm; padding: 3mm; font-weight: bold; }
.mat .healthy { border-color: #009E73; } .mat .watch { border-color: #D55E00; }
.mat .not_me { border-color: #999999; }
.write { border-bottom: 0.3mm solid #999; height: 9mm; }
.hint { font-style: italic; color: #555; font-size: 9pt; }
.commitment { margin: 0 0 7mm 0; break-inside: avoid; }
ol.steps li { margin-bottom: 1.2mm; }
table.week td { height: 14mm; }
table.week .counts { font-size: 7.5pt; color: #444; }
table.week td.blank { width: 17mm; }
table.compact td, table.compact th { padding: 0.8mm 1.6mm; }
.sheet { font-size: 8.5pt; }
.sheet td, .sheet th { padding: 0.7mm 1.2mm; }
.answer { display: inline-block; min-width: 28mm; border-bottom: 0.3mm solid #999; }
@media screen {
  body { background: #e9e9e9; }
  .page { background: #fff; width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 12mm;
          box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2); }
  .page.landscape { width: 297mm; min-height: 210mm; }
}
"""


def _document(content: Content, title: str, pages: Iterable[str]) -> str:
    body = "".join(pages)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _page(content: Content, inner: str, *, landscape: bool = False) -> str:
    cls = "page landscape" if landscape else "page"
    kit = _esc(_text(content, "handout_kit_title"))
    return f'<section class="{cls}"><div class="kit">{kit}</div>{inner}</section>\n'


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


# --------------------------------------------------------------------------- cards
def _frequency_boxes(content: Content) -> str:
    words = [content.text(f"frequency_{k}") for k in ("rarely", "sometimes", "often")]
    return "".join(f'<span><span class="box"></span>{_esc(w)}</span>' for w in words)


def _card(content: Content, number: int, card: Card | None) -> str:
    if card is None:
        text = (
            f'<div><div class="muted small">{_esc(_text(content, "handout_own_card"))}'
            "</div>" + '<div class="line"></div>' * 4 + "</div>"
        )
        label = ""
    else:
        text = f'<div class="text">{_esc(card.text)}</div>'
        label = _esc(_text(content, "handout_card_label", number=number))
    return (
        f'<div class="card">{text}<div><div class="often">'
        f"<b>{_esc(content.text('sort_how_often'))}</b><br>"
        f'{_frequency_boxes(content)}</div><div class="label">{label}</div></div></div>'
    )


def render_cards(content: Content) -> str:
    """Return the card deck to cut out, the sorting mat and the facilitator's key (HTML)."""
    numbered: list[tuple[int, Card | None]] = [(i, c) for i, c in enumerate(content.cards, 1)]
    numbered += [(0, None)] * _OWN_CARDS
    title = _text(content, "handout_cards_title")
    buckets = "".join(
        f'<div class="{b}">{_esc(content.text(f"bucket_{b}"))}</div>'
        for b in ("healthy", "watch", "not_me")
    )
    pages = [
        _page(
            content,
            f"<h1>{_esc(title)}</h1><p>{_esc(_text(content, 'handout_cards_intro'))}</p>"
            f"<h2>{_esc(_text(content, 'handout_mat_title'))}</h2>"
            f"<p>{_esc(_text(content, 'handout_mat_intro'))}</p>"
            f'<div class="mat">{buckets}</div>',
            landscape=True,
        )
    ]
    for start in range(0, len(numbered), _CARDS_PER_PAGE):
        chunk = numbered[start : start + _CARDS_PER_PAGE]
        cards = "".join(_card(content, n, c) for n, c in chunk)
        pages.append(_page(content, f'<div class="cards">{cards}</div>'))
    number = {c.id: i for i, c in enumerate(content.cards, 1)}
    themes = content.by_id["themes"]
    rows = "".join(
        f'<tr><td class="num">{number[c.id]}</td><td>{_esc(c.text)}</td>'
        f"<td>{_esc(content.text(f'reading_{c.reading}'))}</td>"
        f"<td>{_esc(themes[c.theme].label if c.theme in themes else c.theme)}</td>"
        f'<td class="small">{_esc(c.note)}</td></tr>'
        for c in content.cards
    )
    head = "".join(
        f"<th>{_esc(content.text(k))}</th>"
        for k in ("key_col_card", "key_col_key", "key_col_theme", "key_col_note")
    )
    cards_by_id = content.by_id["cards"]
    pairs = "".join(
        "<li>"
        + " / ".join(
            f"{_esc(_text(content, 'handout_card_label', number=number[cid]))}"
            f": {_esc(cards_by_id[cid].text)}"
            for cid in p.cards
        )
        + f"<br><i>{_esc(p.prompt)}</i></li>"
        for p in content.pairs
        if all(cid in number for cid in p.cards)
    )
    key = (
        f"<h1>{_esc(content.text('key_heading'))}</h1>"
        f"<p>{_esc(_text(content, 'handout_key_intro'))}</p>"
        f"<p class='muted'>{_esc(content.text('key_disclaimer'))}</p>"
        f'<table><thead><tr><th class="num">{_esc(_text(content, "handout_col_number"))}'
        f"</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
    if pairs:
        key += f"<h2>{_esc(content.text('pairs_heading'))}</h2><ol>{pairs}</ol>"
    pages.append(_page(content, key, landscape=True))
    return _document(content, title, pages)


# --------------------------------------------------------------------------- week
def render_week(content: Content) -> str:
    """Return the week worksheet (the week I had, the week I want) and the profiles (HTML)."""
    t = _text
    title = t(content, "handout_week_title")
    had = content.text("week_current")
    want = content.text("week_ideal")
    hours, share = t(content, "handout_col_hours"), t(content, "handout_col_share")
    rows = "".join(
        f"<tr><td><b>{_esc(a.label)}</b><div class='counts'>{_esc(a.counts)}</div></td>"
        + '<td class="blank"></td>' * 4
        + "</tr>"
        for a in content.activities
    )
    total = (
        f"<tr><th>{_esc(t(content, 'handout_total'))}</th>"
        "<td class='blank'></td><td class='num'>100</td>"
        "<td class='blank'></td><td class='num'>100</td></tr>"
    )
    table = (
        f"<table class='week'><thead><tr><th rowspan='2'>"
        f"{_esc(t(content, 'handout_col_activity'))}</th>"
        f"<th colspan='2' class='num'>{_esc(had)}</th>"
        f"<th colspan='2' class='num'>{_esc(want)}</th></tr><tr>"
        + f"<th class='num'>{_esc(hours)}</th><th class='num'>{_esc(share)}</th>" * 2
        + f"</tr></thead><tbody>{rows}{total}</tbody></table>"
    )
    first = _page(
        content,
        f"<h1>{_esc(title)}</h1><p>{_esc(t(content, 'handout_week_intro'))}</p>"
        f"<p><b>{_esc(content.text('week_total_label'))}:</b> "
        f'<span class="answer"></span></p>{table}',
    )
    roles = content.roles
    head = "".join(f"<th class='num'>{_esc(r.label)}</th>" for r in roles)
    body = "".join(
        f"<tr><td>{_esc(a.label)}</td>"
        + "".join(
            f"<td class='num'>{100 * r.week.hours.get(a.id, 0) / r.week.total:.0f}</td>"
            for r in roles
        )
        + "</tr>"
        for a in content.activities
    )
    common = (
        f"<tr><th>{_esc(t(content, 'handout_in_common'))}</th>"
        + "<td class='blank'></td>" * len(roles)
        + "</tr>"
    )
    second = _page(
        content,
        f"<h1>{_esc(content.text('week_profiles_heading'))}</h1>"
        f"<p>{_esc(t(content, 'handout_profiles_intro'))}</p>"
        f"<p class='muted small'>{_esc(content.text('week_illustrative'))}</p>"
        f"<table class='compact'><thead><tr><th>"
        f"{_esc(t(content, 'handout_col_activity'))} (%)</th>{head}</tr></thead>"
        f"<tbody>{body}{common}</tbody></table>",
        landscape=True,
    )
    tagged = []
    for tag, key in (("hands_on", "week_hands_on"), ("meeting", "week_meetings")):
        names = ", ".join(a.label for a in content.activities if tag in a.tags)
        if names:
            tagged.append(
                f"<tr><td><b>{_esc(content.text(key))}</b><br><span class='small'>"
                f"{_esc(t(content, 'handout_tagged', activities=names))}</span></td>"
                f"<td class='blank'></td><td class='blank'></td></tr>"
            )
    third = ""
    if tagged:
        third += (
            f"<h2>{_esc(content.text('week_feedback_heading'))}</h2>"
            f"<table><thead><tr><th></th><th class='num'>{_esc(had)} %</th>"
            f"<th class='num'>{_esc(want)} %</th></tr></thead>"
            f"<tbody>{''.join(tagged)}</tbody></table>"
        )
    sources = content.by_id["sources"]
    facts = "".join(
        f"<li>{_esc(line.text)} <span class='muted small'>("
        + _esc("; ".join(sources[s].citation() for s in line.sources if s in sources))
        + ")</span></li>"
        for line in content.reference_lines
    )
    if facts:
        third += (
            f"<h2>{_esc(content.text('week_references_heading'))}</h2>"
            f"<ul class='small'>{facts}</ul>"
        )
    third += f"<h2>{_esc(t(content, 'handout_gap_prompt'))}</h2>" + '<div class="write"></div>' * 4
    return _document(content, title, [first, second, _page(content, third)])


# --------------------------------------------------------------------------- questionnaire
def role_divisors(content: Content) -> dict[str, float]:
    """Return each scored role's D: the spread of its weights over all statements.

    ``D = sqrt(sum((w - mean w) ** 2))``. With every statement answered, a role's score
    in :mod:`kit.archetypes` is ``50 + 50 * S / (D * Q)``, where ``S = sum(d * w)`` and
    ``Q = sqrt(sum(d ** 2))`` with ``d`` the answer minus the participant's mean answer.
    """
    out = {}
    n = len(content.statements)
    for role in content.scored_roles:
        weights = [s.weights.get(role.id, 0) for s in content.statements]
        mean = sum(weights) / n if n else 0.0
        out[role.id] = math.sqrt(sum((w - mean) ** 2 for w in weights))
    return out


def paper_scores(answers: Mapping[str, int], content: Content) -> dict[str, float]:
    """Work out the scoring sheet as a participant would on paper: role id -> 0-100 score.

    Uses the printed divisors of :func:`role_divisors`, so it equals the notebook's score
    when every statement is answered (the tests check this against :mod:`kit.archetypes`).
    """
    used = [s for s in content.statements if s.id in answers]
    if not used:
        return {r.id: 50.0 for r in content.scored_roles}
    mean = sum(answers[s.id] for s in used) / len(used)
    d = {s.id: answers[s.id] - mean for s in used}
    q = math.sqrt(sum(v * v for v in d.values()))
    divisors = role_divisors(content)
    out = {}
    for role in content.scored_roles:
        s_sum = sum(d[s.id] * s.weights.get(role.id, 0) for s in used)
        div = divisors[role.id]
        out[role.id] = 50.0 if q == 0 or div == 0 else 50 + 50 * s_sum / (div * q)
    return out


def _signed(weight: int) -> str:
    return f"{weight:+d}" if weight else "0"


def render_questionnaire(content: Content) -> str:
    """Return the questionnaire and its scoring sheet (HTML)."""
    t = _text
    title = t(content, "handout_questionnaire_title")
    scale = content.scale
    legend = " · ".join(f"{k} = {v}" for k, v in scale.items())
    pass_word = t(content, "handout_pass")
    cols = (
        "".join(f"<th class='num'>{k}</th>" for k in scale)
        + f"<th class='num'>{_esc(pass_word)}</th>"
    )
    boxes = '<td class="num"><span class="box"></span></td>' * (len(scale) + 1)

    def rows(items: Sequence, start: int) -> str:
        return "".join(
            f"<tr><td class='num'>{i}</td><td>{_esc(item.text)}</td>{boxes}</tr>"
            for i, item in enumerate(items, start)
        )

    head = (
        f"<thead><tr><th class='num'>{_esc(t(content, 'handout_col_number'))}</th>"
        f"<th></th>{cols}</tr></thead>"
    )
    context = ""
    if content.context:
        context = (
            f"<h2>{_esc(content.text('archetypes_context_heading'))}</h2>"
            f"<table>{head}<tbody>"
            f"{rows(content.context, len(content.statements) + 1)}</tbody></table>"
        )
    first = _page(
        content,
        f"<h1>{_esc(title)}</h1><p>{_esc(t(content, 'handout_questionnaire_intro'))}</p>"
        f"<p class='muted small'>{_esc(content.text('archetypes_disclaimer'))}</p>"
        f"<p class='small'><b>{_esc(legend)}</b></p>"
        f"<table>{head}<tbody>{rows(content.statements, 1)}</tbody></table>{context}",
    )
    roles = content.scored_roles
    divisors = role_divisors(content)
    role_head = "".join(f"<th colspan='2' class='num'>{_esc(r.label)}</th>" for r in roles)
    sub_head = "".join(
        f"<th class='num'>{_esc(t(content, 'handout_col_weight'))}</th>"
        f"<th class='num'>{_esc(t(content, 'handout_col_dw'))}</th>"
        for _ in roles
    )
    body = "".join(
        f"<tr><td class='num'>{i}</td>"
        + "<td class='blank'></td>" * 3
        + "".join(
            f"<td class='num'>{_signed(s.weights.get(r.id, 0))}</td><td class='blank'></td>"
            for r in roles
        )
        + "</tr>"
        for i, s in enumerate(content.statements, 1)
    )

    def footer(label: str, cells: Callable[[str], str]) -> str:
        return (
            f"<tr><th colspan='4'>{_esc(t(content, label))}</th>"
            + "".join(f"<td colspan='2' class='num'>{cells(r.id)}</td>" for r in roles)
            + "</tr>"
        )

    sheet = (
        f"<table class='sheet'><thead><tr><th rowspan='2' class='num'>"
        f"{_esc(t(content, 'handout_col_number'))}</th>"
        f"<th rowspan='2' class='num'>{_esc(t(content, 'handout_col_answer'))}</th>"
        f"<th rowspan='2' class='num'>{_esc(t(content, 'handout_col_d'))}</th>"
        f"<th rowspan='2' class='num'>{_esc(t(content, 'handout_col_d2'))}</th>"
        f"{role_head}</tr><tr>{sub_head}</tr></thead><tbody>{body}"
        + footer("handout_sum_s", lambda _r: "")
        + footer("handout_divisor", lambda r: f"{divisors[r]:.2f}")
        + footer("handout_ratio", lambda _r: "")
        + footer("handout_score", lambda _r: "")
        + "</tbody></table>"
    )
    steps = "".join(
        f"<li>{_esc(s)}</li>" for s in t(content, "handout_scoring_steps").split("|") if s.strip()
    )
    second = _page(
        content,
        f"<h1>{_esc(t(content, 'handout_scoring_title'))}</h1><ol class='steps small'>{steps}"
        f"</ol><p><b>{_esc(t(content, 'handout_mean'))}</b> <span class='answer'></span> "
        f"&nbsp; <b>{_esc(t(content, 'handout_q'))}</b> <span class='answer'></span></p>"
        f"{sheet}<p class='muted small'>{_esc(t(content, 'handout_scoring_note'))}</p>",
        landscape=True,
    )
    return _document(content, title, [first, second])


# --------------------------------------------------------------------------- commitments
def render_commitments(content: Content) -> str:
    """Return the commitments page (HTML)."""
    title = content.text("commit_title")
    blocks = "".join(
        f'<div class="commitment"><h2>{i}. {_esc(content.text(key))}</h2>'
        f'<div class="hint">{_esc(content.text(key + "_hint"))}</div>'
        + '<div class="write"></div>' * 3
        + "</div>"
        for i, key in enumerate(("commit_keep", "commit_stop", "commit_calendar"), 1)
    )
    lines = "".join(
        f'<div class="commitment"><b>{_esc(_text(content, key))}</b><div class="write"></div></div>'
        for key in ("handout_tell", "handout_checkin", "handout_first_position")
    )
    page = _page(
        content,
        f"<h1>{_esc(title)}</h1>"
        f"<p>{_esc(_text(content, 'handout_commitments_intro'))}</p>{blocks}{lines}",
    )
    return _document(content, title, [page])


# --------------------------------------------------------------------------- writing
_RENDERERS: Mapping[str, Callable[[Content], str]] = {
    "cards": render_cards,
    "week": render_week,
    "questionnaire": render_questionnaire,
    "commitments": render_commitments,
}


def render_handouts(content: Content | None = None) -> dict[str, str]:
    """Return every handout as HTML: ``{"cards": ..., "week": ..., ...}``."""
    content = content if content is not None else load_content()
    return {name: _RENDERERS[name](content) for name in HANDOUTS}


@dataclass(frozen=True)
class Written:
    """What :func:`write_handouts` wrote, and a sentence when the PDFs could not be made."""

    files: tuple[Path, ...]
    notice: str | None = None


def write_handouts(
    out: str | os.PathLike[str] = "handouts",
    *,
    content: Content | str | os.PathLike[str] | None = None,
    pdf: bool = True,
) -> Written:
    """Write the handouts as HTML and, when Chromium is found, as PDF.

    Parameters
    ----------
    out
        The folder to write to (created if needed).
    content
        Loaded content, a facilitator's content folder, or ``None`` for the kit's own
        (or ``$WORKSHOP_KIT_CONTENT``).
    pdf
        Also print PDFs. Without Chromium the HTML is still written and
        :attr:`Written.notice` says how to print it.

    Raises
    ------
    kit.content.ContentError
        When the content folder has problems.
    kit.slides.SlidesError
        When Chromium is there but fails to print.
    """
    from kit.slides import find_chromium, print_pdf

    if not isinstance(content, Content):
        content = load_content(content)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    pages = render_handouts(content)
    for name, page in pages.items():
        target = folder / f"{name}.html"
        target.write_text(page, encoding="utf-8")
        files.append(target)
    notice = None
    if pdf:
        chromium = find_chromium()
        if chromium is None:
            notice = (
                "No PDF was made: Chromium was not found (Debian/Ubuntu: 'apt-get "
                "install chromium', or set WORKSHOP_KIT_CHROMIUM). The HTML pages are "
                "print-ready: open one in a browser and print it."
            )
        else:
            for name in pages:
                files.append(
                    print_pdf(folder / f"{name}.html", folder / f"{name}.pdf", chromium=chromium)
                )
    return Written(tuple(files), notice)
