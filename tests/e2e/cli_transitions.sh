#!/usr/bin/env bash
# fow transitions, similar, gap and upskill on the demo data: every mode and
# option, the JSON and CSV outputs and what they must mean (similarities in
# 0..1 and ranked, filters that keep only a certain yes, unknown never read
# as yes or no, CSV and JSON agreeing), and bad input (exit 1, a message
# that says what is wrong). Fast: the demo has 56 occupations.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
# check DESCRIPTION PYTHON (lib/check.sh): assert statements over d, out, err,
# load(name), rows(path), ranked(list) (lib/check.py)

OCC=urn:fow:demo:occupation
CCA="$OCC:call-centre-agent"
N_OCC=56

# the demo database, as make demo-db imports it
import_demo

# ---- help ---------------------------------------------------------------
for cmd in transitions similar gap upskill; do
  expect 0 "$FOW" $cmd --help;              contains "$WORK/out" "Usage: fow $cmd"
done

# ---- transitions OCCUPATION ----------------------------------------------
expect 0 "$FOW" transitions "call centre agent"
contains "$WORK/out" "Transitions from call centre agent (4222.D1)"
contains "$WORK/out" "Filters: similarity >= 0.30, viable (at most half of the essential skills missing) (risk model mcc)"
contains "$WORK/out" "inbound call centre agent"
contains "$WORK/out" "Risk: fow demo risk (2026.11)"
contains "$WORK/out" "Earnings and job zones: fow demo attributes (2026.11)"
empty "$WORK/err"

expect 0 "$FOW" transitions "call centre agent" --json; save default.json
check "transitions --json: fields and invariants" '
assert d["origin"]["uri"] == "'"$CCA"'" and d["origin"]["label"] == "call centre agent"
assert d["filters"]["text"] == "similarity >= 0.30, viable (at most half of the essential skills missing) (risk model mcc)"
t = d["transitions"]
assert 1 <= len(t) <= 20 and d["total"] == len(t), (len(t), d["total"])
ranked(t)
want = {"rank", "uri", "code", "label", "isco_group", "risk_mcc", "risk_category_mcc", "prevalence_mcc",
        "risk_frey_osborne", "job_zone", "annual_earnings_gbp", "similarity", "viable", "highly_viable",
        "desirable", "safe", "safe_strict", "origin_risk", "destination_risk", "earnings_ratio",
        "job_zone_difference", "essential_missing", "essential_total", "similarity_parts"}
for x in t:
    assert set(x) == want, set(x) ^ want
    assert x["uri"] != d["origin"]["uri"], "the origin is its own destination"
    assert x["similarity"] >= 0.30 and x["viable"] is True
    # viable: at most half of the essential skills missing
    assert 2 * x["essential_missing"] <= x["essential_total"], x
    assert x["highly_viable"] == (x["similarity"] >= 0.5), x
    assert set(x["similarity_parts"]) == {"skills", "context", "isco"}, x
    for k in ("desirable", "safe", "safe_strict"):
        assert x[k] in ("yes", "no", "unknown"), x
    assert 0 <= x["essential_missing"] <= x["essential_total"], x
    assert x["origin_risk"] == d["origin"]["risk_mcc"]
    assert x["destination_risk"] == x["risk_mcc"]
assert len({x["uri"] for x in t}) == len(t), "a destination twice"
p = d["provenance"]
assert p["risk_model"] == "mcc" and abs(p["viable_from"] - 0.3) < 1e-6 and abs(p["highly_viable_from"] - 0.5) < 1e-6
assert p["risk_source"] == "fow demo risk (2026.11)", p
assert t[0]["uri"] == "'"$OCC"':inbound-call-centre-agent" and t[0]["highly_viable"]
'
# every destination, unfiltered: the reference for the filters below
expect 0 "$FOW" transitions "call centre agent" --json --min-similarity 0 --limit 3000; save every.json
check "--min-similarity 0 --limit 3000: every other occupation once" '
t = d["transitions"]
ranked(t)
assert len(t) == '$N_OCC' - 1 and d["total"] == len(t), len(t)
assert len({x["uri"] for x in t}) == len(t) and "'"$CCA"'" not in {x["uri"] for x in t}
assert [x["uri"] for x in t if x["viable"]] == [x["uri"] for x in load("default.json")["transitions"]]
# viable = similarity >= 0.30 and at most half of the essential skills missing, whatever the similarity
assert all(x["viable"] == (x["similarity"] >= 0.30 and 2 * x["essential_missing"] <= x["essential_total"]) for x in t)
assert d["filters"]["viable_only"] is False and d["when_none"] is None
'
# the same origin by code, URI, last URI segment, other case, another language
for key in 4222.D1 "$CCA" call-centre-agent "CALL CENTRE AGENT" "agent call center" "  call centre agent  "; do
  expect 0 "$FOW" transitions "$key" --json
  check "transitions '$key' is the call centre agent" 'assert d["origin"]["uri"] == "'"$CCA"'"; assert d == load("default.json")'
done

# --safe: only a certain yes, at lower risk, not in the high risk category
expect 0 "$FOW" transitions "call centre agent" --safe --json; save safe.json
check "--safe keeps only safe moves to a lower risk" '
t = d["transitions"]
assert len(t) >= 1, "the demo has a safe move (shop sales assistant)"
ranked(t)
for x in t:
    assert x["safe"] == "yes", x
    # the margin rule: lower by at least the MCC resolution, 0.09
    assert x["destination_risk"] <= x["origin_risk"] - 0.09 + 1e-6, x
    assert x["risk_category_mcc"] != "High risk", x
