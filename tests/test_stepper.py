"""One kernel stepping through the journey (kit.pages.stepper), driven from Python.

What a click on Back or Next does in the browser is ``stepper.go(name)``: the page's script
writes the name into the hidden box, as ``go`` does. The browser half (the click, the
address, the focus) is in ``tests/browser/test_journey_pages.py``.
"""

from __future__ import annotations

import json
import re

import ipywidgets as widgets
import nbformat
import pytest

from kit import serve
from kit.answers import AnswerStore
from kit.pages import journey, stepper
from kit.pages.participant import STUB_MARK, stub_notebook
from kit.pages.stepper import STEP_CLASS, Stepper, step_parts

STEPS = journey.page_steps()
NAMES = [s.notebook for s in STEPS]


def _live() -> set[str]:
    from ipywidgets.widgets.widget import _instances

    return set(_instances)


def _texts(box: widgets.Widget) -> str:
    """Every HTML widget's text under ``box``, tags removed."""
    out = []
    stack = [box]
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.HTML):
            out.append(re.sub(r"<[^>]+>", " ", w.value))
        stack.extend(getattr(w, "children", ()))
    return " ".join(out)


@pytest.fixture
def page(home):
    made = Stepper(NAMES[0], environ={"QUERY_STRING": "token=secret&room=ABC234"})
    yield made
    made._close_step()
    made.close()


def test_every_served_page_is_a_stub_that_builds_its_step(tmp_path):
    folder = serve.page_folder(tmp_path / "pages")
    for step in STEPS:
        nb = json.loads((folder / f"{step.notebook}.ipynb").read_text(encoding="utf-8"))
        assert nb == stub_notebook(step)
        nbformat.validate(nbformat.from_dict(nb))  # a notebook any Jupyter tool opens
        (cell,) = nb["cells"]
        assert cell["source"].endswith(f"show({step.notebook!r})")
        assert nb["metadata"][STUB_MARK] == step.id


def test_a_step_holds_the_participant_cells_only():
    for name in NAMES:
        parts = step_parts(name)
        text = " ".join(p.text for p in parts)
        assert "Facilitator" not in text and "Shift+Enter" not in text, name
        assert parts[0].kind == "html" and "<h1>" in parts[0].text, name
    welcome = step_parts("00-welcome")
    assert "<table>" in welcome[0].text  # the markdown table is rendered
    assert [p.text for p in welcome if p.kind == "code"] == [
        "from kit import JoinRoom\n\nJoinRoom()",
        "from kit import ClearAnswers\n\nClearAnswers()",
    ]
    assert not any("check_setup" in p.text for p in welcome)  # JupyterLab's, not the page's


def test_the_page_says_where_you_are_and_links_carry_the_room_not_the_token(page):
    assert page.notebook == NAMES[0]
    assert "Step 1 of 6" in page._nav.value
    assert 'href="./01-the-dilemma.ipynb?room=ABC234"' in page._foot.value
    assert "token" not in page._nav.value + page._foot.value
    assert "wk-nav wk-back" not in page._foot.value  # nothing before the welcome
    page.go(NAMES[-1])
    assert "wk-next" not in page._foot.value and "last step" in page._foot.value
    done = page._nav.value.count('class="wk-done"')
    assert done == len(NAMES) - 1


def test_next_swaps_the_step_in_place_and_closes_the_one_left(page):
    page.go("03-where-the-week-goes")
    (week,) = [c for c in page._body.children if type(c).__name__ == "TimeAllocation"]
    old_body = page._body
    assert "wk-step-03-where-the-week-goes" in old_body._dom_classes
    assert STEP_CLASS in old_body._dom_classes
    page.go("04-which-shape-fits")
    assert page.notebook == "04-which-shape-fits"
    assert week.comm is None and old_body.comm is None  # closed: gone from the page's state
    assert page._body is not old_body and page.children[1] is page._body
    assert "Step 5 of 6" in page._nav.value


def test_walking_the_journey_twice_leaves_no_widget_behind(page):
    for name in NAMES:
        page.go(name)
    after_one = _live()
    for name in NAMES:
        page.go(name)
    assert len(_live()) == len(after_one)


