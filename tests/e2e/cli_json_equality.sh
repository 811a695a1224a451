#!/usr/bin/env bash
# `fow X --json` and the matching API route give the same document, for every reading
# command, on the demo data and (when FOW_SHARED_DATA holds it) the full public data
# (tests/e2e/cli_json_equality.py). Usage: bash cli_json_equality.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
have_shared_data || D=""
exec "$PY" "$E2E/cli_json_equality.py" "$FOW" "$DEMO" "$D"
