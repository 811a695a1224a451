#!/usr/bin/env bash
# `fow person show|skills --lang ro|en`: the occupation's and the skills' labels in the language
# asked for, where the taxonomy has one, else the label with its own language in brackets; with
# --json, label_local (null when none) and label_lang as the API's ?lang= writes them
# (fow_people_write_person, fow_people_write_skills); a language fow has no texts in, or --lang
# with a subcommand that prints no label, is a usage error naming --lang.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
# the demo taxonomy, one skill without its Romanian label (a copy in the temporary folder)
cp -r "$DEMO" "$WORK/demo"
grep -v '^use spreadsheets software,ro,' "$DEMO/skill_labels.csv" > "$WORK/demo/skill_labels.csv"
DEMO="$WORK/demo"
import_demo

expect 0 "$FOW" person add --occupation "call centre agent" --organisation Demo --json
ID=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/out")
expect 0 "$FOW" person consent "$ID" counselling --text-version v1
expect 0 "$FOW" person skills add "$ID" "communicate with customers" --provenance counsellor
expect 0 "$FOW" person skills add "$ID" "use spreadsheets software" --provenance assessment

# the help says so
expect 0 "$FOW" person --help
contains "$WORK/out" "fow person skills ID [--reason TEXT] [--lang ro|en]"
contains "$WORK/out" "--lang ro|en          show, skills:"
expect 0 "$FOW" help --man
contains "$WORK/out" "label_local"

# text: Romanian labels; the one without a Romanian label keeps its own, marked [en]
expect 0 "$FOW" person skills "$ID" --lang ro
contains "$WORK/out" "comunicarea cu clienții"
contains "$WORK/out" "use spreadsheets software [en]"
lacks "$WORK/out" "communicate with customers"
expect 0 "$FOW" person skills "$ID" --lang en
contains "$WORK/out" "communicate with customers"; lacks "$WORK/out" "comunicarea"; lacks "$WORK/out" "[en]"
expect 0 "$FOW" person skills "$ID"
contains "$WORK/out" "communicate with customers"; lacks "$WORK/out" "[en]"
expect 0 "$FOW" person show "$ID" --reason "lang test" --lang ro
contains "$WORK/out" "agent call center (urn:fow:demo:occupation:call-centre-agent)"
expect 0 "$FOW" person show "$ID" --reason "lang test" --lang en
contains "$WORK/out" "call centre agent (urn:fow:demo:occupation:call-centre-agent)"

# --json: label_local as the API writes it, label_lang when there is no local label
expect 0 "$FOW" person skills "$ID" --lang ro --json
check "skills with label_local in Romanian" '
s = {x["label"]: x for x in load("out")["skills"]}
assert s["communicate with customers"]["label_local"] == "comunicarea cu clienții", s
assert "label_lang" not in s["communicate with customers"], s
assert s["use spreadsheets software"]["label_local"] is None, s
assert s["use spreadsheets software"]["label_lang"] == "en", s'
expect 0 "$FOW" person skills "$ID" --json
check "without --lang, no label_local" '
assert all("label_local" not in x and "label_lang" not in x for x in load("out")["skills"]), load("out")'
expect 0 "$FOW" person show "$ID" --reason "lang test" --lang ro --json
check "the occupation with label_local in Romanian" '
o = load("out")["person"]["occupation"]
assert (o["label"], o["label_local"]) == ("call centre agent", "agent call center"), o'

# bad input: named --lang, nothing printed on standard output
expect 1 "$FOW" person skills "$ID" --lang de
contains "$WORK/err" "--lang must be ro or en"; contains "$WORK/err" "not 'de'"; empty "$WORK/out"
expect 1 "$FOW" person show "$ID" --reason x --lang RO
contains "$WORK/err" "--lang must be ro or en"
expect 1 "$FOW" person skills "$ID" --lang
contains "$WORK/err" "--lang"
expect 1 "$FOW" person skills infer "$ID" --lang ro
contains "$WORK/err" "--lang goes with 'fow person skills ID'"
expect 1 "$FOW" person list --lang ro
contains "$WORK/err" "--lang does not go with 'fow person list'"
echo "cli_person_lang: $passed passed, $failed failed"
[ "$failed" = 0 ]
