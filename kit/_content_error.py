"""The error a content folder gives when it cannot be used, and how it is shown.

Kept apart from the loader (:mod:`kit.content`, which re-exports it) so the message rules
live in one small place: every problem named with file, entry and field; a short version
for people (:meth:`ContentError.explain`) that the command line and notebooks show instead
of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["ENV_CONTENT", "ContentError"]

#: The environment variable naming a facilitator's own content folder.
ENV_CONTENT = "WORKSHOP_KIT_CONTENT"


class ContentError(ValueError):
    """Content that cannot be used, with one line per problem.

    ``str(error)`` lists every problem; :meth:`explain` is the short, ready-to-print message
    that every command and notebook shows (IPython shows it instead of a traceback).

    Parameters
    ----------
    problems
        Each problem as a full sentence naming file, entry id and field.
    folder
        The facilitator's content folder, when there is one.
    from_env
        Whether that folder came from ``$WORKSHOP_KIT_CONTENT``.
    """

    def __init__(
        self, problems: Iterable[str], *, folder: Path | None = None, from_env: bool = False
    ):
        self.problems = tuple(problems)
        self.folder = folder
        self.from_env = from_env
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the kit's content:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))

    def explain(self, limit: int = 12) -> str:
        """Return the message to show a person: what, where, and what to do next.

        At most ``limit`` problems are listed; ``workshop-kit check`` lists them all.
        """
        count = len(self.problems)
        plural = "s" if count != 1 else ""
        if self.folder is None:
            origin = "The kit's packaged content"
        elif self.from_env:
            origin = f"The content folder {self.folder} (set by {ENV_CONTENT})"
        else:
            origin = f"The content folder {self.folder}"
        lines = [f"{origin} cannot be used: {count} problem{plural}."]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if count > limit:
            lines.append(f"  ... and {count - limit} more.")
        if self.folder is not None:
            lines.append(f"Fix them and run 'workshop-kit check {self.folder}' to see if it works.")
            if self.from_env:
                lines.append(f"Or unset {ENV_CONTENT} to use the kit's own content.")
        return "\n".join(lines)

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback: a notebook cell that loads bad
        # content shows the same message as the command line, nothing more.
        return self.explain().splitlines()
