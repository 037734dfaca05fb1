"""`python -m app.cli`: the `yilian` command."""

import sys

from app.cli.main import main

sys.exit(main())
