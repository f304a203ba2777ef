"""A Python environment that participants' own Unix accounts can run, for the real-users run.

The tests' own Python may sit where other accounts cannot read it (a pyenv under /root, a
virtual environment in a private home). Participants' servers then need another one: a
virtual environment made from the system's Python in a world-readable folder, with the
kit's dependencies and JupyterHub's single-user server. It is built once per
``pyproject.toml`` (the folder's name is its hash) and reused offline afterwards; the kit
itself comes from the checkout on ``PYTHONPATH``, so that the code under test is what runs.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

__all__ = ["SYSTEM_PYTHON", "participant_python"]

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")
#: World-readable and kept across runs (unlike /tmp on many machines).
BASE = Path("/var/tmp/leadership-workshop-kit-hub-env")


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    hub = [r for r in project["optional-dependencies"]["hub"] if r.startswith("jupyterhub>")]
    return [*project["dependencies"], *hub]


def participant_python() -> Path:
    """Return the ``python`` of the readable environment, building it on first use.

    Raises
    ------
    FileNotFoundError
        When the system has no ``/usr/bin/python3`` to build from.
    subprocess.CalledProcessError
        When building or installing fails (for example, no package index on a first run).
    """
    if not SYSTEM_PYTHON.exists():
        raise FileNotFoundError(f"{SYSTEM_PYTHON} is missing: no Python participants can run")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    env = BASE / digest
    python = env / "bin" / "python"
    if (env / ".complete").exists():
        return python
    shutil.rmtree(env, ignore_errors=True)
    BASE.mkdir(parents=True, exist_ok=True)
    BASE.chmod(0o755)
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(env)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *_requirements()],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:  # say why, then fail as the caller expects
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        done.check_returncode()
    subprocess.run(["chmod", "-R", "a+rX", str(env)], check=True)
    (env / ".complete").write_text(digest)
    return python
