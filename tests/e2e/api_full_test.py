#!/usr/bin/python3
"""The HTTP API of `fow serve` on the full public data (ESCO v1.2.0 with the Nesta MCC
risk and attributes), imported into a temporary database.

    python3 api_full_test.py FOW_BINARY DATA_DIR

A smaller set of checks than api_test.py: the counts, search, one occupation, the
transitions of 'call centre agent' (limit 20) against `fow transitions --json`,
similar, upskill, gap, groups, a person's transitions, ETag and gzip on large answers,
and parallel requests. Prints "api_full: N passed, M failed"; exits 1 on a failure."""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, q, request, run_fow  # noqa: E402

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
N_OCCUPATIONS = 3039

c = Checks("api_full")
check, equal = c.check, c.equal


def main():
    fow = os.path.abspath(sys.argv[1])
    data = os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="fow-api-full-")
    server = None
    t0 = time.time()
    try:
        db = os.path.join(work, "fow.db")
        run_fow(fow, db, "import", "bundle", os.path.join(data, "esco-1.2.0"), "--source", "ESCO", "--version",
                "1.2.0")
        run_fow(fow, db, "import", "risk", os.path.join(data, "risk", "mcc_risk_esco.csv"), "--model", "mcc")
        run_fow(fow, db, "import", "attributes", os.path.join(data, "occupations", "mcc_attributes.csv"))
        print("api_full: imported in %.1f s" % (time.time() - t0))
        server = Server(fow, db, work, "full", rate_limit=0, access_log=os.path.join(work, "access.log"))
        run(fow, db, server)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("api_full: finished in %.1f s" % (time.time() - t0))
    return c.summary()


def cli_json(fow, db, *args):
    p = subprocess.run([fow, "--db", db, "--json"] + list(args), capture_output=True, timeout=120)
    check(p.returncode == 0, "fow %s: %s" % (" ".join(args), p.stderr[:300]))
    return json.loads(p.stdout.decode()) if p.returncode == 0 else {}


def same_transitions(api, cli, what):
    a = [(t["uri"], t["rank"]) for t in api]
    b = [(t["uri"], t["rank"]) for t in cli]
    equal(a, b, "%s: the API and `fow transitions --json` list the same destinations" % what)
    close = all(abs(x["similarity"] - y["similarity"]) < 1e-6 for x, y in zip(api, cli))
    check(close, "%s: the same similarities" % what)
    for k in ("viable", "desirable", "safe", "safe_strict", "essential_missing", "essential_total"):
        equal([t[k] for t in api], [t[k] for t in cli], "%s: the same %s" % (what, k))


