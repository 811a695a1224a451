#!/usr/bin/env bash
# Signing in under attack and API tokens through `fow serve` (issue 11, findings 5, 6
# and 8): a login flood does not slow other clients, throttling tells nothing about
# which accounts exist and locks no owner out, tokens expire, have a scope, are listed
# without secrets and revoked (tests/e2e/api_auth_test.py, python3 standard library
# only). Usage: bash cli_api_auth.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_auth_test.py" "$FOW" "$E2E/../.."
