#!/usr/bin/env bash
# The access matrix of every route and role, asked once on a demo server: 401 /
# 403 / allowed as each route's access and each role's permissions say
# (tests/e2e/access_matrix_test.py; `make soak` repeats it during the race).
# Usage: bash cli_access_matrix.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/access_matrix_test.py" "$FOW" "$E2E/../.."
