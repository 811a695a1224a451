#!/usr/bin/env bash
# The fow command as a new user runs it, on the demo data: help texts, exit
# codes, imports with their summaries, search, occupation, risk, sources,
# JSON output, and bad input that must leave the database unchanged.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

# help and usage
expect 0 "$FOW" --help;                       contains "$WORK/out" "import KIND PATH"
contains "$WORK/out" "bundle, esco, risk, attributes, crosswalk, employment, modules or skill_hierarchy"
expect 0 "$FOW" --version;                    contains "$WORK/out" "fow "
for cmd in "import" search occupation risk sources stats tour; do
  expect 0 "$FOW" $cmd --help;                contains "$WORK/out" "Usage: fow"
done
expect 1 "$FOW";                              contains "$WORK/err" "Usage"
expect 1 "$FOW" frobnicate;                   contains "$WORK/err" "unknown command 'frobnicate'"
expect 1 "$FOW" search;                       contains "$WORK/err" "needs the TEXT"
expect 1 "$FOW" search x --limit 0;           contains "$WORK/err" "--limit must be a whole number from 1 to 1000"
expect 1 "$FOW" search x --bogus;             contains "$WORK/err" "unknown option '--bogus'"
expect 1 "$FOW" sources;                      contains "$WORK/err" "no database at"
expect 1 "$FOW" import risk "$DEMO/risk.csv"; contains "$WORK/err" "risk imports need model"
contains "$WORK/err" "(--model)"
expect 1 "$FOW" import risk "$DEMO/risk.csv" --model astrology
contains "$WORK/err" "fow import: model must be 'mcc' or 'frey-osborne', not 'astrology' (--model)"
expect 1 "$FOW" import tarot x;               contains "$WORK/err" "unknown kind 'tarot': use bundle, esco, risk, attributes, crosswalk, employment, modules or skill_hierarchy"
expect 1 "$FOW" import bundle /nonexistent;   contains "$WORK/err" "/nonexistent/occupations.csv: required file not found"

# imports
expect 0 "$FOW" import bundle "$DEMO";        contains "$WORK/out" "occupation_skills.csv"
expect 0 "$FOW" import risk "$DEMO/risk.csv" --model mcc --source "demo risk" --version 1 --licence CC0-1.0
contains "$WORK/out" "demo risk"
expect 0 "$FOW" --json import attributes "$DEMO/attributes.csv"; valid_json
contains "$WORK/out" '"rows_imported": 51'
# the same data again changes nothing
before=$(snapshot)
expect 0 "$FOW" import bundle "$DEMO";        contains "$WORK/out" "nothing changed"
[ "$(snapshot)" = "$before" ] && ok || fail "re-import changed the database"

# stats, sources
expect 0 "$FOW" stats --json;                 valid_json; contains "$WORK/out" '"occupations": 56'
expect 0 "$FOW" sources;                      contains "$WORK/out" "fow demo data, version 2026.11"
contains "$WORK/out" "licence:  CC0-1.0"
expect 0 "$FOW" sources --json;               valid_json

# search: case, accents, prefixes, Romanian
expect 0 "$FOW" search "CALL CEN";            contains "$WORK/out" "call centre agent"
expect 0 "$FOW" search "tampla" --limit 3;    contains "$WORK/out" "tâmplar"
expect 0 "$FOW" search "îngrijitor" --kind occupation --json; valid_json; contains "$WORK/out" '"lang": "ro"'
expect 0 "$FOW" search "spreadsheets" --kind skill; contains "$WORK/out" "use spreadsheets software"
expect 0 "$FOW" search "zzzzqqq";             contains "$WORK/out" "No occupation or skill matches"
expect 1 "$FOW" search "   ";                 contains "$WORK/err" "empty query"

# occupation by label, code, URI, id; not found
expect 0 "$FOW" occupation "Call Centre Agent"; contains "$WORK/out" "Essential skills"
contains "$WORK/out" "4222"
expect 0 "$FOW" occupation "urn:fow:demo:occupation:inbound-call-centre-agent"
contains "$WORK/out" "inherited from call centre agent"
expect 0 "$FOW" occupation "urn:fow:demo:occupation:data-entry-clerk" --json; valid_json
contains "$WORK/out" '"method": "own"'
expect 1 "$FOW" occupation "no such job";     contains "$WORK/err" "no occupation has the id, URI, code or label"

# risk ranking
expect 0 "$FOW" risk --limit 3;               contains "$WORK/out" "Highest automation risk"
expect 0 "$FOW" risk --json --limit 5;        valid_json
expect 1 "$FOW" risk --model astrology;       contains "$WORK/err" "--model must be"

# libfow's messages name fields, never flags: no string outside src/cli holds one
SRC="$(cd "$(dirname "$0")/../../src" && pwd)"
grep -rnE --include=*.c --include=*.h -- '"([^"\\]|\\.)*--[a-z]' "$SRC" | grep -v "^$SRC/cli/" > "$WORK/flags"
empty "$WORK/flags"
grep -rnE --include=*.c -- '"([^"\\]|\\.)*--[a-z]' "$SRC/cli" > "$WORK/flags"
contains "$WORK/flags" '"--model"'

# the server's options: libfow names the field, the command line its flag
expect 1 "$FOW" serve --listen nowhere;       contains "$WORK/err" "fow serve: listen must be HOST:PORT, not 'nowhere' (--listen)"
expect 1 "$FOW" serve --listen 127.0.0.1:0 --web "$WORK/no-web"
contains "$WORK/err" "no-web: the web app folder does not exist (--web)"

# the tour
expect 0 "$FOW" tour;                         contains "$WORK/out" "Everything about the occupation"

# bad input: the error names file:line:column; the database is unchanged
bad="$WORK/bad"
cp -r "$DEMO" "$bad"
printf 'uri,code,isco_group,label,alt_labels\nurn:x:1,1.1,4222,"unterminated,\n' > "$bad/occupations.csv"
before=$(snapshot)
expect 1 "$FOW" import bundle "$bad";         contains "$WORK/err" "occupations.csv:2:18: unterminated quoted field"
contains "$WORK/err" "database is unchanged"
[ "$(snapshot)" = "$before" ] && ok || fail "a failed import changed the database"
printf 'occupation_uri,risk\nurn:fow:demo:occupation:cashier,high\n' > "$WORK/risk-bad.csv"
expect 1 "$FOW" import risk "$WORK/risk-bad.csv" --model mcc; contains "$WORK/err" "risk-bad.csv:2:33: column 'risk': 'high' is not a number"
[ "$(snapshot)" = "$before" ] && ok || fail "a failed risk import changed the database"

echo "cli_basic: $passed passed, $failed failed"
[ "$failed" = 0 ]
