#!/usr/bin/env bash
# Cohorts and enrolment through `fow serve` (issue 13, point 5): 100 parallel enrolment
# requests (and 20 repeats) for 20 seats give exactly 20 enrolled and 80 waiting, no
# duplicates; promotion on cancellation, attendance, completion adding skills with
# provenance assessment; access by role and organisation, consent, an access log without
# person ids (tests/e2e/api_cohorts_test.py, python3 standard library only).
# Usage: bash cli_api_cohorts.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_cohorts_test.py" "$FOW" "$E2E/../.."
