#!/usr/bin/env bash
# fow observe, at-scale and scenario on the full public data in
# ../shared/data: ESCO v1.2.0, Nesta MCC risk by ESCO occupation and its own
# ISCO-4 and ISCO-3 averages, attributes, the crosswalks and Frey & Osborne,
# and the EU Labour Force Survey tables of Italy, France and the UK
# (ISCO-08 3 digits, thousands, 2014-2018), imported once into a temporary
# database. Every figure is checked against what python3 works out from the
# CSV files themselves (and, for Frey & Osborne, from the occupations'
# probabilities in the database). Skipped (exit 77), loudly, without the data.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
need_shared_data employment/ita_isco3_thousands.csv
make_work

# check DESCRIPTION PYTHON (lib/check.sh, lib/check.py): assert statements over
#   d             the JSON of $WORK/out;  load(name) a saved JSON output
#   table(c)      the employment file of country c as rows (isco_code, year, employed_thousands)
#   known(c, y)   {code: persons} of the known cells of country c in year y
#   masked(c)     [(code, year)] of its masked cells
#   isco3         MCC's own ISCO-3 estimates {code: (risk, category)}
#   mcc_own       [(isco_group, risk, category)] of the ESCO occupations with their own MCC estimate
#   fo_own        [(isco_group, probability)] of those with a Frey & Osborne value not inherited (from the db)
CHECK_ARGS=("$D" "$FOW_DB")
CHECK_HELPERS=$(cat <<'PYEOF'
import sqlite3, struct
data, db = args
def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
def table(c):
    return read(os.path.join(data, "employment", "%s_isco3_thousands.csv" % c))
def known(c, y):
    return {r["isco_code"]: float(r["employed_thousands"]) * 1000 for r in table(c)
            if int(r["year"]) == y and r["employed_thousands"] not in ("x", ":", "")}
def masked(c):
    return [(r["isco_code"], int(r["year"])) for r in table(c) if r["employed_thousands"] in ("x", ":", "")]
isco3 = {r["isco_code"]: (float(r["risk"]), r["risk_category"]) for r in read(os.path.join(data, "risk", "mcc_risk_isco3.csv"))}
group = {r["uri"]: r["isco_group"] for r in read(os.path.join(data, "esco-1.2.0", "occupations.csv"))}
mcc_own = [(group[r["occupation_uri"]], float(r["risk"]), r["risk_category"])
           for r in read(os.path.join(data, "risk", "mcc_risk_esco.csv")) if r["occupation_uri"] in group]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
fo_own = con.execute("SELECT o.isco_group, r.risk FROM occupation_risk r JOIN occupations o ON o.id = r.occupation_id "
                     "WHERE r.model = 'frey-osborne' AND r.method <> 'inherited'").fetchall()
con.close()
def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]
def shares_sum_to_one(c):
    if c["with_estimate"]:
        assert abs(c["share_low"] + c["share_middle"] + c["share_high"] - 1) <= 1e-9, c
        assert abs(sum(x["share"] for x in c["categories"]) - 1) <= 1e-9, c
PYEOF
)

# ---- the data, once (as cli_transitions_full.sh, plus MCC's ISCO estimates) -----------------
import_full_data --mcc-isco
for c in ita fra uk; do
  expect 0 "$FOW" import employment "$D/employment/${c}_isco3_thousands.csv" --area "$c" \
    --source "EU Labour Force Survey (via Nesta)" --version 2014-2018
done
expect 0 "$FOW" areas --json
check "three areas, five years each, Italy's masked cells" '
a = {x["area"]: x for x in d["areas"]}
assert sorted(a) == ["fra", "ita", "uk"], sorted(a)
for c in a:
    assert [y["year"] for y in a[c]["years"]] == [2014, 2015, 2016, 2017, 2018], a[c]
    for y in a[c]["years"]:
        assert y["rows"] == sum(1 for r in table(c) if int(r["year"]) == y["year"]), (c, y)
        assert near(y["employed_given"], sum(known(c, y["year"]).values())), (c, y)
assert sum(y["masked"] for y in a["ita"]["years"]) == len(masked("ita")) == 2, a["ita"]
assert sum(y["masked"] for c in ("fra", "uk") for y in a[c]["years"]) == 0'

# ---- totals and shares, every area and year, both models --------------------------------------
for c in ita fra uk; do
  for y in 2014 2015 2016 2017 2018; do
    expect 0 "$FOW" observe "$c" --year "$y" --json --units; save "$c$y.json"
    check "$c $y: the total is the sum of the known cells; shares sum to 1" '
