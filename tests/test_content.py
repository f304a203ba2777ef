"""Content loading: the packaged content is valid, and every kind of bad input is named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kit.content import ROLE_IDS, ContentError, load_content, packaged_content_dir


def test_packaged_content_is_complete(content):
    assert len(content.cards) >= 24
    assert {c.reading for c in content.cards} == {"healthy", "watch"}
    assert {r.id for r in content.roles} == set(ROLE_IDS)
    assert 10 <= len(content.activities) <= 13
    # More statements steady a score against retake noise, and 20 is still a few minutes
    # of answering (facilitator-guide/scoring.md, "How stable is a result?").
    assert 12 <= len(content.statements) <= 20
    assert content.ui["bucket_not_me"]
    for card in content.cards:
        assert card.id == card.id.lower() and " " not in card.id


#: Wording that asks about ability or readiness, not energy or preference. The questionnaire
#: asks what a person would enjoy; "I am ready to own reviews" measures confidence instead.
ABILITY_WORDS = (
    "i am good at",
    "i'm good at",
    "good at",
    "i am ready",
    "i'm ready",
    "ready to",
    "i can ",
    "i could",
    "i am able",
    "i'm able",
    "able to",
    "capable",
    "skilled",
    "i know how",
    "willing",
    "confident",
)
#: Phrases where "and"/"or" joins one idea, not two asks. Empty today: each entry needs a
#: reason in a comment, e.g. "pros and cons" is one thing to weigh, not two questions.
ONE_IDEA_PHRASES: tuple[str, ...] = ()


def _ability_words(text: str) -> list[str]:
    return [w for w in ABILITY_WORDS if w in text.lower()]


def _joins_two_asks(text: str) -> bool:
    text = text.lower()
    for phrase in ONE_IDEA_PHRASES:
        text = text.replace(phrase, " ")
    words = text.replace(",", " ").replace(";", " ").split()
    return bool({"and", "or", "and/or"} & set(words))


def test_questionnaire_items_ask_about_energy_not_ability(content):
    rows = [*content.statements, *content.context]
    found = {row.id: _ability_words(row.text) for row in rows}
    assert not {k: v for k, v in found.items() if v}, found


def test_questionnaire_items_ask_one_thing_each(content):
    rows = [*content.statements, *content.context]
    assert not {row.id: row.text for row in rows if _joins_two_asks(row.text)}


@pytest.mark.parametrize(
    "text",
    [
        "I'm ready to own performance reviews.",
        "I can represent a senior leader.",
        "I am good at hiring.",
    ],
)
def test_the_ability_check_catches_readiness_wording(text):
    assert _ability_words(text)


@pytest.mark.parametrize(
    ("text", "two"),
    [
        ("I like leadership meetings and turning priorities into action.", True),
        ("Hiring, team structure or process strike me as interesting.", True),
        ("I'd rather shape how teams build than build it myself.", False),
        ("Android apps make me happy.", False),  # 'and' inside a word is not a join
    ],
)
def test_the_one_ask_check_catches_two_asks(text, two):
    assert _joins_two_asks(text) == two


def test_every_card_cites_a_source_with_author_title_and_year(content):
    sources = content.by_id["sources"]
    for card in content.cards:
        for key in card.sources:
            citation = sources[key].citation()
            assert sources[key].author in citation and str(sources[key].year) in citation


def test_pairs_set_a_healthy_card_against_a_watch_card(content):
    cards = content.by_id["cards"]
    assert len(content.pairs) >= 3
    for pair in content.pairs:
        assert {cards[c].reading for c in pair.cards} == {"healthy", "watch"}


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_yaml", ".yaml")).write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return list(info.value.problems)


CARD = """\
  - id: {id}
    text: {text}
    reading: {reading}
    theme: {theme}
    note: Ask what changed.
    sources: [{source}]
