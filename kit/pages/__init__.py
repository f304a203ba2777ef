"""Everything served to a participant's browser as code-free pages.

- ``journey.yaml`` and :mod:`kit.pages.journey`: the participant's steps, in order.
- :mod:`kit.pages.timings`: the facilitated timings in the same file (agendas, their segments
  and parts, the card sort's pace), the one source of every time the kit states.
- ``config/``: the Voila settings, as config files (``voila.py`` for ``workshop-kit serve``,
  ``jupyter_server_config.py`` for Voila inside a Jupyter server such as a JupyterHub user
  server); both apply :mod:`kit.pages.settings`, so both places use the same settings.
- :mod:`kit.pages.participant`: the served pages, one-cell stubs (one per step), what a
  participant sees of a notebook (no speaker notes, no ``notebook-only`` cells), and Voila's
  pre-launch hook, which keeps one live kernel per participant.
- :mod:`kit.pages.stepper`: each step built in the page's kernel from the packaged notebook;
  while the kernel is connected, Back, Next and the list of steps swap the step in place,
  in the same kernel.
- ``jupyter/voila/templates/workshop``: the page template (no CDN requests), whose script
  asks the kernel for the next step instead of loading a new page.
- ``jupyter/kernels/workshop-pages`` and :mod:`kit.pages.kernel`: the kernel the pages run in
  (the stock Python kernel without its debugger import, which a page never uses).
- :mod:`kit.pages.templates`: one compiled page template per server, not one per page.

:mod:`kit.serve` starts Voila with these; nothing here imports the command line.
"""
