"""One compiled copy of the page template for every page a server renders.

Voila builds a new nbconvert exporter, and so a new Jinja environment, for every page it
serves, and each environment parses and compiles the page template and the dozen templates
it extends and imports, again: measured on a two-core machine, about 0.24 s of the server's
0.27 s of CPU per page. Neither Voila nor nbconvert has a setting for this (nbconvert's
``extra_loaders`` and the environment are not configurable), so :func:`share_compiled_templates`
gives every environment Voila's exporter creates one shared in-memory Jinja bytecode cache:
each template is compiled once per server. Jinja checks each template's source against a
checksum, so an edited template is compiled again and shows.
"""

from __future__ import annotations

from typing import Any

import jinja2

__all__ = ["CACHE", "MemoryBytecodeCache", "share_compiled_templates"]


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja bytecode kept in this process's memory, keyed by template name and source."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        """Fill ``bucket`` from memory, if this template was compiled before."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a changed source fails its checksum: compiled anew

    def dump_bytecode(self, bucket: Any) -> None:
        """Keep the bytecode just compiled into ``bucket``."""
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every template."""
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


#: The server's one cache, shared by the environments of every page.
CACHE = MemoryBytecodeCache()


def share_compiled_templates(exporter_class: Any = None) -> bool:
    """Make every Jinja environment of ``exporter_class`` (Voila's) use :data:`CACHE`.

    Returns whether it did: ``False`` when the class does not build its environment the way
    nbconvert 7 does (a newer version may change that; the pages then work as before).
    Calling it again changes nothing.
    """
    if exporter_class is None:
        # here, not at the top: only a server showing the pages needs Voila
        from voila.exporter import VoilaExporter as exporter_class
    create = getattr(exporter_class, "_create_environment", None)
    if create is None or getattr(create, "_wk_shared", False):
        return create is not None

    def _create_environment(self: Any) -> jinja2.Environment:
        environment = create(self)
        if environment.bytecode_cache is None:
            environment.bytecode_cache = CACHE
        return environment

    _create_environment._wk_shared = True  # type: ignore[attr-defined]
    exporter_class._create_environment = _create_environment
    return True