def test_in_a_kernel_a_step_left_takes_late_changes_then_closes_with_its_timer(
    page, home, monkeypatch
):
    import asyncio

    monkeypatch.setattr(stepper, "RETIRE_SECONDS", 0.05)
    seen = {}

    async def walk():
        page.go("01-the-dilemma")
        (first,) = [c for c in page._body.children if type(c).__name__ == "FirstPosition"]
        page.go("02-why-leaders-still-build")
        (share,) = [c for c in page._body.children if type(c).__name__ == "ShareWithRoom"]
        task = share._task
        page.go("03-where-the-week-goes")
        # a change typed just before the click on Next arrives after the step's name
        first.value = {"lean": "manage", "why": "typed just before Next"}
        await asyncio.sleep(0)
        seen["open"] = first.comm is not None and task is not None and not task.done()
        await asyncio.sleep(0.2)
        seen["closed"] = first.comm is None and share.comm is None and task.cancelled()

    asyncio.run(walk())
    assert seen == {"open": True, "closed": True}
    saved = AnswerStore(home).load("first_position").value
    assert saved == {"lean": "manage", "why": "typed just before Next"}
    assert page.notebook == "03-where-the-week-goes"


def test_in_a_kernel_the_page_hears_a_beat_until_it_closes(home, monkeypatch):
    import asyncio

    monkeypatch.setattr(stepper, "BEAT_SECONDS", 0.01)
    beats = []

    async def run():
        made = Stepper(NAMES[0])
        beats.append(made._beat.value)
        await asyncio.sleep(0.1)
        beats.append(made._beat.value)
        made._close_step()
        made.close()
        count = made._beats
        await asyncio.sleep(0.1)
        return count, made._beats

    before, after = asyncio.run(run())
    assert beats[0] == '<span data-wk-beat="0"></span>'
    assert beats[1] != beats[0] and before > 1
    assert after == before  # a closed page's kernel stops beating


def test_every_step_reads_the_answers_from_disk_again(page, home):
    page.go("01-the-dilemma")
    (first,) = [c for c in page._body.children if type(c).__name__ == "FirstPosition"]
    assert first.value == {}
    AnswerStore(home).save("first_position", {"lean": "manage"})  # another window saved
    page.go("02-why-leaders-still-build")
    page.go("01-the-dilemma")
    (again,) = [c for c in page._body.children if type(c).__name__ == "FirstPosition"]
    assert again.value == {"lean": "manage"}


def test_a_name_that_is_not_a_step_changes_nothing(page):
    page.go("../../etc/passwd")
    assert page.notebook == NAMES[0] and "Step 1 of 6" in page._nav.value
    with pytest.raises(ValueError, match="not a step of the journey"):
        Stepper("99-nowhere")


def test_a_step_that_fails_says_so_and_the_next_one_still_works(page, monkeypatch):
    def broken(name):
        raise OSError("disk gone")

    monkeypatch.setattr(page, "_build", broken)
    page.go("02-why-leaders-still-build")
    assert page.last_error == "OSError: disk gone"
    shown = _texts(page._body)
    assert "could not be shown" in shown and "answers are saved" in shown
    assert STEPS[2].title in shown  # its heading: the page moves the focus there
    monkeypatch.undo()
    page.go("03-where-the-week-goes")
    assert page.last_error == "" and "TimeAllocation" in {
        type(c).__name__ for c in page._body.children
    }


def test_step_titles_are_escaped_in_the_links(monkeypatch):
    odd = tuple(journey.Step(s.id, f"<b>{s.title}</b> & co", s.notebook, s.minutes) for s in STEPS)
    monkeypatch.setattr(stepper, "page_steps", lambda: odd)
    nav = stepper.steps_nav_html(NAMES[1], '?room=a"b')
    assert "<b>" not in nav and "&lt;b&gt;" in nav and "&amp; co" in nav
    assert 'room=a&quot;b"' in nav
    assert "<b>" not in stepper.back_next_html(NAMES[1])


@pytest.mark.parametrize(
    "query, carried",
    [
        ("room=ABC234", "?room=ABC234"),
        ("token=x&room=abc", "?room=abc"),
        ("token=x", ""),
        ("", ""),
        ("room=a%26b", "?room=a%26b"),
    ],
)
def test_step_links_keep_the_query_without_the_token(query, carried):
    assert stepper.link_query({"QUERY_STRING": query}) == carried
