#!/usr/bin/env bash
# A new user's walk through the help texts (the h-walk session): every command answers
# --help, `fow help --help` is the help of help, and the roles the texts name are the roles
# there are (docs/roles.md's table), not an older list.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

# every command of `fow --help` answers COMMAND --help with its usage, and `fow help COMMAND` too
expect 0 "$FOW" --help
commands=$(sed -n 's/^  \([a-z][a-z_-]*\) .*/\1/p' "$WORK/out" | sort -u)
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 30 ] && ok || fail "fow --help names too few commands: $commands"
for cmd in $commands; do
  [ "$cmd" = help ] && continue
  expect 0 "$FOW" "$cmd" --help;             contains "$WORK/out" "Usage: fow"
  expect 0 "$FOW" help "$cmd";               contains "$WORK/out" "Usage: fow"
done
# the help of help is the usage, not an error
expect 0 "$FOW" help --help;                 contains "$WORK/out" "Run 'fow COMMAND --help'"
expect 0 "$FOW" help -h;                     contains "$WORK/out" "Run 'fow COMMAND --help'"
expect 1 "$FOW" help frobnicate;             contains "$WORK/err" "not 'frobnicate'"

# the roles: every role of docs/roles.md is accepted by `fow user add`, named by its help and by
# the error for an unknown role; the short help does not list three of them as if they were all
roles=$(sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' "$(dirname "$0")/../../docs/roles.md")
[ "$(printf '%s\n' "$roles" | wc -l)" -ge 8 ] && ok || fail "docs/roles.md names too few roles: $roles"
expect 0 "$FOW" --help;                      lacks "$WORK/out" "(R: admin, analyst, counsellor)"
expect 0 "$FOW" user --help
cp "$WORK/out" "$WORK/user-help"
printf 'a password of the walk\n' > "$WORK/pw"
expect 1 "$FOW" user add dan --role boss --password-file "$WORK/pw"
cp "$WORK/err" "$WORK/unknown-role"
for role in $roles; do
  contains "$WORK/user-help" "$role"
  contains "$WORK/unknown-role" "$role"
done
expect 0 "$FOW" user add tess --role teacher --password-file "$WORK/pw"; contains "$WORK/out" "(teacher)"

# the indicators' table names its columns whole (was "skills_gai")
expect 0 "$FOW" indicators;                  contains "$WORK/out" " skills_gained "
contains "$WORK/out" " compl.rate"

echo "cli_walk: $passed passed, $failed failed"
[ "$failed" = 0 ]
