#!/usr/bin/env bash
# Vouchers through `fow serve` (issue 14, points 5 and 7): 200 parallel redemptions of a
# voucher worth 3 of them give exactly 3 (201) and 197 refusals naming amount, exactly 3
# claims, fow check passing and the ledger export verified; idempotent retry, bad codes,
# access by role, no voucher code or person id in the access log
# (tests/e2e/api_vouchers_test.py, python3 standard library only).
# Usage: bash cli_api_vouchers.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_vouchers_test.py" "$FOW" "$E2E/../.."
