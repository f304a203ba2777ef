# Voila's settings for the participant pages (`workshop-kit serve`). The same settings reach a
# Jupyter server (a JupyterHub user server) through jupyter_server_config.py beside this file.
from kit.pages.settings import configure

configure(c)  # noqa: F821 - `c` is the config object traitlets gives every config file
