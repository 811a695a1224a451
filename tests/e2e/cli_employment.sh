#!/usr/bin/env bash
# fow import employment on the demo taxonomy: counts by ISCO code or ESCO
# occupation, masked cells kept as unknown, unknown codes listed with their
# lines (nothing imported unless --skip-unknown), bad input located, and the
# database unchanged after every failure. On ../shared/data too when present:
# the EU Labour Force Survey tables of Italy, France and the UK.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }

# a table by ISCO code at several levels, with a masked cell and a breakdown by sex
cat > "$WORK/cluj.csv" <<'CSV'
isco_code,year,sex,employed,median_wage
4222,2024,,1200,3100
4222,2024,F,800,
4222,2024,M,x,
42,2024,,5000,3300
4,2024,,:,
CSV
expect 0 "$FOW" import employment "$WORK/cluj.csv" --area Cluj-Napoca --source "illustrative" --version 1
contains "$WORK/out" "2 masked cells kept as unknown (not zero)"
equals "$(sql "select count(*), sum(masked), sum(employed) from employment where area='Cluj-Napoca'")" "5|2|7000.0" "rows, masked, total"
equals "$(sql "select employed is null from employment where isco_code='4222' and sex='M'")" "1" "a masked cell is NULL, not 0"
equals "$(sql "select median_wage from employment where isco_code='4222' and sex=''")" "3100.0" "median wage"
# the same file again: nothing changes
before=$(snapshot)
expect 0 "$FOW" import employment "$WORK/cluj.csv" --area Cluj-Napoca --source "illustrative" --version 1
contains "$WORK/out" "nothing changed"
equals "$(snapshot)" "$before" "importing the same file again"
# employed_thousands are scaled to persons
printf 'isco_code,employed_thousands\n4222,1.5\n' > "$WORK/k.csv"
expect 0 "$FOW" import employment "$WORK/k.csv" --area Cluj --year 2023
equals "$(sql "select employed from employment where area='Cluj' and year=2023")" "1500.0" "thousands to persons"
# a newer file replaces the area's counts of its years only
printf 'isco_code,year,employed\n4222,2024,1300\n' > "$WORK/cluj2.csv"
# it holds 1 row where the area had 5 for 2024: more than half of them
# would go, so fow asks for --allow-shrink and changes nothing without it
expect 1 "$FOW" import employment "$WORK/cluj2.csv" --area Cluj-Napoca
contains "$WORK/err" "would leave the area 'Cluj-Napoca' in 2024 with 1 of its 5 rows in employment"
contains "$WORK/err" "allow_shrink" "names the option that allows it"
equals "$(sql "select count(*) from employment where area='Cluj-Napoca'")" "5" "refused: the area keeps its rows"
expect 0 "$FOW" import employment "$WORK/cluj2.csv" --area Cluj-Napoca --allow-shrink
equals "$(sql "select count(*), sum(employed) from employment where area='Cluj-Napoca'")" "1|1300.0" "replaced the year"
equals "$(sql "select count(*) from employment where area='Cluj'")" "1" "other areas untouched"
# by ESCO occupation
OCC=$(sql "select uri from occupations limit 1")
printf 'occupation_uri,year,employed\n%s,2024,42\n' "$OCC" > "$WORK/esco.csv"
expect 0 "$FOW" import employment "$WORK/esco.csv" --area Turda
equals "$(sql "select employed from employment where area='Turda'")" "42.0" "by ESCO occupation"

# unknown codes: listed with their lines, nothing imported
printf 'isco_code,year,employed\n4222,2025,10\n9999,2025,5\n8888,2025,7\n' > "$WORK/unknown.csv"
before=$(snapshot)
expect 1 "$FOW" import employment "$WORK/unknown.csv" --area Cluj-Napoca
contains "$WORK/err" "2 rows name an occupation that is not in the imported taxonomy: '9999' (line 3), '8888' (line 4); nothing was imported (with skip_unknown, the other rows are imported)"
equals "$(snapshot)" "$before" "unknown codes leave the database unchanged"
expect 0 "$FOW" import employment "$WORK/unknown.csv" --area Cluj-Napoca --skip-unknown
contains "$WORK/out" "2 rows skipped, not in the imported taxonomy"
equals "$(sql "select count(*) from employment where area='Cluj-Napoca' and year=2025")" "1" "--skip-unknown imports the rest"

