"""Print-ready handouts from the content, for people who cannot install anything on the day.

``workshop-kit handouts`` prints four handouts as HTML pages made for paper (A4, page breaks,
cut lines) and, with Chromium present, as PDFs:

- ``cards``: the card deck to cut out (shuffled, so the printed order gives nothing away), a
  sorting mat, and the facilitator's key;
- ``week``: the week worksheet (the week I had and the week I want) and the profiles;
- ``questionnaire``: the statements, and a five-minute scoring sheet: a tally on a table of
  which statements point to which shape (:mod:`kit.render.paper_score`), with how often it
  agrees with the notebook's score printed under it;
- ``commitments``: the commitments page, and the participants' reading list to take home
  (:func:`kit.render.reading.reading_list`).

Everything on them comes from the content (``kit.load_content``), so a facilitator's own
content folder gives their own handouts. The words that exist only on paper are the
``handout_*`` keys of ``ui.yaml``. The pages are Jinja2 templates
(``kit/templates/render/handouts``) with autoescape on, so all text is escaped; this module
only works out what goes on them.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.content import Card, Content, load_content
from kit.render.paper_score import paper_agreement, paper_factors, paper_marks
from kit.render.pdf import ENV_CHROMIUM, find_chromium, print_pdf
from kit.render.reading import reading_list
from kit.render.templating import render

__all__ = [
    "CARDS_PER_PAGE",
    "DECK_SEED",
    "HANDOUTS",
    "MAX_RUN",
    "OWN_CARDS",
    "Written",
    "printed_order",
    "render_cards",
    "render_commitments",
    "render_handouts",
    "render_questionnaire",
    "render_week",
    "write_handouts",
]

#: The handouts, in printing order (file stems).
HANDOUTS: tuple[str, ...] = ("cards", "week", "questionnaire", "commitments")
#: Cards on one printed sheet (two columns of four).
CARDS_PER_PAGE = 8
#: Blank cards for a participant's own reasons, after the content's cards.
OWN_CARDS = 4
#: The seed of the printed deck's order: the same content always prints the same deck.
DECK_SEED = 17
#: At most this many cards of one reading (healthy, watch) follow each other in print.
MAX_RUN = 3


def _page(name: str, content: Content, title: str, **values: Any) -> str:
    return render(f"render/handouts/{name}.html.j2", t=content.text, title=title, **values)


# --------------------------------------------------------------------------- cards
def _longest_run(cards: tuple[Card, ...]) -> int:
    longest = run = 0
    for i, card in enumerate(cards):
        run = run + 1 if i and card.reading == cards[i - 1].reading else 1
        longest = max(longest, run)
    return longest


def printed_order(content: Content, seed: int = DECK_SEED) -> tuple[Card, ...]:
    """Return the cards in the order they are printed: shuffled, with a fixed seed.

    The content lists the cards by reading and theme (the key's order), so a deck printed
    in that order would give the key away. The shuffle is seeded, so the same content
    prints the same deck every time and the facilitator's key matches every copy; a
    shuffle that happens to put more than :data:`MAX_RUN` cards of one reading in a row is
    drawn again with the next seed.
    """
    cards = list(content.cards)
    best: tuple[Card, ...] = tuple(cards)
    for attempt in range(200):
        random.Random(seed + attempt).shuffle(cards)
        drawn = tuple(cards)
        if _longest_run(drawn) <= MAX_RUN:
            return drawn
        if _longest_run(drawn) < _longest_run(best):
            best = drawn
    return best


def render_cards(content: Content) -> str:
    """Return the card deck to cut out, the sorting mat and the facilitator's key (HTML).

    Cards are numbered in the printed (shuffled) order; the key lists them by that number.
    """
    deck = printed_order(content)
    numbered: list[tuple[int, Card | None]] = [(i, c) for i, c in enumerate(deck, 1)]
    numbered += [(0, None)] * OWN_CARDS
    sheets = [
        numbered[start : start + CARDS_PER_PAGE]
        for start in range(0, len(numbered), CARDS_PER_PAGE)
    ]
    number = {c.id: i for i, c in enumerate(deck, 1)}
    themes = content.by_id["themes"]
    key = [
        {
            "number": number[c.id],
            "card": c,
            "reading": content.text(f"reading_{c.reading}"),
            "theme": themes[c.theme].label if c.theme in themes else c.theme,
        }
        for c in deck
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
def render_questionnaire(content: Content) -> str:
    """Return the questionnaire and its five-minute scoring sheet (HTML)."""
    roles = content.scored_roles
    marks = paper_marks(content)
    factors = paper_factors(content)
    agreement = paper_agreement(content)
    # The steps are one text, split at '|', so a facilitator rewords them in one place.
    steps = content.text("handout_tally_steps", close=agreement.close_points).split("|")
    return _page(
        "questionnaire",
        content,
        content.text("handout_questionnaire_title"),
        scale=content.scale,
        legend=" \u00b7 ".join(f"{k} = {v}" for k, v in content.scale.items()),
        statements=content.statements,
        context=content.context,
        roles=roles,
        sheet=[[marks[s.id].get(r.id, "") for r in roles] for s in content.statements],
        factors=[f"{factors[r.id]:g}" for r in roles],
        steps=[step.strip() for step in steps if step.strip()],
        note=content.text(
            "handout_tally_note",
            people=agreement.people,
            top=round(100 * agreement.top),
            top_two=round(100 * agreement.top_two),
        ),
    )


# --------------------------------------------------------------------------- commitments
def render_commitments(content: Content) -> str:
    """Return the commitments page and the reading list to take home (HTML)."""
    return _page(
        "commitments", content, content.text("commit_title"), reading=reading_list(content)
    )


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
