#!/usr/bin/env bash
# The voucher office's reports through `fow serve`: the API's JSON and CSV are the CLI's, access
# by role (tests/e2e/api_voucher_reports_test.py, python3 standard library only).
# Usage: bash cli_api_voucher_reports.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_voucher_reports_test.py" "$FOW" "$E2E/../.."
