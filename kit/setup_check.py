"""The set-up check of the welcome notebook: is everything the workshop needs here?"""

from __future__ import annotations

import html
import importlib
import importlib.metadata
import os
import sys
import tempfile
from dataclasses import dataclass

from kit import __version__
from kit._private_files import ensure_home
from kit.answers import ENV_PROFILE, default_home
from kit.content import ContentError, load_content

__all__ = ["Check", "SetupReport", "check_setup"]


@dataclass(frozen=True)
class Check:
    """One thing the workshop needs, whether it is there, and what to do if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _package(name: str, dist: str, why: str) -> Check:
    version = _version(dist)
    if version is None:
        return Check(
            name,
            False,
            f"not installed ({why})",
            "Run `python3 make.py workshop` again, or `pip install leadership-workshop-kit`.",
        )
    return Check(name, True, f"version {version}")


def check_setup() -> SetupReport:
    """Check Python, the packages, the content and the participant folder."""
    checks = [
        Check(
            "Python",
            sys.version_info >= (3, 11),
            sys.version.split()[0],
            "Install Python 3.11 or newer.",
        ),
        Check("Workshop kit", True, f"version {__version__}"),
        _package("Interactive exercises (ipywidgets)", "ipywidgets", "the exercises need it"),
        _package(
            "Widgets in JupyterLab (jupyterlab_widgets)",
            "jupyterlab_widgets",
            "JupyterLab shows the exercises with it",
        ),
        _package("Charts (matplotlib)", "matplotlib", "the charts need it"),
    ]
    try:
        content = load_content()
        checks.append(
            Check(
                "Workshop content",
                True,
                f"{len(content.cards)} cards, "
                f"{len(content.statements)} statements ({content.origin})",
            )
        )
    except ContentError as exc:
        checks.append(
            Check(
                "Workshop content",
                False,
                f"{len(exc.problems)} problems",
                "Run `workshop-kit check FOLDER` on your content folder.",
            )
        )
    if os.environ.get(ENV_PROFILE, "").strip().lower() == "demo":
        checks.append(
            Check("Where answers go", True, "demo profile: sample answers, nothing is saved")
        )
    else:
        home = default_home()
        try:
            ensure_home(home)  # owner-only, as everything in the participant folder
            with tempfile.TemporaryFile(dir=home):
                pass
            checks.append(Check("Where answers go", True, f"{home} (only on this computer)"))
        except OSError as exc:
            checks.append(
                Check(
                    "Where answers go",
                    False,
                    f"{home} cannot be written ({exc.strerror or exc})",
                    "Set WORKSHOP_KIT_HOME to a "
                    "folder you can write; the exercises still work without "
                    "saving.",
                )
            )
    return SetupReport(tuple(checks))


@dataclass(frozen=True)
class SetupReport:
    """The checks, shown as a table in a notebook and as lines in a terminal."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Whether everything needed is there."""
        return all(c.ok for c in self.checks)

    def __str__(self) -> str:
        lines = [
            f"{'OK ' if c.ok else 'MISSING'} {c.name}: {c.detail}"
            + (f" -> {c.fix}" if not c.ok and c.fix else "")
            for c in self.checks
        ]
        head = "Everything is ready." if self.ok else "Something is missing:"
        return "\n".join([head, *lines])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{'&#10003; ready' if c.ok else '&#10007; missing'}</td>"
            f"<td>{html.escape(c.name)}</td><td>{html.escape(c.detail)}"
            + (f"<br><b>What to do:</b> {html.escape(c.fix)}" if not c.ok and c.fix else "")
            + "</td></tr>"
            for c in self.checks
        )
        head = (
            "<p><b>Everything is ready.</b></p>"
            if self.ok
            else "<p><b>Something is missing.</b> See below what to do.</p>"
        )
        return f"{head}<table>{rows}</table>"

    def __repr__(self) -> str:
        return str(self)