c, y = "'"$c"'", '"$y"'
k = known(c, y)
t = d["total"]
assert near(t["employed"], sum(k.values())), (t["employed"], sum(k.values()))
assert near(d["employed_given"], sum(k.values()))
shares_sum_to_one(t)
for b in d["breakdown"]:
    shares_sum_to_one(b)
m = [code for code, year in masked(c) if year == y]
assert d["masked_rows"] == t["masked_rows"] == len(m), (d["masked_rows"], m)
assert d["rows"] == len(k) + len(m)
# masked cells are left out: no unit, nobody counted for them
assert sorted(u["code"] for u in d["units"]) == sorted(k), set(k) ^ {u["code"] for u in d["units"]}
assert near(sum(u["employed"] for u in d["units"]), t["employed"])
# every row of an ISCO-3 table has an MCC estimate
assert near(t["with_estimate"], t["employed"]), t'
  done
done
# the two masked Italian cells, one in 2015 and one in 2016
check "Italy 2015 and 2016 report their masked cell" '
for y in (2015, 2016):
    j = load("ita%d.json" % y)
    assert j["masked_rows"] == 1 and ("951", y) in masked("ita"), (y, j["masked_rows"])
    assert "951" not in {u["code"] for u in j["units"]}
assert load("ita2018.json")["masked_rows"] == 0'
expect 0 "$FOW" observe ita --year 2016
contains "$WORK/out" "(119 rows; 1 masked cell kept unknown, not zero)"

# ---- estimates by level: MCC's own ISCO-3 values where published, else the unweighted mean ---------
check "ita 2018: each row's estimate is MCC's own ISCO-3 value, else the mean of the own ESCO estimates" '
d = load("ita2018.json")
n_own = n_agg = 0
for u in d["units"]:
    if u["code"] in isco3:
        assert u["estimate"] == "isco-own" and near(u["risk"], isco3[u["code"]][0], 1e-6), u
        assert u["share_high"] == (1.0 if isco3[u["code"]][1] == "High risk" else 0.0), u
        n_own += 1
    else:
        inside = [(r, cat) for g, r, cat in mcc_own if g.startswith(u["code"])]
        assert u["estimate"] == "aggregated" and u["occupations_averaged"] == len(inside) > 0, (u, len(inside))
        assert near(u["risk"], sum(r for r, _ in inside) / len(inside), 1e-6), u
        assert near(u["share_high"], sum(1 for _, cat in inside if cat == "High risk") / len(inside)), u
        n_agg += 1
assert n_own > 100, (n_own, n_agg)
assert near(d["estimates_used"]["isco-own"] + d["estimates_used"]["aggregated"], d["total"]["employed"])
assert near(d["levels"]["isco3"], d["total"]["employed"])'

# ---- aggregation between ISCO levels ---------------------------------------------------------------
for by in major submajor; do
  expect 0 "$FOW" observe ita --year 2018 --by $by --json --units; save "ita_$by.json"
  check "ita 2018 by $by: the sum of the 3-digit rows, the means and shares of their units" '
digits = 1 if "'"$by"'" == "major" else 2
k = known("ita", 2018)
units = d["units"]
b = {c["key"]: c for c in d["breakdown"]}
assert sorted(b) == sorted({code[:digits] for code in k}), sorted(b)
for key, cell in b.items():
    assert near(cell["employed"], sum(v for code, v in k.items() if code[:digits] == key)), (key, cell)
    mine = [u for u in units if u["code"][:digits] == key]
    w = sum(u["employed"] for u in mine)
    assert near(cell["mean_risk"], sum(u["employed"] * u["risk"] for u in mine) / w), (key, cell["mean_risk"])
    assert near(cell["share_high"], sum(u["employed"] * u["share_high"] for u in mine) / w), (key, cell["share_high"])
    assert cell["rows"] == len(mine), (key, cell["rows"], len(mine))
    shares_sum_to_one(cell)
assert near(sum(c["employed"] for c in d["breakdown"]), d["total"]["employed"])
assert near(sum(c["share_of_employment"] for c in d["breakdown"]), 1)'
done
expect 0 "$FOW" observe ita --year 2018 --by major
contains "$WORK/out" "Skilled agricultural, forestry and fish"

# ---- Frey & Osborne: the 0.7 threshold ------------------------------------------------------------
expect 0 "$FOW" observe ita --year 2018 --model frey-osborne --json --units; save ita2018fo.json
check "Frey & Osborne: high share from the 0.7 threshold, aggregated from the occupations" '
assert d["model"] == "frey-osborne" and d["categories"] == ["low", "medium", "high"], d["categories"]
t = d["total"]
shares_sum_to_one(t)
def split(code, threshold):
    inside = [p for g, p in fo_own if g.startswith(code)]
    return (sum(1 for p in inside if f32(p) >= f32(threshold)) / len(inside), sum(inside) / len(inside)) if inside else None
