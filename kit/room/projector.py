"""What the projector shows, who may open it, and the debrief's aggregates as data.

The projector is the live room picture on the big screen (:mod:`kit.widgets.projector`
draws it; ``workshop-kit room present`` serves it). This module is its pure part:

Who may open it
    The facilitator who runs a room. Running a room means holding its *facilitator key*:
    a random secret made when the room is created (``room create``) or first presented
    (``room present``), kept in the facilitator's own participant folder
    (:data:`KEYS_FILE`, owner-only), while the room folder holds only its SHA-256
    (:data:`LOCK_FILE`, created exclusively, so the first claim wins and is never
    replaced by a later one). The projector page shows a room only to a server whose
    participant folder holds the key that hashes to the room's lock. A participant on a
    hub opens the page in their own server, with their own folder, which holds no key for
    the room: the page says so and shows nothing. This is a lock on the page, not on the
    data: whoever can read the rooms folder can read its shares anyway (see the facilitator
    guide's privacy page).

What it shows
    The room's code; a QR code of the join link (only when one was given, and never of
    this machine's own address, which no phone can reach); live counts; and each
    exercise's picture from the room's snapshots (:mod:`kit.room.snapshots`), never from
    the live shares. A room holding synthetic shares is a rehearsal, and says so on every
    picture.

The debrief's aggregates
    :func:`aggregate_rows` lists every number of the ready pictures (never a single
    share: a picture exists only from the room's threshold of people), and
    :func:`write_csv` writes them.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from kit._files import write_atomic
from kit._private_files import write_private
from kit.answers import default_home
from kit.room.folders import (
    EXERCISES,
    RoomClosedError,
    RoomError,
    Rooms,
    normalize_code,
    read_regular_file,
    room_dir,
)
from kit.room.pictures import (
    CardsPicture,
    ExercisePicture,
    Picture,
    RoomPicture,
    ShapesPicture,
    WeekPicture,
)

if TYPE_CHECKING:
    from kit.content import Content

__all__ = [
    "CARDS_ON_SCREEN",
    "CSV_COLUMNS",
    "KEYS_FILE",
    "LOCK_FILE",
    "ProjectorRefused",
    "aggregate_rows",
    "claim_room",
    "counts",
    "csv_text",
    "export_stem",
    "is_rehearsal",
    "join_link",
    "joined_at_least",
    "joined_count",
    "joined_text",
    "page_request",
    "qr_svg",
    "runs_room",
    "screen_picture",
    "write_csv",
]

#: In the room folder: the SHA-256 of the facilitator key (never the key itself).
LOCK_FILE = "projector.json"
#: In the facilitator's participant folder (owner-only): room code -> facilitator key.
KEYS_FILE = "facilitator-rooms.json"
_MAX_BYTES = 64 * 1024
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}

#: The columns of the debrief CSV, in order.
CSV_COLUMNS = ("room", "exercise", "people", "item", "label", "measure", "value", "rehearsal")


class ProjectorRefused(RoomError):
    """The projector will not show this room here; the message says why and what to do.

    ``key`` (with ``values``) names the same sentence in ``ui.yaml``, for the page.
    """

    def __init__(self, message: str, key: str = "", **values: object):
        super().__init__(message)
        self.key = key
        self.values = values


# --------------------------------------------------------------------------- the key
def _home(home: str | os.PathLike[str] | None) -> Path:
    return Path(home) if home is not None else default_home()


def _read_keys(home: Path) -> dict[str, str]:
    raw = read_regular_file(home / KEYS_FILE, _MAX_BYTES)
    try:
        data = json.loads(raw) if raw is not None else {}
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def _lock_digest(folder: Path) -> str | None:
    """Return the key digest in a room's lock file, ``None`` when there is no valid one."""
    raw = read_regular_file(folder / LOCK_FILE, _MAX_BYTES)
    try:
        data = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        return None
    digest = data.get("facilitator") if isinstance(data, dict) else None
    return digest if isinstance(digest, str) and len(digest) == 64 else None


def runs_room(code: str, rooms: Rooms = None, home: str | os.PathLike[str] | None = None) -> bool:
    """Return whether the participant folder ``home`` holds the facilitator key of room ``code``."""
    folder = room_dir(code, rooms)
    digest = _lock_digest(folder)
    key = _read_keys(_home(home)).get(folder.name)
    return digest is not None and key is not None and hmac.compare_digest(_digest(key), digest)


