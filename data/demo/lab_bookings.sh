#!/usr/bin/env bash
# lab_bookings.sh — a semester of bookings of the demo's CREIC labs (invented; issue 15):
# the spring semester 2027 (22 February to 11 June), loaded by `make demo-db` after the labs
# (data/demo/labs.json) and the public holidays. Weekly series of schools and universities in
# the spaces (group bookings paid by invoice; dates on a public holiday are skipped and shown as
# conflicts), and enterprises booking machines by invoice every week. Needs no person's record.
#   FOW=build/fow FOW_DB=fow.db bash data/demo/lab_bookings.sh
set -eu
FOW="${FOW:-build/fow}"
DB="${FOW_DB:-fow.db}"
fow() { "$FOW" --db "$DB" --quiet "$@"; }
FIRST=2027-02-22
LAST=2027-06-11

# series: space weekday time minutes group size category invoice
while IFS='|' read -r space weekday time minutes group size category invoice; do
  [ -z "$space" ] && continue
  fow lab series "$space" --weekday "$weekday" --time "$time" --minutes "$minutes" --from "$FIRST" --to "$LAST" \
    --group "$group" --group-size "$size" --category "$category" --invoice "$invoice" --confirm --skip-conflicts
done <<'SERIES'
design-workshop|3|09:00|120|Liceul de Arte Plastice, clasa a X-a A|18|school|LAP-2027-S2
design-workshop|4|14:00|180|UTCN Design industrial, anul 2|16|university|UTCN-DI-2027
ml-classroom|2|10:00|120|UBB Informatică, Machine Learning aplicat|16|university|UBB-ML-2027
ml-classroom|5|09:00|120|Colegiul Tehnic, clasa a XI-a B|14|school|CT-2027-S2
mocap-stage|1|10:00|180|UNATC Cluj, Animație anul 3|8|university|UNATC-ANIM-2027
colour-grading-suite|4|10:00|120|UBB Film, post-producție|3|university|UBB-FILM-2027
SERIES

# enterprises: machine weekday time minutes CUI invoice, every week of the semester
while IFS='|' read -r machine weekday time minutes cui invoice; do
  [ -z "$machine" ] && continue
  day="$FIRST"
  while [ "$(date -d "$day" +%s)" -le "$(date -d "$LAST" +%s)" ]; do
    if [ "$(date -d "$day" +%u)" = "$weekday" ]; then
      fow lab book "$machine" "${day}T$time" --minutes "$minutes" --category enterprise --enterprise "$cui" \
        --invoice "$invoice" > /dev/null 2>&1 || true   # a holiday or a closure: not booked
    fi
    day=$(date -d "$day + 1 day" +%F)
  done
done <<'MACHINES'
render-node-1|1|09:00|480|14399840|VFX-STUDIO-2027
gpu-workstation-1|3|09:00|240|39445112|ML-START-2027
robot-arm-1|2|13:00|120|18222013|AUTOMATION-2027
MACHINES
