"""``python -m cytrack_ticket``: the same as the ``cytrack-ticket`` command."""

import sys

from ._cli import main

sys.exit(main())
