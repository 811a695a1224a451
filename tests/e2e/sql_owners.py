#!/usr/bin/env python3
"""One owner per table (docs/architecture.md, "Storage: one owner per table").

Fails when:
  - a table created by a migration (src/store/fow_schema.c) has no owner below;
  - a file that is not a store file holds SQL (a string literal that is an SQL
    statement) or calls SQLite (sqlite3_...);
  - a store file has SQL naming a table that another file owns;
  - SQL outside src/store leaves the subset that SQLite and PostgreSQL both
    accept (the constructs in NOT_PORTABLE);
  - an entry of PENDING is no longer needed (so the list only shrinks).

Usage: sql_owners.py [REPO_ROOT]     (default: two levels above this file)
"""
import os
import re
import sys

# The one store file of each module, and the tables it owns. Only this file
# writes SQL for them; other modules call its fow_ functions.
OWNERS = {
    "src/store/fow_sources.c": ["sources"],
    "src/store/fow_data_version.c": ["data_version"],
    "src/accounts/fow_accounts.c": ["roles", "users", "sessions", "api_tokens"],
    "src/taxonomy/taxonomy_store.c": [
        "isco_groups", "occupations", "skills", "occupation_labels", "skill_labels",
        "occupation_skills", "occupation_parents", "occupation_risk", "isco_risk", "soc_risk",
        "occupation_attributes", "crosswalk_isco_soc", "crosswalk_esco_onet", "search_terms",
        "skill_groups", "skill_broader",
    ],
    "src/observatory/employment_store.c": ["employment", "employment_years"],
    "src/people/people_store.c": ["people_key", "people", "person_consents", "person_skills", "person_audit"],
    "src/training/training_store.c": ["training_providers", "training_programmes", "training_modules",
                                      "training_module_skills", "training_prerequisites"],
    "src/training/cohort_store.c": ["training_cohorts", "training_cohort_sessions", "training_enrolments",
                                    "training_attendance"],
    "src/credentials/credentials_store.c": ["credential_issuer", "credential_issuer_keys", "credentials",
                                            "credential_status_entries"],
    "src/plans/plans_store.c": ["plans", "plan_moves", "plan_modules", "plan_milestones", "plan_history"],
    "src/vouchers/vouchers_store.c": ["voucher_funds", "voucher_budget_lines", "voucher_accounts", "voucher_balances",
                                      "voucher_transfers", "vouchers", "voucher_allowed_providers",
                                      "voucher_allowed_modules", "voucher_payment_batches", "voucher_redemptions",
                                      "voucher_lab_charges"],
    "src/vouchers/calls_store.c": ["voucher_calls", "voucher_call_values", "voucher_call_criteria",
                                   "voucher_call_rules", "voucher_applications", "voucher_application_history",
                                   "voucher_jurors", "voucher_conflicts", "voucher_scores", "voucher_awards"],
    "src/labs/labs_store.c": ["labs", "lab_resources", "lab_opening_hours", "lab_holidays", "lab_closures",
                              "lab_requirements", "lab_prices", "lab_projects", "lab_series", "lab_bookings",
                              "lab_waitlist", "lab_feed_tokens"],
}

# Further store files of a module: each may hold SQL on the tables of the
# store files it names (its module's), as if it were them. The voucher
# reports read the ledger and the calls' awards together (read only).
STORE_PARTS = {
    "src/vouchers/reports_store.c": ["src/vouchers/vouchers_store.c", "src/vouchers/calls_store.c"],
    "src/labs/bookings_store.c": ["src/labs/labs_store.c"],
    "src/labs/usage_store.c": ["src/labs/labs_store.c"],
}

# The store itself: the connection (PRAGMAs, transactions), the migrations,
# which create every module's tables, and the building blocks of the
# consistency checks (fow_db_check.c: they run the statements and the
# reference rules that each module's store file gives them).
STORE_INFRASTRUCTURE = {"src/store/fow_db.c", "src/store/fow_db.h", "src/store/fow_db_args.c", "src/store/fow_schema.c",
                        "src/store/fow_db_check.c"}