every = load("every.json")["transitions"]
want = [x["uri"] for x in every if x["viable"] and x["safe"] == "yes"]
assert [x["uri"] for x in t] == want, ([x["uri"] for x in t], want)
assert "'"$OCC"':shop-sales-assistant" in want
assert d["filters"]["text"] == "similarity >= 0.30, viable (at most half of the essential skills missing), safe (risk lower by at least 0.09) (risk model mcc)"
'
# --desirable: keeps >= 75% of the earnings, job zone within 1
expect 0 "$FOW" transitions "call centre agent" --desirable --json --min-similarity 0 --limit 3000
check "--desirable keeps only desirable moves" '
t = d["transitions"]
ranked(t)
assert len(t) >= 1
for x in t:
    assert x["desirable"] == "yes", x
    assert x["earnings_ratio"] >= 0.75, x
    assert abs(x["job_zone_difference"]) <= 1, x
    assert abs(x["earnings_ratio"] - x["annual_earnings_gbp"] / d["origin"]["annual_earnings_gbp"]) < 1e-4, x
every = load("every.json")["transitions"]
assert [x["uri"] for x in t] == [x["uri"] for x in every if x["desirable"] == "yes"]
assert any(x["desirable"] == "no" for x in every), "the unfiltered list has undesirable moves"
'
# --strict: safe and a larger share of bottleneck tasks
expect 0 "$FOW" transitions "call centre agent" --strict --json --min-similarity 0 --limit 3000
check "--strict keeps only strictly safe moves" '
t = d["transitions"]
ranked(t)
assert len(t) >= 1
o = d["origin"]
for x in t:
    assert x["safe_strict"] == "yes" and x["safe"] == "yes", x
    assert x["destination_risk"] < x["origin_risk"] and x["prevalence_mcc"] > o["prevalence_mcc"], x
every = load("every.json")["transitions"]
assert [x["uri"] for x in t] == [x["uri"] for x in every if x["safe_strict"] == "yes"]
assert "strictly safe" in d["filters"]["text"]
'
# --safe --desirable together
expect 0 "$FOW" transitions "call centre agent" --safe --desirable --json --min-similarity 0.2
check "--safe --desirable --min-similarity 0.2" '
t = d["transitions"]
every = load("every.json")["transitions"]
assert [x["uri"] for x in t] == [x["uri"] for x in every
    if x["similarity"] >= 0.2 and x["safe"] == "yes" and x["desirable"] == "yes"]
assert all(x["similarity"] >= 0.2 for x in t)
assert all(x["viable"] == (x["similarity"] >= 0.3) for x in t)
'
# --min-similarity
expect 0 "$FOW" transitions "call centre agent" --min-similarity 0.5 --json
check "--min-similarity 0.5" '
t = d["transitions"]
assert len(t) >= 1 and all(x["similarity"] >= 0.5 and x["highly_viable"] for x in t)
assert [x["uri"] for x in t] == [x["uri"] for x in load("every.json")["transitions"] if x["similarity"] >= 0.5]
assert d["filters"]["text"].startswith("similarity >= 0.50")
'
expect 0 "$FOW" transitions "call centre agent" --min-similarity 1
contains "$WORK/out" "No move passes these filters. The nearest moves at any similarity"
if grep -q "safety and desirability" "$WORK/out"; then fail "without --safe or --desirable the nearest moves are not said to pass them"; fi
expect 0 "$FOW" transitions "call centre agent" --min-similarity 1 --safe --desirable
contains "$WORK/out" "The nearest moves that pass the safety and desirability filters"
expect 0 "$FOW" transitions "call centre agent" --min-similarity 1 --safe --json
check "--safe alone: the message names the safety filter only" 'assert d["when_none"]["message"]["code"] == "transitions.none_safe"'
expect 0 "$FOW" transitions "call centre agent" --min-similarity 1 --json
check "--min-similarity 1: an empty list, not an error, and the nearest moves with what they lack" '
assert d["transitions"] == [] and d["total"] == 0
w = d["when_none"]
assert w["message"]["code"] == "transitions.none_any" and 1 <= len(w["nearest"]) <= 5
assert len(w["lacking"]) == len(w["nearest"])
for x, lack in zip(w["nearest"], w["lacking"]):
    assert len(lack) == min(5, x["essential_missing"]), (x, lack)
'
expect 0 "$FOW" transitions "call centre agent" --min-similarity 0.3 --json
check "a list with moves has no when_none" 'assert d["transitions"] and d["when_none"] is None'
# --limit: the first N of the same ranking; total counts them all
expect 0 "$FOW" transitions "call centre agent" --limit 2 --json
check "--limit 2" '
t, full = d["transitions"], load("default.json")["transitions"]
assert len(t) == 2 and t == full[:2], t
assert d["total"] == len(full) > 2, d["total"]
'
expect 0 "$FOW" transitions "call centre agent" --limit 2
contains "$WORK/out" "destinations match; 2 shown"

# --model frey-osborne: the demo has no Frey & Osborne values, so safety is unknown
expect 0 "$FOW" transitions "call centre agent" --model frey-osborne --json --min-similarity 0 --limit 3000
check "frey-osborne without values: safety unknown, never yes or no" '
t = d["transitions"]
assert len(t) == '$N_OCC' - 1
for x in t:
    assert x["safe"] == "unknown" and x["safe_strict"] == "unknown", x
    assert x["origin_risk"] is None and x["destination_risk"] is None, x
    assert x["risk_frey_osborne"] is None
