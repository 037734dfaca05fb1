#!/usr/bin/env bash
# Run the whole test suite on SQLite and on a real PostgreSQL server started here.
# Extra arguments go to pytest (e.g. tests/unit -k idcard).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages "$TEST_PACKAGES"
ensure_venv "test"
start_postgres
trap stop_postgres EXIT
export YILIAN_REQUIRE_PG=1   # a missing server fails the run instead of skipping half of it
cd "$ROOT"
"$VENV/bin/python" -m ruff check .
"$VENV/bin/python" -m mypy
"$VENV/bin/python" -m pytest "$@"
