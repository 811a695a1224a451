#!/bin/sh
# data/demo/vouchers.sh FOW DB — the demo's Cluj Experimentation Vouchers (issue 14), loaded by
# `make demo-db` after the demo's people (journeys.csv) and cohorts. Everything here is INVENTED
# and ILLUSTRATIVE: the fund, its amounts, the call, the applications, the jury's scores, the
# awards and the vouchers describe no real programme, person or decision (data/demo/README.md).
#
# It uses only fow's own commands (fow voucher, fow call, fow person, fow user, fow cohort), so
# every movement of money goes through the library and its ledger: `fow check` passes afterwards.
# The texts are in Romanian (the programme runs in Cluj; the office's pages show them as typed);
# the call's title and criteria, which the model keeps in both languages, are also in English.
# The call is open from 30 days before the day of loading to 60 days after it (applications are
# taken only while a call is open); the vouchers are valid from that day for a year.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: data/demo/vouchers.sh FOW DB" >&2
    exit 2
fi
FOW=$1
DB=$2
HERE=$(cd "$(dirname "$0")" && pwd)

fow() { "$FOW" --db "$DB" --quiet "$@"; }
day() { date -u -d "@$(( $(date -u +%s) + $1 * 86400 ))" +%F; }
TODAY=$(day 0)
OPENS=$(day -30)
CLOSES=$(day 60)
UNTIL=$(day 365)
REASON="demo vouchers (data/demo/vouchers.sh)"

# a demo person's id from their (invented) name
person() { fow person find --name "$1" --reason "$REASON"; }

# the first open cohort of a module (fow cohort list: id, module, ..., status)
cohort() {
    fow cohort list --module "$1" | awk -v m="$1" '$2 == m && / open / { print $1; exit }'
}

# --- the fund and its budget lines for 2027 (amounts in lei; kept in bani) ---------------------
FUND=$(fow voucher fund add "Grantul programului Viitorul Muncii Cluj" --currency RON \
    --description "Fond demonstrativ (sume inventate): grantul din care se plătesc voucherele CEV")
LEARNING=$(fow voucher line add "$FUND" --purpose learning_module --year 2027 --amount 60000 \
    --name "Module de învățare 2027")
LAB=$(fow voucher line add "$FUND" --purpose lab_time --year 2027 --amount 25000 \
    --name "Timp în laboratoarele CREIC 2027")
fow voucher line add "$FUND" --purpose community_facilitation --year 2027 --amount 15000 \
    --name "Facilitare comunitară 2027" > /dev/null
fow voucher line add "$FUND" --purpose business_support --year 2027 --amount 20000 \
    --name "Sprijin pentru afaceri 2027" > /dev/null

# --- the call for the Culturepreneurs learning modules, with its criteria and rules ------------
DEFINITION=$(mktemp)
trap 'rm -f "$DEFINITION"' EXIT
sed -e "s/@LINE@/$LEARNING/" -e "s/@OPENS@/$OPENS/" -e "s/@CLOSES@/$CLOSES/" \
    "$HERE/vouchers_call.json" > "$DEFINITION"
CALL=$(fow call add "$DEFINITION")

# --- the jury: two juror accounts with random passwords nobody is shown ------------------------
# (to sign in as one: fow user passwd demo-juror-ana)
for juror in demo-juror-ana demo-juror-mihai; do
    head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' |
        fow user add "$juror" --role juror --display-name "$juror (demo)" --password-stdin > /dev/null
    fow call juror "$CALL" "$juror" > /dev/null
done

# --- applications: NAME|MODULE|AMOUNT|PROPOSAL --------------------------------------------------
# People who passed CP-BIZ in the autumn apply for a second module; two newcomers for CP-BIZ.
APPLICATIONS="
Demo Person 01|CP-DESIGN|1800|Design pentru atelierul meu de ceramică: de la schițe la prima colecție
Demo Person 04|CP-AV|1800|Montaj și culoare pentru mica firmă de producție video pe care o înființez
Demo Person 09|CP-GAME|1800|Un joc educativ despre reciclare pentru școli, cu prototip într-un motor de jocuri
Demo Person 05|CP-DESIGN|1500|Mobilier ecologic din lemn recuperat
Demo Person 69|CP-BIZ|1200|Plan de afaceri pentru audioghiduri bilingve în muzee
Demo Person 70|CP-BIZ|1200|Prețuri și prezentări pentru un studio de ilustrație
Demo Person 07|CP-AV|1800|Documentare scurte despre cartierele orașului
Demo Person 13|CP-GAME|1800|Un joc pe telefon despre istoria Clujului
Demo Person 10|CP-BIZ|1200|O cafenea de reparații ca afacere socială
"
# the jury's scores (relevance out of 10, feasibility out of 5), in the order of the list above
SCORES_ANA="9,4 8,5 9,4 7,4 8,4 7,4 6,3 5,2 -"
SCORES_MIHAI="8,5 9,4 8,4 7,3 7,4 8,3 6,3 4,3 -"

