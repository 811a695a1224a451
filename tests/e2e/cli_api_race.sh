#!/usr/bin/env bash
# SIGHUP reloads, API imports and readers racing on one `fow serve` for a few
# seconds: every answer belongs to one state and the last state wins
# (tests/e2e/api_race_test.py; `make soak` runs it longer, with the access
# matrix). Usage: bash cli_api_race.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_race_test.py" "$FOW" "$E2E/../.." --seconds "${FOW_RACE_SECONDS:-5}"
