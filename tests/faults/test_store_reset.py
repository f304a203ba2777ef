"""Reset while an old kernel is still open: the previous person's answers never come back."""

from __future__ import annotations

from kit import Commitments, MotivationSort
from kit.answers import clear
from kit.cli import main


def test_an_old_kernels_autosave_does_not_recreate_the_cleared_file(home):
    sort = MotivationSort()
    sort._buckets["watch"].click()
    assert main(["reset", "--home", str(home), "--yes", "--no-backup"]) == 0
    sort._buckets["healthy"].click()  # the old kernel autosaves after the reset
    assert not (home / "motivations.json").exists()
    assert "cleared" in sort._notice.value


def test_after_a_backup_reset_the_next_person_starts_fresh_and_saves(home):
    old = Commitments()
    old._boxes["keep"].value = "previous person's habit"
    clear(home)  # with a backup, as the 'clear my answers' button does
    old._boxes["keep"].value = "previous person's habit, edited"
    assert not (home / "commitments.json").exists()
    new = Commitments()  # a kernel started after the reset
    assert new.value == {}
    new._boxes["keep"].value = "next person's habit"
    assert (home / "commitments.json").exists()
