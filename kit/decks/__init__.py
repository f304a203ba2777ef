"""Slide decks from the workshop notebooks, for a room with no internet.

``workshop-kit slides`` (:func:`build_decks`) executes every notebook once, under the demo
profile and a throwaway participant folder, then exports a reveal.js deck per notebook and
one combined workshop deck. Each deck carries the room's pair-work and timing slides
(``kit/templates/room.yaml``) and the notebooks' speaker notes (press ``s`` in a deck), and
loads only the reveal.js copied beside it. ``--pdf`` prints every deck with headless
Chromium (:mod:`kit.render.pdf`), with the network shut off.

- :mod:`kit.decks.build`: run, assemble and write the decks;
- :mod:`kit.decks.execute`: the notebooks in kernels side by side;
- :mod:`kit.decks.preprocessors`: nbconvert preprocessors (laptop-only cells left out,
  clean-up, room slides);
- :mod:`kit.decks.room_slides`: the room-slide file, checked by a pydantic model;
- :mod:`kit.decks.room_pictures`: the room's pictures as slides (the projector's images, from
  a real room or a rehearsal one), after the cell tagged ``room-pictures``;
- :mod:`kit.decks.reveal`: finding and copying the local reveal.js.
"""

from kit.decks.build import COMBINED, DISPLAY_PRIORITY, Deck, Progress, build_decks, notebook_paths
from kit.decks.errors import DeckError
from kit.decks.preprocessors import DECK_SKIP_TAG, LeaveOutOfDecks, count_slides, laptop_only
from kit.decks.reveal import reveal_source
from kit.decks.room_slides import RoomSlide, RoomStep, load_room

__all__ = [
    "COMBINED",
    "DECK_SKIP_TAG",
    "DISPLAY_PRIORITY",
    "Deck",
    "DeckError",
    "LeaveOutOfDecks",
    "Progress",
    "RoomSlide",
    "RoomStep",
    "build_decks",
    "count_slides",
    "laptop_only",
    "load_room",
    "notebook_paths",
    "reveal_source",
]
