"""``python -m kit`` runs the ``workshop-kit`` command."""

import sys

from kit.cli import main

sys.exit(main())
