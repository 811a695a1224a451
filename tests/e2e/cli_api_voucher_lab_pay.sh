#!/usr/bin/env bash
# Lab charges paid in payment batches over HTTP: listed for the office, built once by 10 parallel
# requests with one key, a batched booking's cancellation refused, approved, reported
# (tests/e2e/api_voucher_lab_pay_test.py).
# Usage: bash cli_api_voucher_lab_pay.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_voucher_lab_pay_test.py" "$FOW" "$E2E/../.."
