"""The participants' reading list: the sources the workshop's content cites most.

Shared by the personal report and the paper commitments handout, so that a participant
takes the same list home either way. Nothing here draws or prints; the list's heading and
introduction are the ``report_reading_*`` keys of the content's ``ui.yaml``.
"""

from __future__ import annotations

from collections import Counter

from kit.content import Content, Source

__all__ = ["READING_LIMIT", "READING_MIN_CITATIONS", "reading_list"]

#: A source is on the reading list when at least this many cards, roles, statements,
#: activities, reference lines and pairs cite it: the ideas a participant met more than once.
READING_MIN_CITATIONS = 3
#: At most this many sources, most cited first: a list a person will actually read.
READING_LIMIT = 10


def reading_list(
    content: Content,
    *,
    min_citations: int = READING_MIN_CITATIONS,
    limit: int = READING_LIMIT,
) -> tuple[Source, ...]:
    """Return the participants' reading list: the sources the content cites most.

    A source is listed when at least ``min_citations`` content entries (cards, roles,
    statements, context questions, activities, reference lines, look-alike pairs) cite it,
    most cited first (ties in the order of ``sources.yaml``), at most ``limit`` of them.
    Counting citations keeps the list to what a participant actually met in the workshop,
    and follows a facilitator's own content without a separate list to keep up to date.
    """
    cited: Counter[str] = Counter()
    for group in (
        content.cards,
        content.roles,
        content.statements,
        content.context,
        content.activities,
        content.reference_lines,
        content.pairs,
    ):
        for entry in group:
            cited.update(set(getattr(entry, "sources", ()) or ()))
    order = {s.id: i for i, s in enumerate(content.sources)}
    chosen = [s for s in content.sources if cited[s.id] >= min_citations]
    chosen.sort(key=lambda s: (-cited[s.id], order[s.id]))
    return tuple(chosen[:limit])
