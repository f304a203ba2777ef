"""Anonymous room results for the debrief: what a share holds, the pictures, the folder store.

The package is split by job; this file imports nothing, so importing one part loads only
what that part needs:

- :mod:`kit.room.shares`: what a share may hold (payload builders, checks, the file's text
  and its parse). Pure.
- :mod:`kit.room.pictures`: the room's pictures (aggregates) and the sentences about them.
  Pure.
- :mod:`kit.room.folders`: room codes and folders, creating a room, the room's people rule.
- :mod:`kit.room.store`: joining, writing and withdrawing shares (and, before a participant's
  answers are cleared, withdrawing all of them); re-exports the folder names.
- :mod:`kit.room.presence`: who joined, counted exactly from one empty, undated mark per
  participant that cannot be linked to their shares.
- :mod:`kit.room.pending`: one person's several shares spread and shuffled in time, kept in
  their folder until written.
- :mod:`kit.room.snapshots`: what every view shows: snapshots taken after enough changes.
- :mod:`kit.room.reader`: reading every share of a room, cheaply again and again, and the
  room's picture (from its last snapshot).
- :mod:`kit.room.archive`: closing a room (a dated, owner-only zip of its regular files).
- :mod:`kit.room.demo`: synthetic participants for rehearsals and tests.
- :mod:`kit.room.sharing`: the state of "share this exercise with the room", which the
  share widget only renders.

The exercises a room collects, and how each is shared and aggregated, are looked up in the
registry :mod:`kit.exercises`. Nothing here imports ipywidgets or matplotlib: the room's
charts (:mod:`kit.charts.room`) take the plain pictures and draw them.
"""