# Files that still hold SQL of their module outside its store file, with the
# store file they belong with. Each is a debt listed in docs/architecture.md;
# the test fails when one of them no longer has SQL, so that it is removed.
PENDING = {
}

# SQLite-only constructs (SQL outside src/store), with what to write instead.
NOT_PORTABLE = [
    (r"\bINSERT\s+OR\b", "INSERT OR ...: write INSERT ... ON CONFLICT (cols) DO ..."),
    (r"\bREPLACE\s+INTO\b", "REPLACE INTO: write INSERT ... ON CONFLICT (cols) DO UPDATE"),
    (r"\bON\s+CONFLICT\s+DO\s+UPDATE\b", "ON CONFLICT DO UPDATE needs its conflict target in PostgreSQL"),
    (r"\bPRAGMA\b", "PRAGMA belongs to src/store"),
    (r"\bgroup_concat\s*\(", "group_concat: join the rows in C"),
    (r"\bGLOB\b", "GLOB: use LIKE or compare in C"),
    (r"\browid\b|\blast_insert_rowid\b", "rowid: use the INTEGER PRIMARY KEY and fow_db_last_insert_id"),
    (r"\bsqlite_\w+", "SQLite's own tables"),
    (r"\b(julianday|datetime|strftime|date|time)\s*\(", "date functions differ: pass times as parameters"),
    (r"\b(ifnull|instr|printf|total|iif)\s*\(", "SQLite-only function"),
    (r"\b(max|min)\s*\([^()]*,", "scalar max()/min() of several values: write CASE WHEN"),
    (r"\bWITHOUT\s+ROWID\b", "WITHOUT ROWID belongs to the migrations"),
    (r"\bCOLLATE\s+NOCASE\b", "COLLATE NOCASE belongs to the migrations"),
]
# C calls of SQLite that src/store wraps for the modules.
NOT_PORTABLE_CALLS = [
    ("sqlite3_last_insert_rowid", "use fow_db_last_insert_id"),
    ("sqlite3_changes", "use fow_db_changes"),
    ("sqlite3_exec", "use fow_db_exec"),
    ("sqlite3_prepare_v2", "use fow_db_prepare"),
]

# An SQL statement: its first keyword, followed by more words (so that an
# HTTP method such as "DELETE" alone is not taken for SQL), or a transaction
# keyword alone (not followed by a colon: "BEGIN:VEVENT" is iCalendar).
SQL_START = re.compile(
    r"^\s*((SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|REPLACE|PRAGMA)\s+\S|"
    r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ANALYZE)\b(?!:))")
SQLITE_CALL = re.compile(r"\bsqlite3_\w+\s*\(")


def strip_comments_and_literals(text):
    """Returns (code without comments, [(line, literal)] with adjacent
    literals joined). Handles escapes, char literals, // and /* */."""
    out = []
    literals = []
    i, n, line = 0, len(text), 1
    pending = None  # [line, text] of the literal being joined
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            out.append(c)
            i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            out.append("\n" * text.count("\n", i, j))
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append("' '")
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            buf = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j:j + 2])
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            if pending is None:
                pending = [line, ""]
            pending[1] += "".join(buf)
            out.append('""')
            i = j + 1
            # adjacent literal? (only white space and comments between)
            k = i
            while True:
                while k < n and text[k] in " \t\r\n":
                    k += 1
                if text.startswith("/*", k):
                    e = text.find("*/", k + 2)
                    k = n if e < 0 else e + 2
                    continue
                if text.startswith("//", k):
                    e = text.find("\n", k)
                    k = n if e < 0 else e
                    continue
                break
            if not (k < n and text[k] == '"'):
                literals.append(tuple(pending))
                pending = None
            continue
        out.append(c)
        i += 1
    if pending:
        literals.append(tuple(pending))
    return "".join(out), literals


