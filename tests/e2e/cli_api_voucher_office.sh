#!/usr/bin/env bash
# The voucher office over HTTP (issue 14, points 5, 9 and 10): every office route as the
# voucher_office role, the fresh confirmation (absent, wrong, right; counted by the throttle;
# by session and by API token), idempotent retries, bad input naming the JSON field, the
# providers' IBANs (mod 97) and the SEPA payment file read with xml.etree
# (tests/e2e/api_voucher_office_test.py, python3 standard library only).
# Usage: bash cli_api_voucher_office.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_voucher_office_test.py" "$FOW" "$E2E/../.."
