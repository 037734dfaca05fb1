#!/usr/bin/env bash
# Refresh resources/translations/yilian_zh_CN.ts from the sources (app/ui, forms) and
# compile it to .qm. New strings appear as "unfinished": translate them (Qt Linguist or by
# hand), run this again, and commit both files; tests/gui/test_translations.py fails while
# any message is untranslated or its placeholders differ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${VENV:-$ROOT/.venv}/bin"
cd "$ROOT"
mapfile -t SOURCES < <(find app/ui -name '*.py' | sort; find forms -name '*.ui' | sort)
for lang in zh_CN; do
    ts="resources/translations/yilian_${lang}.ts"
    "$BIN/pyside6-lupdate" -no-obsolete -locations relative -target-language "$lang" \
        "${SOURCES[@]}" -ts "$ts"
    "$BIN/pyside6-lrelease" "$ts" -qm "resources/translations/yilian_${lang}.qm"
done
