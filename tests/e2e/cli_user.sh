#!/usr/bin/env bash
# `fow user`: the accounts of fow serve from the command line — add, list,
# passwd, remove, token, tokens, revoke-token; passwords from a file, standard input or a
# terminal prompt; bad input with exit code 1 and the database unchanged;
# JSON output; secrets never stored in clear; a version-1 database upgraded.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
same() { equals "$2" "$3" "$1"; } # WHAT GOT WANTED

PW1="$WORK/pw1"; printf 'first secret pass\n' > "$PW1"
PW2="$WORK/pw2"; printf 'second-secret-pass\r\n' > "$PW2"

# help and usage
expect 0 "$FOW" --help;                         contains "$WORK/out" "user add NAME --role R"
expect 0 "$FOW" user --help;                    contains "$WORK/out" "Usage: fow user add NAME --role ROLE"
contains "$WORK/out" "--password-stdin"
for sub in add list passwd remove token tokens revoke-token; do
  expect 0 "$FOW" user $sub --help;             contains "$WORK/out" "Usage: fow user"
done
expect 1 "$FOW" user;                           contains "$WORK/err" "Usage: fow user"
expect 1 "$FOW" user frobnicate;                contains "$WORK/err" "unknown subcommand 'frobnicate'"
expect 1 "$FOW" user list;                      contains "$WORK/err" "no database at"
expect 1 "$FOW" user add alice --bogus x;       contains "$WORK/err" "unknown option '--bogus'"
expect 1 "$FOW" user list --role admin;         contains "$WORK/err" "unknown option '--role'"

# add
expect 0 "$FOW" user add alice --role admin --password-file "$PW1" --display-name "Alice Mureșan"
contains "$WORK/out" "Added user alice (admin)."
expect_in 0 $'another secret\n' "$FOW" user add bob --role counsellor --password-stdin
contains "$WORK/out" "Added user bob (counsellor)."
expect 0 "$FOW" --json user add carol.d --role analyst --password-file "$PW2"
valid_json; contains "$WORK/out" '"name": "carol.d"'; contains "$WORK/out" '"role": "analyst"'
same "users" "$(sql 'SELECT group_concat(name, " ") FROM (SELECT name FROM users ORDER BY name)')" "alice bob carol.d"
same "CR LF removed" "$(sql "SELECT count(*) FROM users WHERE name = 'carol.d'")" "1"

