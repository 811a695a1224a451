#!/usr/bin/env bash
# The HTTP API of `fow serve` on the full public data in ../shared/data (ESCO v1.2.0,
# Nesta MCC risk and attributes), imported into a temporary database
# (tests/e2e/api_full_test.py). Skipped (exit 77), loudly, without the data.
# Usage: bash cli_api_full.sh path/to/fow
set -u
FOW="$1"
D="${FOW_SHARED_DATA:-}"
if [ ! -d "$D/esco-1.2.0" ]; then
  echo "SKIPPED: the public data is not at '$D' (../shared/data): cli_api_full did not run" >&2
  exit 77
fi
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$HERE/api_full_test.py" "$FOW" "$D"
