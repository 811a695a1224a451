#!/usr/bin/env bash
# Verifiable credentials on the demo: fow credential issue, verify (offline,
# with the database's key, a JWK Set file and a saved status list), revoke,
# present (the skills enter the person's profile with provenance
# credential); bad input refused with the check that failed (malformed JWT,
# wrong alg, wrong kid, changed payload or signature, expired, revoked); and
# the independent check: the credential verifies with Node.js's crypto
# (OpenSSL's Ed25519 from the JWK) and with openssl pkeyutl, and fails in
# both after any one byte of its payload or signature is changed.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
expect 0 "$FOW" --quiet import modules "$DEMO/modules.csv"
expect 0 "$FOW" person add --organisation demo-org --json
P=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/out")
M=$(sql "select id from training_modules where code='W40-SQL'")

# no consent to training yet: refused, nothing stored, and no key yet
expect 1 "$FOW" credential issue --person "$P" --module "$M"
contains "$WORK/err" "consent"
equals "$(sql "select count(*) from credentials")" "0" "nothing issued without consent"
expect 0 "$FOW" person consent "$P" training --text-version v1
expect 0 "$FOW" person consent "$P" counselling --text-version v1
expect 1 "$FOW" credential issue --person "$P" --module 9999
contains "$WORK/err" "no module with id 9999"
expect 1 "$FOW" credential issue --person "$P" --module "$M" --completed-on 2026-02-30
contains "$WORK/err" "YYYY-MM-DD"

expect 0 "$FOW" credential issuer --url https://fow.example.org --name "Cluj Future of Work (demo)"
expect 1 "$FOW" credential issuer --url "ftp://x/"
contains "$WORK/err" "(--url)"

expect 0 "$FOW" credential issue --person "$P" --module "$M" --result passed --out "$WORK/c.jwt"
contains "$WORK/out" "Issued credential urn:uuid:"
equals "$(stat -c %a "$FOW_DB.issuer.key")" "600" "issuer key file mode"
grep -q "^ed25519-seed=[0-9a-f]\{64\}$" "$FOW_DB.issuer.key" || fail "the key file holds the seed"
equals "$(sql "select count(*) from credential_issuer_keys")" "1" "one public key stored"
# the secret seed is nowhere in the database
seed=$(sed -n 's/^ed25519-seed=//p' "$FOW_DB.issuer.key")
if grep -qi "$seed" "$FOW_DB" 2> /dev/null; then fail "the seed is in the database file"; fi
ID=$(sql "select id from credentials")

# the payload: an OpenBadgeCredential with the module, its skills aligned, no name, a status entry
$PY - "$WORK/c.jwt" "$P" > "$WORK/payload.txt" << 'PY' || fail "payload structure"
import base64, json, sys
jwt = open(sys.argv[1]).read().strip()
h, p, s = jwt.split('.')
pad = lambda t: t + '=' * (-len(t) % 4)
header = json.loads(base64.urlsafe_b64decode(pad(h)))
vc = json.loads(base64.urlsafe_b64decode(pad(p)))
assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": header["kid"]}, header
assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
assert "OpenBadgeCredential" in vc["type"]
assert vc["issuer"]["id"] == "https://fow.example.org/api/v1/credential-issuer"
a = vc["credentialSubject"]["achievement"]
assert a["humanCode"] == "W40-SQL" and a["nameRo"] and a["hours"] > 0 and a["creator"]["name"]
assert [x["targetName"] for x in a["alignment"]] == ["query databases with SQL", "clean data sets", "statistics"], a["alignment"]
assert all(x["targetUrl"].startswith("urn:fow:demo:skill:") for x in a["alignment"])
assert vc["credentialSubject"]["id"].startswith("urn:fow:subject:")
assert sys.argv[2] not in p and sys.argv[2] not in json.dumps(vc), "the person's id is in the credential"
st = vc["credentialStatus"]
assert st["type"] == "BitstringStatusListEntry" and st["statusPurpose"] == "revocation"
assert st["statusListCredential"] == "https://fow.example.org/api/v1/credential-status/1"
print(st["statusListIndex"])
PY

expect 0 "$FOW" credential verify "$WORK/c.jwt"
contains "$WORK/out" "VALID: $ID"
contains "$WORK/out" "status     passed"
expect 0 "$FOW" credential jwks
cp "$WORK/out" "$WORK/jwks.json"
expect 0 "$FOW" credential status-list 1 --out "$WORK/status.jwt"
# offline: no database at all, the keys and the status list from files
expect 0 "$FOW" --db "$WORK/none.db" credential verify "$WORK/c.jwt" --jwks "$WORK/jwks.json" --status-list "$WORK/status.jwt"
contains "$WORK/out" "not revoked: bit"
expect 0 "$FOW" --db "$WORK/none.db" credential verify "$WORK/c.jwt" --jwks "$WORK/jwks.json" --json
contains "$WORK/out" '"outcome": "unchecked"'
[ -e "$WORK/none.db" ] && fail "verify made a database"

