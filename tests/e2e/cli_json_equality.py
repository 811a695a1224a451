#!/usr/bin/python3
"""`fow X --json` and the matching API route give the same document.

    python3 cli_json_equality.py FOW_BINARY DEMO_DIR [SHARED_DATA]

For every reading command, runs the command with --json and asks `fow serve` (started
on the same database, --listen 127.0.0.1:0 --no-cache) for the matching route, with the
same parameters, and checks that the two documents are equal after removing only the
fields listed in DIFFER below (fields defined to differ between the two front ends).
Runs on the demo data (data/demo, the Makefile's demo-db imports), and on the full
public data (ESCO v1.2.0 bundle, Nesta MCC risk and attributes) when SHARED_DATA holds
it. Prints "cli_json_equality: N passed, M failed"; exits 1 on a failure. Both front
ends write these documents through libfow (src/service/fow_result.h), so a difference
here means a front end built part of a document itself. Standard library only."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import DEMO_AREA, Checks, Server, import_demo, q, run_fow  # noqa: E402

# Fields defined to differ, as paths of keys from the top ("." + key). The CLI pages from
# offset 0 with its --limit, and the cases give the API the same limit, so the pages agree.
DIFFER = {
    ".generation",  # stats: the server's model generation (how many times it loaded one)
}

c = Checks("cli_json_equality")


def strip(doc, path=""):
    """doc without the fields of DIFFER."""
    if isinstance(doc, dict):
        return {k: strip(v, path + "." + k) for k, v in doc.items() if (path + "." + k) not in DIFFER}
    if isinstance(doc, list):
        return [strip(v, path) for v in doc]
    return doc


def first_difference(a, b, path=""):
    """Where a and b first differ, in words; None when they are equal."""
    if type(a) is not type(b):
        return "%s: %s vs %s" % (path or "/", json.dumps(a)[:200], json.dumps(b)[:200])
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %s vs %s" % (path or "/", list(a), list(b))
        for k in a:
            d = first_difference(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items vs %d" % (path or "/", len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else "%s: %r vs %r" % (path or "/", a, b)


def compare(fow, db, server, cli_args, method, path, body=None):
    name = "fow %s --json  vs  %s %s" % (" ".join(cli_args), method, path)
    p = subprocess.run([fow, "--db", db, "--quiet"] + cli_args + ["--json"], capture_output=True, timeout=600)
    if not c.check(p.returncode == 0, "%s: the command failed (%d): %s" % (name, p.returncode,
                                                                          p.stderr.decode(errors="replace")[:300])):
        return
    cli_doc = json.loads(p.stdout.decode("utf-8"))
    r = server.post_json(path, body) if method == "POST" else server.get(path)
    if not c.check(r.status == 200, "%s: the API answered %r" % (name, r)):
        return
    api_doc = r.json()
    d = first_difference(strip(cli_doc), strip(api_doc))
    c.check(d is None, "%s: the documents differ at %s" % (name, d))


def cases(occupations, group, skills, area, skill_key):
    """(CLI arguments, method, path, body) of every reading command."""
    a, b, o3 = occupations
    person = "; ".join(skills + ["no such skill at all"])
    out = [
        (["search", "a"], "GET", "/api/v1/search?q=a", None),
        (["search", "data", "--kind", "skill", "--limit", "30"], "GET", "/api/v1/search?q=data&kind=skill&limit=30",
         None),
        (["search", "an", "--kind", "occupation"], "GET", "/api/v1/search?q=an&kind=occupation", None),
        (["occupation", a], "GET", "/api/v1/occupations/%s" % q(a), None),
        (["occupation", o3], "GET", "/api/v1/occupations/%s" % q(o3), None),
        (["skill", skill_key], "GET", "/api/v1/skills/%s" % q(skill_key), None),
        (["transitions", a], "GET", "/api/v1/occupations/%s/transitions" % q(a), None),
        (["transitions", b, "--safe", "--desirable", "--limit", "7"], "GET",
         "/api/v1/occupations/%s/transitions?safe=true&desirable=true&limit=7" % q(b), None),
        (["transitions", o3, "--strict", "--model", "frey-osborne", "--min-similarity", "0.1", "--limit", "50"],
         "GET", "/api/v1/occupations/%s/transitions?strict=1&model=frey-osborne&min_similarity=0.1&limit=50" % q(o3),
         None),
        (["transitions", "--skills", person], "POST", "/api/v1/transitions", {"skills": skills + ["no such skill at all"]}),
        (["transitions", "--skills", "; ".join(skills), "--as", b, "--safe", "--limit", "5"], "POST",
         "/api/v1/transitions", {"skills": skills, "as": b, "safe": True, "limit": 5}),
        (["transitions", "--group", group], "GET", "/api/v1/groups/%s/transitions" % q(group), None),
        (["transitions", "--group", group, "--safe", "--limit", "5"], "GET",
         "/api/v1/groups/%s/transitions?safe=1&limit=5" % q(group), None),
        (["similar", a], "GET", "/api/v1/occupations/%s/similar" % q(a), None),
        (["similar", b, "--limit", "10"], "GET", "/api/v1/occupations/%s/similar?limit=10" % q(b), None),
        (["gap", a, b], "GET", "/api/v1/gap?from=%s&to=%s" % (q(a), q(b)), None),
        (["gap", b, o3, "--model", "frey-osborne"], "GET", "/api/v1/gap?from=%s&to=%s&model=frey-osborne" % (q(b), q(o3)),
         None),
        (["gap", a, b, "--safe-rule", "lower"], "GET", "/api/v1/gap?from=%s&to=%s&safe_rule=lower" % (q(a), q(b)),
         None),
        (["gap", b, o3, "--model", "frey-osborne", "--safe-rule", "margin"], "GET",
         "/api/v1/gap?from=%s&to=%s&model=frey-osborne&safe_rule=margin" % (q(b), q(o3)), None),
        (["gap", "--skills", person, a], "GET", "/api/v1/gap?skills=%s&to=%s" % (q(person), q(a)), None),
        (["gap", "--skills", "; ".join(skills), "--as", b, a], "GET",
         "/api/v1/gap?skills=%s&as=%s&to=%s" % (q("; ".join(skills)), q(b), q(a)), None),
        (["upskill", "--skills", "; ".join(skills), "--as", b, "--any", "--limit", "5"], "GET",
         "/api/v1/upskill?skills=%s&as=%s&any=1&limit=5" % (q("; ".join(skills)), q(b)), None),
        (["upskill", "--skills", person], "GET", "/api/v1/upskill?skills=%s" % q(person), None),
        (["plan", a, b], "GET", "/api/v1/plan?from=%s&to=%s" % (q(a), q(b)), None),
        (["plan", b, o3, "--lang", "ro", "--essential-only", "--solver", "greedy"], "GET",
         "/api/v1/plan?from=%s&to=%s&languages=ro&essential_only=1&solver=greedy" % (q(b), q(o3)), None),
        (["plan", "--skills", person, a, "--hour-value", "0", "--skill-value", "5000"], "GET",
         "/api/v1/plan?skills=%s&to=%s&hour_value=0&skill_value=5000" % (q(person), q(a)), None),
        (["probable-skills", a], "GET", "/api/v1/occupations/%s/probable-skills" % q(a), None),
        (["probable-skills", b, "--limit", "3"], "GET", "/api/v1/occupations/%s/probable-skills?limit=3" % q(b), None),
        (["upskill", a], "GET", "/api/v1/occupations/%s/upskill" % q(a), None),
        (["upskill", b, "--any", "--limit", "5"], "GET", "/api/v1/occupations/%s/upskill?any=1&limit=5" % q(b), None),
        (["upskill", "--group", group], "GET", "/api/v1/groups/%s/upskill" % q(group), None),
        (["upskill", "--group", group, "--strict", "--candidates", "50"], "GET",
         "/api/v1/groups/%s/upskill?strict=1&candidates=50" % q(group), None),
        (["sources"], "GET", "/api/v1/sources", None),
        (["stats"], "GET", "/api/v1/stats", None),
        (["occupation-groups"], "GET", "/api/v1/occupation-groups", None),
        (["areas"], "GET", "/api/v1/areas", None),
        (["cohort", "list"], "GET", "/api/v1/cohorts", None),
        (["cohort", "list", "--module", "CP-BIZ"], "GET", "/api/v1/cohorts?module=CP-BIZ", None),
    ]
    if area:
        name, year, compare, reference = area
        a_q = "area=%s&year=%d" % (q(name), year)
        out += [
            (["observe", name, "--year", str(year)], "GET", "/api/v1/observatory?" + a_q, None),
            (["observe", name, "--year", str(year), "--units"], "GET", "/api/v1/observatory?%s&units=true" % a_q, None),
            (["observe", name, "--year", str(year), "--units-offset", "1", "--units-limit", "2"], "GET",
             "/api/v1/observatory?%s&units_offset=1&units_limit=2&units=1" % a_q, None),
            (["observe", name, "--year", str(year), "--by", "sector", "--model", "frey-osborne"], "GET",
             "/api/v1/observatory?%s&by=sector&model=frey-osborne" % a_q, None),
            (["observe", name, "--year", str(year), "--by", "group", "--compare-year", str(compare), "--reference",
              reference], "GET",
             "/api/v1/observatory?%s&by=group&compare_year=%d&reference=%s" % (a_q, compare, q(reference)), None),
            (["at-scale", name, "--year", str(year)], "GET", "/api/v1/observatory/at-scale?" + a_q, None),
            (["at-scale", name, "--year", str(year), "--limit", "3", "--min-moves", "1", "--moves-per-worker", "3"],
             "GET", "/api/v1/observatory/at-scale?%s&limit=3&min_moves=1&moves_per_worker=3" % a_q, None),
            (["scenario", name, "--year", str(year)], "GET", "/api/v1/scenario?" + a_q, None),
            (["commission", name, "--year", str(year)], "GET", "/api/v1/observatory/commission?" + a_q, None),
            (["commission", name, "--year", str(year), "--lang", "en", "--limit", "0", "--model", "frey-osborne"],
             "GET", "/api/v1/observatory/commission?%s&languages=en&limit=0&model=frey-osborne" % a_q, None),
            (["plan", "4222.D1", "3512.D1"], "GET", "/api/v1/plan?from=4222.D1&to=3512.D1", None),
            (["plan", "4222.D1", "3512.D1", "--starts-after", "2027-01-01"], "GET",
             "/api/v1/plan?from=4222.D1&to=3512.D1&starts_after=2027-01-01", None),
            (["plan", "4222.D1", "4132.D1", "--lang", "ro,en", "--currency", "RON"], "GET",
             "/api/v1/plan?from=4222.D1&to=4132.D1&languages=ro,en&currency=RON", None),
            (["scenario", name, "--year", str(year), "--adoption", "fast", "--limit", "4"], "GET",
             "/api/v1/scenario?%s&adoption=fast&limit=4" % a_q, None),
        ]
    return out


def run_on(fow, db, work, name, args):
    server = Server(fow, db, work, name, extra=["--no-cache"])
    try:
        for cli_args, method, path, body in cases(*args):
            compare(fow, db, server, cli_args, method, path, body)
    finally:
        server.stop()


def main():
    fow, demo = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else ""
    work = tempfile.mkdtemp(prefix="fow-json-equality-")
    try:
        db = os.path.join(work, "demo.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "employment", os.path.join(demo, "employment_romania.csv"), "--area", "Romania",
                "--illustrative", "--source", "fow demo data: illustrative employment for Romania", "--version",
                "2026.11", "--licence", "CC0-1.0")
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        run_fow(fow, db, "cohort", "load", os.path.join(demo, "cohorts.csv"))
        run_on(fow, db, work, "demo", (("2166.D7", "2166.D6", "2511.D1"), "2166",
                                       ["analyse data", "visualise data", "clean data sets"], (DEMO_AREA, 2024, 2022, "Romania"),
                                       "analyse data"))
        if shared and os.path.isdir(os.path.join(shared, "esco-1.2.0")):
            full = os.path.join(work, "full.db")
            run_fow(fow, full, "import", "bundle", os.path.join(shared, "esco-1.2.0"))
            run_fow(fow, full, "import", "risk", os.path.join(shared, "risk", "mcc_risk_esco.csv"), "--model", "mcc")
            run_fow(fow, full, "import", "attributes", os.path.join(shared, "occupations", "mcc_attributes.csv"))
            run_on(fow, full, work, "full", (("5244.1", "2512.4", "5120.1"), "4222",
                                             ["communication", "manage staff", "customer service"], None,
                                             "communication"))
        else:
            print("cli_json_equality: the full public data is not there; the demo data only", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
