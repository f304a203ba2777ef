"""JupyterHub for a leadership workshop on one server: one link, one password, one room.

Run it with the hub and the kit installed in one Python environment::

    pip install 'leadership-workshop-kit[hub]'
    npm install -g configurable-http-proxy
    WORKSHOP_PASSWORD='long shared phrase' jupyterhub -f deploy/jupyterhub_config.py

Every participant opens the same link, types their work email and the workshop password,
and lands on the first code-free page of the journey (Voila), not JupyterLab. Each gets
their own Unix account (made on first login), their own home with their answers, and the
rooms folder the whole event shares. Settings come from environment variables, so this
file stays as it is; ``hub-day.md`` in the facilitator guide explains each one.

WORKSHOP_PASSWORD       the shared password (8 characters or more); required
WORKSHOP_ADMIN_PASSWORD optional, 32 characters or more, for the names in WORKSHOP_ADMINS
WORKSHOP_ADMINS         optional, comma-separated admin logins (they use the admin password)
WORKSHOP_HUB_DIR        where homes/, rooms/, pages/ and the hub's state live
                        (default /srv/workshop)
WORKSHOP_HUB_URL        the public address the hub listens on (default http://:8000)
WORKSHOP_EMAIL_DOMAIN   when set, only logins ending in @DOMAIN are accepted
WORKSHOP_PYTHON         the Python that runs participants' servers (default: this one);
                        with real Unix users it must be readable by them
WORKSHOP_MAX_SERVERS    most participant servers at once (default 100: about 190 MiB each,
                        a server and the one page kernel it keeps, fits a 24 GB server
                        with room for the hub and for peaks)
WORKSHOP_IDLE_MINUTES   a server with no activity for this long is stopped (default 60)

Nothing an idle stop can lose: the kit writes every answer to the participant's own folder
the moment it changes, so a stopped server costs a reload, never an answer.
"""

# ruff: noqa: F821 - `c` and `get_config` are given by JupyterHub when it loads this file.

from __future__ import annotations

import grp
import hashlib
import hmac
import os
import pwd
import re
import secrets
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.utils import random_port

from kit.pages.journey import page_steps
from kit.serve import page_folder, voila_env

c = get_config()

HERE = Path(__file__).resolve().parent
HUB_DIR = Path(os.environ.get("WORKSHOP_HUB_DIR", "/srv/workshop"))
HOMES = HUB_DIR / "homes"
ROOMS = HUB_DIR / "rooms"
PAGES = HUB_DIR / "pages"
STATE = HUB_DIR / "hub"
PYTHON = os.environ.get("WORKSHOP_PYTHON") or sys.executable
RUNTIME = HUB_DIR / "rt"
if len(str(RUNTIME)) > 45:
    RUNTIME = Path("/tmp") / f"wk-rt-{hashlib.sha256(str(HUB_DIR).encode()).hexdigest()[:8]}"
#: The Unix group of every participant account; the rooms folder belongs to it.
GROUP = "workshop"


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise SystemExit(f"{name} is not set: the hub needs it (see {Path(__file__).name}).")
    return value


def _number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r}: expected a whole number above 0")
    return int(raw)


def first_page() -> str:
    """Return the first step of the code-free journey (the kit's journey file decides)."""
    return f"{page_steps()[0].notebook}.ipynb"


def prepare_folders() -> None:
    """Make the hub's folders and write the participant pages (read-only for participants)."""
    for folder in (HOMES, STATE, RUNTIME):
        folder.mkdir(parents=True, exist_ok=True)
    RUNTIME.chmod(0o711)  # each participant's own folder inside is theirs alone
    STATE.chmod(0o700)  # the hub's database and cookie secret
    ROOMS.mkdir(parents=True, exist_ok=True)
    page_folder(PAGES)


def _ensure_group() -> None:
    """Make the participants' group, and give it the rooms folder (real Unix users only)."""
    try:
        gid = grp.getgrnam(GROUP).gr_gid
    except KeyError:
        subprocess.run(["groupadd", "--system", GROUP], check=True)
        gid = grp.getgrnam(GROUP).gr_gid
    if ROOMS.stat().st_gid != gid:
        os.chown(ROOMS, 0, gid)
        ROOMS.chmod(0o2775)  # the group writes shares; new rooms inherit the group


def _account_key() -> bytes:
    """Return the hub's secret for account names, made on first use (readable by root only)."""
    path = STATE / "account-key"
    if not path.exists():
        STATE.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
    return path.read_bytes()