"""


def _cards(*entries: dict, pairs: str = "pairs: []\n") -> str:
    defaults = {
        "text": "I fix a bug now and then.",
        "reading": "healthy",
        "theme": "ground_truth",
        "source": "larson_2020_archetypes",
    }
    body = "".join(CARD.format(**{**defaults, **e}) for e in entries)
    return "cards:\n" + body + pairs


def test_a_folder_with_one_file_replaces_only_that_file(tmp_path):
    folder = _folder(tmp_path, cards_yaml=_cards({"id": "mine_one"}, {"id": "mine_two"}))
    content = load_content(folder)
    assert [c.id for c in content.cards] == ["mine_one", "mine_two"]
    assert len(content.roles) == len(ROLE_IDS)  # still the packaged roles
    assert content.origin == str(folder.resolve())


def test_environment_variable_points_at_a_facilitators_folder(tmp_path, monkeypatch):
    folder = _folder(tmp_path, cards_yaml=_cards({"id": "from_env"}))
    monkeypatch.setenv("WORKSHOP_KIT_CONTENT", str(folder))
    assert [c.id for c in load_content().cards] == ["from_env"]


def test_ui_yaml_may_hold_only_the_words_it_changes(tmp_path):
    folder = _folder(tmp_path, ui_yaml="bucket_watch: Worth a second look\n")
    content = load_content(folder)
    assert content.text("bucket_watch") == "Worth a second look"
    assert content.text("bucket_healthy") == load_content().text("bucket_healthy")


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            [{"id": "a", "reading": "heathy"}],
            ["cards.yaml, card 'a'", "field 'reading'", "'healthy' or 'watch'", "'heathy'"],
        ),
        (
            [{"id": "a", "theme": "bravery"}],
            ["card 'a'", "field 'theme'", "'bravery' is not a theme id", "ground_truth"],
        ),
        (
            [{"id": "a", "source": "nobody_2020"}],
            ["card 'a'", "field 'sources'", "'nobody_2020' is not an id in sources.yaml"],
        ),
        ([{"id": "a"}, {"id": "a"}], ["card 'a'", "field 'id'", "duplicate id"]),
        ([{"id": "Bad Id"}], ["card #1", "field 'id'", "lower-case letters"]),
        ([{"id": "own_1"}], ["card 'own_1'", "kept for participants' own cards"]),
    ],
    ids=["wrong-value", "unknown-theme", "dangling-source", "duplicate", "bad-id", "reserved-id"],
)
def test_bad_cards_name_file_entry_and_field(tmp_path, entries, expected):
    problems = _problems(_folder(tmp_path, cards_yaml=_cards(*entries)))
    assert any(all(part in p for part in expected) for p in problems), problems


def test_missing_field_and_wrong_type_are_named(tmp_path):
    text = (
        "cards:\n  - id: no_note\n    text: Something true.\n    reading: watch\n"
        "    theme: insecurity\n    sources: [larson_2020_archetypes]\n"
        "  - id: listy\n    text: [not, text]\n    reading: watch\n    theme: insecurity\n"
        "    note: n\n    sources: [larson_2020_archetypes]\npairs: []\n"
    )
    problems = _problems(_folder(tmp_path, cards_yaml=text))
    assert any(
        "card 'no_note'" in p and "field 'note'" in p and "missing" in p for p in problems
    ), problems
    assert any("card 'listy'" in p and "field 'text'" in p and "string" in p for p in problems), (
        problems
    )


def test_all_problems_are_listed_at_once(tmp_path):
    folder = _folder(
        tmp_path,
        cards_yaml=_cards(
            {"id": "a", "reading": "maybe"},
            {"id": "b", "theme": "nope"},
            {"id": "c", "source": "nobody"},
        ),
    )
    problems = _problems(folder)
    assert len(problems) == 3
    message = str(ContentError(problems))
    assert message.startswith("3 problems in the kit's content:")


def test_malformed_yaml_names_the_line(tmp_path):
    folder = _folder(tmp_path, cards_yaml="cards:\n  - id: a\n    text: [unclosed\n")
    (problem,) = _problems(folder)
    assert str(folder / "cards.yaml") in problem
    assert "not valid YAML at line" in problem


def test_unknown_file_and_unknown_field_are_reported(tmp_path):
    folder = _folder(
        tmp_path,
        card_yaml="cards: []\n",
        cards_yaml=(
            "cards:\n  - id: a\n    text: t\n    raeding: healthy\n    reading: healthy\n"
            "    theme: ground_truth\n    note: n\n    sources: [larson_2020_archetypes]\n"
        ),
    )
    problems = _problems(folder)
    assert any("card.yaml" in p and "not a content file" in p for p in problems)
    assert any("field 'raeding'" in p and "not a field the kit knows" in p for p in problems)


def test_pair_must_name_two_known_cards(tmp_path):
    folder = _folder(
        tmp_path,
        cards_yaml=_cards(
            {"id": "a"}, pairs="pairs:\n  - id: p\n    cards: [a, ghost]\n    prompt: Why?\n"
        ),
    )
    assert any("pair 'p'" in p and "'ghost' is not a card id" in p for p in _problems(folder))


def test_ui_words_must_keep_placeholders_and_known_keys(tmp_path):
    folder = _folder(tmp_path, ui_yaml="sort_progress: Nearly there\nbucket_wacth: Hmm\n")
    problems = _problems(folder)
    assert any("key 'sort_progress'" in p and "{sorted}" in p for p in problems)
    assert any("key 'bucket_wacth'" in p and "not a text the kit shows" in p for p in problems)


def test_missing_folder_is_a_clear_error(tmp_path):
    (problem,) = _problems(tmp_path / "nowhere")
    assert "no such folder" in problem


def test_a_full_copy_of_the_packaged_folder_is_valid(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(packaged_content_dir(), copy)
    assert load_content(copy).cards == load_content().cards


def test_role_week_must_cover_activities_and_add_up(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(packaged_content_dir(), copy)
    roles = copy / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    # Drop the first 'hands_on_coding' line: one role loses an activity and 40 hours no
    # longer add up.
    lines = text.splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("hands_on_coding:"))
    del lines[i]
    roles.write_text("".join(lines), encoding="utf-8")
    problems = _problems(copy)
    assert any(
        "role 'senior_ic'" in p and "no hours for activity 'hands_on_coding'" in p for p in problems
    ), problems
    assert any("role 'senior_ic'" in p and "add up to" in p for p in problems), problems


def test_readme_lists_the_placeholders_of_every_text(content):
    from kit._ui_text import placeholders

    readme = (packaged_content_dir() / "README.md").read_text(encoding="utf-8")
    documented = {}
    for line in readme.splitlines():
        if line.startswith("| `") and "{" in line:
            key, names = line.strip("| ").split(" | ")
            documented[key.strip("`")] = {n.strip("`{}") for n in names.split()}
    expected = {k: set(placeholders(v)) for k, v in content.ui.items() if placeholders(v)}
    assert documented == expected


@pytest.mark.parametrize("hours", ["0", "101", "37.3", "forty", "true", "[40]"])
def test_default_week_must_be_hours_in_half_hour_steps(tmp_path, hours):
    packaged = (packaged_content_dir() / "activities.yaml").read_text(encoding="utf-8")
    assert "default_total_hours: 40\n" in packaged
    folder = _folder(
        tmp_path,
        activities_yaml=packaged.replace(
            "default_total_hours: 40", f"default_total_hours: {hours}"
        ),
    )
    (problem,) = _problems(folder)
    assert "'default_total_hours'" in problem and "1 to 100" in problem


def test_a_replaced_activities_file_without_a_default_week_starts_at_40(tmp_path):
    packaged = (packaged_content_dir() / "activities.yaml").read_text(encoding="utf-8")
    folder = _folder(tmp_path, activities_yaml=packaged.replace("default_total_hours: 40\n", ""))
    assert load_content(folder).default_total_hours == 40
    half = _folder(
        tmp_path, activities_yaml=packaged.replace("total_hours: 40\n", "total_hours: 37.5\n")
    )
    assert load_content(half).default_total_hours == 37.5


# --------------------------------------------------------------------------- citations
@pytest.mark.parametrize(
    ("year", "venue", "expected"),
    [
        (2020, None, "A. Author, \u201cA title\u201d, 2020."),
        (2020, "A blog", "A. Author, \u201cA title\u201d, A blog, 2020."),
        ("n.d.", None, "A. Author, \u201cA title\u201d, n.d."),
        ("n.d.", "A blog", "A. Author, \u201cA title\u201d, A blog, n.d."),
    ],
)
def test_a_citation_ends_in_one_full_stop(year, venue, expected):
    from kit.content import Source

    source = Source(id="s", author="A. Author", title="A title", year=year, venue=venue)
    assert source.citation() == expected


def test_no_packaged_citation_has_a_doubled_full_stop(content):
    undated = [s for s in content.sources if s.year == "n.d."]
    assert undated  # the packaged sources include undated ones: the case is real
    for source in content.sources:
        assert not source.citation().endswith(".."), source.id


# --------------------------------------------------------------------------- ui.yaml keys
#: ui.yaml keys the kit builds from a name at run time, so that no file spells them out
#: whole. Each group says where it is built; a key belongs here only with such a place.
BUILT_KEYS = frozenset(
    {
        # f"commit_{kind}_hint": kit/widgets/commitments.py, the commitments handout
        "commit_keep_hint",
        "commit_stop_hint",
        "commit_calendar_hint",
        # f"position_lean_{lean}": kit/positions.py
        "position_lean_keep_building",
        "position_lean_hybrid",
        "position_lean_manage",
        "position_lean_unsure",
        # f"reading_{card.reading}": kit/render/handouts.py, kit/widgets/motivation.py
        "reading_healthy",
        "reading_watch",
        # f"week_{week}_hint": kit/widgets/allocation.py
        "week_current_hint",
        "week_ideal_hint",
        # f"archetypes_available_{flag.status}": kit/archetypes.py
        "archetypes_available_likely",
        "archetypes_available_unsure",
        "archetypes_available_unknown",
        # one per exercise: f"room_what_{exercise}" (kit/room/pictures.py),
        # f"room_not_shared_{exercise}" and f"room_nothing_{exercise}" (kit/room/sharing.py),
        # f"room_view_heading_{ex}" (kit/widgets/room_view.py)
        "room_what_motivations",
        "room_what_allocation",
        "room_what_archetypes",
        "room_not_shared_motivations",
        "room_not_shared_allocation",
        "room_not_shared_archetypes",
        "room_nothing_motivations",
        "room_nothing_allocation",
        "room_nothing_archetypes",
        "room_view_heading_motivations",
        "room_view_heading_allocation",
        "room_view_heading_archetypes",
        # f"room_chart_{week}" and f"room_chart_{key}": kit/charts/room.py
        "room_chart_current",
        "room_chart_ideal",
        "room_chart_first",
        "room_chart_top_two",
    }
)
#: Keys nothing shows yet, in parts of ui.yaml that belong to other work: use or remove
#: each, then drop it from here.
UNUSED_KEYS = frozenset({"chart_summary_label"})
#: Where the kit's code, templates, page settings and notebooks may name a ui.yaml key.
CODE_SUFFIXES = (".py", ".j2", ".js", ".json", ".yaml", ".yml", ".ipynb")


def _names_in_the_kit() -> set[str]:
    """Every identifier-like word in the kit's files (not its content) and the notebooks."""
    from kit._resources import PACKAGE_DIR, notebooks_dir

    content_dir = packaged_content_dir()
    files = [
        path
        for path in [*PACKAGE_DIR.rglob("*"), *notebooks_dir().rglob("*.ipynb")]
        if path.suffix in CODE_SUFFIXES
        and content_dir not in path.parents
        and "__pycache__" not in path.parts
        and path.is_file()
    ]
    words: set[str] = set()
    for path in files:
        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text(encoding="utf-8")))
    return words


def test_every_packaged_ui_key_is_used(content):
    """A word in ui.yaml that nothing shows misleads the facilitator who translates it."""
    used = _names_in_the_kit()
    unused = sorted(set(content.ui) - used - BUILT_KEYS - UNUSED_KEYS)
    assert not unused, f"ui.yaml keys nothing in kit/ or the notebooks uses: {unused}"


def test_the_allow_lists_of_ui_keys_stay_true(content):
    """Each allowed key is in ui.yaml, and no file spells it out whole (else it needs no
    place on the list)."""
    used = _names_in_the_kit()
    allowed = BUILT_KEYS | UNUSED_KEYS
    assert allowed <= set(content.ui), sorted(allowed - set(content.ui))
    assert not allowed & used, sorted(allowed & used)
