#!/usr/bin/env bash
# The HTTP API of `fow serve` on the demo data: every route, bad input, the route
# table against docs/api/openapi.yaml, authentication, rate limiting, the access log,
# concurrency, SIGHUP reload and a graceful SIGTERM (tests/e2e/api_test.py, python3
# standard library only). Usage: bash cli_api.sh path/to/fow
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
exec "$PY" "$E2E/api_test.py" "$FOW" "$E2E/../.."