APPS=""
PEOPLE=""
MODULES=""
AMOUNTS=""
IFS_SAVED=$IFS
IFS='
'
for row in $APPLICATIONS; do
    IFS='|' read -r name module amount proposal <<EOF
$row
EOF
    id=$(person "$name")
    fow person consent "$id" vouchers --text-version demo-1 > /dev/null
    app=$(fow call apply "$CALL" --person "$id" --amount "$amount" --proposal "$proposal" --json |
        sed -n 's/^  "id": \([0-9]*\),$/\1/p')
    APPS="$APPS $app"
    PEOPLE="$PEOPLE $id"
    MODULES="$MODULES $module"
    AMOUNTS="$AMOUNTS $amount"
done
IFS=$IFS_SAVED

nth() { echo "$2" | awk -v n="$1" '{ print $n }'; }

# Demo Person 05's application: juror Mihai declares a conflict (a neighbour) and does not score it
fow call conflict "$(nth 4 "$APPS")" --juror demo-juror-mihai --reason "vecin al solicitantului (demo)" > /dev/null

i=1
for app in $APPS; do
    a=$(nth "$i" "$SCORES_ANA")
    m=$(nth "$i" "$SCORES_MIHAI")
    if [ "$a" != "-" ]; then   # the ineligible application (the last one) is not scored
        fow call score "$app" --juror demo-juror-ana --scores "relevance=${a%,*},feasibility=${a#*,}" \
            --comment "punctaj demo" > /dev/null
        if [ "$i" != 4 ]; then
            fow call score "$app" --juror demo-juror-mihai --scores "relevance=${m%,*},feasibility=${m#*,}" \
                --comment "punctaj demo" > /dev/null
        fi
    fi
    i=$((i + 1))
done

# --- decisions and vouchers --------------------------------------------------------------------
# An award issues its voucher in the same transaction, on the call's voucher terms (active at once,
# valid 12 months); `fow call award` prints its code.
award() { # N: the N-th application; awards it, prints the voucher's code
    app=$(nth "$1" "$APPS")
    code=$(fow call award "$app" --decision award --reason "în clasament, în limita bugetului (demo)" |
        grep -o 'CEV-[0-9A-Z-]*' | head -n 1)
    if [ -z "$code" ]; then
        echo "vouchers.sh: the award of application $app issued no voucher" >&2
        exit 1
    fi
    echo "$code"
}

for n in 1 2 3 4 5 6; do
    code=$(award "$n")
    module=$(nth "$n" "$MODULES")
    # the provider redeems it at enrolment in the module's next open cohort (the voucher's whole value)
    fow voucher redeem "$code" "$(cohort "$module")" --amount "$(nth "$n" "$AMOUNTS")" \
        --key "demo-redeem-$code" > /dev/null
done
fow call award "$(nth 7 "$APPS")" --decision waitlist --reason "următorul în clasament; linia bugetară poate crește (demo)" > /dev/null
fow call award "$(nth 8 "$APPS")" --decision reject --reason "cel mai mic punctaj ponderat al juriului (demo)" > /dev/null

# --- lab time: a voucher the office issues directly; its holder is inducted on the laser cutter ---
# (a passed completion of CREIC-LASER-IND, which issues the credential) and books an hour of it with
# the voucher (the booking and its charge in one transaction: docs/labs-bookings.md)
LAB_PERSON=$(person "Demo Person 04")
LAB_CODE=$(fow voucher issue "$LAB" "$LAB_PERSON" --value 2000 --valid-from "$TODAY" --valid-until "$UNTIL" \
    --active --key demo-lab-time --note "timp în laboratoarele CREIC (demo)")
# (only where the demo's labs are loaded, as make demo-db does before this script)
week=6
if fow lab induction laser-cutter-1 "$LAB_PERSON" > /dev/null 2>&1; then week=0; fi
# the first Monday at least two weeks ahead that is not a holiday or a closure
while [ "$week" -lt 6 ]; do
    day=$(date -d "+$((14 + 7 * week)) days" +%F)
    day=$(date -d "$day + $(( (8 - $(date -d "$day" +%u)) % 7 )) days" +%F)
    if fow lab book laser-cutter-1 "${day}T10:00" --minutes 60 --category culturepreneur --person "$LAB_PERSON" \
        --payment voucher --voucher "$LAB_CODE" --key demo-lab-voucher > /dev/null 2>&1; then
        break
    fi
    week=$((week + 1))
done
