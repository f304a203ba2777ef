"""Read one YAML file a person wrote, within bounds, or say in one sentence why not.

Content folders come from facilitators, so a content file may be anything: a folder named
``cards.yaml``, a named pipe that never ends, 20 MB of text, or a "billion laughs" of nested
aliases. :func:`read_yaml` opens regular files only (without blocking on a pipe) and refuses
a file over ``max_bytes`` before parsing it. It counts every value as it would be once the
aliases (``*name``) are expanded and stops as soon as there are more than ``max_values``:
aliases are how a small file expands to gigabytes, though a tool that writes YAML may use a
few. It refuses nesting deeper than ``max_depth`` and an alias inside its own anchor. Every
refusal is a :class:`YamlProblem` whose message is short enough to print as is. A file that
ships inside the kit (``packaged=True``) is parsed by libyaml instead when PyYAML has it:
the bounds guard against files people write, and every page's kernel reads the kit's own.
Nothing here imports the rest of the kit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

__all__ = ["YamlProblem", "read_yaml"]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class YamlProblem(ValueError):
    """Why a file could not be read, as the end of a sentence starting with its path."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    # O_NONBLOCK: opening a named pipe must not wait for a writer that never comes.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise YamlProblem(f"cannot be read ({exc.strerror}).") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise YamlProblem(f"is {_kind(mode)}, not a file; put the YAML file there instead.")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise YamlProblem(f"cannot be read ({exc.strerror}).") from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise YamlProblem(
            f"is larger than {max_bytes // 1000:,} KB; a content file is a few KB of text."
        )
    return b"".join(chunks)


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a depth limit and a limit on values after alias expansion.

    Each node's expanded size (itself plus everything under it, an alias counting as the
    whole of what it names) is known once the node is composed, so the check costs one sum
    per node and fails at the first node that grows too large, before anything is expanded.
    """

    max_depth = 20
    max_values = 200_000

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self._sizes:
                raise YamlProblem(
                    f"uses the alias *{event.anchor} inside its own anchor at line "
                    f"{event.start_mark.line + 1}; an entry cannot contain itself."
                )
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise YamlProblem(
                    f"is nested more than {self.max_depth} levels deep at line "
                    f"{mark.line + 1}; check the indentation and the brackets."
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = size = 1 + sum(map(self._size, _children(node)))
        if size > self.max_values:
            raise YamlProblem(
                f"holds more than {self.max_values:,} values once its aliases (*name) are "
                f"expanded (line {node.start_mark.line + 1}); write the entries out instead."
            )
        return node

    def _size(self, node: Any) -> int:
        return self._sizes.get(id(node), 1)


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_yaml(
    path: str | os.PathLike[str],
    *,
    max_bytes: int,
    max_depth: int = 20,
    max_values: int = 200_000,
    packaged: bool = False,
) -> Any:
    """Return the data of the YAML file at ``path``.

    Parameters
    ----------
    path
        The file. It must be a regular file (a link to one is fine).
    max_bytes
        The largest file accepted; a larger one is refused before it is parsed.
    max_depth
        The deepest nesting of lists and mappings accepted.
    max_values
        The most values (scalars, lists and mappings) accepted, counted with every alias
        expanded.
    packaged
        ``True`` for a file that ships inside the kit (never a person's): it is parsed by
        libyaml when PyYAML has it, about ten times faster than the bounded parser, which
        matters because every page's kernel reads the content once. The depth and alias
        bounds guard against files people write, not against the kit's own.

    Raises
    ------
    YamlProblem
        With a short message (it never quotes the file at length): the file is missing, not
        a regular file, too large, not UTF-8, not valid YAML, too deep, or too large once its
        aliases are expanded.
    """
    raw = _read_bytes(Path(path), max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"is not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
    if packaged and getattr(yaml, "CSafeLoader", None) is not None:
        loader: Any = yaml.CSafeLoader(text)
    else:
        loader = _BoundedLoader(text)
        loader.max_depth, loader.max_values = max_depth, max_values
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0][:200]
        raise YamlProblem(
            f"is not valid YAML{at}: {reason}. Check the indentation "
            "and quote text that contains ': ' or starts with a symbol."
        ) from None
    except RecursionError:  # belt and braces: the depth limit should come first
        raise YamlProblem("is nested too deeply; check the indentation and brackets.") from None
    finally:
        loader.dispose()
