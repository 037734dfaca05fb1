# Shared steps of run-app.sh and run-tests.sh: system packages, the venv, PostgreSQL.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

# Qt's runtime libraries on a bare Debian, a CJK font for Chinese text on screen and in PDFs,
# and venv support for the system Python.
GUI_PACKAGES="libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 fonts-wqy-microhei python3-venv"
# Tests also read PDFs back as pictures, start a PostgreSQL server, and open the certificate
# verification page in Chromium (driven by Playwright, never a downloaded browser).
TEST_PACKAGES="$GUI_PACKAGES poppler-utils poppler-data postgresql chromium"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_packages() {
  local missing=()
  for pkg in $1; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "not a Debian system; make sure these are installed: ${missing[*]}"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "missing system packages (run as root, or: sudo apt-get install ${missing[*]})"
    return 0
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
  local extras="$1" stamp
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  # One stamp per set of extras, so running the app after the tests (or the other way
  # round) does not reinstall; a changed pyproject.toml does.
  stamp="$(sha1sum < "$ROOT/pyproject.toml" | cut -c1-12)"
  if [ "$(cat "$VENV/.yilian-installed-$extras" 2>/dev/null)" != "$stamp" ]; then
    say "installing Yilian and its libraries into $VENV"
    local log="$VENV/pip-install.log"
    if ! { "$VENV/bin/python" -m pip install --upgrade pip \
           && "$VENV/bin/python" -m pip install -e "$ROOT[$extras]"; } >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      say "installing the Python packages failed (full log: $log)"
      return 1
    fi
    echo "$stamp" > "$VENV/.yilian-installed-$extras"
  fi
}

# Start a throw-away PostgreSQL server on loopback for the tests; exports YILIAN_TEST_PG.
start_postgres() {
  local bindir port data
  port="${YILIAN_PG_PORT:-55432}"
  data="${TMPDIR:-/tmp}/yilian-pg-$port"
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bindir" ]; then
    say "PostgreSQL is not installed; cannot run the PostgreSQL half of the suite"
    return 1
  fi
  local run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi  # initdb refuses root
  if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    "${run[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >/dev/null
  fi
  "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w stop -m fast \
    >/dev/null 2>&1 || true
  # fsync off: a test server's data is disposable, and it makes the suite much faster.
  "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  export YILIAN_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
  PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$data" -w stop -m fast)
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_STOP+x}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
}