def unix_name(login: str) -> str:
    """Return the Unix account name for a hub login (a work email is not a Unix name).

    Opaque on purpose: every file a participant writes carries their account as its owner,
    share files in the rooms folder too, and a name derived from the email (or a plain hash
    of it, which anyone can recompute) would put a name on a share. ``wk-`` + 12 hex digits
    of an HMAC of the login with the hub's own secret: stable, unique, and only the hub
    (and root) can tell whose it is.
    """
    digest = hmac.new(_account_key(), login.lower().encode(), hashlib.sha256).hexdigest()
    return f"wk-{digest[:12]}"


class WorkshopSpawner(LocalProcessSpawner):
    """A local process per participant, as their own Unix account, made on first login.

    The account has no password and no login shell; its home (mode 700) is under
    ``homes/`` and holds the participant's answers, which only they (and root) can read.
    """

    def account(self) -> str:
        return unix_name(self.user.name)

    def _create_account(self) -> None:
        name = self.account()
        try:
            pwd.getpwnam(name)
            return
        except KeyError:
            pass
        _ensure_group()
        subprocess.run(
            [
                "useradd",
                "--create-home",
                f"--home-dir={HOMES / name}",
                "--shell=/usr/sbin/nologin",
                "--user-group",
                f"--groups={GROUP}",
                name,
            ],
            check=True,
        )
        (HOMES / name).chmod(0o700)

    def make_preexec_fn(self, name):
        return set_user_setuid(self.account())

    def user_env(self, env):
        entry = pwd.getpwnam(self.account())
        env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL="/bin/sh")
        return env

    def _own_runtime_dir(self) -> None:
        """Make the sockets' folder, owned by the account, before anyone else can."""
        entry = pwd.getpwnam(self.account())
        folder = Path(runtime_dir(self))
        if folder.is_symlink() or (folder.exists() and folder.stat().st_uid != entry.pw_uid):
            subprocess.run(["rm", "-rf", "--", str(folder)], check=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chown(folder, entry.pw_uid, entry.pw_gid)

    async def start(self):
        self._create_account()
        self._own_runtime_dir()
        return await super().start()


# ----------------------------------------------------------------------------- the hub
c.JupyterHub.bind_url = os.environ.get("WORKSHOP_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.template_vars = {"workshop_email_domain": os.environ.get("WORKSHOP_EMAIL_DOMAIN")}

# ----------------------------------------------------------------------------- who logs in
# One password for the event (JupyterHub 5.3+). Anyone who knows it may log in under any
# name, so names must be work emails: two people typing "anna" would share one home.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = _required("WORKSHOP_PASSWORD")
c.Authenticator.allow_all = True
_domain = re.escape(os.environ.get("WORKSHOP_EMAIL_DOMAIN", "").strip().lower())
c.Authenticator.username_pattern = (
    rf"^[a-z0-9._%+-]+@{_domain}$" if _domain else r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"
)
if os.environ.get("WORKSHOP_ADMINS"):
    c.Authenticator.admin_users = {
        n.strip().lower() for n in os.environ["WORKSHOP_ADMINS"].split(",") if n.strip()
    }
    c.SharedPasswordAuthenticator.admin_password = _required("WORKSHOP_ADMIN_PASSWORD")

# ----------------------------------------------------------------------------- servers
c.JupyterHub.spawner_class = WorkshopSpawner
#: How a participant's server starts: ``jupyterhub-singleuser`` (Jupyter Server with
#: JupyterHub's extension), minus one import. jsonschema, which Jupyter Server imports for its
#: event schemas, imports ``rfc3987_syntax`` whenever that optional package is installed, and
#: that one import builds a parser: 1.2-1.8 CPU-seconds of each server's start, for a check of
#: "iri" strings these servers never make. Marking it absent makes jsonschema skip that one
#: check, as it does where the package is not installed.
SERVER_MAIN = (
    "import sys; sys.modules['rfc3987_syntax'] = None; "
    "from jupyterhub.singleuser import main; sys.exit(main())"
)
c.Spawner.cmd = [PYTHON, "-c", SERVER_MAIN]
c.Spawner.notebook_dir = str(PAGES)
c.Spawner.default_url = f"/voila/render/{first_page()}"
#: A participant's server loads Voila and nothing else: not JupyterLab (its start, its news
#: and update checks, its extension manager), not jupyter_lsp, the terminals or notebook_shim,
#: whatever else the environment has installed. A facilitator's server loads them all (see
#: ``_facilitators_get_jupyterlab`` below).
PARTICIPANT_EXTENSIONS = {"voila.server_extension": True}
c.Spawner.args = [
    *(
        f"--ServerApp.jpserver_extensions={name}={on}"
        for name, on in PARTICIPANT_EXTENSIONS.items()
    ),
    # Kernels are started for the pages only: the kit's page kernel ("workshop-pages", the
    # stock kernel without its debugger import) and "python3" where a page falls back to it.
    # Look for no others. (A container setting is given once per value.)
    "--KernelSpecManager.allowed_kernelspecs=workshop-pages",
    "--KernelSpecManager.allowed_kernelspecs=python3",
    # Kernels talk to their server over Unix sockets, not TCP: with many servers on one
    # machine, two kernels starting at once can be handed the same free TCP port; one then
    # dies and its page never finishes loading.
    "--KernelManager.transport=ipc",
    # A page opened by its address (the first page, a reload, a bookmark) starts a kernel;
    # Next and Back step on in the same one. Opening a page ends the kernel of the page
    # before (the kit's pre-launch hook), but a closed tab leaves its kernel running: stop
    # kernels that nobody is connected to and that did nothing for 2 minutes, so a
    # participant holds about one kernel. An open page's kernel stays.
    "--MappingKernelManager.cull_idle_timeout=120",
    "--MappingKernelManager.cull_interval=30",
    "--MappingKernelManager.cull_connected=False",
]


def runtime_dir(spawner) -> str:
    """A short private folder for the kernels' sockets, one per participant.

    A socket's path may not pass 107 characters, and the kernels' names take about 50: the
    folder is under the hub's folder when that is short, else under /tmp, named by the hub.
    """
    return str(RUNTIME / str(spawner.user.id))


c.Spawner.environment = {
    "WORKSHOP_KIT_HOME": "~/workshop-answers",
    "WORKSHOP_KIT_ROOMS": str(ROOMS),
    "JUPYTER_RUNTIME_DIR": runtime_dir,
    # Load only the extensions named on the command line (PARTICIPANT_EXTENSIONS), not every
    # one the environment's config enables (JupyterHub's own switch for its server extension).
    "JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS": "0",
}
# The pages' Voila settings and template ship inside the kit (JUPYTER_PATH and
# JUPYTER_CONFIG_PATH pointing at them).
c.Spawner.environment.update(voila_env({}))
c.Spawner.start_timeout = 120  # a first start during a login storm is slow
c.Spawner.http_timeout = 90

# Concurrent spawns can draw the same random port before either server binds it (one
# participant then lands on another's server): hand out ports here, one per server.
_ports: dict[str, int] = {}


def _claim_port(spawner) -> None:
    _ports.pop(spawner.user.name, None)
    port = random_port()
    while port in _ports.values():
        port = random_port()
    _ports[spawner.user.name] = port
    spawner.port = port


def _release_port(spawner) -> None:
    _ports.pop(spawner.user.name, None)


def _facilitators_get_jupyterlab(spawner) -> None:
    """An administrator (a facilitator) gets every installed extension and JupyterLab first.

    They run the room's notebook and the projector page, which participants never need.
    """
    if not spawner.user.admin:
        return
    spawner.environment = {
        **spawner.environment,
        "JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS": "1",
    }
    spawner.args = [a for a in spawner.args if not a.startswith("--ServerApp.jpserver_extensions=")]
    spawner.default_url = "/lab"
    # Their own home, not the shared read-only pages folder: `workshop-kit open` copies the
    # notebooks there, and `room create` / `room present --copy-to` write their files there.
    spawner.notebook_dir = "~"


def _before_spawn(spawner) -> None:
    _claim_port(spawner)
    _facilitators_get_jupyterlab(spawner)


c.Spawner.pre_spawn_hook = _before_spawn
c.Spawner.post_stop_hook = _release_port

# ----------------------------------------------------------------------------- load
# Spawns queue behind this many at once (more get "try again in a few seconds"), and
# no more servers than the machine holds. A slow spawn must not block the next ones.
c.JupyterHub.concurrent_spawn_limit = 20
c.JupyterHub.active_server_limit = _number("WORKSHOP_MAX_SERVERS", 100)
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
# A participant whose server was stopped goes straight back to it on reload.
c.JupyterHub.implicit_spawn_seconds = 2

# ----------------------------------------------------------------------------- idle culler
_idle = _number("WORKSHOP_IDLE_MINUTES", 60) * 60
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={_idle}",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

prepare_folders()
