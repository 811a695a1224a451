#!/usr/bin/env bash
# People records through `fow serve` (issue 13, points 1 and 2): every /api/v1/people
# route x every caller (no session, analyst, wrong or missing CSRF token, another
# organisation, no organisation, the person's counsellor, admin), the journey from
# consent to erasure, bad input naming the field, and an access log without personal
# data (tests/e2e/api_people_test.py, python3 standard library only).
# Usage: bash cli_api_people.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_people_test.py" "$FOW" "$E2E/../.."
