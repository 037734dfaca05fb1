"""`yilian` subcommands for points (wired into app.cli)."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands; each sets `func` and may call `app.cli.open_db(args)`."""
