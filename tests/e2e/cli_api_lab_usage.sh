#!/usr/bin/env bash
# The labs' calendar feeds, usage and projects through `fow serve`, every feed parsed by
# python3-icalendar (tests/e2e/api_lab_usage_test.py).
# Usage: bash cli_api_lab_usage.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_lab_usage_test.py" "$FOW" "$E2E/../.."
