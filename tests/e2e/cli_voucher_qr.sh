#!/usr/bin/env bash
# fow voucher qr: the QR code of a voucher's redemption address, as SVG and as a PBM bitmap that
# an independent decoder (zbarimg, Debian's zbar-tools, installed by make test) reads back to the
# address <origin>/#/redeem?code=CODE; the origin set for credentials or given; errors naming the
# flag.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
PERSON=$("$FOW" --quiet person add --organisation Demo | grep -o 'p[a-z2-7]\{26\}' | head -1)
expect 0 "$FOW" person consent "$PERSON" vouchers --text-version v1
expect 0 "$FOW" voucher fund add "CEV QR" --currency RON
expect 0 "$FOW" voucher line add 1 --purpose learning_module --year 2027 --amount 1000
expect 0 "$FOW" voucher issue 1 "$PERSON" --value 200 --valid-from 2026-01-01 --valid-until 2030-12-31 --active
CODE=$(cat "$WORK/out")

# SVG on standard output: titled with the address (the credential issuer's URL: the default)
expect 0 "$FOW" voucher qr "$CODE"
contains "$WORK/out" "<svg xmlns=\"http://www.w3.org/2000/svg\""
contains "$WORK/out" "http://127.0.0.1:8080/#/redeem?code=$CODE"
# a PBM read back by zbarimg, with the origin set for credentials, then one given
expect 0 "$FOW" credential issuer --url https://fow.cluj.example --name "fow Cluj"
expect 0 "$FOW" voucher qr "$CODE" --format pbm --output "$WORK/v.pbm"
contains "$WORK/err" "Wrote the QR code"
if command -v zbarimg > /dev/null; then
  equals "$(zbarimg --quiet --raw "$WORK/v.pbm" 2>/dev/null)" "https://fow.cluj.example/#/redeem?code=$CODE" "zbarimg reads the address"
  expect 0 "$FOW" voucher qr "$(echo "$CODE" | tr 'A-Z' 'a-z' | tr -d -)" --format pbm --output "$WORK/w.pbm" --origin https://other.example:8443
  equals "$(zbarimg --quiet --raw "$WORK/w.pbm" 2>/dev/null)" "https://other.example:8443/#/redeem?code=$CODE" "--origin, the code typed loosely"
else
  echo "SKIPPED: zbarimg (zbar-tools) is not installed: the QR codes were not read back" >&2
  exit 77
fi
expect 1 "$FOW" voucher qr "$CODE" --format png
contains "$WORK/err" "(see 'fow voucher qr --help')"
contains "$WORK/err" "--format must be svg or pbm"
expect 1 "$FOW" voucher qr "$CODE" --origin ftp://x
contains "$WORK/err" "--origin must be an http"
expect 1 "$FOW" voucher qr CEV-0000-0000-0000-0000
contains "$WORK/err" "no voucher"
expect 1 "$FOW" voucher qr
contains "$WORK/err" "VOUCHER (an id or a code) is missing"
echo "cli_voucher_qr: $passed passed, $failed failed"
[ "$failed" = 0 ]
