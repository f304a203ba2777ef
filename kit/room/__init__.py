"""Anonymous room results for the debrief: what a share holds, the pictures, the folder store.

The package is split by job, and importing one part never loads the others:

- :mod:`kit.room.shares`: what a share may hold (payload builders, checks, the file's text
  and its parse). Pure.
- :mod:`kit.room.pictures`: the room's pictures (aggregates) and the sentences about them.
  Pure.
- :mod:`kit.room.store`: room codes and folders, joining, writing and withdrawing shares,
  the reader and its cache, closing a room.
- :mod:`kit.room.demo`: synthetic participants for rehearsals and tests.
- :mod:`kit.room.sharing`: the state of "share this exercise with the room", which the
  share widget only renders.

The exercises a room collects, and how each is shared and aggregated, are looked up in the
registry :mod:`kit.exercises`. Nothing here imports ipywidgets or matplotlib: the room's
charts (:mod:`kit.charts.room`) take the plain pictures and draw them.
"""
