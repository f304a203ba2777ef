"""Anonymous room results for the debrief: what a share holds, the pictures, the folder store.

The package is split by job; this file imports nothing, so importing one part loads only
what that part needs:

- :mod:`kit.room.shares`: what a share may hold (payload builders, checks, the file's text
  and its parse). Pure.
- :mod:`kit.room.pictures`: the room's pictures (aggregates) and the sentences about them.
  Pure.
- :mod:`kit.room.store`: room codes and folders, joining, writing and withdrawing shares.
- :mod:`kit.room.reader`: reading every share of a room, cheaply again and again, and the
  room's picture.
- :mod:`kit.room.archive`: closing a room (a dated, owner-only zip of its regular files).
- :mod:`kit.room.demo`: synthetic participants for rehearsals and tests.
- :mod:`kit.room.sharing`: the state of "share this exercise with the room", which the
  share widget only renders.

The exercises a room collects, and how each is shared and aggregated, are looked up in the
registry :mod:`kit.exercises`. Nothing here imports ipywidgets or matplotlib: the room's
charts (:mod:`kit.charts.room`) take the plain pictures and draw them.
"""
