"""Cross-checks of loaded content and the wording of its problems.

Used by :mod:`kit.content` once every file is read: ids that refer to other entries must
exist, role weeks must add up, and no message ever echoes a long value whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kit._content_models import ROLE_IDS

_SHOWN = 60


def cross_check(
    c: Any, where_of: Callable[[str], str], problem: Callable[[str, str], None]
) -> None:
    """Check the references between entries of loaded content ``c``.

    ``where_of(filename)`` shows a file as the facilitator knows it; ``problem(where,
    message)`` records one problem.
    """
    source_ids = {s.id for s in c.sources}
    theme_ids = {t.id for t in c.themes}
    card_ids = {k.id for k in c.cards}
    activity_ids = [a.id for a in c.activities]
    role_ids = {r.id for r in c.roles}
    scored = [r.id for r in c.roles if r.scored]

    def check_sources(filename: str, noun: str, item: Any, keys: Iterable[str]) -> None:
        for key in keys:
            if key not in source_ids:
                problem(
                    f"{where_of(filename)}, {noun} '{item.id}'",
                    f"field 'sources': '{key}' is not an id in sources.yaml.",
                )

    for card in c.cards:
        if card.theme not in theme_ids:
            problem(
                f"{where_of('cards.yaml')}, card '{card.id}'",
                f"field 'theme': '{card.theme}' is not a theme id; expected one "
                f"of {', '.join(sorted(theme_ids))}.",
            )
        check_sources("cards.yaml", "card", card, card.sources)
    for pair in c.pairs:
        for cid in pair.cards:
            if cid not in card_ids:
                problem(
                    f"{where_of('cards.yaml')}, pair '{pair.id}'",
                    f"field 'cards': '{cid}' is not a card id.",
                )
        if pair.cards[0] == pair.cards[1]:
            problem(
                f"{where_of('cards.yaml')}, pair '{pair.id}'",
                "field 'cards': expected two different cards.",
            )
    for line in c.reference_lines:
        if line.activity is not None and line.activity not in activity_ids:
            problem(
                f"{where_of('activities.yaml')}, reference line '{line.id}'",
                f"field 'activity': '{line.activity}' is not an activity id.",
            )
        check_sources("activities.yaml", "reference line", line, line.sources)
    for role in c.roles:
        where = f"{where_of('roles.yaml')}, role '{role.id}'"
        if role.id not in ROLE_IDS:
            problem(
                where,
                f"field 'id': unknown role; the roles are "
                f"{', '.join(ROLE_IDS)} (rename with the 'label' field).",
            )
        check_sources("roles.yaml", "role", role, role.sources)
        check_sources("roles.yaml", "role", role, role.week.sources)
        hours = role.week.hours
        for aid in activity_ids:
            if aid not in hours:
                problem(
                    where,
                    f"field 'week.hours': no hours for activity '{aid}' "
                    "(write 0 if the role spends none).",
                )
        for aid, h in hours.items():
            if aid not in activity_ids:
                problem(where, f"field 'week.hours.{aid}': not an activity id in activities.yaml.")
            if h < 0 or not math.isfinite(h):
                problem(where, f"field 'week.hours.{aid}': expected 0 or more hours, got {h}.")
        total = sum(hours.values())
        if not math.isclose(total, role.week.total, abs_tol=1e-6):
            problem(
                where,
                f"field 'week.hours': the hours add up to {total:g}, but "
                f"'week.total' says {role.week.total:g}; make them agree.",
            )
    for rid in ROLE_IDS:
        if c.roles and rid not in role_ids:
            problem(
                where_of("roles.yaml"),
                f"role '{rid}' is missing; every role id is needed: {', '.join(ROLE_IDS)}.",
            )
    if not c.activities:
        problem(where_of("activities.yaml"), "'activities' has no entries.")
    for st in c.statements:
        where = f"{where_of('statements.yaml')}, statement '{st.id}'"
        for rid in scored:
            if rid not in st.weights:
                problem(
                    where,
                    f"field 'weights': no weight for role '{rid}' "
                    "(write 0 if the statement says nothing about it).",
                )
        for rid, w in st.weights.items():
            if rid not in scored:
                problem(
                    where,
                    f"field 'weights.{rid}': not a scored role id; expected {', '.join(scored)}.",
                )
            if not -2 <= w <= 2:
                problem(
                    where,
                    f"field 'weights.{rid}': expected a whole number from -2 to 2, got {w}.",
                )
        check_sources("statements.yaml", "statement", st, st.sources)
    for q in c.context:
        for rid in q.flags:
            if rid not in role_ids:
                problem(
                    f"{where_of('statements.yaml')}, context question '{q.id}'",
                    f"field 'flags': '{rid}' is not a role id.",
                )
        check_sources("statements.yaml", "context question", q, q.sources)
    ids_in_both = {s.id for s in c.statements} & {q.id for q in c.context}
    for ident in sorted(ids_in_both):
        problem(
            where_of("statements.yaml"),
            f"id '{ident}' is used by a statement and a context question; ids must be unique.",
        )
    for card in c.cards:
        if card.id.startswith("own_"):
            problem(
                f"{where_of('cards.yaml')}, card '{card.id}'",
                "field 'id': ids starting with 'own_' are kept for participants' own cards.",
            )


def describe(err: Mapping[str, Any], model: Any) -> str:
    """Turn one pydantic error into 'field X: what is wrong; what is expected'."""
    loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
    kind = err["type"]
    top = str(err["loc"][0]) if err["loc"] else ""
    info = model.model_fields.get(top)
    hint = f" ({info.description})" if info is not None and info.description else ""
    if kind == "missing":
        return f"field '{loc}': missing; this field is required{hint}."
    if kind == "extra_forbidden":
        known = ", ".join(model.model_fields)
        return f"field '{loc}': not a field the kit knows; expected only {known}."
    got = err.get("input")
    seen = shown(got) if not isinstance(got, (dict, list)) else type(got).__name__
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"field '{loc}': {message}{hint}; got {seen}."


def shown(value: Any) -> str:
    """``repr(value)``, cut to a short prefix: an error message never echoes a whole file."""
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return f"{text[:_SHOWN]}...{size}"