# bad input, located, database unchanged
bad() { # NAME CONTENT MESSAGE [ARGS...]
  local name="$1" content="$2" msg="$3"; shift 3
  printf "$content" > "$WORK/$name.csv"
  local b; b=$(snapshot)
  expect 1 "$FOW" import employment "$WORK/$name.csv" "$@"
  contains "$WORK/err" "$msg"
  equals "$(snapshot)" "$b" "$name leaves the database unchanged"
}
bad negative 'isco_code,year,employed\n4222,2024,-3\n' "$WORK/negative.csv:2:" --area A
bad negative2 'isco_code,year,employed\n4222,2024,-3\n' "cannot be negative" --area A
bad notnumber 'isco_code,year,employed\n4222,2024,many\n' "$WORK/notnumber.csv:2:" --area A
bad badcode 'isco_code,year,employed\n42a,2024,3\n' "is not an ISCO-08 code of 1 to 4 digits" --area A
bad longcode 'isco_code,year,employed\n42221,2024,3\n' "$WORK/longcode.csv:2:1:" --area A
bad badyear 'isco_code,year,employed\n4222,1800,3\n' "is not a year 1900..2100" --area A
bad duplicate 'isco_code,year,employed\n4222,2024,3\n4222,2024,4\n' "first on line 2" --area A
bad noyear 'isco_code,employed\n4222,3\n' "noyear.csv: the file has no year column: give year, the year of all its rows (--year)" --area A
bad nocode 'year,employed\n2024,3\n' "the column isco_code, occupation_uri or both" --area A
bad novalue 'isco_code,year\n4222,2024\n' "one of the columns employed or employed_thousands" --area A
bad both 'isco_code,year,employed,employed_thousands\n4222,2024,3,4\n' "not both" --area A
bad bothcodes 'isco_code,occupation_uri,year,employed\n4222,urn:fow:demo:occupation:call-centre-agent,2024,3\n' "this row has both" --area A
bad neithercode 'isco_code,occupation_uri,year,employed\n,,2024,3\n' "neithercode.csv:2:1: give either" --area A
printf 'isco_code,occupation_uri,year,employed\n4222,,2030,100\n,urn:fow:demo:occupation:call-centre-agent,2030,30\n' > "$WORK/mixed-ok.csv"
expect 0 "$FOW" import employment "$WORK/mixed-ok.csv" --area Mixed
expect 0 "$FOW" observe Mixed --year 2030 --json
contains "$WORK/out" '"employed": 100'
expect 1 "$FOW" import employment "$WORK/cluj.csv"
contains "$WORK/err" "employment imports need area: the area the counts describe, e.g. Cluj-Napoca (--area)"
expect 1 "$FOW" import employment "$WORK/cluj.csv" --area A --year 12
contains "$WORK/err" "year must be a whole number from 1900 to 2100, not '12' (--year)"
expect 1 "$FOW" import risk "$WORK/cluj.csv" --model mcc --area A
contains "$WORK/err" "risk imports take no option area; they take model, source, version, licence, url and allow_shrink (--area)"

# the real EU Labour Force Survey tables (ISCO-08 3 digits, thousands)
if have_shared_data employment/ita_isco3_thousands.csv; then
  export FOW_DB="$WORK/full.db"
  "$FOW" --quiet import bundle "$D/esco-1.2.0" > /dev/null || fail "full import"
  for c in ita fra uk; do
    expect 0 "$FOW" import employment "$D/employment/${c}_isco3_thousands.csv" --area "$c" \
      --source "EU Labour Force Survey (via Nesta)" --version 2014-2018
  done
  contains "$WORK/out" "uk_isco3_thousands.csv"
  rows=$(( $(wc -l < "$D/employment/ita_isco3_thousands.csv") - 1 ))
  equals "$(sql "select count(*) from employment where area='ita'")" "$rows" "every Italian row"
  masked=$(grep -c ',x$' "$D/employment/ita_isco3_thousands.csv")
  equals "$(sql "select sum(masked) from employment where area='ita'")" "$masked" "Italy's masked cells kept as unknown"
  # the totals equal the file's sums, in persons
  for c in ita fra uk; do
    want=$(python3 -c 'import csv,sys
t={}
for r in csv.DictReader(open(sys.argv[1])):
    if r["employed_thousands"] not in ("x",""): t[r["year"]]=t.get(r["year"],0)+float(r["employed_thousands"])*1000
print(round(t["2018"]))' "$D/employment/${c}_isco3_thousands.csv")
    equals "$(sql "select cast(round(sum(employed)) as integer) from employment where area='$c' and year=2018")" "$want" "$c 2018 total"
  done
  equals "$(sql "select count(distinct year) from employment where area='uk'")" "5" "five years"
  # a copy cut short (issue 11, finding 3): its last row '421,2017,33' would
  # have been read as 33,000 persons and replaced 570 rows with 284
  head -c 4738 "$D/employment/uk_isco3_thousands.csv" > "$WORK/cut.csv"
  before=$(snapshot)
  expect 1 "$FOW" import employment "$WORK/cut.csv" --area uk
  contains "$WORK/err" "cut.csv:285:12: file ends inside a row: truncated?"
  equals "$(snapshot)" "$before" "a cut file changes nothing"
  # cut at a line end it cannot be told from a whole file, but it holds too
  # few of the area's rows for its years
  head -n 201 "$D/employment/uk_isco3_thousands.csv" > "$WORK/cut-lines.csv"
  expect 1 "$FOW" import employment "$WORK/cut-lines.csv" --area uk
  contains "$WORK/err" "would leave the area 'uk' in 2014 with 40 of its 114 rows in employment"
  equals "$(snapshot)" "$before" "a file with a third of the rows changes nothing"
  # the same file under a new version: the sources say so, the rows stay
  expect 0 "$FOW" import employment "$D/employment/uk_isco3_thousands.csv" --area uk \
    --source "EU Labour Force Survey (via Nesta)" --version 2014-2018-rev2
  contains "$WORK/out" "only the source's description was updated"
  equals "$(sql "select version, rows from sources where dataset like 'employment:uk:%'")" "2014-2018-rev2|570" \
    "the new version is recorded"
  expect 0 "$FOW" sources
  contains "$WORK/out" "2014-2018-rev2"
fi

echo "cli_employment: $passed passed, $failed failed"
[ "$failed" = 0 ]