def run(fow, db, s):
    r, h = s.json("/healthz")
    equal((r.status, h.get("occupations")), (200, N_OCCUPATIONS), "healthz on the full data")
    r, st = s.json("/api/v1/stats")
    check(r.status == 200 and st.get("occupations") == N_OCCUPATIONS and st.get("skills", 0) > 13000 and
          st.get("with_risk_mcc", 0) > 1500 and st.get("with_attributes", 0) > 1500, "stats: %r" % st)
    equal(st.get("attribution"), ATTRIBUTION, "stats attribution")
    check(st.get("taxonomy_source", "").startswith("ESCO"), "the taxonomy is ESCO: %r" % st.get("taxonomy_source"))

    r, j = s.json("/api/v1/search?q=" + q("call centre agent") + "&kind=occupation&limit=5")
    check(r.status == 200 and j["results"] and j["results"][0]["label"] == "call centre agent",
          "search finds call centre agent first: %r" % j.get("results", [])[:1])
    r, occ = s.json("/api/v1/occupations/" + q("call centre agent"))
    check(r.status == 200 and occ.get("code") == "5244.1" and len(occ.get("skills", [])) > 10,
          "occupation call centre agent: %r" % r)
    equal(occ.get("attribution"), ATTRIBUTION, "occupation attribution")
    check(any(x.get("model") == "mcc" for x in occ.get("risk", [])), "call centre agent has an MCC risk")
    uri = occ.get("uri", "")

    # the transitions of call centre agent, limit 20: as the command line says
    base = "/api/v1/occupations/%s/transitions" % q("call centre agent")
    r, t = s.json(base + "?limit=20")
    equal(r.status, 200, "transitions?limit=20 of call centre agent")
    check((r.header("Content-Type") or "").startswith("application/json"), "transitions: JSON")
    cli = cli_json(fow, db, "transitions", "call centre agent", "--limit", "20")
    equal(t.get("total"), cli.get("total"), "total = the command line's total")
    check(1 <= len(t.get("transitions", [])) <= 20, "1 to 20 transitions: %d" % len(t.get("transitions", [])))
    same_transitions(t.get("transitions", []), cli.get("transitions", []), "limit=20")
    equal(t.get("origin", {}).get("uri"), uri, "the origin")
    prov = t.get("provenance", {})
    check("Mapping Career Causeways" in prov.get("risk_source", "") and
          "Mapping Career Causeways" in prov.get("attributes_source", ""), "provenance names Nesta MCC: %r" % prov)
    r, t0 = s.json(base + "?limit=20&min_similarity=0")
    cli0 = cli_json(fow, db, "transitions", "call centre agent", "--limit", "20", "--min-similarity", "0")
    equal(len(t0.get("transitions", [])), 20, "min_similarity=0: 20 transitions")
    equal(t0.get("total"), N_OCCUPATIONS - 1, "min_similarity=0: every other occupation matches")
    equal(t0.get("next_offset"), 20, "next_offset")
    same_transitions(t0.get("transitions", []), cli0.get("transitions", []), "limit=20 min_similarity=0")
    r, page2 = s.json(base + "?limit=10&offset=10&min_similarity=0")
    equal([x["uri"] for x in page2.get("transitions", [])], [x["uri"] for x in t0.get("transitions", [])[10:]],
          "the second page of 10 is the end of the 20")
    r, safe = s.json(base + "?limit=20&safe=true&desirable=true&min_similarity=0")
    check(r.status == 200 and all(x["safe"] == "yes" and x["desirable"] == "yes" for x in safe["transitions"]),
          "safe and desirable transitions")

    # ETag and gzip on a large answer
    r = s.get(base + "?limit=500&min_similarity=0")
    etag = r.header("ETag")
    check(r.status == 200 and etag and len(r.body) > 100000, "a large answer with an ETag (%d bytes)" % len(r.body))
    equal(s.get(base + "?limit=500&min_similarity=0", {"If-None-Match": etag}).status, 304, "304 on the full data")
    z = s.get(base + "?limit=500&min_similarity=0", {"Accept-Encoding": "gzip"})
    check(z.header("Content-Encoding") == "gzip" and gzip.decompress(z.body) == r.body and
          len(z.body) * 4 < len(r.body), "gzip: %d -> %d bytes" % (len(r.body), len(z.body)))

    # the other computations
    # an ESCO URI holds slashes: the path takes its last segment (a %2F is decoded before routing)
    r, sim = s.json("/api/v1/occupations/%s/similar?limit=20" % q(uri.rsplit("/", 1)[-1]))
    check(r.status == 200 and len(sim.get("similar", [])) == 20 and sim.get("total") == N_OCCUPATIONS - 1,
          "similar: %r" % r)
    equal([x["uri"] for x in sim.get("similar", [])], [x["uri"] for x in t0.get("transitions", [])],
          "similar = transitions without a threshold")
    r, up = s.json("/api/v1/occupations/5244.1/upskill?limit=5")
    check(r.status == 200 and len(up.get("skills", [])) <= 5 and up.get("candidates_evaluated", 0) > 0,
          "upskill: %r" % r)
    dest = t0["transitions"][0]["code"] if t0.get("transitions") else "4222.1.1"
    r, gap = s.json("/api/v1/gap?from=5244.1&to=" + q(dest))
    check(r.status == 200 and abs(gap.get("similarity", -1) - t0["transitions"][0]["similarity"]) < 1e-6,
          "the gap agrees with the transition's similarity: %r" % r)
    r, g = s.json("/api/v1/groups/4222/transitions?limit=20")
    r2, g2 = s.json("/api/v1/groups/2/transitions?limit=20")
    check(r2.status == 200 and g2.get("occupations", 0) > 500 and len(g2.get("destinations", [])) == 20,
          "ISCO major group 2 transitions: %r" % r2)
    check(r.status == 200 and g.get("occupations", 0) >= 2 and len(g.get("destinations", [])) > 0,
          "group 4222 transitions: %r" % r)
    skills = [x["label"] for x in occ.get("skills", []) if x.get("relation") == "essential"][:8]
    r = s.post_json("/api/v1/transitions", {"skills": skills, "limit": 20})
    j = r.json() or {}
    check(r.status == 200 and len(j.get("skills", {}).get("recognised", [])) == len(skills) and
          j.get("best_fits"), "a person's transitions from call centre agent's skills: %r" % r)
    r, sk = s.json("/api/v1/skills/" + q(skills[0] if skills else "x"))
    check(r.status == 200 and any(x["uri"] == uri for x in sk.get("essential_for", [])),
          "the skill is essential for call centre agent")
    r, src = s.json("/api/v1/sources")
    check(r.status == 200 and len(src.get("sources", [])) >= 3, "sources: %r" % r)

    # parallel requests give the same answer
    want = s.get(base + "?limit=20").body
    got = [None] * 32

    def one(i):
        got[i] = request(s.port, "GET", base + "?limit=20").body

    threads = [threading.Thread(target=one, args=(i,)) for i in range(32)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    check(all(b == want for b in got), "32 parallel requests on the full data, identical bodies")
    # one request, timed (information)
    t1 = time.time()
    for _ in range(20):
        s.get(base + "?limit=20")
    print("api_full: GET transitions?limit=20 of call centre agent: %.2f ms per request (sequential, new "
          "connection each)" % ((time.time() - t1) * 1000 / 20))


if __name__ == "__main__":
    sys.exit(main())