# passwords are argon2id hashes, never the password
same "argon2id hashes" "$(sql "SELECT count(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")" "3"
same "no password in clear" "$(sql "SELECT count(*) FROM users WHERE instr(password_hash, 'secret')")" "0"
if grep -qa "first secret pass" "$FOW_DB" "$FOW_DB-wal" 2>/dev/null; then fail "a password is in the database file"; else ok; fi

# bad input: exit 1, the field named, nothing written
before=$(snapshot)
expect 1 "$FOW" user add alice --role admin --password-file "$PW1";  contains "$WORK/err" "a user named 'alice' already exists"
expect 1 "$FOW" user add ALICE --role admin --password-file "$PW1";  contains "$WORK/err" "already exists"
expect 1 "$FOW" user add "a b" --role admin --password-file "$PW1";  contains "$WORK/err" "the user name may hold only"
expect 1 "$FOW" user add .x --role admin --password-file "$PW1";     contains "$WORK/err" "must start with a letter or digit"
expect 1 "$FOW" user add "$(printf 'n%.0s' $(seq 65))" --role admin --password-file "$PW1"; contains "$WORK/err" "at most 64"
expect 1 "$FOW" user add dan --role boss --password-file "$PW1";     contains "$WORK/err" "unknown role 'boss': use admin, analyst, counsellor, programme_manager, provider, person, juror, voucher_office, lab_manager, lab_staff or teacher"
# provider and person accounts name what they are linked to; other roles take no link
expect 1 "$FOW" user add pro --role provider --password-file "$PW1";    contains "$WORK/err" "needs --provider ID"
expect 1 "$FOW" user add pro --role provider --provider 999 --password-file "$PW1"; contains "$WORK/err" "no training provider with id 999"
expect 1 "$FOW" user add pro --role provider --provider x --password-file "$PW1"; contains "$WORK/err" "--provider takes a provider's number"
expect 1 "$FOW" user add per --role person --password-file "$PW1";      contains "$WORK/err" "needs --person ID"
expect 1 "$FOW" user add per --role person --person pnobody --password-file "$PW1"; contains "$WORK/err" "no person pnobody"
expect 1 "$FOW" user add cou --role counsellor --provider 1 --password-file "$PW1"; contains "$WORK/err" "--provider goes with --role provider only"
expect 0 "$FOW" user add pm --role programme_manager --password-file "$PW1"; contains "$WORK/out" "Added user pm (programme_manager)."
expect 0 "$FOW" user remove pm
expect 1 "$FOW" user add dan --password-file "$PW1";                 contains "$WORK/err" "needs --role"
expect 1 "$FOW" user add --role admin --password-file "$PW1";        contains "$WORK/err" "needs the user NAME"
expect 1 "$FOW" user add dan --role admin;                           contains "$WORK/err" "no password given: use --password-file F or --password-stdin"
expect 1 "$FOW" user add dan --role admin --password-file "$PW1" --password-stdin; contains "$WORK/err" "not both"
expect 1 "$FOW" user add dan --role admin --password-file "$WORK/missing"; contains "$WORK/err" "cannot open the password file"
printf 'short\n' > "$WORK/short"
expect 1 "$FOW" user add dan --role admin --password-file "$WORK/short"; contains "$WORK/err" "the password is too short (5 bytes); use at least 8"
printf 'dan.the.man\n' > "$WORK/same"
expect 1 "$FOW" user add dan.the.man --role admin --password-file "$WORK/same"; contains "$WORK/err" "must not be the user name"
head -c 1100 /dev/zero | tr '\0' 'x' > "$WORK/long"
expect 1 "$FOW" user add dan --role admin --password-file "$WORK/long"; contains "$WORK/err" "longer than 1024 bytes"
head -c 1025 /dev/zero | tr '\0' 'x' > "$WORK/long2"
expect 1 "$FOW" user add dan --role admin --password-file "$WORK/long2"; contains "$WORK/err" "too long (1025 bytes)"
printf 'line one is long\nline two\n' > "$WORK/two"
expect 1 "$FOW" user add dan --role admin --password-file "$WORK/two"; contains "$WORK/err" "must hold one line"
expect_in 1 '' "$FOW" user add dan --role admin --password-stdin;    contains "$WORK/err" "no password given on standard input"
expect 1 "$FOW" user add dan --role admin --password-file "$PW1" --display-name "$(printf 'a\tb')"
contains "$WORK/err" "the display name holds a control character"
[ "$(snapshot)" = "$before" ] && ok || fail "bad input changed the database"
# a password of exactly 1024 bytes and one of 8 are fine
head -c 1024 /dev/zero | tr '\0' 'y' > "$WORK/max"
expect 0 "$FOW" user add maxi --role counsellor --password-file "$WORK/max"
printf '12345678' > "$WORK/eight"
expect 0 "$FOW" user add eight --role counsellor --password-file "$WORK/eight"

# list
expect 0 "$FOW" user list;                      contains "$WORK/out" "NAME"
contains "$WORK/out" "Alice Mureșan"; contains "$WORK/out" "counsellor"; contains "$WORK/out" "never"
lacks "$WORK/out" "locked"                      # accounts are never locked
expect 0 "$FOW" user list --json;               valid_json
contains "$WORK/out" '"name": "alice"'; contains "$WORK/out" '"display_name": "Alice Mureșan"'
lacks "$WORK/out" "locked"; lacks "$WORK/out" "argon2"; lacks "$WORK/out" "password_hash"
expect 0 "$FOW" --json user list;               valid_json
same "JSON users" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/out")" "5"
expect 1 "$FOW" user list extra;                contains "$WORK/err" "takes no NAME"

# passwd: a new hash, the sessions ended
old_hash=$(sql "SELECT password_hash FROM users WHERE name = 'bob'")
now=$(date +%s)
sql "INSERT INTO sessions VALUES ('$(printf '%064d' 1)', (SELECT id FROM users WHERE name = 'bob'), 'c', $now, $((now + 3600)), $now)"
expect 0 "$FOW" user passwd bob --password-file "$PW2"; contains "$WORK/out" "Changed the password of bob"
[ "$(sql "SELECT password_hash FROM users WHERE name = 'bob'")" != "$old_hash" ] && ok || fail "passwd kept the hash"
same "sessions ended" "$(sql "SELECT count(*) FROM sessions")" "0"
expect_in 0 $'third secret pass\n' "$FOW" user passwd BOB --password-stdin
expect 1 "$FOW" user passwd nobody --password-file "$PW1"; contains "$WORK/err" "no user named 'nobody'"
expect 1 "$FOW" user passwd bob --password-file "$WORK/short"; contains "$WORK/err" "too short"
expect 1 "$FOW" user passwd;                    contains "$WORK/err" "needs the user NAME"
expect 1 "$FOW" user passwd bob --role admin;   contains "$WORK/err" "unknown option '--role'"

# token: printed once on stdout; only its hash is stored
expect 0 "$FOW" user token alice --name "nightly export"
token=$(cat "$WORK/out")
if [[ "$token" =~ ^fow_[A-Za-z0-9_-]{43}$ ]]; then ok; else fail "token format: '$token'"; fi
contains "$WORK/err" "shown only now"
same "token lines" "$(wc -l < "$WORK/out")" "1"
same "token stored as a hash" "$(sql "SELECT count(*) FROM api_tokens WHERE token_hash = '$token' OR instr(token_hash, '${token#fow_}')")" "0"
same "token hash" "$(sql "SELECT length(token_hash) FROM api_tokens")" "64"
expect 1 "$FOW" user token alice --name "nightly export"; contains "$WORK/err" "already has a token named 'nightly export'"
expect 1 "$FOW" user token alice;               contains "$WORK/err" "needs --name LABEL"
expect 1 "$FOW" user token nobody --name x;     contains "$WORK/err" "no user named 'nobody'"
expect 1 "$FOW" user token alice --name "";     contains "$WORK/err" "the token name is empty"
expect 0 "$FOW" user token bob --name laptop --json; valid_json
contains "$WORK/out" '"token": "fow_'; contains "$WORK/out" '"user": "bob"'
same "tokens" "$(sql "SELECT count(*) FROM api_tokens")" "2"
contains "$WORK/out" '"scope": "counsellor"'; contains "$WORK/out" '"expires_at": "'
same "90 days" "$(sql "SELECT (expires_at - created_at) / 86400 FROM api_tokens WHERE name = 'laptop'")" "90"
# scope and life
expect 0 "$FOW" user token alice --name reader --scope analyst --days 7
contains "$WORK/err" "scope analyst"
same "7 days" "$(sql "SELECT (expires_at - created_at) / 86400 FROM api_tokens WHERE name = 'reader'")" "7"
expect 1 "$FOW" user token bob --name up --scope admin; contains "$WORK/err" "wider than the role of bob"
expect 1 "$FOW" user token bob --name x --scope king; contains "$WORK/err" "unknown scope 'king'"
expect 1 "$FOW" user token bob --name x --days 0;  contains "$WORK/err" "--days"
expect 1 "$FOW" user token bob --name x --days 3651; contains "$WORK/err" "--days"
# tokens: listed without secrets
expect 0 "$FOW" user tokens alice;              contains "$WORK/out" "nightly export"; contains "$WORK/out" "reader"
contains "$WORK/out" "active"; lacks "$WORK/out" "$token"
expect 0 "$FOW" user tokens alice --json;       valid_json; lacks "$WORK/out" "fow_"; lacks "$WORK/out" "hash"
same "listed" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/out")" "2"
expect 0 "$FOW" user tokens eight;              contains "$WORK/out" "eight has no API tokens"
expect 1 "$FOW" user tokens nobody;             contains "$WORK/err" "no user named 'nobody'"
# revoke-token: one of the user's own
reader_id=$(sql "SELECT id FROM api_tokens WHERE name = 'reader'")
laptop_id=$(sql "SELECT id FROM api_tokens WHERE name = 'laptop'")
expect 1 "$FOW" user revoke-token alice "$laptop_id"; contains "$WORK/err" "no API token with id $laptop_id"
expect 1 "$FOW" user revoke-token alice;        contains "$WORK/err" "needs the user NAME and the token ID"
expect 1 "$FOW" user revoke-token alice x1;     contains "$WORK/err" "ID"
expect 0 "$FOW" user revoke-token alice "$reader_id"; contains "$WORK/out" "Revoked API token $reader_id of alice"
same "revoked" "$(sql "SELECT revoked FROM api_tokens WHERE name = 'reader'")" "1"
expect 0 "$FOW" user tokens alice;              contains "$WORK/out" "revoked"
# passwd revokes every token of the user
expect 0 "$FOW" user passwd bob --password-file "$PW1"; contains "$WORK/out" "Changed the password of bob"
same "bob's token revoked" "$(sql "SELECT revoked FROM api_tokens WHERE name = 'laptop'")" "1"
same "alice's live token kept" "$(sql "SELECT revoked FROM api_tokens WHERE name = 'nightly export'")" "0"

# remove: the user, their sessions and tokens
sql "INSERT INTO sessions VALUES ('$(printf '%064d' 2)', (SELECT id FROM users WHERE name = 'alice'), 'c', $now, $((now + 3600)), $now)"
expect 0 "$FOW" user remove Alice;              contains "$WORK/out" "Removed user alice"
same "alice's tokens" "$(sql "SELECT count(*) FROM api_tokens")" "1"
same "alice's session" "$(sql "SELECT count(*) FROM sessions")" "0"
expect 0 "$FOW" user list;                      lacks "$WORK/out" "alice"
expect 1 "$FOW" user remove alice;              contains "$WORK/err" "no user named 'alice'"
expect 1 "$FOW" user remove;                    contains "$WORK/err" "needs the user NAME"
expect 0 "$FOW" user remove eight --json;       valid_json; contains "$WORK/out" '"removed": true'

# the terminal: asked twice, without echo
if python3 -c 'import pty' 2>/dev/null; then
  tty_add() { # NAME FIRST SECOND -> exit code; what the terminal showed in $WORK/tty
    timeout 60 python3 - "$FOW" "$@" > "$WORK/tty" 2>&1 <<'EOF'
import os, pty, select, signal, sys, time
fow, name, first, second = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(fow, [fow, "user", "add", name, "--role", "analyst"])
out = b""
deadline = time.time() + 20
def read_until(marker):
    """Reads what fow writes until marker (None: until it exits)."""
    global out
    while marker is None or marker not in out:
        left = deadline - time.time()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            sys.stdout.write(out.decode(errors="replace") + "\n[timed out]\n")
            sys.exit(99)
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            return
        if not chunk:
            return
        out += chunk
read_until(b"New password")
os.write(fd, first.encode() + b"\n")
read_until(b"again")
if b"again" in out:
    os.write(fd, second.encode() + b"\n")
read_until(None)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 98)
EOF
  }
  tty_add tina "tty secret 123" "tty secret 123"; same "prompt exit" "$?" "0"
  contains "$WORK/tty" "New password for tina:"; contains "$WORK/tty" "The same password again:"
  contains "$WORK/tty" "Added user tina (analyst)."; lacks "$WORK/tty" "tty secret 123"
  tty_add tom "tty secret 123" "tty secret 124"; same "prompt mismatch exit" "$?" "1"
  contains "$WORK/tty" "the two passwords differ"
  same "tom not added" "$(sql "SELECT count(*) FROM users WHERE name = 'tom'")" "0"
  tty_add tim "short" "short"; same "prompt short exit" "$?" "1"
  contains "$WORK/tty" "too short"
