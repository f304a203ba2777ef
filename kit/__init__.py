"""A Jupyter workshop kit on one leadership question: should I keep doing hands-on work?

``import kit`` stays light: the widgets (ipywidgets) and charts (matplotlib) load the first
time they are used.

>>> from kit import MotivationSort, load_content      # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "ArchetypeMatcher",
    "ClearAnswers",
    "Commitments",
    "ContentError",
    "FinalPosition",
    "FirstPosition",
    "JoinRoom",
    "MotivationSort",
    "RoomView",
    "ShareWithRoom",
    "TimeAllocation",
    "YourPath",
    "__version__",
    "check_setup",
    "load_content",
]

_LAZY = {
    "load_content": "kit.content",
    "ContentError": "kit.content",
    "MotivationSort": "kit.widgets.motivation",
    "TimeAllocation": "kit.widgets.allocation",
    "ArchetypeMatcher": "kit.widgets.archetypes",
    "Commitments": "kit.widgets.commitments",
    "FirstPosition": "kit.widgets.position",
    "FinalPosition": "kit.widgets.position",
    "ClearAnswers": "kit.widgets.housekeeping",
    "check_setup": "kit.setup_check",
    "YourPath": "kit.widgets.path",
    "JoinRoom": "kit.widgets.room",
    "ShareWithRoom": "kit.widgets.room",
    "RoomView": "kit.widgets.room_view",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
