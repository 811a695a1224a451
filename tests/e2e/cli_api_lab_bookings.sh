#!/usr/bin/env bash
# Bookings of the CREIC labs over HTTP: availability, 100 parallel requests for
# one slot (exactly one booking), a voucher worth one booking used by 40
# parallel bookings (charged once), refusals, cancellation, the waiting list,
# series, staff (tests/e2e/api_lab_bookings_test.py).
# Usage: bash cli_api_lab_bookings.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_lab_bookings_test.py" "$FOW" "$E2E/../.."