else
  echo "cli_user: python3 pty missing; terminal prompt not tested" >&2
fi

# a database written by fow with schema version 1 (before accounts)
export FOW_DB="$WORK/v1.db"
expect 0 "$FOW" --quiet import bundle "$DEMO"
sqlite3 "$FOW_DB" "DROP TRIGGER employment_years_occupation_gone; DROP TABLE employment_years; DROP TABLE voucher_lab_charges; DROP TABLE lab_feed_tokens; DROP TABLE lab_waitlist; DROP TABLE lab_bookings; DROP TABLE lab_series; DROP TABLE lab_projects; DROP TABLE lab_prices; DROP TABLE lab_requirements; DROP TABLE lab_closures; DROP TABLE lab_holidays; DROP TABLE lab_opening_hours; DROP TABLE lab_resources; DROP TABLE labs; DROP TABLE skill_broader; DROP TABLE skill_groups; DROP TABLE voucher_awards; DROP TABLE voucher_scores; DROP TABLE voucher_conflicts; DROP TABLE voucher_jurors; DROP TABLE voucher_application_history; DROP TABLE voucher_applications; DROP TABLE voucher_call_rules; DROP TABLE voucher_call_criteria; DROP TABLE voucher_call_values; DROP TABLE voucher_calls; DROP TABLE voucher_redemptions; DROP TABLE voucher_payment_batches; DROP TABLE voucher_allowed_modules; DROP TABLE voucher_allowed_providers; DROP TABLE vouchers; DROP TABLE voucher_balances; DROP TABLE voucher_transfers; DROP TABLE voucher_accounts; DROP TABLE voucher_budget_lines; DROP TABLE voucher_funds; DROP TABLE plan_history; DROP TABLE plan_milestones; DROP TABLE plan_modules; DROP TABLE plan_moves; DROP TABLE plans; DROP TABLE credential_status_entries; DROP TABLE credentials; DROP TABLE credential_issuer_keys; DROP TABLE credential_issuer; DROP TABLE training_attendance; DROP TABLE training_enrolments; DROP TABLE training_cohort_sessions; DROP TABLE training_cohorts; DROP TABLE training_prerequisites; DROP TABLE training_module_skills; DROP TABLE training_modules; DROP TABLE training_programmes; DROP TABLE training_providers; DROP TABLE person_audit; DROP TABLE person_skills; DROP TABLE person_consents; DROP TABLE people; DROP TABLE people_key; DROP TABLE data_version; DROP TABLE employment; DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE users; DROP TABLE roles; PRAGMA user_version = 1"
SCHEMA=$("$FOW" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
occupations=$(sqlite3 "$FOW_DB" "SELECT count(*) FROM occupations")
expect 2 "$FOW" stats;                          contains "$WORK/err" "needs a schema upgrade (version 1 to $SCHEMA)"
expect 0 "$FOW" user list;                      contains "$WORK/out" "No users yet"
same "schema version" "$(sqlite3 "$FOW_DB" 'PRAGMA user_version')" "$SCHEMA"
expect 0 "$FOW" user add admin --role admin --password-file "$PW1"
same "occupations kept" "$(sqlite3 "$FOW_DB" 'SELECT count(*) FROM occupations')" "$occupations"
expect 0 "$FOW" user list;                      contains "$WORK/out" "admin"
expect 0 "$FOW" search "call centre";           contains "$WORK/out" "call centre agent"

echo "cli_user: $passed passed, $failed failed"
[ "$failed" = 0 ]
