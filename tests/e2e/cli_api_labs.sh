#!/usr/bin/env bash
# The CREIC labs over HTTP (issue 15): public catalogue, the manager's writes with errors naming
# the JSON field, an induction by the lab's staff issuing the credential, a person's access
# unlocked by it and locked again by its revocation (tests/e2e/api_labs_test.py, python3
# standard library only).
# Usage: bash cli_api_labs.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_labs_test.py" "$FOW" "$E2E/../.."
