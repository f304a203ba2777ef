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
``handout_*`` keys of ``ui.yaml``. The pages are Jinja2 templates
(``kit/templates/render/handouts``) with autoescape on, so all text is escaped; this module
only works out what goes on them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.content import Card, Content, load_content
from kit.render.pdf import ENV_CHROMIUM, find_chromium, print_pdf
from kit.render.templating import render

__all__ = [
    "CARDS_PER_PAGE",
    "HANDOUTS",
    "OWN_CARDS",
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

#: The handouts, in printing order (file stems).
HANDOUTS: tuple[str, ...] = ("cards", "week", "questionnaire", "commitments")
#: Cards on one printed sheet (two columns of four).
CARDS_PER_PAGE = 8
#: Blank cards for a participant's own reasons, after the content's cards.
OWN_CARDS = 4


def _page(name: str, content: Content, title: str, **values: Any) -> str:
    return render(f"render/handouts/{name}.html.j2", t=content.text, title=title, **values)


# --------------------------------------------------------------------------- cards
def render_cards(content: Content) -> str:
    """Return the card deck to cut out, the sorting mat and the facilitator's key (HTML)."""
    numbered: list[tuple[int, Card | None]] = [(i, c) for i, c in enumerate(content.cards, 1)]
    numbered += [(0, None)] * OWN_CARDS
    sheets = [
        numbered[start : start + CARDS_PER_PAGE]
        for start in range(0, len(numbered), CARDS_PER_PAGE)
    ]
    number = {c.id: i for i, c in enumerate(content.cards, 1)}
    themes = content.by_id["themes"]
    key = [
        {
            "number": number[c.id],
            "card": c,
            "reading": content.text(f"reading_{c.reading}"),
            "theme": themes[c.theme].label if c.theme in themes else c.theme,
        }
        for c in content.cards
    ]
    cards_by_id = content.by_id["cards"]
    pairs = [
        {
            "cards": [
                (content.text("handout_card_label", number=number[cid]), cards_by_id[cid].text)
                for cid in p.cards
            ],
            "prompt": p.prompt,
        }
        for p in content.pairs
        if all(cid in number for cid in p.cards)
    ]
    title = content.text("handout_cards_title")
    return _page("cards", content, title, sheets=sheets, key=key, pairs=pairs)


# --------------------------------------------------------------------------- week
def render_week(content: Content) -> str:
    """Return the week worksheet (the week I had, the week I want) and the profiles (HTML)."""
    roles = content.roles
    profiles = [
        (a, [100 * r.week.hours.get(a.id, 0) / r.week.total for r in roles])
        for a in content.activities
    ]
    tagged = []
    for tag, key in (("hands_on", "week_hands_on"), ("meeting", "week_meetings")):
        names = ", ".join(a.label for a in content.activities if tag in a.tags)
        if names:
            tagged.append((key, names))
    sources = content.by_id["sources"]
    facts = [
        (line.text, "; ".join(sources[s].citation() for s in line.sources if s in sources))
        for line in content.reference_lines
    ]
    return _page(
        "week",
        content,
        content.text("handout_week_title"),
        activities=content.activities,
        roles=roles,
        profiles=profiles,
        tagged=tagged,
        facts=facts,
    )


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
    roles = content.scored_roles
    divisors = role_divisors(content)
    steps = [s for s in content.text("handout_scoring_steps").split("|") if s.strip()]
    return _page(
        "questionnaire",
        content,
        content.text("handout_questionnaire_title"),
        scale=content.scale,
        legend=" · ".join(f"{k} = {v}" for k, v in content.scale.items()),
        statements=content.statements,
        context=content.context,
        roles=roles,
        sheet=[[_signed(s.weights.get(r.id, 0)) for r in roles] for s in content.statements],
        divisors=[f"{divisors[r.id]:.2f}" for r in roles],
        steps=steps,
    )


# --------------------------------------------------------------------------- commitments
def render_commitments(content: Content) -> str:
    """Return the commitments page (HTML)."""
    return _page("commitments", content, content.text("commit_title"))


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
    kit.render.pdf.PdfError
        When Chromium is there but fails to print.
    """
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
                f"install chromium', or set {ENV_CHROMIUM}). The HTML pages are "
                "print-ready: open one in a browser and print it."
            )
        else:
            for name in pages:
                files.append(
                    print_pdf(folder / f"{name}.html", folder / f"{name}.pdf", chromium=chromium)
                )
    return Written(tuple(files), notice)
