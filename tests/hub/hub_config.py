"""The hub the tests run: ``deploy/jupyterhub_config.py`` itself, then these overrides.

Every test-only difference from the deployed configuration is in this file, and only here:

- addresses: the public, hub and proxy-API ports on 127.0.0.1 (free ports the tests chose);
- the spawner: JupyterHub's simple local-process spawner (every participant's server runs
  as the tester, homes under the test folder), unless the real-Unix-users run asks for the
  deployed spawner (``WORKSHOP_TEST_REAL_USERS=1``);
- ``--allow-root`` for the participants' servers when the tests run as root (CI does);
- one more service, ``test-admin``, with a token the tests use for the REST API (to stop a
  server as the culler would, and to list servers);
- the idle culler checks every 30 s instead of every 5 minutes (its timeout stays);
- for the capacity benchmark's baseline only (``WORKSHOP_TEST_UNTRIMMED=1``): participants'
  servers as JupyterHub starts them out of the box (``jupyterhub-singleuser`` with every
  installed server extension and every kernel spec), without the deployed trims.

JupyterHub loads this file as its config (``jupyterhub -f``); the environment carries the
values the tests chose.
"""

# ruff: noqa: F821 - `c`, `get_config` and `load_subconfig` are given by JupyterHub.

import os

c = get_config()
load_subconfig(os.environ["WORKSHOP_TEST_DEPLOY_CONFIG"])

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['WORKSHOP_TEST_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['WORKSHOP_TEST_HUB_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['WORKSHOP_TEST_PROXY_PORT']}"

if os.environ.get("WORKSHOP_TEST_REAL_USERS") != "1":
    c.JupyterHub.spawner_class = "simple"
    homes = os.environ["WORKSHOP_TEST_HOMES"]
    c.SimpleLocalProcessSpawner.home_dir_template = homes + "/{username}"
if os.geteuid() == 0 and os.environ.get("WORKSHOP_TEST_REAL_USERS") != "1":
    c.Spawner.args = [*c.Spawner.args, "--allow-root"]

if os.environ.get("WORKSHOP_TEST_UNTRIMMED") == "1":
    c.Spawner.cmd = [c.Spawner.cmd[0], "-m", "jupyterhub.singleuser"]
    c.Spawner.args = [
        a
        for a in c.Spawner.args
        if not a.startswith(("--ServerApp.jpserver_extensions=", "--KernelSpecManager."))
    ]
    c.Spawner.environment = {
        k: v
        for k, v in c.Spawner.environment.items()
        if k != "JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"
    }

c.JupyterHub.services = [
    *(
        {**s, "command": [a.replace("--cull-every=300", "--cull-every=30") for a in s["command"]]}
        if s["name"] == "idle-culler"
        else s
        for s in c.JupyterHub.services
    ),
    {"name": "test-admin", "api_token": os.environ["WORKSHOP_TEST_TOKEN"]},
]
c.JupyterHub.load_roles = [
    *c.JupyterHub.load_roles,
    {"name": "test-admin", "scopes": ["admin:users", "admin:servers"], "services": ["test-admin"]},
]
