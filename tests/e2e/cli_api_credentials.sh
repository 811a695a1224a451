#!/usr/bin/env bash
# Verifiable credentials through `fow serve` (issue 13, point 6): publication (JWK Set,
# issuer profile, status list), the staff routes by caller, public verification of good
# and bad credentials, revocation and presenting (tests/e2e/api_credentials_test.py,
# python3 standard library only).
# Usage: bash cli_api_credentials.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_credentials_test.py" "$FOW" "$E2E/../.."
