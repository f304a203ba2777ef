"""Everything in the participant folder is owner-only: files 0600, folders 0700."""

from __future__ import annotations

import os

from kit import Commitments, YourPath
from kit.answers import clear


def test_everything_the_kit_writes_for_a_participant_is_owner_only(home):
    old = os.umask(0o022)
    try:
        Commitments()._boxes["keep"].value = "one on-call shift a month"
        page = YourPath()
        assert page.save_report() is not None
        assert page.keep_snapshot() is not None
        clear(home)  # the backup folder too
        Commitments()._boxes["keep"].value = "the next person's habit"
    finally:
        os.umask(old)
    seen = 0
    for folder, _dirs, files in os.walk(home):
        assert os.stat(folder).st_mode & 0o777 == 0o700, folder
        for name in files:
            path = os.path.join(folder, name)
            assert os.stat(path).st_mode & 0o777 == 0o600, path
            seen += 1
    assert seen >= 4
