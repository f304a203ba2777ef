"""``workshop-kit room ...``: the facilitator's room commands.

The handlers of the command line (:mod:`kit.cli` holds every option and calls these):
each takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit._resources import COMMAND
from kit.room.pictures import MIN_PEOPLE

if TYPE_CHECKING:
    from kit.content import Content
    from kit.room.pictures import RoomPicture


def shares_words(pairs) -> str:
    """``[("K7RM4Q", "allocation")]`` -> ``"the week in room K7RM4Q"``."""
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.exercises import get

    return ", ".join(f"the {get(ex).words} in room {code}" for code, ex in pairs)


# Each handler imports the room modules it runs, so that `workshop-kit --help` and the other
# commands never load the content models; only an export loads matplotlib.
def create(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.room import store

    try:
        code = store.create_room(args.rooms, min_people=args.min_people)
    except store.RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(code)
    claim_for_projector(code, args.rooms)
    lowered = (
        f" Pictures show from {args.min_people} people (usually {MIN_PEOPLE}); the views say so."
        if args.min_people != MIN_PEOPLE
        else ""
    )
    print(
        f"Room {code} is open in {args.rooms or store.default_rooms()}. Participants type "
        f"{code} once to join; show it with: {COMMAND} room show {code}.{lowered}",
        file=sys.stderr,
    )
    return 0


def _print_room(picture: RoomPicture, content: Content) -> None:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.room.pictures import (
        exercise_words,
        picture_text,
        skipped_words,
        snapshot_text,
        threshold_text,
    )
    from kit.room.projector import joined_text  # at call time, as above

    print(f"Room {picture.code}")
    print(joined_text(picture, content))
    rule = threshold_text(picture, content)
    if rule:
        print(rule)
    for ex in picture.exercises.values():
        synth = f", {ex.synthetic} synthetic" if ex.synthetic else ""
        what = exercise_words(ex.exercise, content).capitalize()
        print(f"\n{what}: {ex.shared} shared{synth}")
        print(f"  {picture_text(ex, content)}")
        if ex.picture is not None:
            print(f"  {snapshot_text(ex, content)}")
        if ex.skipped:
            print(f"  Skipped {sum(ex.skipped.values())} file(s): {skipped_words(ex.skipped)}.")


def show(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.content import load_content
    from kit.room.reader import room_picture

    content = load_content()
    reader = _open_reader(args)
    if isinstance(reader, int):
        return reader
    rounds, last = 0, None
    try:
        while True:
            picture = room_picture(reader.code, content, reader=reader)
            if picture != last:
                if last is not None:
                    print("\n" + "-" * 60)
                _print_room(picture, content)
                if args.export:
                    from kit.charts.room import export_charts  # matplotlib: only to export

                    written = export_charts(picture, content, Path(args.export))
                    if written:
                        print(
                            f"\nCharts saved in {Path(args.export)}: "
                            + ", ".join(p.name for p in written)
                        )
                last = picture
            rounds += 1
            if args.watch is None or (args.rounds and rounds >= args.rounds) or not picture.open:
                break
            time.sleep(args.watch)
    except KeyboardInterrupt:
        print()
    return 0


def demo(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.content import load_content
    from kit.room import store
    from kit.room.demo import fill_demo

    try:
        written = fill_demo(args.code, args.people, load_content(), args.rooms, args.seed)
    except (store.RoomError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    code = store.normalize_code(args.code)
    print(
        f"Room {code}: {args.people} synthetic participants shared ({written} files). "
        f"See it with: {COMMAND} room show {code}"
    )
    return 0


def close(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.room import store
    from kit.room.archive import close_room

    try:
        code = store.normalize_code(args.code)
        if not store.room_exists(code, args.rooms):
            rooms = args.rooms or store.default_rooms()
            print(f"There is no open room {code} in {rooms}.", file=sys.stderr)
            return 1
    except store.RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.delete and not args.yes:
        print(f"This deletes room {code} and every share in it, with no archive.")
        if not sys.stdin or not sys.stdin.isatty():
            print(
                "Not deleted: add --yes to confirm when running without a terminal.",
                file=sys.stderr,
            )
            return 1
        if input("Delete it? Type 'yes' to confirm: ").strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    archive = close_room(code, args.rooms, delete=args.delete, archive_dir=args.to)
    print(
        f"Room {code} is closed and deleted."
        if archive is None
        else f"Room {code} is closed; its shares are archived in {archive}"
    )
    return 0


def claim_for_projector(code: str, rooms: str | None) -> None:
    """Make this participant folder the room's runner, so that its projector opens here."""
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.room.projector import claim_room

    try:
        claim_room(code, rooms)
    except (OSError, ValueError) as exc:
        print(f"The projector will not open this room here: {exc}", file=sys.stderr)


def present(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.pages.projector import copy_page, page_query, present
    from kit.room import store
    from kit.room.projector import claim_room, join_link

    try:
        code = store.normalize_code(args.code)
        join = join_link(args.join_url, code) if args.join_url else ""
        if claim_room(code, args.rooms):
            print(f"This folder now runs room {code}: its projector opens here only.")
    except (store.RoomError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1 if isinstance(exc, store.RoomClosedError) else 2
    if args.copy_to:
        page = copy_page(args.copy_to)
        print(f"Copied the projector page to {page}. In your own server open (hub):")
        print(f"  voila/render/<its path from your server's folder>?{page_query(code, join)}")
        return 0
    serving = present(code, join_url=join, port=args.port, rooms=args.rooms)
    print("Open the projector at this link (it carries a private key: keep it to yourself):")
    print(f"  {serving.urls[0]}")
    print(
        "Keys: 1 2 3 or the arrows choose a picture, R reveals it, B blanks the screen. "
        "Press Ctrl+C here to stop.",
        flush=True,
    )
    if os.name == "posix":
        # Become the server, so that Ctrl+C and a stop signal reach it directly.
        os.execve(serving.command[0], serving.command, serving.env)
        return 0  # not reached: this process is the server now
    try:  # pragma: no cover - Windows
        return subprocess.call(serving.command, env=serving.env)
    except KeyboardInterrupt:  # pragma: no cover
        return 0


def export(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light; matplotlib and
    # fpdf2 load only here
    from kit.content import load_content
    from kit.render.debrief import write_debrief
    from kit.room.reader import room_picture

    content = load_content()
    reader = _open_reader(args)
    if isinstance(reader, int):
        return reader
    picture = room_picture(reader.code, content, reader=reader)
    written = write_debrief(picture, content, Path(args.out or f"room-{reader.code}-debrief"))
    for path in written:
        print(f"Wrote {path}")
    if not any(p.picture is not None for p in picture.exercises.values()):
        print(
            f"No picture is ready yet (each needs {picture.needed} people): "
            "the files say so and hold no numbers.",
            file=sys.stderr,
        )
    return 0


def _open_reader(args: Any) -> Any:
    """The room's reader, or the exit status after saying why there is none."""
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.room import store
    from kit.room.reader import RoomReader

    try:
        reader = RoomReader(args.code, args.rooms)
    except store.RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not reader.exists():
        print(f"There is no open room {reader.code} in {reader.folder.parent}.", file=sys.stderr)
        return 1
    return reader
