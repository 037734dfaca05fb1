#!/usr/bin/env bash
# Run Yilian: installs what it needs on first use, then opens the GUI on the default
# SQLite register (or the one given with --db / YILIAN_DB).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages "$GUI_PACKAGES"
ensure_venv "gui"
exec "$VENV/bin/python" -m app "$@"