def claim_room(code: str, rooms: Rooms = None, home: str | os.PathLike[str] | None = None) -> bool:
    """Make the folder ``home`` the runner of room ``code``, unless the room is claimed.

    Returns ``True`` when the room is claimed now, ``False`` when ``home`` already ran it.

    Raises
    ------
    RoomClosedError
        When the room is not open.
    ProjectorRefused
        When another facilitator's key (or a damaged lock) holds the room.
    OSError
        When the participant folder or the room folder cannot be written.
    """
    folder = room_dir(code, rooms)
    code = folder.name
    if not (folder / "room.json").is_file():
        raise RoomClosedError(f"There is no open room {code} in {folder.parent}.")
    if runs_room(code, rooms, home):
        return False
    if (folder / LOCK_FILE).exists() or (folder / LOCK_FILE).is_symlink():
        raise ProjectorRefused(
            f"Room {code} is run from another participant folder, so its projector opens "
            "only there. Open the projector where the room was created, or create a new room."
        )
    place = _home(home)
    keys = _read_keys(place)
    keys[code] = secrets.token_hex(32)
    write_private(place, KEYS_FILE, json.dumps(keys, indent=1, sort_keys=True).encode("ascii"))
    text = json.dumps({"schema": 1, "code": code, "facilitator": _digest(keys[code])})
    try:  # exclusive: the first claim wins, and nobody replaces it by claiming again
        fd = os.open(folder / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        if runs_room(code, rooms, home):
            return False
        raise ProjectorRefused(
            f"Room {code} was claimed by another facilitator at the same moment."
        ) from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
    return True


def page_request(query: str, rooms: Rooms = None, home: str | os.PathLike[str] | None = None):
    """Return ``(code, join_url)`` asked by the projector page's query, or refuse.

    ``query`` is the page's query string (``room=K7RM4Q&join=https://...``).

    Raises
    ------
    ProjectorRefused
        When no room is named, the room is not open, or this server does not run it.
    """
    asked = parse_qs(query or "")
    text = (asked.get("room") or [""])[0]
    if not text.strip():
        raise ProjectorRefused(
            "Add the room to the address: ...projector.ipynb?room=K7RM4Q (your room's code).",
            "projector_refused_no_room",
        )
    code = normalize_code(text)
    if not (room_dir(code, rooms) / "room.json").is_file():
        raise ProjectorRefused(
            f"There is no open room {code}.", "projector_refused_closed", code=code
        )
    if not runs_room(code, rooms, home):
        raise ProjectorRefused(
            f"This projector shows room {code} only to the facilitator who runs it, from the "
            "server where the room was created.",
            "projector_refused_not_yours",
            code=code,
        )
    join = (asked.get("join") or [""])[0].strip()
    return code, (join_link(join, code) if join else "")


# --------------------------------------------------------------------------- what it shows
def join_link(url: str, code: str) -> str:
    """Return the join link for the QR code: ``url`` with ``room=CODE`` in its query.

    Raises
    ------
    ValueError
        When ``url`` is not an ``http(s)`` address of another machine (a QR code of this
        machine's own address helps no phone).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"The join link must be an http(s) address, such as a hub's; got {url!r}.")
    if parts.hostname in _LOCAL_HOSTS:
        raise ValueError(
            f"The join link {url!r} names this machine, which no phone can reach: give the "
            "address participants open (the hub's), or leave the QR code out."
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    query["room"] = [normalize_code(code)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def qr_svg(url: str, title: str = "") -> str:
    """Return an inline SVG QR code of ``url`` (black on white, made here: no network).

    ``title`` becomes the picture's accessible name.
    """
    import segno  # at call time: only the projector draws a QR code; `import kit` stays light

    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf, kind="svg", scale=8, border=4, dark="#000000", light="#ffffff",
        xmldecl=False, svgns=False, title=title or None, svgclass="wk-qr", lineclass=None,
        omitsize=True,
    )  # fmt: skip
    svg = buf.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def is_rehearsal(picture: RoomPicture) -> bool:
    """Whether the room holds synthetic shares (``room demo``): then every picture says so."""
    return any(ex.synthetic for ex in picture.exercises.values())


#: The card sort on the big screen: the cards most often put under 'watch' (all 30 rows
#: would be too small to read from the back; the debrief files hold every card).
CARDS_ON_SCREEN = 12


def screen_picture(picture: Picture) -> Picture:
    """Return what the big screen draws of a picture: the card sort's top cards only."""
    if not isinstance(picture, CardsPicture) or len(picture.cards) <= CARDS_ON_SCREEN:
        return picture
    ranked = sorted(
        (c for c in picture.cards if c.people),
        key=lambda c: (-c.watch / c.people, -c.healthy / c.people, c.card_id),
    )[:CARDS_ON_SCREEN]
    return dataclasses.replace(picture, cards=tuple(ranked))


def joined_at_least(picture: RoomPicture) -> int:
    """Return how many people the room has at least: the most who shared any one exercise."""
    return max((ex.shared for ex in picture.exercises.values()), default=0)


def joined_count(picture: RoomPicture) -> tuple[int, bool]:
    """Return how many people joined the room, and whether that number is exact.

    Each participant who joins leaves one presence mark (:mod:`kit.room.presence`), so the
    marks are the count. Where fewer marks than shares of one exercise are found (people who
    joined with an earlier kit, or whose mark could not be written), the most shares of any
    one exercise is a lower bound, said as one.
    """
    floor = joined_at_least(picture)
    if picture.joined >= floor:
        return picture.joined, True
    return floor, False


def joined_text(picture: RoomPicture, content: Content) -> str:
    """Say how many people joined the room, exactly or 'at least'."""
    n, exact = joined_count(picture)
    return content.text("projector_joined_exact" if exact else "projector_joined", n=n)


def export_stem(picture: RoomPicture) -> str:
    """Return the start of the debrief files' names (``room-K7RM4Q`` or ``...-rehearsal``)."""
    return f"room-{picture.code}" + ("-rehearsal" if is_rehearsal(picture) else "")


# --------------------------------------------------------------------------- aggregates
def _pct(share: float) -> float:
    return round(100 * share, 1)


def _rows(picture: Picture, content: Content) -> list[tuple[str, str, str, float | int]]:
    """(item id, label, measure, value) of one picture."""
    if isinstance(picture, CardsPicture):
        cards = content.by_id["cards"]
        return [
            (c.card_id, cards[c.card_id].text, bucket, getattr(c, bucket))
            for c in picture.cards
            for bucket in ("healthy", "watch", "not_me")
        ]
    if isinstance(picture, WeekPicture):
        acts = content.by_id["activities"]
        return [
            (a.activity_id, acts[a.activity_id].label, f"{week}_{stat}_pct", _pct(value))
            for a in picture.activities
            for week in ("current", "ideal")
            for stat in ("mean", "q1", "median", "q3")
            for value in (getattr(getattr(a, week), stat),)
        ]
    assert isinstance(picture, ShapesPicture)
    roles = content.by_id["roles"]
    out: list[tuple[str, str, str, float | int]] = [
        (rid, roles[rid].label, measure, counts[rid])
        for rid in picture.first
        for measure, counts in (("closest", picture.first), ("top_two", picture.top_two))
    ]
    out.append(("", "", "no_lean", picture.no_lean))
    return out


def aggregate_rows(picture: RoomPicture, content: Content) -> list[dict[str, object]]:
    """Return one row per number of the room's ready pictures (see :data:`CSV_COLUMNS`).

    Only pictures drawn from a snapshot of at least the room's threshold of people are
    listed, so no row is ever one person's share. Counts are people; the week's numbers
    are percentages of the week. ``rehearsal`` is ``yes`` on every row of a synthetic room.
    """
    rehearsal = "yes" if is_rehearsal(picture) else "no"
    out = []
    for exercise in EXERCISES:
        part: ExercisePicture | None = picture.exercises.get(exercise)
        if part is None or part.picture is None:
            continue
        for item, label, measure, value in _rows(part.picture, content):
            out.append(
                {
                    "room": picture.code,
                    "exercise": exercise,
                    "people": part.picture.people,
                    "item": item,
                    "label": label,
                    "measure": measure,
                    "value": value,
                    "rehearsal": rehearsal,
                }
            )
    return out


def csv_text(picture: RoomPicture, content: Content) -> str:
    """Return the debrief CSV's text (a header line even when no picture is ready)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(aggregate_rows(picture, content))
    return buf.getvalue()


def write_csv(picture: RoomPicture, content: Content, folder: str | os.PathLike[str]) -> Path:
    """Write ``<stem>-aggregates.csv`` in ``folder`` (see :func:`export_stem`); return it."""
    target = Path(folder) / f"{export_stem(picture)}-aggregates.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, csv_text(picture, content).encode("utf-8"))
    return target


def counts(picture: RoomPicture) -> Mapping[str, int]:
    """Return exercise -> people who shared it now (live)."""
    return {ex: part.shared for ex, part in picture.exercises.items()}
