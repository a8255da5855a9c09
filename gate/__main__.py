"""Entry point for ``python -m gate``."""

import sys

from .cli import main

sys.exit(main())