every = load("every.json")["transitions"]
assert [x["uri"] for x in t] == [x["uri"] for x in every], "the risk model changed the ranking"
assert [x["desirable"] for x in t] == [x["desirable"] for x in every]
assert d["provenance"]["risk_model"] == "frey-osborne"
assert d["provenance"]["risk_source"] == "no Frey & Osborne risk imported", d["provenance"]
assert "(risk model frey-osborne)" in d["filters"]["text"]
'
expect 0 "$FOW" transitions "call centre agent" --model frey-osborne --safe --json
check "frey-osborne --safe: unknown is not safe" 'assert d["transitions"] == [] and d["total"] == 0'
expect 0 "$FOW" transitions "call centre agent" --model frey-osborne
contains "$WORK/out" "Risk: no Frey & Osborne risk imported."
contains "$WORK/out" "unknown"

# --csv: the header, one row per destination, the same destinations as --json
CSV_HEADER="origin_uri,destination_uri,rank,similarity,viable,desirable,safe,highly_viable,safe_strict,origin_risk,destination_risk,earnings_ratio,job_zone_difference,essential_missing,essential_total,destination_code,destination_label"
expect 0 "$FOW" transitions "call centre agent" --csv --min-similarity 0 --limit 3000; save every.csv
equals "$(head -n 1 "$WORK/out")" "$CSV_HEADER" "transitions --csv header"
equals "$(wc -l < "$WORK/out")" "$N_OCC" "transitions --csv: a header and a row per other occupation"
check "--csv and --json agree" '
r, j = rows("every.csv"), load("every.json")["transitions"]
assert [x["destination_uri"] for x in r] == [x["uri"] for x in j]
for a, b in zip(r, j):
    assert a["origin_uri"] == "'"$CCA"'" and int(a["rank"]) == b["rank"]
    assert abs(float(a["similarity"]) - b["similarity"]) <= 5e-5, (a, b)
    assert a["viable"] == ("yes" if b["viable"] else "no") and a["highly_viable"] == ("yes" if b["highly_viable"] else "no")
    for k in ("desirable", "safe", "safe_strict"):
        assert a[k] == b[k], (k, a, b)
    assert int(a["essential_missing"]) == b["essential_missing"] and int(a["essential_total"]) == b["essential_total"]
    assert a["destination_code"] == b["code"] and a["destination_label"] == b["label"]
    assert abs(float(a["earnings_ratio"]) - b["earnings_ratio"]) < 1e-3
'
expect 0 "$FOW" transitions "call centre agent" --csv --safe
check "--csv --safe matches --json --safe" '
assert [x["destination_uri"] for x in rows("out")] == [x["uri"] for x in load("safe.json")["transitions"]]
assert all(x["safe"] == "yes" for x in rows("out"))
'
expect 0 "$FOW" transitions "call centre agent" --csv --model frey-osborne
check "--csv frey-osborne: safe unknown, risks empty" '
r = rows("out")
assert r and all(x["safe"] == "unknown" and x["origin_risk"] == "" and x["destination_risk"] == "" for x in r), r[:2]
'
# determinism: the same command twice, byte for byte
expect 0 "$FOW" transitions "call centre agent" --csv --min-similarity 0 --limit 3000
cmp -s "$WORK/out" "$WORK/every.csv" && ok || fail "two runs of the same transitions --csv differ"

# the gap counts of a list agree with fow gap
expect 0 "$FOW" gap "call centre agent" "customer support agent" --json; save gap.json
check "gap FROM TO: fields and agreement with transitions" '
g = d
t = {x["uri"]: x for x in load("every.json")["transitions"]}["'"$OCC"':customer-support-agent"]
assert abs(g["similarity"] - t["similarity"]) < 1e-5, (g["similarity"], t["similarity"])
assert g["missing_count"] == t["essential_missing"] == len(g["missing"]), (g["missing_count"], t["essential_missing"])
assert g["from"]["uri"] == "'"$CCA"'" and g["to"]["label"] == "customer support agent"
assert g["safe"] == t["safe"] and g["desirable"] == t["desirable"] and g["viable"] == t["viable"]
for s in g["missing"]:
    assert s["essential"] is True and s["held"] is False, s
    assert 0 <= s["cover"] < 1 and 0 < s["importance"] <= 1, s
    assert (s["via"] is None) == (s["cover"] == 0), s
imp = [s["importance"] for s in g["missing"]]
assert imp == sorted(imp, reverse=True), imp
tr = g["transfers"]
assert len(tr) == g["transfer_count"] and sum(s["held"] for s in tr) == g["transfer_exact_count"]
held = [s["held"] for s in tr]
assert held == sorted(held, reverse=True), "held transfers first"
for s in tr:
    assert 0 < s["cover"] <= 1 and s["held"] == (s["cover"] == 1), s
    assert (s["via"] is None) == s["held"], s
assert {s["label"] for s in g["missing"]}.isdisjoint({s["label"] for s in tr if s["held"]})
assert g["provenance"]["risk_model"] == "mcc"
'
expect 0 "$FOW" gap "call centre agent" "customer support agent"
contains "$WORK/out" "To learn: "
contains "$WORK/out" "Transfers: "
expect 0 "$FOW" gap "call centre agent" "customer support agent" --limit 1 --json
check "gap --limit 1 lists one skill of each kind, counts them all" '
g = load("gap.json")
assert len(d["missing"]) == min(1, g["missing_count"]) and len(d["transfers"]) == 1
assert d["missing_count"] == g["missing_count"] and d["missing"] == g["missing"][:1]
'
# --safe-rule: the gap judges safety as fow transitions does, under either rule
for RULE in lower margin; do
  expect 0 "$FOW" transitions "call centre agent" --json --min-similarity 0 --limit 3000 --safe-rule "$RULE"; save "every_$RULE.json"
  expect 0 "$FOW" gap "call centre agent" "customer support agent" --json --safe-rule "$RULE"
  check "gap --safe-rule $RULE agrees with transitions --safe-rule $RULE" '
