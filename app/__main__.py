"""`python -m app [--db PATH_OR_URL]`: start the Yilian desktop application."""

from __future__ import annotations

import sys


def main() -> int:
    from app.ui.application import main as run

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
