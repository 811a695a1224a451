#!/usr/bin/env bash
# The HTTP API of `fow serve` on the full public data in ../shared/data (ESCO v1.2.0,
# Nesta MCC risk and attributes), imported into a temporary database
# (tests/e2e/api_full_test.py). Skipped (exit 77), loudly, without the data.
# Usage: bash cli_api_full.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
need_shared_data
exec "$PY" "$E2E/api_full_test.py" "$FOW" "$D"