t = {x["uri"]: x for x in load("every_'"$RULE"'.json")["transitions"]}["'"$OCC"':customer-support-agent"]
assert d["safe_rule"] == "'"$RULE"'" and d["safe"] == t["safe"] and d["safe_strict"] == t["safe_strict"], (d["safe"], t)
assert d["missing_count"] == t["essential_missing"] and d["essential_count"] == t["essential_total"]
'
done
expect 0 "$FOW" gap "call centre agent" "customer support agent" --safe-rule lower
contains "$WORK/out" "safe (MCC, any lower risk)"
expect 1 "$FOW" gap "call centre agent" "customer support agent" --safe-rule maybe
contains "$WORK/err" "--safe-rule must be 'margin' or 'lower', not 'maybe'"
expect 0 "$FOW" gap "call centre agent" "call centre agent" --json
check "gap to itself: nothing to learn" '
assert abs(d["similarity"] - 1) < 1e-5 and d["missing_count"] == 0 and d["optional_missing_count"] == 0
assert d["transfer_exact_count"] == d["transfer_count"] > 0
'
# probable skills: listed apart in the gap from an occupation, never in a gap from skills
expect 0 "$FOW" gap "call centre agent" "customer support agent"
contains "$WORK/out" "Probably held - confirm: 1 essential skill"
contains "$WORK/out" "escalate customer issues   (probability score"
check "gap: probably held skills counted apart" '
g = load("gap.json")
flagged = [s["label"] for s in g["probably_held"]["skills"]]
assert flagged == ["escalate customer issues"], flagged
assert all(s["probably_held"] and s["basis"] == "inferred" and 0 < s["probability"] <= 1 for s in g["probably_held"]["skills"])
# missing = to learn: the essential_missing of the move, probably held ones apart
assert g["probably_held_count"] == 1 and g["to_learn_count"] == g["missing_count"] == len(g["missing"]), g
assert all(not s["probably_held"] and s["probability"] is None for s in g["missing"])
assert g["probably_held"]["inferred"] is True and g["probably_held"]["method"]["code"].startswith("infer.method")
'
expect 0 "$FOW" probable-skills "call centre agent"
contains "$WORK/out" "escalate customer issues"
contains "$WORK/out" "2 of 8"
expect 0 "$FOW" probable-skills "call centre agent" --json; save probable.json
check "probable-skills --json" '
listed = {s["label"] for s in d["essential"] + d["optional"]}
p = d["probable"]
assert p and not listed & {s["label"] for s in p}, p
assert [s["rank"] for s in p] == list(range(1, len(p) + 1)) and d["probable_count"] == len(p)
assert all(0.4 <= s["score"] <= 1 and s["neighbours_listing"] >= 1 for s in p), p
assert p[0]["example"]["label"] == "inbound call centre agent", p[0]
'
expect 0 "$FOW" gap --skills "communicate with customers; escalate customer issues" --as "call centre agent" "customer support agent" --json
check "gap --skills --as: judged as the occupation, nothing probably held" '
assert d["judged_as"]["code"] == "4222.D1" and d["probably_held_count"] == 0 and d["desirable"] != "unknown", d["desirable"]
assert "escalate customer issues" in {s["label"] for s in d["transfers"] if s["held"]}
'
# a worker's profile: the skills of the occupation and its probable one, as short ids
expect 0 "$FOW" upskill --skills "communicate-with-customers; handle-complaints; escalate-customer-issues" --as "call centre agent" --any --json
check "upskill --skills --as" '
assert len(d["about"]["skills"]["recognised"]) == 3 and d["about"]["judged_as"]["code"] == "4222.D1"
assert d["origins"] == 1 and all(s["new_transitions"] >= 1 for s in d["skills"])
'
# a person's skills as the origin
expect 0 "$FOW" gap --skills "communicate with customers; handle phone calls; no such skillz" "customer support agent" --json
contains "$WORK/err" "'no such skillz'"
check "gap --skills" '
f = d["from"]
assert [s["label"] for s in f["recognised"]] == ["communicate with customers", "handle phone calls"]
assert [s["input"] for s in f["unresolved"]] == ["no such skillz"]
assert unit(d["similarity"]) and d["desirable"] == "unknown"
# no origin occupation: unknown, except that a destination at high risk is not safe anyway
assert d["safe"] == ("no" if d["to"]["risk_category_mcc"] == "High risk" else "unknown"), d["safe"]
assert {"communicate with customers", "handle phone calls"} <= {s["label"] for s in d["transfers"] if s["held"]}
assert d["missing_count"] == len(d["missing"]) >= 1
'
expect 0 "$FOW" gap --skills "communicate with customers" "helpdesk technician" --json
check "gap --skills to a destination not at high risk: safety unknown" '
assert d["to"]["risk_category_mcc"] != "High risk" and d["safe"] == "unknown" and d["desirable"] == "unknown"
'
expect 0 "$FOW" gap --skills "communicate with customers" "customer support agent"
contains "$WORK/out" "From these skills to customer support agent"