# the status list: GZIP of 131072 bits (16 KiB), base64url with the multibase prefix u
$PY - "$WORK/status.jwt" "$(cat "$WORK/payload.txt")" << 'PY' || fail "status list encoding"
import base64, gzip, json, sys
p = open(sys.argv[1]).read().strip().split('.')[1]
vc = json.loads(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)))
assert "BitstringStatusListCredential" in vc["type"]
enc = vc["credentialSubject"]["encodedList"]
assert enc[0] == "u"
bits = gzip.decompress(base64.urlsafe_b64decode(enc[1:] + '=' * (-len(enc[1:]) % 4)))
assert len(bits) == 16384, len(bits)
i = int(sys.argv[2])
assert (bits[i // 8] >> (7 - i % 8)) & 1 == 0
PY

# the independent check: Node.js crypto (OpenSSL), and openssl pkeyutl
if command -v node > /dev/null; then
  node "$E2E_LIB/verify_vcjwt.mjs" "$WORK/c.jwt" "$WORK/jwks.json" > "$WORK/node.out" 2>&1 || fail "node: $(cat "$WORK/node.out")"
  contains "$WORK/node.out" "valid"
  $PY - "$WORK/c.jwt" "$WORK" << 'PY'
import sys, random
jwt = open(sys.argv[1]).read().strip()
h, p, s = jwt.split('.')
random.seed(13)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
n = 0
# one changed character of the payload, then of the signature, at several places each
for part in ("payload", "signature"):
    text = p if part == "payload" else s
    for k in range(12):
        i = random.randrange(len(text)) if k else len(text) - 1
        c = random.choice([a for a in alphabet if a != text[i]])
        changed = text[:i] + c + text[i + 1:]
        out = ".".join([h, changed, s] if part == "payload" else [h, p, changed])
        open(f"{sys.argv[2]}/bad{n}.jwt", "w").write(out + "\n")
        n += 1
PY
  for f in "$WORK"/bad*.jwt; do
    if node "$E2E_LIB/verify_vcjwt.mjs" "$f" "$WORK/jwks.json" > /dev/null 2>&1; then fail "node accepted a changed credential $f"; fi
    expect 1 "$FOW" credential verify "$f"
  done
else
  echo "note: node is missing: the Node.js check did not run" >&2
fi
if command -v openssl > /dev/null && openssl pkeyutl -help 2>&1 | grep -q rawin; then
  $PY - "$WORK/c.jwt" "$WORK/jwks.json" "$WORK" << 'PY'
import base64, json, sys
jwt = open(sys.argv[1]).read().strip()
h, p, s = jwt.split('.')
x = json.load(open(sys.argv[2]))["keys"][0]["x"]
raw = base64.urlsafe_b64decode(x + '=' * (-len(x) % 4))
# SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed prefix and the 32 bytes
der = bytes.fromhex("302a300506032b6570032100") + raw
pem = "-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n"
open(f"{sys.argv[3]}/pub.pem", "w").write(pem)
open(f"{sys.argv[3]}/signed.bin", "wb").write((h + "." + p).encode())
open(f"{sys.argv[3]}/sig.bin", "wb").write(base64.urlsafe_b64decode(s + '=' * (-len(s) % 4)))
changed = bytearray((h + "." + p).encode()); changed[len(h) + 5] ^= 1
open(f"{sys.argv[3]}/signed_bad.bin", "wb").write(bytes(changed))
PY
  openssl pkeyutl -verify -pubin -inkey "$WORK/pub.pem" -rawin -in "$WORK/signed.bin" -sigfile "$WORK/sig.bin" > "$WORK/ossl.out" 2>&1 \
    || fail "openssl: $(cat "$WORK/ossl.out")"
  if openssl pkeyutl -verify -pubin -inkey "$WORK/pub.pem" -rawin -in "$WORK/signed_bad.bin" -sigfile "$WORK/sig.bin" > /dev/null 2>&1; then
    fail "openssl accepted a changed payload"
  fi
fi

# bad input, each naming the check that failed
printf 'not a jwt\n' > "$WORK/malformed.jwt"
expect 1 "$FOW" credential verify "$WORK/malformed.jwt"
contains "$WORK/err" "format: not a compact JWT"
$PY - "$WORK/c.jwt" "$WORK" << 'PY'
import base64, json, sys
jwt = open(sys.argv[1]).read().strip()
h, p, s = jwt.split('.')
enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip('=')
header = json.loads(base64.urlsafe_b64decode(h + '=' * (-len(h) % 4)))
open(f"{sys.argv[2]}/alg.jwt", "w").write(".".join([enc(dict(header, alg="HS256")), p, s]))
open(f"{sys.argv[2]}/kid.jwt", "w").write(".".join([enc(dict(header, kid="someone-else")), p, s]))
open(f"{sys.argv[2]}/header.jwt", "w").write(".".join(["bm90IGpzb24", p, s]))
PY
expect 1 "$FOW" credential verify "$WORK/alg.jwt"
contains "$WORK/err" "alg is 'HS256': only EdDSA"
expect 1 "$FOW" credential verify "$WORK/kid.jwt"
contains "$WORK/err" "kid someone-else is not among"
expect 1 "$FOW" credential verify "$WORK/header.jwt"
contains "$WORK/err" "header (first part) is not JSON"
expect 1 "$FOW" credential verify "$WORK/bad12.jwt"
contains "$WORK/err" "signature"
expect 1 "$FOW" credential verify "$WORK/c.jwt" --jwks "$WORK/payload.txt"
contains "$WORK/err" "JWK Set is not JSON"

# expired: a credential valid for one day, checked a year later
expect 0 "$FOW" credential issue --person "$P" --module "$M" --valid-days 1 --out "$WORK/short.jwt"
expect 0 "$FOW" credential verify "$WORK/short.jwt"
expect 1 "$FOW" credential verify "$WORK/short.jwt" --at 2099-01-01T00:00:00Z
contains "$WORK/err" "dates: expired"

# present: the skills enter the person's profile with provenance credential
expect 0 "$FOW" credential present "$WORK/c.jwt" --person "$P"
contains "$WORK/out" "3 skills entered the profile"
equals "$(sql "select count(*) from person_skills where person_id='$P' and provenance='credential'")" "3" "skills from the credential"
expect 0 "$FOW" person add --organisation demo-org --json
Q=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/out")
expect 0 "$FOW" person consent "$Q" counselling --text-version v1
expect 1 "$FOW" credential present "$WORK/c.jwt" --person "$Q"
contains "$WORK/err" "issued to another person"

# revoke: the bit is set; the saved status list still says not revoked, a new one says revoked
expect 0 "$FOW" credential revoke "$ID" --reason "issued by mistake"
expect 1 "$FOW" credential revoke "$ID" --reason "again"
contains "$WORK/err" "revoked already"
expect 1 "$FOW" credential revoke "$ID"
contains "$WORK/err" "reason"
expect 1 "$FOW" credential verify "$WORK/c.jwt"
contains "$WORK/err" "status: revoked: bit"
expect 0 "$FOW" credential status-list --out "$WORK/status2.jwt"
expect 1 "$FOW" --db "$WORK/none.db" credential verify "$WORK/c.jwt" --jwks "$WORK/jwks.json" --status-list "$WORK/status2.jwt"
contains "$WORK/err" "revoked"
expect 1 "$FOW" credential present "$WORK/c.jwt" --person "$P"
contains "$WORK/err" "revoked"

expect 0 "$FOW" credential list --json
equals "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], sorted(c["status"]["revoked"] for c in d["credentials"]))' "$WORK/out")" "2 [False, True]" "list"
expect 0 "$FOW" credential show "$ID"
contains "$WORK/out" "REVOKED"

# the key file: missing after issuing, or someone else's, is refused
mv "$FOW_DB.issuer.key" "$WORK/saved.key"
expect 1 "$FOW" credential issue --person "$P" --module "$M"
contains "$WORK/err" "issuer key file is missing"
mv "$WORK/saved.key" "$FOW_DB.issuer.key"
chmod 644 "$FOW_DB.issuer.key"
expect 1 "$FOW" credential issue --person "$P" --module "$M"
contains "$WORK/err" "chmod 600"
chmod 600 "$FOW_DB.issuer.key"

# a passed completion of a cohort issues a credential; a failed one none
expect 0 "$FOW" cohort add W40-SQL --starts-on 2026-01-05 --ends-on 2026-01-30 --capacity 5 --json
C=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("id") or d["cohort"]["id"])' "$WORK/out")
expect 0 "$FOW" person add --organisation demo-org --json
R=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/out")
expect 0 "$FOW" person consent "$R" training --text-version v1
expect 0 "$FOW" cohort enrol "$C" "$P"
expect 0 "$FOW" cohort enrol "$C" "$R"
before=$(sql "select count(*) from credentials")
expect 0 "$FOW" cohort complete "$C" "$P" --passed --score 90 --completed-on 2026-01-30
contains "$WORK/out" "Credential urn:uuid:"
equals "$(sql "select count(*) from credentials where completion_id like 'cohort:$C:enrolment:%' and person_id = '$P' and completed_on = '2026-01-30' and result = 'passed (score 90 of 100)'")" "1" "the completion's credential"
expect 0 "$FOW" cohort complete "$C" "$R" --failed --json
equals "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["credential"])' "$WORK/out")" "None" "a failed completion: no credential"
equals "$(sql "select count(*) from credentials")" "$((before + 1))" "one credential for the two completions"
CID=$(sql "select id from credentials where completion_id like 'cohort:$C:%'")
expect 0 "$FOW" credential show "$CID" --out "$WORK/completion.jwt"
expect 0 "$FOW" credential verify "$WORK/completion.jwt"
contains "$WORK/out" "VALID"

echo "cli_credentials: $passed passed, $failed failed"
[ "$failed" = 0 ]
