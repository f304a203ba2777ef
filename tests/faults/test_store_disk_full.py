"""A full disk after another window's change: nothing vanishes, and the notice says where."""

from __future__ import annotations

import errno
import tempfile

from kit import MotivationSort


def test_a_full_disk_after_another_windows_change_keeps_that_change_findable(home, monkeypatch):
    left = MotivationSort()
    left._buckets["watch"].click()
    right = MotivationSort()  # a second window opens the same exercise and changes it
    right._buckets["healthy"].click()
    theirs = right.value

    real = tempfile.mkstemp

    def full(*args, prefix=None, **kwargs):
        if prefix == ".motivations.":  # the answers file itself; copies kept aside still fit
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, prefix=prefix, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", full)
        left._buckets["not_me"].click()  # conflicts with the other window; the disk is full
    shown = left._notice.value
    assert "No space left" in shown
    # The notice says where the other window's answers are now.
    copies = list(home.glob("motivations.*.json"))
    assert (home / "motivations.json").exists() or copies
    names = ["motivations.json"] + [c.name for c in copies]
    assert any(name in shown for name in names), shown
    # The next time the exercise opens, the other window's answers are there (or named).
    reopened = MotivationSort()
    assert reopened.value == theirs or any(c.name in " ".join(reopened.notices) for c in copies)