high = {0.7: 0.0, 0.5: 0.0}
with_est = 0.0
for u in d["units"]:
    s = split(u["code"], 0.7)
    if s is None:
        assert u["estimate"] == "none", u
        continue
    assert u["estimate"] == "aggregated" and near(u["share_high"], s[0]) and near(u["risk"], s[1], 1e-6), (u, s)
    with_est += u["employed"]
    for th in high:
        high[th] += u["employed"] * split(u["code"], th)[0]
assert near(t["with_estimate"], with_est), (t["with_estimate"], with_est)
assert near(t["share_high"], high[0.7] / with_est), (t["share_high"], high[0.7] / with_est)
assert not near(t["share_high"], high[0.5] / with_est), "the 0.5 threshold gives the same share"
assert "0.7" in d["method"]["categories"], d["method"]'
expect 0 "$FOW" observe ita --year 2018 --model frey-osborne
contains "$WORK/out" "employment by automation risk under Frey & Osborne"

# ---- over time and between places ---------------------------------------------------------------------
expect 0 "$FOW" observe ita --year 2018 --compare-year 2014 --json --units
check "ita 2018 against 2014: the change is the difference" '
a, b = load("ita2018.json")["total"], load("ita2014.json")["total"]
ch = d["total"]["change"]
assert near(ch["share_high_change_pp"], (a["share_high"] - b["share_high"]) * 100), ch
assert near(ch["employed_change"], a["employed"] - b["employed"]), ch
assert near(ch["mean_risk_change"], a["mean_risk"] - b["mean_risk"]), ch
for cell in d["breakdown"]:
    before = [c for c in load("ita2014.json")["breakdown"] if c["key"] == cell["key"]][0]
    assert near(cell["change"]["employed_change"], cell["employed"] - before["employed"]), cell'
expect 0 "$FOW" observe ita --year 2018 --reference uk --json --units
check "location quotient ita against uk = the ratio of the two high shares" '
a, u = load("ita2018.json")["total"], load("uk2018.json")["total"]
lq = d["total"]["lq"]
assert near(lq["lq_high_risk"], a["share_high"] / u["share_high"]), (lq, a["share_high"], u["share_high"])
assert near(lq["reference_share_high"], u["share_high"]) and lq["lq_employment"] == 1, lq
ub = {c["key"]: c for c in load("uk2018.json")["breakdown"]}
for cell in d["breakdown"]:
    assert near(cell["lq"]["lq_high_risk"], cell["share_high"] / ub[cell["key"]]["share_high"]) if ub[cell["key"]]["share_high"] else True
    assert near(cell["lq"]["lq_employment"], cell["share_of_employment"] / ub[cell["key"]]["share_of_employment"]), cell'
expect 0 "$FOW" observe fra --year 2016 --reference ita --reference-year 2014 --json --units
check "fra 2016 against ita 2014" '
f, i = load("fra2016.json")["total"], load("ita2014.json")["total"]
assert d["reference"] == {"area": "ita", "year": 2014, "source": "EU Labour Force Survey (via Nesta), 2014-2018", "illustrative": False}, d["reference"]
assert near(d["total"]["lq"]["lq_high_risk"], f["share_high"] / i["share_high"])'

# ---- occupation groups on a 3-digit table -------------------------------------------------------------
expect 0 "$FOW" observe ita --year 2018 --by group --json --units
check "cultural and back-office on ISCO-3: whole minor groups counted, coarser rows partial" '
k = known("ita", 2018)
groups = {g["name"]: g["codes"] for g in d["groups"]}
b = {c["key"]: c for c in d["breakdown"]}
for name, codes in groups.items():
    inside = sum(v for code, v in k.items() if any(code.startswith(x) for x in codes))
    partial = sum(v for code, v in k.items() if not any(code.startswith(x) for x in codes)
                  and any(x.startswith(code) and len(x) > len(code) for x in codes))
    assert near(b[name]["employed"], inside), (name, b[name]["employed"], inside)
    assert near(b[name]["partial"], partial), (name, b[name]["partial"], partial)
    assert inside > 0 and partial > 0, (name, inside, partial)
assert near(sum(c["employed"] for c in d["breakdown"]), d["total"]["employed"])'