# ---- similar ---------------------------------------------------------------
expect 0 "$FOW" similar "call centre agent" --json; save similar.json
check "similar --json" '
s = d["similar"]
assert len(s) == 20, len(s)
ranked(s)
assert all(unit(x["jaccard"]) for x in s)
assert d["origin"]["uri"] == "'"$CCA"'" and "'"$CCA"'" not in [x["uri"] for x in s]
every = load("every.json")["transitions"]
assert [x["uri"] for x in s] == [x["uri"] for x in every[:20]], "similar and transitions rank differently"
assert all(abs(a["similarity"] - b["similarity"]) < 1e-6 for a, b in zip(s, every))
assert s[0]["label"] == "inbound call centre agent"
'
expect 0 "$FOW" similar "call centre agent" --limit 3 --csv
equals "$(head -n 1 "$WORK/out")" "origin_uri,destination_uri,rank,similarity,jaccard,destination_code,destination_label" "similar --csv header"
check "similar --csv --limit 3" '
r = rows("out")
assert [x["destination_uri"] for x in r] == [x["uri"] for x in load("similar.json")["similar"][:3]]
assert [x["rank"] for x in r] == ["1", "2", "3"] and all(x["origin_uri"] == "'"$CCA"'" for x in r)
'
expect 0 "$FOW" similar "call centre agent" --limit 3000 --json
check "similar --limit 3000: every other occupation" 'assert len(d["similar"]) == '$N_OCC' - 1; ranked(d["similar"])'
expect 0 "$FOW" similar "call centre agent" --limit 5
contains "$WORK/out" "Occupations most similar to call centre agent (4222.D1)"
contains "$WORK/out" "jaccard"
# a furniture maker is closest to a kitchen cabinet maker, by its Romanian label without accents
expect 0 "$FOW" similar "tamplar de mobila" --limit 1 --json
check "similar by a Romanian label" '
assert d["origin"]["label"] == "furniture maker" and d["similar"][0]["label"] == "kitchen cabinet maker"
'

# ---- upskill ---------------------------------------------------------------
expect 0 "$FOW" upskill "call centre agent" --json; save upskill.json
check "upskill OCCUPATION" '
s = d["skills"]
# safe (by the margin) and desirable viable moves are rare in the demo under the essential skills rule:
# the call centre agent may have no single skill that opens one (--any below has)
assert 0 <= len(s) <= 10, len(s)
assert [x["rank"] for x in s] == list(range(1, len(s) + 1))
n = [x["new_transitions"] for x in s]
assert all(v >= 1 for v in n) and n == sorted(n, reverse=True), n
assert all(x["origins"] == 1 and x["example"] is not None for x in s)
assert len({x["uri"] for x in s}) == len(s)
assert d["about"]["occupation"]["uri"] == "'"$CCA"'" and d["origins"] == 1 and d["candidates_evaluated"] >= len(s)
assert d["filters"]["text"] == "similarity >= 0.30, viable (at most half of the essential skills missing), safe (risk lower by at least 0.09), desirable (risk model mcc)", d["filters"]["text"]
'
# the moves counted before learning are those of transitions --safe --desirable
expect 0 "$FOW" transitions "call centre agent" --safe --desirable --limit 3000 --json
check "upskill current_transitions = transitions --safe --desirable" '
assert load("upskill.json")["current_transitions"] == d["total"], (load("upskill.json")["current_transitions"], d["total"])
# an example opened by a skill is a safe, desirable move not viable yet
now = {x["uri"] for x in d["transitions"]}
for x in load("upskill.json")["skills"]:
    assert x["example"]["uri"] not in now, x
