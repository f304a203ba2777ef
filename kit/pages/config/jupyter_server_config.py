# Voila's settings for the participant pages inside a Jupyter server (a JupyterHub user
# server): the same settings `workshop-kit serve` uses through voila.py beside this file.
from kit.pages.settings import configure

configure(c)  # noqa: F821 - `c` is the config object traitlets gives every config file
