"""The room widgets, driven from Python: join once, preview then share, the facilitator's view."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import threading
from pathlib import Path

import pytest

from kit.answers import AnswerStore, DemoStore
from kit.content import load_content
from kit.room import archive as room_archive
from kit.room import demo as room_demo
from kit.room import pending
from kit.room import store as room_store
from kit.widgets.room import JoinRoom, ShareWithRoom
from kit.widgets.room_view import RoomView

SECRET = "<script>alert('Dana')</script> my own words"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def answered(store: AnswerStore) -> AnswerStore:
    """A participant who did all three exercises, with free text of their own."""
    demo = DemoStore()
    sort = copy.deepcopy(demo.load("motivations").value)
    sort["own"][0]["text"] = SECRET
    store.save("motivations", sort)
    store.save("allocation", demo.load("allocation").value)
    store.save("archetypes", demo.load("archetypes").value)
    store.save("commitments", {"keep": SECRET, "stop": SECRET, "calendar": SECRET})
    return store


def _join(widget: JoinRoom, code: str) -> None:
    widget._code.value = code
    widget._join.click()


def _share_files(rooms: Path) -> list[Path]:
    return sorted(p for p in rooms.rglob("*.json") if p.parent.name in room_store.EXERCISES)


# --------------------------------------------------------------------------- JoinRoom
def test_join_once_and_the_code_is_remembered(store, home, rooms, code):
    join = JoinRoom(store=store)
    assert join.value == ""
    _join(join, "xx")
    assert "6 characters" in join._message.value and join.value == ""
    _join(join, "ABC234" if code != "ABC234" else "ABC235")
    assert "no open room" in join._message.value and join.value == ""
    _join(join, code.lower())
    assert join.value == code
    assert code in join._message.value
    assert join._code.layout.display == "none"
    assert json.loads((home / room_store.JOIN_FILE).read_text())["current"] == code
    assert JoinRoom(store=store).value == code  # typed once


def test_the_demo_profile_cannot_join():
    join = JoinRoom(store=DemoStore())
    assert join._join.disabled
    assert load_content().text("room_join_demo").split(":")[0] in join._message.value


# --------------------------------------------------------------------------- ShareWithRoom
def test_nothing_is_shared_before_pressing_share(answered, home, rooms, code):
    share = ShareWithRoom("motivations", store=answered)
    assert share._share.disabled  # no room yet
    assert "Join a room first" in share._status.value
    _join(share._join, code)
    assert not share._share.disabled
    assert share._join.layout.display == "none"
    assert _share_files(rooms) == []  # seeing the preview wrote nothing
    share._share.click()
    (path,) = _share_files(rooms)
    assert json.loads(path.read_text())["data"] == share.value["motivations"]
    assert "Shared with room" in share._message.value
    assert "card sort (shared)" in share._status.value


def test_the_preview_is_exactly_what_is_written_and_never_the_own_words(answered, rooms, code):
    room_store.join(code, answered.home, rooms)
    share = ShareWithRoom(store=answered)  # all three, as on the synthesis page
    html = share._preview.value
    assert "script" not in html and "my own words" not in html and "Dana" not in html
    assert "To be honest, doing it myself is quicker." in html
    assert "Reason to watch" in html
    assert "Hands-on coding" in html and "35%" in html  # 14 of 40 hours
    share._share.click()
    assert len(_share_files(rooms)) == 1  # one now, the others spread over the next minutes
    assert "your week (shared; it reaches the room" in share._status.value or (
        "your questionnaire (shared; it reaches the room" in share._status.value
    )
    pending.flush(answered.home, rooms, everything=True)
    files = _share_files(rooms)
    assert len(files) == 3
    for path in files:
        text = path.read_text()
        assert SECRET not in text
        exercise = path.parent.name
        assert text == room_store.share_document(exercise, share.value[exercise])
        assert json.dumps(json.loads(text), indent=1, sort_keys=True).replace('"', "&quot;") in html


def test_changed_answers_are_previewed_again_before_sharing(answered, rooms, code):
    room_store.join(code, answered.home, rooms)
    share = ShareWithRoom("archetypes", store=answered)
    before = share.value
    answered.save(
        "archetypes",
        {s: 5 if i % 2 else 1 for i, s in enumerate(DemoStore().load("archetypes").value)},
    )
    share._share.click()
    assert _share_files(rooms) == []
    assert "changed since this preview" in share._message.value
    assert share.value != before
    share._share.click()
    assert len(_share_files(rooms)) == 1
    assert "questionnaire (shared)" in share._status.value
    answered.save("archetypes", DemoStore().load("archetypes").value)
    assert share.follow()  # what its own timer does every second
    assert "an earlier version" in share._status.value


def test_the_preview_follows_an_exercise_widget_in_the_same_kernel(answered, rooms, code):
    """No 'Update the preview': the preview is what 'Share' would send, after every edit."""
    from kit.widgets.allocation import TimeAllocation

    room_store.join(code, answered.home, rooms)

    async def session() -> tuple[dict, dict, str]:
        week = TimeAllocation(store=answered)
        share = ShareWithRoom("allocation", store=answered, interval=0.05)
        before = share.value["allocation"]
        current = dict(week.value["current"])
        first, second = list(current)[:2]
        current[first], current[second] = current[first] + 2, current[second] - 2
        week.value = {**week.value, "current": current}  # as a slider's drag does
        for _ in range(100):
            await asyncio.sleep(0.05)
            if share.value["allocation"] != before:
                break
        html = share._preview.value
        share.close()
        return before, share.value["allocation"], html

    before, after, html = asyncio.run(session())
    assert after != before
    sent = room_store.build_payload(
        "allocation", room_store.saved_answers(answered, "allocation"), load_content()
    )
    assert after == sent  # exactly what would be sent
    document = room_store.share_document("allocation", sent)
    assert json.dumps(json.loads(document), indent=1, sort_keys=True).replace('"', "&quot;") in html


def test_the_preview_follows_answers_saved_by_another_page_s_kernel(answered, rooms, code):
    """Another kernel wrote the file; following costs one stat per exercise when nothing did."""
    share = ShareWithRoom(store=answered, interval=0)  # the synthesis: all three exercises
    assert not share.follow()  # nothing changed: nothing read, nothing redrawn
    renders = []
    share._preview.observe(renders.append, names="value")
    other = AnswerStore(answered.home)  # as another page's kernel opens it
    value = {s: 5 if i % 2 else 1 for i, s in enumerate(DemoStore().load("archetypes").value)}
    other.save("archetypes", value)
    assert share.follow() and len(renders) == 1
    assert share.value["archetypes"] == room_store.build_payload(
        "archetypes", value, load_content()
    )
    assert not share.follow()


def test_no_button_asks_to_update_the_preview_where_it_follows_by_itself(answered):
    async def made() -> str | None:
        share = ShareWithRoom("motivations", store=answered)
        shown = share._update.layout.display
        share.close()
        return shown

    assert asyncio.run(made()) == "none"  # a kernel: it follows by itself
    # Plain Python (no event loop): it cannot, so the button is there.
    assert ShareWithRoom("motivations", store=answered)._update.layout.display is None


def test_withdraw_removes_the_share(answered, rooms, code):
    room_store.join(code, answered.home, rooms)
    share = ShareWithRoom("allocation", store=answered)
    share._share.click()
    assert len(_share_files(rooms)) == 1
    share._withdraw.click()
    assert _share_files(rooms) == []
    assert "no longer in room" in share._message.value
    share._withdraw.click()
    assert "nothing of yours" in share._message.value


def test_sharing_never_writes_the_answers_files(answered, home, rooms, code):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in home.iterdir()}
    room_store.join(code, home, rooms)
    share = ShareWithRoom(store=answered)
    share._share.click()
    share._withdraw.click()
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in home.iterdir()}
    assert after.pop(room_store.JOIN_FILE)
    assert after == before


def test_nothing_to_share_says_what_to_do_first(store, rooms, code):
    room_store.join(code, store.home, rooms)
    share = ShareWithRoom(store=store)
    assert share.value == {}
    assert share._share.disabled
    assert "no card is sorted yet" in share._preview.value


def test_the_demo_profile_previews_but_never_shares(rooms, code):
    share = ShareWithRoom("motivations", store=DemoStore())
    assert "quicker" in share._preview.value  # card text in the plain words
    assert share._share.disabled
    assert "never shared" in share._status.value


def test_a_closed_room_shares_nothing_and_says_so(answered, rooms, code):
    room_store.join(code, answered.home, rooms)
    share = ShareWithRoom("allocation", store=answered)
    room_archive.close_room(code, rooms, delete=True)
    share._share.click()
    assert "Nothing was shared" in share._message.value and "closed" in share._message.value
    assert _share_files(rooms) == []


def test_unknown_exercises_are_refused(store):
    with pytest.raises(ValueError, match="commitments"):
        ShareWithRoom("commitments", store=store)


def test_content_text_is_escaped_in_the_preview(answered, rooms, code, content):
    cards = tuple(
        c.model_copy(update={"text": "<b>bold</b> & <i>x</i>"}) if c.id == "faster_myself" else c
        for c in content.cards
    )
    odd = dataclasses.replace(content, cards=cards)
    share = ShareWithRoom("motivations", store=answered, content=odd)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in share._preview.value
    assert "<b>bold</b>" not in share._preview.value


# --------------------------------------------------------------------------- RoomView
def test_room_view_without_a_room_asks_for_one(rooms):
    view = RoomView()
    assert view.value == ""
    assert "No room is shown yet" in view._header.value
    assert view._body.layout.display == "none"
    assert view.refresh() is None
    view._code.value = "I0"
    view._open.click()
    assert "has 2" in view._message.value


def test_room_view_creates_a_room(rooms, tmp_path):
    view = RoomView()
    view._create.click()
    assert room_store.room_exists(view.value, rooms)
    assert view.value in view._message.value
    # Like `room create`: the projector opens this room for this facilitator's folder only.
    from kit.room.projector import runs_room

    assert runs_room(view.value, rooms)
    assert not runs_room(view.value, rooms, home=tmp_path / "someone-else")


def _share(rooms: Path, code: str, n: int, tmp: Path, start: int = 0) -> None:
    for i in range(start, start + n):
        m = room_store.join(code, tmp / f"p{i}", rooms)
        room_store.submit(m, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)


def test_room_view_waits_for_five_people_then_draws(rooms, code, tmp_path):
    view = RoomView(code)
    _, image, summary = view._sections["archetypes"]
    assert "0 of 5" in summary.value and image.layout.display == "none"
    _share(rooms, code, 4, tmp_path)
    view._refresh.click()
    assert "Not enough people yet: 4 of 5" in summary.value
    assert "Questionnaire: 4 shared" in view._counts.value
    assert image.value == b""
    _share(rooms, code, 1, tmp_path, start=4)
    view._refresh.click()
    assert bytes(image.value).startswith(PNG) and image.layout.display is None
    assert "5 people shared the shapes" in summary.value
    assert "Tech Lead (5)" in summary.value
    assert "This picture holds 5 shares" in summary.value
    drawn = image.value
    view.refresh()
    assert image.value is drawn  # nothing changed: nothing redrawn


def test_room_view_counts_synthetic_and_skipped_files(rooms, tmp_path, content):
    room_demo.fill_demo("VEW234", 4, content, rooms)
    (rooms / "VEW234" / "motivations" / ("0" * 32 + ".json")).write_text("{broken")
    view = RoomView("VEW234")
    assert "Card sort: 4 shared (4 synthetic)" in view._counts.value
    assert "1 file(s) skipped: 1 malformed" in view._counts.value


def test_room_view_escapes_what_it_shows(rooms, tmp_path, content):
    cards = tuple(c.model_copy(update={"text": "<script>x()</script>"}) for c in content.cards)
    odd = dataclasses.replace(content, cards=cards)
    room_demo.fill_demo("ESC234", 5, content, rooms)
    view = RoomView("ESC234", content=odd)
    html = view._sections["motivations"][2].value
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>" not in html


def test_room_view_exports_the_charts_as_images(rooms, tmp_path, content):
    room_demo.fill_demo("EXP234", 5, content, rooms)
    view = RoomView("EXP234", export_dir=tmp_path / "slides")
    view._export.click()
    names = sorted(p.name for p in (tmp_path / "slides").iterdir())
    assert names == sorted(
        f"EXP234-{n}.{e}" for n in ("cards", "shapes", "week") for e in ("png", "txt")
    )
    assert "Saved in" in view._message.value
    empty = RoomView(room_store.create_room(rooms), export_dir=tmp_path / "none")
    assert empty.export() == []
    assert "appear once 5 people" in empty._message.value


def test_room_view_shows_a_closed_room(rooms, code):
    view = RoomView(code)
    room_archive.close_room(code, rooms, delete=True)
    view.refresh()
    assert "is not open" in view._header.value


def _in_fresh_thread(work):
    """Run ``work()`` in a new thread: no event loop of another test (Playwright's sync API
    keeps one alive in the main thread while browser fixtures are open) can leak in."""
    box: dict = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # re-raised in the test's own thread
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the scenario did not finish in 60 s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_auto_refresh_needs_a_running_loop(rooms, code):
    def work():
        view = RoomView(code)
        view._auto.value = True
        return view._auto.value, view._message.value

    auto, message = _in_fresh_thread(work)
    assert auto is False
    assert "needs a running notebook kernel" in message


def test_auto_refresh_runs_on_the_event_loop_and_stops(rooms, code, tmp_path):
    async def scenario() -> tuple[int, int, str]:
        view = RoomView(code, interval=0.02)
        start = view._refreshes
        view._auto.value = True
        _share(rooms, code, 5, tmp_path)
        summary = view._sections["archetypes"][2]
        for _ in range(500):  # up to 10 s on a slow machine; usually a few ticks
            if view._refreshes >= start + 3 and "5 people shared" in summary.value:
                break
            await asyncio.sleep(0.02)
        view._auto.value = False
        stopped = view._refreshes
        await asyncio.sleep(0.2)
        after_stop = view._refreshes - stopped
        view.close()
        return view._refreshes - start, after_stop, summary.value

    ticks, after_stop, summary = _in_fresh_thread(lambda: asyncio.run(scenario()))
    assert ticks >= 3
    assert "5 people shared" in summary  # the new shares appeared with no click
    assert after_stop == 0


def test_room_view_has_a_static_snapshot_for_exports(rooms, tmp_path, content):
    room_demo.fill_demo("SNP234", 5, content, rooms)
    bundle = RoomView("SNP234")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "data:image/png;base64" in bundle["text/html"]


# --------------------------------------------------------------------------- a facilitator's words
NEW_CARD = "Honestly, I am faster at it than anyone."
OLD_CARD = "To be honest, doing it myself is quicker."
NEW_THEME, OLD_THEME = "Holding the reins", "Control and speed"
NEW_ROLE = "Team Lead (ours)"
NEW_WORDS = {
    "bucket_watch": "Worth a second look",
    "room_what_motivations": "deck of reasons",
    "room_cards_people": "{people} colleagues sorted the deck.",
    "room_cards_watch": "Most often a '{watch}': {items}.",
    "room_waiting": "Waiting: {shared} of {needed} shared their {what}.",
    "room_chart_cards": "Our room and the deck",
    "room_view_heading_motivations": "Our deck, as the room sorted it",
    "room_view_count": "{what} shares: {n}",
}


@pytest.fixture
def own_words(tmp_path: Path):
    """A facilitator's content folder that renames a card, a theme, a role and room words."""
    from kit.content import packaged_content_dir

    folder = tmp_path / "our-content"
    folder.mkdir()
    packaged = packaged_content_dir()
    cards = (packaged / "cards.yaml").read_text(encoding="utf-8")
    themes = (packaged / "themes.yaml").read_text(encoding="utf-8")
    roles = (packaged / "roles.yaml").read_text(encoding="utf-8")
    assert OLD_CARD in cards and f"label: {OLD_THEME}\n" in themes
    (folder / "cards.yaml").write_text(cards.replace(OLD_CARD, NEW_CARD), encoding="utf-8")
    (folder / "themes.yaml").write_text(
        themes.replace(f"label: {OLD_THEME}\n", f"label: {NEW_THEME}\n"), encoding="utf-8"
    )
    (folder / "roles.yaml").write_text(
        roles.replace("label: Tech Lead\n", f"label: {NEW_ROLE}\n", 1), encoding="utf-8"
    )
    (folder / "ui.yaml").write_text(json.dumps(NEW_WORDS), encoding="utf-8")  # JSON is YAML
    content = load_content(folder)
    assert content.by_id["themes"]["control"].label == NEW_THEME
    return content


