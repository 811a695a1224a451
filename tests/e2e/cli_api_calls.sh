#!/usr/bin/env bash
# Calls for applications through `fow serve` (issue 14, points 2 and 3): the journey from a
# public call to awards, access by role and organisation, the jury's conflicts, errors
# naming the field, and parallel awards that only 3 of 16 can have
# (tests/e2e/api_calls_test.py, python3 standard library only).
# Usage: bash cli_api_calls.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_calls_test.py" "$FOW" "$E2E/../.."
