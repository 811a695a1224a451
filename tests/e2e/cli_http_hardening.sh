#!/usr/bin/env bash
# How fow serve holds against a hostile client: uploads refused before their body
# (401/403), quotas, the uploads folder and its leftovers, a full device (507),
# request framing and smuggling (400/501 at once), 1,100 slow connections from one
# address, the content security policy and Secure cookies behind a trusted proxy
# (tests/e2e/http_hardening_test.py, python3 standard library only).
# Usage: bash cli_http_hardening.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/http_hardening_test.py" "$FOW" "$E2E/../.."