def tables_of_migrations(root):
    _, literals = strip_comments_and_literals(open(os.path.join(root, "src/store/fow_schema.c")).read())
    tables = []
    for _, lit in literals:
        tables += re.findall(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", lit)
    # a table rebuilt under a new name and renamed back (vouchers in migration 16) is the renamed one
    renamed_away = set()
    for _, lit in literals:
        renamed_away.update(re.findall(r"ALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+\w+", lit))
    return [t for t in tables if t not in renamed_away]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    root = os.path.abspath(root)
    problems = []
    owner_of = {}
    for f, tables in OWNERS.items():
        for t in tables:
            if t in owner_of:
                problems.append(f"table {t} has two owners: {owner_of[t]} and {f}")
            owner_of[t] = f
    created = tables_of_migrations(root)
    if not created:
        problems.append("no CREATE TABLE found in src/store/fow_schema.c: the test reads the wrong file")
    for t in created:
        if t not in owner_of:
            problems.append(f"table {t} (created in src/store/fow_schema.c) has no owner: add it to OWNERS in "
                            f"tests/e2e/sql_owners.py and to the table in docs/architecture.md")
    for t in owner_of:
        if t not in created:
            problems.append(f"OWNERS names {t}, which no migration creates")
    table_word = re.compile(r"\b(" + "|".join(sorted(owner_of, key=len, reverse=True)) + r")\b")

    sql_files_seen = set()
    for dirpath, _, names in os.walk(os.path.join(root, "src")):
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            code, literals = strip_comments_and_literals(open(path, encoding="utf-8").read())
            store_file = rel in OWNERS or rel in STORE_INFRASTRUCTURE or rel in STORE_PARTS
            acting_as = PENDING.get(rel, rel)
            sql = [(line, lit) for line, lit in literals if SQL_START.match(lit)]
            calls = SQLITE_CALL.findall(code)
            if sql or calls:
                sql_files_seen.add(rel)
            if not store_file and rel not in PENDING:
                for line, lit in sql:
                    problems.append(f"{rel}:{line}: SQL outside a store file: \"{lit[:70]}\"")
                if calls:
                    problems.append(f"{rel}: calls SQLite ({', '.join(sorted(set(c.rstrip('( ') for c in calls)))}) "
                                    "outside a store file")
                continue
            if rel in STORE_INFRASTRUCTURE:
                continue
            owned = set(OWNERS.get(acting_as, []))
            for part_of in STORE_PARTS.get(rel, []):
                owned |= set(OWNERS[part_of])
            for line, lit in sql:
                for t in sorted(set(table_word.findall(lit)) - owned):
                    problems.append(f"{rel}:{line}: SQL on the table {t}, which {owner_of[t]} owns: "
                                    f"call its fow_ functions instead")
                if not rel.startswith("src/store/"):
                    for pattern, why in NOT_PORTABLE:
                        if re.search(pattern, lit, re.IGNORECASE):
                            problems.append(f"{rel}:{line}: not in the portable SQL subset ({why}): \"{lit[:70]}\"")
            for call, why in NOT_PORTABLE_CALLS:
                if not rel.startswith("src/store/") and re.search(r"\b" + call + r"\s*\(", code):
                    problems.append(f"{rel}: {call}() is SQLite's only ({why})")
    for rel in PENDING:
        if rel not in sql_files_seen:
            problems.append(f"{rel} no longer holds SQL: remove it from PENDING (and from docs/architecture.md)")
    for f in list(OWNERS) + list(STORE_PARTS):
        if not os.path.exists(os.path.join(root, f)):
            problems.append(f"OWNERS names {f}, which does not exist")

    if problems:
        print("sql_owners: %d problem%s" % (len(problems), "" if len(problems) == 1 else "s"))
        for p in problems:
            print("  " + p)
        return 1
    print("sql_owners: %d tables, %d store files, every SQL statement in its owner's file"
          % (len(created), len(OWNERS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
