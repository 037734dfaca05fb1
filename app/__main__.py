"""`python -m app [--db PATH_OR_URL]`: start the Yilian desktop application."""

from __future__ import annotations

import sys


def main() -> int:
    if "--smoke" in sys.argv:  # hidden: proves a built bundle works (app/ui/common/smoke.py)
        from app.ui.common.smoke import run as smoke

        return smoke(sys.argv)
    from app.ui.application import main as run

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
