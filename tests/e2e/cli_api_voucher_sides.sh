#!/usr/bin/env bash
# A voucher seen by its beneficiary (their vouchers, balances, QR code) and redeemed by a
# training provider for its own cohort, which learns "not valid here" and nothing more of a
# voucher it may not take (tests/e2e/api_voucher_sides_test.py, python3 standard library only).
# Usage: bash cli_api_voucher_sides.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_voucher_sides_test.py" "$FOW" "$E2E/../.."
