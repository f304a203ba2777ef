"""axe-core accessibility checks for any page a browser test has open.

axe-core comes bundled inside the ``axe-playwright-python`` package (a test extra), so it
is injected from the local install and nothing is fetched while a test runs. Use it from
any page test::

    from axe import axe_violations, describe_violations

    found = axe_violations(page)
    assert not found, describe_violations(found)

Wait for the page to finish drawing first: axe checks what is on the page at that moment
(hidden elements are skipped by most rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["AXE_TAGS", "axe_violations", "describe_violations"]

#: The WCAG rule sets the kit's pages must pass: 2.0 and 2.1 A and AA, and 2.2 AA.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def axe_violations(page: Any, *, tags: Sequence[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on a Playwright page; return its violations (empty when it passes).

    Each violation is axe's own dict: ``id``, ``impact``, ``help`` and the ``nodes`` that
    fail, each with a CSS ``target`` and a ``failureSummary``.
    """
    from axe_playwright_python.sync_playwright import Axe  # a test extra, loaded on use

    options = {"runOnly": {"type": "tag", "values": list(tags)}}
    return list(Axe().run(page, options=options).response["violations"])


def describe_violations(violations: Sequence[dict], *, nodes: int = 3) -> str:
    """One readable paragraph per violation: rule, impact, help, the first failing nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')}")
        for node in v.get("nodes", [])[:nodes]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {node.get('target')}: {summary[:300]}")
    return "\n".join(lines)