# ---- transitions at scale ----------------------------------------------------------------------------
expect 0 "$FOW" at-scale ita --year 2018 --json --limit 0; save scale.json
check "ita 2018 at scale: bookkeeping" '
hr = d["high_risk_workers"]
t = load("ita2018.json")["total"]
assert near(hr, [c["employed"] for c in t["categories"] if c["category"] == "High risk"][0]), hr
assert 0 < d["with_min_moves"] <= hr + 1e-6, (d["with_min_moves"], hr)
assert near(sum(o["workers"] for o in d["origins"]) + d["unplaced_because"]["no_occupation"], hr), (hr, d["unplaced_because"])
assert near(d["placed"] + d["unplaced"], hr), (d["placed"], d["unplaced"], hr)
assert all(x["workers"] <= x["capacity"] * (1 + 1e-9) + 1e-9 for x in d["destinations"])
# no destination takes in more than 5% of its employment a year for 10 years: the 814,042 workers who
# would all go to foreign language correspondence clerks without a limit are not all placed
assert max(x["workers"] for x in d["destinations"]) < 100000, d["destinations"][:3]
assert near(d["with_min_moves"], sum(o["workers"] for o in d["origins"] if o["moves"] >= 3))
assert near(d["without_moves"], sum(o["workers"] for o in d["origins"] if o["moves"] == 0))
assert d["n_destinations"] > 0 and d["n_skills"] > 0'
expect 0 "$FOW" at-scale uk --year 2018 --model frey-osborne --json --limit 0
check "uk 2018 at scale, Frey & Osborne" '
assert 0 <= d["with_min_moves"] <= d["high_risk_workers"] + 1e-6, d
assert near(sum(o["workers"] for o in d["origins"]) + d["unplaced_because"]["no_occupation"], d["high_risk_workers"])
assert near(d["placed"] + d["unplaced"], d["high_risk_workers"])'

# ---- scenarios ----------------------------------------------------------------------------------------
for a in slow medium fast; do
  expect 0 "$FOW" scenario ita --year 2018 --adoption $a --json; save "sc_$a.json"
done
check "ita 2018 scenarios: slow <= medium <= fast every year; never more than employed" '
s, m, f = (load("sc_%s.json" % a) for a in ("slow", "medium", "fast"))
for x in (s, m, f):
    tot = x["totals"]
    assert near(tot["employed"], load("ita2018.json")["total"]["employed"]), tot
    cum = 0
    for y in x["years"]:
        cum += y["displaced"]
        assert y["displaced"] >= 0 and near(y["cumulative"], cum, 1e-6) and y["cumulative"] <= tot["employed"], y
for a, b in ((s, m), (m, f)):
    for ya, yb in zip(a["years"], b["years"]):
        assert ya["cumulative"] <= yb["cumulative"] + 1e-6, (ya, yb)
assert f["totals"]["displaced"] > 0'
expect 0 "$FOW" scenario ita --year 2018 --adoption custom --ceiling 0 --speed 1 --midpoint 5 --json
check "no adoption, no displacement" '
assert all(y["displaced"] == 0 and y["cumulative"] == 0 and y["hours"] == 0 for y in d["years"]), d["years"][:2]
assert d["totals"]["displaced"] == 0 and d["totals"]["budget"] == 0'
expect 0 "$FOW" scenario fra --year 2014 --model frey-osborne --adoption custom --ceiling 1 --speed 10 --midpoint 0 --json
check "extreme adoption on real data: all exposed work and no more" '
tot = d["totals"]
assert near(d["years"][-1]["cumulative"], tot["mean_exposure"] * tot["with_estimate"], 1e-6), (d["years"][-1], tot)
assert d["years"][-1]["cumulative"] <= tot["employed"]'

# ---- exposure: clerks far above teachers (MCC's categories), every figure within its band --------------
expect 0 "$FOW" scenario ita --year 2018 --adoption medium --json --limit 0
check "ita 2018 exposure by ISCO major group: clerical support above teaching professionals" '
u = d["units"]
def mean_exposure(prefix):
    rows = [x for x in u if x["code"].startswith(prefix) and x["exposure"] is not None]
    return sum(x["employed"] * x["exposure"] for x in rows) / sum(x["employed"] for x in rows)
clerks, teachers = mean_exposure("4"), mean_exposure("23")
assert clerks > teachers + 0.2, (clerks, teachers)
assert clerks > max(mean_exposure(g) for g in "1235679"), [(g, mean_exposure(g)) for g in "123456789"]
for x in u:
    if x["exposure"] is not None:
        assert x["exposure_low"] - 1e-12 <= x["exposure"] <= x["exposure_high"] + 1e-12, x
lv = {x["category"]: x["exposure"] for x in d["exposure_levels"]}
assert abs(lv["High risk"] - 0.679) < 0.0005 and abs(lv["Other"] - 0.364) < 0.0005 and abs(lv["Low risk"] - 0.091) < 0.0005, lv
b = d["totals"]["band"]
assert b["displaced"]["low"] <= d["totals"]["displaced"] <= b["displaced"]["high"], b'

echo "cli_observe_full: $passed passed, $failed failed"
[ "$failed" = 0 ]
