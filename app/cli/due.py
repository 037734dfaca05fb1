"""`yilian due`: what is due or overdue (inspections, agreements, certificates, ratings)."""

from __future__ import annotations

import argparse

from app.cli.common import SharedVerbs


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
