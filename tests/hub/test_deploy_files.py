"""The files in ``deploy/``, checked as far as this machine allows without a hub or a cluster.

- ``jupyterhub_config.py`` is loaded the way JupyterHub loads it (traitlets' config file
  loader) and its settings are read back; a missing password is one clear sentence.
- ``z2jh/values.yaml`` is parsed; every key path must be one the Zero to JupyterHub chart's
  ``values.schema.yaml`` allows. The chart publishes that schema only in its repository (no
  package registry ships it), so the allowed paths this file uses are written out below,
  from the schema of the chart's main branch (JupyterHub 5.x chart, 2026). Not checked here:
  the full schema's types and patterns, the chart's templates, a real cluster.
- ``Dockerfile``: the steps that run Python are run here against temporary folders (the
  pages and the Voila settings land where the image expects them); the rest is read.
  Not checked: a docker build (no docker and no base image here).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kit.pages.kernel import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VALUES = DEPLOY / "z2jh" / "values.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"

#: Key paths of the chart's values.schema.yaml that values.yaml may use ("*": any map key).
SCHEMA_PATHS = {
    "hub",
    "hub.config",
    "hub.templatePaths",
    "hub.extraFiles",
    "hub.extraFiles.*",
    "hub.extraFiles.*.mountPath",
    "hub.extraFiles.*.stringData",
    "hub.extraFiles.*.mode",
    "hub.concurrentSpawnLimit",
    "hub.activeServerLimit",
    "hub.consecutiveFailureLimit",
    "hub.extraConfig",
    "hub.resources",
    "singleuser",
    "singleuser.image",
    "singleuser.image.name",
    "singleuser.image.tag",
    "singleuser.image.pullPolicy",
    "singleuser.cmd",
    "singleuser.defaultUrl",
    "singleuser.startTimeout",
    "singleuser.memory",
    "singleuser.memory.guarantee",
    "singleuser.memory.limit",
    "singleuser.cpu",
    "singleuser.cpu.guarantee",
    "singleuser.cpu.limit",
    "singleuser.storage",
    "singleuser.storage.type",
    "singleuser.storage.capacity",
    "singleuser.storage.homeMountPath",
    "singleuser.storage.extraVolumes",
    "singleuser.storage.extraVolumeMounts",
    "singleuser.extraEnv",
    "singleuser.networkPolicy",
    "cull",
    "cull.enabled",
    "cull.users",
    "cull.timeout",
    "cull.every",
    "cull.concurrency",
    "cull.maxAge",
    "scheduling",
    "scheduling.userScheduler",
    "scheduling.userScheduler.enabled",
    "scheduling.podPriority",
    "scheduling.podPriority.enabled",
    "scheduling.userPlaceholder",
    "scheduling.userPlaceholder.enabled",
    "scheduling.userPlaceholder.replicas",
    "scheduling.userPods",
    "scheduling.userPods.nodeAffinity",
    "scheduling.userPods.nodeAffinity.matchNodePurpose",
    "prePuller",
    "prePuller.hook",
    "prePuller.hook.enabled",
    "prePuller.continuous",
    "prePuller.continuous.enabled",
    "proxy",
    "proxy.https",
    "ingress",
}
#: Paths whose contents the schema leaves open (additionalProperties: true, or passed on
#: to JupyterHub's own config), so anything below them is allowed.
OPEN_PATHS = {"hub.config", "hub.extraConfig", "singleuser.extraEnv", "hub.resources"}


def _paths(node: object, prefix: str = "") -> list[str]:
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.append(path)
            if path not in OPEN_PATHS:
                out += _paths(value, path)
    return out


def _allowed(path: str) -> bool:
    parts = path.split(".")
    for pattern in SCHEMA_PATHS:
        p = pattern.split(".")
        if len(p) == len(parts) and all(a in ("*", b) for a, b in zip(p, parts, strict=True)):
            return True
    return False


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def first_page() -> str:
    from kit.pages.journey import page_steps

    return f"{page_steps()[0].notebook}.ipynb"


def test_every_values_key_is_one_the_chart_schema_allows(values):
    unknown = [p for p in _paths(values) if not _allowed(p)]
    assert not unknown, f"keys the Zero to JupyterHub schema does not have: {unknown}"


def test_values_send_participants_to_the_first_page_with_a_shared_rooms_volume(values):
    single = values["singleuser"]
    assert single["defaultUrl"] == f"/voila/render/{first_page()}"
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    volumes = {v["name"]: v for v in single["storage"]["extraVolumes"]}
    assert single["extraEnv"]["WORKSHOP_KIT_ROOMS"] == mounts["workshop-rooms"]
    assert "persistentVolumeClaim" in volumes["workshop-rooms"]
    home = single["storage"].get("homeMountPath", "/home/jovyan")  # the chart's default
    assert single["extraEnv"]["WORKSHOP_KIT_HOME"].startswith(home + "/")


def _mebibytes(text: str) -> float:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)", text).groups()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}[unit]
    return float(number) * scale / 2**20


def test_memory_guarantee_and_limit_leave_room_above_the_measured_participant(values):
    memory = values["singleuser"]["memory"]
    guarantee, limit = _mebibytes(memory["guarantee"]), _mebibytes(memory["limit"])
    # Measured (hub-day.md, sizing; PSS): a Voila-only server ~113 MiB, the one page kernel a
    # participant holds up to ~78 MiB; while the next page's kernel starts, two kernels.
    server, kernel = 113, 78
    steady, peak = server + kernel, server + 2 * kernel
    assert steady <= guarantee <= limit
    assert limit >= peak * 2  # a participant who clicks through fast is not killed


def _allowed_kernels(args: list[str]) -> set[str]:
    flag = "--KernelSpecManager.allowed_kernelspecs="
    return {a.removeprefix(flag) for a in args if a.startswith(flag)}


def test_values_give_participants_a_voila_only_server_and_facilitators_jupyterlab(values):
    single = values["singleuser"]
    cmd = single["cmd"]
    assert cmd[0] == "jupyterhub-singleuser"
    assert "--ServerApp.jpserver_extensions=voila.server_extension=True" in cmd
    assert _allowed_kernels(cmd) == {KERNEL_NAME, "python3"}  # the page kernel is allowed
    assert single["extraEnv"]["JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"] == "0"
    # The hub's extra config gives an admin's spawner the full server: run that hook.
    from types import SimpleNamespace

    class Config:
        def __getattr__(self, name):
            return self.__dict__.setdefault(name, SimpleNamespace())

    c = Config()
    for code in values["hub"]["extraConfig"].values():
        exec(code, {"c": c})
    hook = c.KubeSpawner.pre_spawn_hook
    for admin in (False, True):
        env = {"JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS": "0", "WORKSHOP_KIT_ROOMS": "/srv"}
        spawner = SimpleNamespace(
            user=SimpleNamespace(admin=admin), cmd=list(cmd), environment=env, default_url="/x"
        )
        hook(spawner)
        assert spawner.cmd == (["jupyterhub-singleuser"] if admin else cmd)
        assert spawner.environment["JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"] == (
            "1" if admin else "0"
        )
        assert spawner.environment["WORKSHOP_KIT_ROOMS"] == "/srv"
        assert spawner.default_url == ("/lab" if admin else "/x")


def test_values_cull_big_events_and_warm_them_up(values):
    assert values["cull"]["enabled"] is True
    assert values["cull"]["timeout"] >= 1800  # longer than a workshop's break
    assert values["cull"]["users"] is False  # servers are stopped; homes stay
    assert values["scheduling"]["userPlaceholder"]["enabled"] is True
    assert values["prePuller"]["hook"]["enabled"] is True
    pattern = re.compile(values["hub"]["config"]["Authenticator"]["username_pattern"])
    assert pattern.match("ann.lee@example.com") and not pattern.match("anna")
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "shared-password"
    assert values["hub"]["config"]["SharedPasswordAuthenticator"]["user_password"] == ""


def _dockerfile_steps() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            steps.append((word.upper(), rest.strip()))
    return steps


def test_dockerfile_installs_the_wheel_and_the_single_user_server(values):
    steps = _dockerfile_steps()
    assert steps[0][0] == "FROM"
    run = " ".join(rest for word, rest in steps if word == "RUN")
    assert "leadership_workshop_kit-*.whl" in run
    assert re.search(r'"jupyterhub>=5\.3', run)
    assert ("USER", "1000") in steps
    # The parser-building import every server start would pay for (see the Dockerfile).
    assert "pip uninstall --yes rfc3987-syntax" in run
    env = " ".join(rest for word, rest in steps if word == "ENV")
    assert f"WORKSHOP_KIT_ROOMS={values['singleuser']['extraEnv']['WORKSHOP_KIT_ROOMS']}" in env


def test_dockerfile_python_steps_put_pages_and_settings_where_the_image_serves_them(tmp_path):
    run = " ".join(rest for word, rest in _dockerfile_steps() if word == "RUN")
    snippets = re.findall(r'python -c "([^"]+)"', run)
    assert len(snippets) == 2
    where = {
        "/srv/pages": tmp_path / "pages",
        "/usr/local/etc/jupyter": tmp_path / "etc",
        "/usr/local/share/jupyter": tmp_path / "share",
    }
    for code in snippets:
        for old, new in where.items():
            code = code.replace(f"'{old}'", repr(str(new)))
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert (tmp_path / "pages" / first_page()).is_file()
    assert (tmp_path / "etc" / "voila.py").is_file()
    assert (tmp_path / "etc" / "jupyter_server_config.py").is_file()
    assert (tmp_path / "share" / "voila" / "templates" / "workshop" / "index.html.j2").is_file()
    assert "root_dir" in run and "/srv/pages" in run


# ----------------------------------------------------------------------------- hub config
needs_hub = pytest.mark.skipif(
    importlib.util.find_spec("jupyterhub") is None,
    reason="jupyterhub is not installed: install the kit with its [hub] extra",
)


def _load_config(tmp_path: Path, **env: str):
    """Load deploy/jupyterhub_config.py as JupyterHub does, in a subprocess; return a dict."""
    code = (
        "import json\n"
        "from traitlets.config.loader import PyFileConfigLoader\n"
        f"cfg = PyFileConfigLoader('jupyterhub_config.py', path={str(DEPLOY)!r}).load_config()\n"
        "hub, sp = cfg.JupyterHub, cfg.Spawner\n"
        "print(json.dumps(default=repr, obj={\n"
        "  'authenticator': hub.authenticator_class, 'spawner': hub.spawner_class.__name__,\n"
        "  'default_url': sp.default_url, 'environment': sp.environment,\n"
        "  'notebook_dir': sp.notebook_dir, 'args': sp.args, 'cmd': sp.cmd,\n"
        "  'services': hub.services, 'limit': hub.concurrent_spawn_limit,\n"
        "  'active': hub.active_server_limit, 'tornado': hub.tornado_settings,\n"
        "  'implicit': hub.implicit_spawn_seconds,\n"
        "  'pattern': cfg.Authenticator.username_pattern,\n"
        "  'password': cfg.SharedPasswordAuthenticator.user_password}))\n"
    )
    import os

    full = {**os.environ, "WORKSHOP_HUB_DIR": str(tmp_path / "hub"), **env}
    full["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), full.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=False
    )


@needs_hub
def test_the_hub_config_sends_everyone_to_the_guided_flow_and_culls_safely(tmp_path):
    import json

    done = _load_config(tmp_path, WORKSHOP_PASSWORD="a long shared phrase")
    assert done.returncode == 0, done.stderr
    cfg = json.loads(done.stdout.strip().splitlines()[-1])
    assert cfg["authenticator"] == "shared-password"
    assert cfg["password"] == "a long shared phrase"
    assert cfg["spawner"] == "WorkshopSpawner"
    assert cfg["default_url"] == f"/voila/render/{first_page()}"
    assert cfg["environment"]["WORKSHOP_KIT_ROOMS"] == str(tmp_path / "hub" / "rooms")
    assert cfg["environment"]["WORKSHOP_KIT_HOME"].startswith("~/")
    assert Path(cfg["notebook_dir"], first_page()).is_file()
    assert cfg["tornado"] == {"slow_spawn_timeout": 0}
    # Kernels on Unix sockets (TCP ports collide when many servers start kernels at once).
    assert "--KernelManager.transport=ipc" in cfg["args"]
    assert "JUPYTER_RUNTIME_DIR" in cfg["environment"]
    # Participants' servers load Voila and no other server extension.
    assert "--ServerApp.jpserver_extensions=voila.server_extension=True" in cfg["args"]
    assert cfg["environment"]["JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"] == "0"
    # The pages' own kernel (no debugger import) is allowed, not only python3.
    assert _allowed_kernels(cfg["args"]) == {KERNEL_NAME, "python3"}
    assert cfg["cmd"][1] == "-c" and "jupyterhub.singleuser" in cfg["cmd"][2]
    assert cfg["implicit"] > 0
    assert 0 < cfg["limit"] <= cfg["active"]
    (culler,) = [s for s in cfg["services"] if s["name"] == "idle-culler"]
    assert "--timeout=3600" in culler["command"]
    assert re.match(cfg["pattern"], "ann.lee@example.com")
    assert not re.match(cfg["pattern"], "anna")


@needs_hub
def test_the_hub_config_without_a_password_says_so_in_one_sentence(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "WORKSHOP_PASSWORD"}
    code = (
        "import runpy; from traitlets.config import Config; "
        "runpy.run_path('jupyterhub_config.py', init_globals={'get_config': Config})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=DEPLOY,
        env={**env, "WORKSHOP_HUB_DIR": str(tmp_path / "hub"), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("WORKSHOP_PASSWORD is not set")


@needs_hub
def test_unix_names_are_valid_unique_stable_and_say_nothing_of_the_person(tmp_path, monkeypatch):
    import runpy

    from traitlets.config import Config

    monkeypatch.setenv("WORKSHOP_PASSWORD", "a long shared phrase")
    monkeypatch.setenv("WORKSHOP_HUB_DIR", str(tmp_path))
    config = str(DEPLOY / "jupyterhub_config.py")
    unix_name = runpy.run_path(config, init_globals={"get_config": Config})["unix_name"]
    logins = [f"{n}@example.com" for n in ("ann.lee", "ann-lee", "a" * 60, "Ζωή")]
    names = [unix_name(login) for login in logins]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"wk-[0-9a-f]{12}", n) for n in names)
    assert "ann" not in names[0]
    again = runpy.run_path(config, init_globals={"get_config": Config})["unix_name"]
    assert [again(login) for login in logins] == names  # the same account after a restart
    assert (tmp_path / "hub" / "account-key").stat().st_mode & 0o077 == 0


@needs_hub
def test_the_participant_server_command_starts_without_the_slow_iri_parser(tmp_path, monkeypatch):
    """The deployed server command imports jsonschema but refuses rfc3987_syntax's parser."""
    import os
    import runpy

    from traitlets.config import Config

    monkeypatch.setenv("WORKSHOP_PASSWORD", "a long shared phrase")
    monkeypatch.setenv("WORKSHOP_HUB_DIR", str(tmp_path))
    config = runpy.run_path(
        str(DEPLOY / "jupyterhub_config.py"), init_globals={"get_config": Config}
    )
    _, flag, code = config["c"].Spawner.cmd
    done = subprocess.run(
        [sys.executable, flag, code, "--version"],
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()  # JupyterHub's version: the server's own entry point ran
    times = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.split("|")[1].strip().isdigit():
            _, cumulative, name = (part.strip() for part in line.split("|"))
            times[name] = int(cumulative)
    assert "jsonschema" in times  # the import that would have pulled the parser in
    assert times.get("rfc3987_syntax", 0) < 1000  # microseconds: refused, not built


@needs_hub
def test_facilitators_get_every_extension_and_jupyterlab_participants_voila_only(
    tmp_path, monkeypatch
):
    import runpy
    from types import SimpleNamespace

    from traitlets.config import Config

    monkeypatch.setenv("WORKSHOP_PASSWORD", "a long shared phrase")
    monkeypatch.setenv("WORKSHOP_HUB_DIR", str(tmp_path))
    config = runpy.run_path(
        str(DEPLOY / "jupyterhub_config.py"), init_globals={"get_config": Config}
    )
    spawner_config = config["c"].Spawner
    seen = {}
    for admin in (False, True):
        spawner = SimpleNamespace(
            user=SimpleNamespace(admin=admin, name=f"{admin}@example.com"),
            args=list(spawner_config.args),
            environment=dict(spawner_config.environment),
            default_url=spawner_config.default_url,
            port=0,
        )
        spawner_config.pre_spawn_hook(spawner)
        seen[admin] = spawner
    participant, facilitator = seen[False], seen[True]
    # A facilitator works in their own (writable) home; participants in the pages folder.
    assert facilitator.notebook_dir == "~"
    assert not hasattr(participant, "notebook_dir")
    assert "--ServerApp.jpserver_extensions=voila.server_extension=True" in participant.args
    assert participant.environment["JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"] == "0"
    assert participant.default_url == f"/voila/render/{first_page()}"
    assert not any(a.startswith("--ServerApp.jpserver_extensions") for a in facilitator.args)
    assert facilitator.environment["JUPYTERHUB_SINGLEUSER_LOAD_OTHER_EXTENSIONS"] == "1"
    assert facilitator.default_url == "/lab"
    # Both keep everything else: kernels on sockets, their own ports.
    assert "--KernelManager.transport=ipc" in facilitator.args
    assert participant.port and facilitator.port and participant.port != facilitator.port