def test_a_facilitators_words_reach_the_room_sentences_charts_and_views(
    own_words, answered, rooms, tmp_path
):
    from kit.charts.room import room_charts
    from kit.room.pictures import picture_text
    from kit.room.reader import room_picture

    packaged = load_content()
    sort = {"cards": {c.id: "healthy" for c in own_words.cards} | {"faster_myself": "watch"}}
    code = room_store.create_room(rooms, min_people=3)  # a lowered room: three is enough
    for i in range(3):
        member = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(member, "motivations", sort, rooms)
        room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    waiting = room_store.create_room(rooms)

    # The sentences.
    picture = room_picture(code, own_words, rooms)
    cards_text = picture_text(picture.exercises["motivations"], own_words)
    assert cards_text.startswith("3 colleagues sorted the deck.")
    assert "Most often a 'Worth a second look'" in cards_text and NEW_CARD in cards_text
    assert OLD_CARD not in cards_text and packaged.text("bucket_watch") not in cards_text
    assert NEW_ROLE in picture_text(picture.exercises["archetypes"], own_words)
    empty = room_picture(waiting, own_words, rooms).exercises["motivations"]
    assert picture_text(empty, own_words) == "Waiting: 0 of 5 shared their deck of reasons."

    # The charts: their summaries, titles, row labels and legends.
    charts = room_charts(picture, own_words)
    assert charts["motivations"].summary == cards_text
    fig = charts["motivations"].figure
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert NEW_CARD in labels and OLD_CARD not in labels
    assert ax.get_title(loc="left") == "Our room and the deck"
    assert "Worth a second look" in [t.get_text() for t in fig.legends[0].get_texts()]
    shapes_ax = charts["archetypes"].figure.axes[0]
    assert NEW_ROLE in [t.get_text() for t in shapes_ax.get_yticklabels()]

    # The views.
    view = RoomView(code, content=own_words)
    heading, _, summary = view._sections["motivations"]
    html = view._counts.value + heading.value + summary.value
    assert "Deck of reasons shares: 3" in html
    assert "Our deck, as the room sorted it" in html
    assert NEW_CARD in html and "Worth a second look" in html and OLD_CARD not in html
    quiet = RoomView(waiting, content=own_words)
    assert (
        "Waiting: 0 of 5 shared their deck of reasons." in quiet._sections["motivations"][2].value
    )
    room_store.join(code, answered.home, rooms)
    share = ShareWithRoom("motivations", store=answered, content=own_words)
    assert NEW_CARD in share._preview.value and OLD_CARD not in share._preview.value
    assert "Worth a second look" in share._preview.value
    assert "your deck of reasons (not shared)" in share._status.value
