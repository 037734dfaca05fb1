#!/usr/bin/env bash
# Regenerate the screenshots of the user guide (docs/guide/README.md) from the running
# application: a demo register in a temporary folder, the real main window on a virtual
# 1440×900 screen (Xvfb), driven like a user by docs/guide/make_guide.py.
# Fails when the guide shows a picture the run did not make.
#   scripts/make-user-guide.sh            all tasks
#   scripts/make-user-guide.sh redeem     only some (the Driver method names), for a quick look
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages "$GUI_PACKAGES xvfb xauth"
# A venv installed for the tests holds everything the GUI needs: do not reinstall over it.
stamp="$(sha1sum < "$ROOT/pyproject.toml" | cut -c1-12)"
[ "$(cat "$VENV/.yilian-installed-test" 2>/dev/null)" = "$stamp" ] || ensure_venv "gui"
if ! command -v xvfb-run >/dev/null; then
  say "xvfb-run is missing (run as root to install it, or: sudo apt-get install xvfb xauth)"
  exit 1
fi
cd "$ROOT"
# The driver grabs the screen itself; no platform override may leave it off-screen.
unset QT_QPA_PLATFORM
export LANG="${LANG:-C.UTF-8}"
exec xvfb-run -a -s "-screen 0 1440x900x24" "$VENV/bin/python" docs/guide/make_guide.py "$@"