'
expect 0 "$FOW" gap "call centre agent" "call centre agent" --json
check "upskill skills are not held by the origin" '
held = {x["label"] for x in d["transfers"]}
assert not held & {x["label"] for x in load("upskill.json")["skills"]}, held & {x["label"] for x in load("upskill.json")["skills"]}
'
expect 0 "$FOW" upskill "call centre agent" --any --json
check "upskill --any counts every viable move" '
assert d["current_transitions"] == load("default.json")["total"], (d["current_transitions"], load("default.json")["total"])
assert d["filters"]["text"] == "similarity >= 0.30, viable (at most half of the essential skills missing) (risk model mcc)"
n = [x["new_transitions"] for x in d["skills"]]
assert n and all(v >= 1 for v in n) and n == sorted(n, reverse=True)
'
expect 0 "$FOW" upskill --group 4222 --json; save upskill_group.json
check "upskill --group 4222" '
s = d["skills"]
assert d["about"] == {"group": "4222", "occupations": 3} and d["origins"] == 3 and 1 <= len(s) <= 10
n = [(x["new_transitions"], x["origins"]) for x in s]
assert n == sorted(n, reverse=True), n
assert all(x["new_transitions"] >= x["origins"] >= 1 and x["origins"] <= 3 for x in s)
'
# the group sums what its occupations count one by one
G=0
for occ in "call centre agent" "inbound call centre agent" "customer support agent"; do
  expect 0 "$FOW" transitions "$occ" --safe --desirable --limit 3000 --json
  G=$((G + $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$WORK/out")))
done
equals "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["current_transitions"])' "$WORK/upskill_group.json")" "$G" \
  "upskill --group 4222: current transitions summed over its occupations"
expect 0 "$FOW" upskill --group 4222 --csv --limit 3
equals "$(head -n 1 "$WORK/out")" "rank,skill_uri,skill_label,new_transitions,origins,example_destination_uri,example_destination_label" "upskill --csv header"
check "upskill --csv --limit 3 agrees with --json" '
r = rows("out")
assert [x["skill_uri"] for x in r] == [x["uri"] for x in load("upskill_group.json")["skills"][:3]]
'
expect 0 "$FOW" upskill "call centre agent"
contains "$WORK/out" "Upskilling for call centre agent (4222.D1)"
contains "$WORK/out" "+moves"
expect 0 "$FOW" upskill "call centre agent" --strict --model mcc --min-similarity 0.4 --candidates 5 --json
check "upskill --strict --candidates 5" '
assert d["candidates_evaluated"] <= 5 and "strictly safe" in d["filters"]["text"] and d["filters"]["text"].startswith("similarity >= 0.40")
assert all(x["new_transitions"] >= 1 for x in d["skills"])
'

# ---- transitions from a person's skills -------------------------------------
SKILLS="communicate with customers; handle phone calls; use CRM softwre; type at high speed"
expect 0 "$FOW" transitions --skills "$SKILLS" --json; save person.json
contains "$WORK/err" "skill 3 'use CRM softwre' is not an ESCO skill label or URI; close matches: 'use CRM software'"
check "transitions --skills with one unknown label" '
s = d["skills"]
assert [x["input"] for x in s["recognised"]] == ["communicate with customers", "handle phone calls", "type at high speed"]
assert len(s["unresolved"]) == 1 and s["unresolved"][0]["input"] == "use CRM softwre", s["unresolved"]
assert s["unresolved"][0]["close_matches"][0] == "use CRM software"
f = d["best_fits"]
assert 1 <= len(f) <= 5 and all(unit(x["similarity"]) for x in f)
sims = [x["similarity"] for x in f]
assert sims == sorted(sims, reverse=True)
assert f[0]["occupation"]["uri"] == d["origin"]["uri"]
t = d["transitions"]
ranked(t)
assert all(x["similarity"] >= 0.30 for x in t) and d["origin"]["uri"] not in [x["uri"] for x in t]
assert all(x["origin_risk"] == d["origin"]["risk_mcc"] for x in t)
'
expect 0 "$FOW" transitions --skills "$SKILLS"
contains "$WORK/out" "Skills recognised: 3 of 4 (1 not recognised"
contains "$WORK/out" "Occupations this person fits best"
contains "$WORK/err" "close matches"
# the same skills from a file: new lines, ';', blank lines and spaces
printf 'communicate with customers\n  handle phone calls ; use CRM softwre\n\n\ttype at high speed\t\n' > "$WORK/skills.txt"
expect 0 "$FOW" transitions --skills-file "$WORK/skills.txt" --json
contains "$WORK/err" "'use CRM softwre'"
check "--skills-file gives what --skills gives" '
p = load("person.json")
assert d["skills"] == p["skills"], (d["skills"], p["skills"])
assert d["transitions"] == p["transitions"] and d["best_fits"] == p["best_fits"]
'
expect 0 "$FOW" transitions --skills "$SKILLS" --csv
check "--skills --csv: origin is person" '
r = rows("out")
assert all(x["origin_uri"] == "person" for x in r)
p = load("person.json")
assert [x["destination_uri"] for x in r] == [x["uri"] for x in p["transitions"]]
# no viable move from three skills: never an empty answer
assert p["transitions"] or p["when_none"]["nearest"]
'
expect 0 "$FOW" transitions --skills "$SKILLS" --as cashier --json
check "--skills --as cashier judges against the cashier" '
assert d["origin"]["uri"] == "'"$OCC"':cashier" and d["origin"]["label"] == "cashier"
assert "'"$OCC"':cashier" not in [x["uri"] for x in d["transitions"]]
assert all(x["origin_risk"] == d["origin"]["risk_mcc"] for x in d["transitions"])
'
expect 0 "$FOW" transitions --skills "urn:fow:demo:skill:handle-phone-calls; Communicate With Customers" --json
check "--skills by URI and in another case" 'assert len(d["skills"]["recognised"]) == 2 and d["skills"]["unresolved"] == []'
expect 1 "$FOW" transitions --skills "xyzzy; plugh"
contains "$WORK/err" "'xyzzy'"
contains "$WORK/err" "'plugh'"
contains "$WORK/err" "none of the 2 skills given is known"
empty "$WORK/out"
expect 1 "$FOW" transitions --skills " ; ;";         contains "$WORK/err" "no skills given"
expect 1 "$FOW" transitions --skills-file "$WORK/no-such-file.txt"
contains "$WORK/err" "$WORK/no-such-file.txt"
contains "$WORK/err" "cannot open"
: > "$WORK/empty.txt"
expect 1 "$FOW" transitions --skills-file "$WORK/empty.txt"; contains "$WORK/err" "no skills given"

# ---- transitions --group -----------------------------------------------------
expect 0 "$FOW" transitions --group 4222 --json; save group.json
check "transitions --group 4222" '
assert d["group"] == "4222" and d["occupations"] == 3
t = d["destinations"]
assert 1 <= len(t) <= 20 and len(t) <= d["total"]
assert [x["rank"] for x in t] == list(range(1, len(t) + 1))
key = [(x["origins"], x["mean_similarity"]) for x in t]
assert key == sorted(key, reverse=True), key
for x in t:
    assert 1 <= x["origins"] <= 3 and 0.30 <= x["mean_similarity"] <= 1, x
    assert x["in_group"] == x["isco_group"].startswith("4222"), x
    # an origin never reaches itself: a member of the group is reached by at most the other two
    assert not x["in_group"] or x["origins"] <= 2, x
'
expect 0 "$FOW" transitions --group 4222 --csv
equals "$(head -n 1 "$WORK/out")" "group,destination_uri,rank,origins,origins_in_group,mean_similarity,destination_in_group,destination_code,destination_label" "transitions --group --csv header"
check "--group --csv agrees with --json" '
assert [x["destination_uri"] for x in rows("out")] == [x["uri"] for x in load("group.json")["destinations"]]
'
expect 0 "$FOW" transitions --group 42 --json
check "transitions --group 42 (a sub-major group)" 'assert d["occupations"] == 4 and all(x["origins"] <= 4 for x in d["destinations"])'
expect 0 "$FOW" transitions --group 4222 --safe --json
check "--group --safe" '
t = d["destinations"]
assert len(t) <= len(load("group.json")["destinations"])
assert all(x["risk_category_mcc"] != "High risk" for x in t)
'
expect 0 "$FOW" transitions --group 4222
contains "$WORK/out" "ISCO group 4222: 3 occupations"

# ---- transitions --all ---------------------------------------------------------
# --all writes the top K of every occupation: no similarity floor unless asked
expect 0 "$FOW" transitions --all --out "$WORK/all.csv"
contains "$WORK/out" "of $N_OCC occupations to $WORK/all.csv"
check "transitions --all --out" '
with open(os.path.join(work, "all.csv"), encoding="utf-8") as f:
    header = f.readline().rstrip("\n")
assert header.startswith("origin_uri,destination_uri,rank,similarity,viable,desirable,safe"), header
r = rows("all.csv")
assert ("Wrote %d transitions" % len(r)) in out, out
demo = [x["uri"] for x in rows(os.path.join(os.environ["FOW_DEMO"], "occupations.csv"))]
assert len(demo) == '$N_OCC'
assert len(r) == '$N_OCC' * min(20, '$N_OCC' - 1), len(r)
by = {}
for x in r:
    by.setdefault(x["origin_uri"], []).append(x)
assert set(by) == set(demo), set(demo) ^ set(by)
for o, xs in by.items():
    assert [int(x["rank"]) for x in xs] == list(range(1, len(xs) + 1)) and len(xs) == 20, o
    s = [float(x["similarity"]) for x in xs]
    assert all(0 <= v <= 1 for v in s) and s == sorted(s, reverse=True), (o, s)
    # (a similarity printed as 0.300000 may be just below the threshold)
    assert all((x["viable"] == "yes") == (float(x["similarity"]) >= 0.3 and 2 * int(x["essential_missing"]) <= int(x["essential_total"])) for x in xs if abs(float(x["similarity"]) - 0.3) > 1e-6), o
    assert o not in [x["destination_uri"] for x in xs], o
    assert len({x["destination_uri"] for x in xs}) == len(xs)
assert [x["destination_uri"] for x in by["'"$CCA"'"]] == [x["uri"] for x in load("every.json")["transitions"][:20]]
'
# the call centre agent's rows are exactly those of transitions --csv without a floor
expect 0 "$FOW" transitions "call centre agent" --csv --min-similarity 0
grep -F "$CCA," "$WORK/all.csv" | grep "^$CCA," > "$WORK/all-cca.csv"
tail -n +2 "$WORK/out" | cmp -s - "$WORK/all-cca.csv" && ok || fail "--all rows of the call centre agent differ from transitions --csv"
expect 0 "$FOW" transitions --all --min-similarity 0.3 --out "$WORK/all-viable.csv"
check "--all --min-similarity 0.3: the viable start of every ranking" '
v = rows("all-viable.csv")
assert all(float(x["similarity"]) >= 0.3 for x in v)
assert len(v) < len(rows("all.csv"))
'
expect 0 "$FOW" transitions --all --out "$WORK/all2.csv"
cmp -s "$WORK/all.csv" "$WORK/all2.csv" && ok || fail "two runs of transitions --all differ"
expect 0 "$FOW" transitions --all --limit 3 --min-similarity 0 --out "$WORK/all3.csv" --json
check "--all --limit 3 --min-similarity 0: exactly 3 per occupation" '
assert d["origins"] == '$N_OCC' and d["rows"] == 3 * '$N_OCC' == len(rows("all3.csv")), d
'
expect 0 "$FOW" transitions --all --safe --desirable --out "$WORK/all-safe.csv"
check "--all --safe --desirable" '
r = rows("all-safe.csv")
assert all(x["safe"] == "yes" and x["desirable"] == "yes" and float(x["destination_risk"]) < float(x["origin_risk"]) and float(x["earnings_ratio"]) >= 0.75 for x in r)
'

# ---- bad input -----------------------------------------------------------------
expect 1 "$FOW" transitions "call centre agnt"
contains "$WORK/err" "no occupation has the URI, code or label 'call centre agnt'"
contains "$WORK/err" "close matches: 'call centre agent'"
empty "$WORK/out"
for cmd in similar upskill; do
  expect 1 "$FOW" $cmd "cal centre agent";  contains "$WORK/err" "close matches"
done
expect 1 "$FOW" gap "call centre agent" "custmer support agent"; contains "$WORK/err" "close matches: 'customer support agent'"
expect 1 "$FOW" gap "call centre agnt" "customer support agent"; contains "$WORK/err" "'call centre agnt'"
for v in 2 -1 abc 0.5x "" nan; do
  expect 1 "$FOW" transitions "call centre agent" --min-similarity "$v"
  contains "$WORK/err" "--min-similarity must be a number from 0 to 1, not '$v'"
done
expect 1 "$FOW" upskill "call centre agent" --min-similarity 1.5; contains "$WORK/err" "--min-similarity must be a number from 0 to 1"
for v in 0 abc 100001 -5; do
  expect 1 "$FOW" transitions "call centre agent" --limit "$v"
  contains "$WORK/err" "--limit must be a whole number from 1 to 100000, not '$v'"
done
expect 1 "$FOW" similar "call centre agent" --limit 0;       contains "$WORK/err" "--limit must be a whole number"
expect 1 "$FOW" upskill "call centre agent" --limit 0;       contains "$WORK/err" "--limit must be a whole number"
expect 1 "$FOW" upskill "call centre agent" --candidates 0;  contains "$WORK/err" "--candidates must be a whole number from 1 to 10000"
expect 1 "$FOW" gap "call centre agent" cashier --limit abc; contains "$WORK/err" "--limit must be a whole number"
expect 1 "$FOW" transitions "call centre agent" --model astrology; contains "$WORK/err" "--model must be 'mcc' or 'frey-osborne', not 'astrology'"
expect 1 "$FOW" transitions "call centre agent" --model MCC;       contains "$WORK/err" "--model must be"
expect 1 "$FOW" upskill "call centre agent" --model astrology;     contains "$WORK/err" "--model must be"
expect 1 "$FOW" transitions --group 12345;  contains "$WORK/err" "1 to 4 digits, not '12345'"
expect 1 "$FOW" transitions --group ab;     contains "$WORK/err" "1 to 4 digits, not 'ab'"
expect 1 "$FOW" transitions --group "";     contains "$WORK/err" "1 to 4 digits"
expect 1 "$FOW" transitions --group 0999;   contains "$WORK/err" "no occupation belongs to ISCO group 0999"
expect 1 "$FOW" upskill --group 12345;      contains "$WORK/err" "1 to 4 digits"
expect 1 "$FOW" upskill --group 0999;       contains "$WORK/err" "no occupation belongs to ISCO group 0999"
expect 1 "$FOW" transitions "call centre agent" --group 4222; contains "$WORK/err" "give exactly one origin"
expect 1 "$FOW" transitions --skills "speak English" --group 4222; contains "$WORK/err" "give exactly one origin"
expect 1 "$FOW" transitions --all --group 4222 --out "$WORK/x.csv"; contains "$WORK/err" "give exactly one origin"
expect 1 "$FOW" transitions;                contains "$WORK/err" "give exactly one origin"
expect 1 "$FOW" transitions a b;            contains "$WORK/err" "unexpected argument 'b'"
expect 1 "$FOW" upskill "call centre agent" --group 4222; contains "$WORK/err" "give an OCCUPATION, --group ISCO_CODE or --skills"
expect 1 "$FOW" upskill;                    contains "$WORK/err" "give an OCCUPATION, --group ISCO_CODE or --skills"
expect 1 "$FOW" upskill --skills "speak English" --group 4222; contains "$WORK/err" "give an OCCUPATION, --group ISCO_CODE or --skills"
expect 1 "$FOW" upskill "call centre agent" --as cashier; contains "$WORK/err" "--as goes with --skills"
expect 1 "$FOW" upskill --skills "speak English" --as "no such job"; contains "$WORK/err" "'no such job'"
expect 1 "$FOW" gap "call centre agent" cashier --as cashier; contains "$WORK/err" "--as goes with --skills"
expect 1 "$FOW" probable-skills;            contains "$WORK/err" "needs one OCCUPATION"
expect 1 "$FOW" probable-skills "no such job"; contains "$WORK/err" "'no such job'"
expect 1 "$FOW" probable-skills "call centre agent" --limit 51; contains "$WORK/err" "--limit"
expect 1 "$FOW" upskill "call centre agent" --any --strict; contains "$WORK/err" "give --any or --strict, not both"
expect 1 "$FOW" transitions "call centre agent" --csv --json; contains "$WORK/err" "give --csv or --json, not both"
expect 1 "$FOW" upskill "call centre agent" --csv --json;     contains "$WORK/err" "give --csv or --json, not both"
expect 1 "$FOW" transitions --skills "speak English" --skills-file "$WORK/skills.txt"; contains "$WORK/err" "not both"
expect 1 "$FOW" transitions "call centre agent" --as cashier; contains "$WORK/err" "--as goes with --skills"
expect 1 "$FOW" transitions --skills "speak English" --as "no such job"; contains "$WORK/err" "'no such job'"
expect 1 "$FOW" transitions --all;          contains "$WORK/err" "--all needs --out FILE.csv"
expect 1 "$FOW" transitions "call centre agent" --out "$WORK/x.csv"; contains "$WORK/err" "--out goes with --all"
[ ! -e "$WORK/x.csv" ] && ok || fail "a refused command wrote its --out file"
expect 1 "$FOW" transitions --all --out "$WORK/no/such/dir/all.csv"
contains "$WORK/err" "$WORK/no/such/dir/all.csv: cannot write"
expect 1 "$FOW" transitions --all --out "$WORK"; contains "$WORK/err" "cannot write"
expect 1 "$FOW" transitions "call centre agent" --bogus; contains "$WORK/err" "unknown option '--bogus'"
expect 1 "$FOW" transitions "call centre agent" --limit; contains "$WORK/err" "--limit"
expect 1 "$FOW" similar;                    contains "$WORK/err" "needs the OCCUPATION"
expect 1 "$FOW" gap "call centre agent";    contains "$WORK/err" "needs FROM and TO"
expect 1 "$FOW" gap --skills "speak English"; contains "$WORK/err" "needs the destination TO"
expect 1 "$FOW" gap --skills "xyzzy" cashier; contains "$WORK/err" "none of the 1 skills given is known"
expect 1 "$FOW" gap --skills-file "$WORK/no-such-file.txt" cashier; contains "$WORK/err" "$WORK/no-such-file.txt"
# without a database
expect 1 "$FOW" --db "$WORK/none.db" transitions "call centre agent"; contains "$WORK/err" "no database at"
[ ! -e "$WORK/none.db" ] && ok || fail "a reading command created a database"

echo "cli_transitions: $passed passed, $failed failed"
[ "$failed" = 0 ]
