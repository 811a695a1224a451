#!/usr/bin/env bash
# The worker's plan through `fow serve` (issue 13, point 7): the journey, access by
# organisation and role, bad input naming the field, export and erasure
# (tests/e2e/api_plans_test.py, python3 standard library only).
# Usage: bash cli_api_plans.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_plans_test.py" "$FOW" "$E2E/../.."
