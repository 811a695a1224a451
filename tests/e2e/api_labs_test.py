#!/usr/bin/python3
"""The CREIC labs over HTTP (issue 15; docs/labs.md).

    python3 api_labs_test.py FOW_BINARY [REPO_ROOT]

On the demo data with the CREIC labs loaded (as make demo-db does), the public routes answer
without signing in and name no person; the lab manager (lara) writes labs, resources, hours,
closures, requirements, prices and holidays, bad input being a 400 naming the JSON field and
writing nothing; lab staff (stan) records an in-lab induction, which issues the credential; a
person (pia, an account linked to a people record) sees the laser cutter unlocked by it in GET
/me/lab-access, and locked again at once after the credential is revoked; the teacher (tess) and
the staff may not write the catalogue. At the end `fow check` passes and no person id is in the
access log.

Prints "api-labs: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, call, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-labs")
check, equal, expect, expect_error = c.check, c.equal, c.expect, c.expect_error


def fow_json(fow, db, *args):
    return json.loads(run_fow(fow, db, *args, "--json"))


def count(fow, db, table):
    r = subprocess.run(["sqlite3", db, "SELECT count(*) FROM %s" % table], capture_output=True, text=True)
    return int(r.stdout.strip() or -1)


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-labs-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules_creic.csv"), "--source", "CREIC labs demo")
        run_fow(fow, db, "lab", "import", os.path.join(demo, "labs.json"))
        run_fow(fow, db, "lab", "holidays", "import", os.path.join(root, "data", "holidays-ro.csv"))
        person = fow_json(fow, db, "person", "add", "--organisation", "creic")["id"]
        run_fow(fow, db, "person", "consent", person, "training", "--text-version", "v1")
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, extra in [("lara", "lab_manager", []), ("stan", "lab_staff", []), ("tess", "teacher", []),
                                  ("pia", "person", ["--person", person])]:
            run_fow(fow, db, "user", "add", name, "--role", role, "--password-file", pw, *extra)
        log = os.path.join(work, "access.log")
        server = Server(fow, db, work, "labs", rate_limit=0, access_log=log)
        lara = c.login(server, "lara", PASSWORD)
        stan = c.login(server, "stan", PASSWORD)
        tess = c.login(server, "tess", PASSWORD)
        pia = c.login(server, "pia", PASSWORD)

        # ---- public
        r = call(server, None, "GET", "/api/v1/labs")
        expect(r, 200, "GET /labs")
        labs = r.json()
        equal(labs["count"], 3, "three labs")
        equal(sorted(lab["code"] for lab in labs["labs"]), ["cgi-vfx", "design-dev", "work40-ml"], "their codes")
        design = next(lab for lab in labs["labs"] if lab["code"] == "design-dev")
        check({"printer-3d-1", "printer-3d-2", "laser-cutter-1", "cnc-router-1"} <=
              {x["code"] for x in design["resources"]}, "design's machines")
        check(all(x["name_ro"] and x["name_en"] for lab in labs["labs"] for x in lab["resources"]),
              "every resource named in ro and en")
        r = call(server, None, "GET", "/api/v1/labs/design-dev")
        expect(r, 200, "GET /labs/design-dev")
        lab = r.json()["lab"]
        equal(lab["hours"][-1], {"weekday": 6, "opens": "10:00", "closes": "14:00"}, "Saturday hours")
        equal(lab["timezone"], "Europe/Bucharest", "the zone")
        check(len(lab["holidays"]) >= 10 and all("art. 139" in h["source"] for h in lab["holidays"]),
              "the holidays of the next 12 months with their source")
        expect_error(call(server, None, "GET", "/api/v1/labs/nowhere"), 404, "lab", "an unknown lab")
        r = call(server, None, "GET", "/api/v1/lab-resources/laser-cutter-1")
        expect(r, 200, "GET /lab-resources/laser-cutter-1")
        res = r.json()["resource"]
        equal(res["requirements"], [{"kind": "module", "ref": "CREIC-LASER-IND", "title_en": "Laser cutter induction",
                                     "title_ro": "Instruire pentru tăietorul laser"}], "what unlocks the laser cutter")
        check({"category": "enterprise", "per_hour_minor": 12000, "currency": "RON"} in res["prices"],
              "the enterprise price in bani")
        check(res["safety_en"] and res["safety_ro"], "safety notes in both languages")
        expect_error(call(server, None, "GET", "/api/v1/lab-resources/nothing"), 404, "resource", "unknown resource")
        expect(call(server, None, "GET", "/api/v1/me/lab-access"), 401, "my access needs signing in")

        # ---- who may write
        for who, name in ((None, "nobody"), (stan, "stan"), (tess, "tess"), (pia, "pia")):
            r = call(server, who, "POST", "/api/v1/labs", {"code": "x-lab", "name_en": "X", "name_ro": "X"})
            expect(r, 401 if who is None else 403, "POST /labs as %s" % name)
        for who, name in ((tess, "tess"), (pia, "pia")):
            r = call(server, who, "POST", "/api/v1/lab-inductions", {"person": person, "resource": "laser-cutter-1"})
            expect(r, 403, "an induction as %s" % name)

        # ---- the manager's writes
        r = call(server, lara, "POST", "/api/v1/labs",
                 {"code": "maker-space", "name_en": "Maker space", "name_ro": "Spațiu maker",
                  "cancel_deadline_hours": 48})
        expect(r, 201, "POST /labs")
        equal(r.json()["lab"]["policy"]["cancel_deadline_hours"], 48, "the deadline written")
        expect_error(call(server, lara, "POST", "/api/v1/labs", {"code": "maker-space", "name_en": "A", "name_ro": "A"}),
                     409, "code", "a code used already")
        expect_error(call(server, lara, "POST", "/api/v1/labs", {"code": "m2", "name_en": "A"}), 400, "name_ro",
                     "a missing name")
        expect_error(call(server, lara, "POST", "/api/v1/labs", {"code": "m2", "name_en": "A", "name_ro": "A",
                                                                  "colour": "red"}), 400, "colour", "an unknown field")
        r = call(server, lara, "PATCH", "/api/v1/labs/maker-space", {"late_cancel_fee_percent": 20})
        expect(r, 200, "PATCH /labs/maker-space")
        equal(r.json()["lab"]["policy"], {"cancel_deadline_hours": 48, "late_cancel_fee_percent": 20,
                                          "offer_hours": 12}, "the policy changed, the rest kept")
        expect_error(call(server, lara, "PATCH", "/api/v1/labs/maker-space", {"late_cancel_fee_percent": 101}), 400,
                     "late_cancel_fee_percent", "a fee over 100 %")
        r = call(server, lara, "POST", "/api/v1/labs/maker-space/resources",
                 {"code": "sewing-1", "kind": "machine", "name_en": "Sewing machine", "name_ro": "Mașină de cusut",
                  "slot_minutes": 30})
        expect(r, 201, "POST a resource")
        expect_error(call(server, lara, "POST", "/api/v1/labs/maker-space/resources",
                          {"code": "sewing-2", "kind": "machine", "name_en": "S", "name_ro": "S", "slot_minutes": 45}),
                     400, "slot_minutes", "a slot of 45 minutes")
        r = call(server, lara, "PATCH", "/api/v1/lab-resources/sewing-1", {"active": False})
        expect(r, 200, "PATCH a resource")
        equal(r.json()["resource"]["active"], False, "taken out of booking")
        r = call(server, lara, "PUT", "/api/v1/labs/maker-space/hours",
                 {"hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00"},
                            {"weekday": 6, "opens": "10:00", "closes": "14:00"}]})
        expect(r, 200, "PUT hours")
        equal(len(r.json()["lab"]["hours"]), 2, "two intervals")
        before = count(fow, db, "lab_opening_hours")
        expect_error(call(server, lara, "PUT", "/api/v1/labs/maker-space/hours",
                          {"hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00"},
                                     {"weekday": 1, "opens": "17:00", "closes": "19:00"}]}),
                     400, "hours[1]", "overlapping hours")
        expect_error(call(server, lara, "PUT", "/api/v1/labs/maker-space/hours",
                          {"hours": [{"weekday": 8, "opens": "09:00", "closes": "18:00"}]}),
                     400, "hours[0]", "weekday 8")
        equal(count(fow, db, "lab_opening_hours"), before, "refused hours change nothing")
        r = call(server, lara, "POST", "/api/v1/labs/design-dev/closures",
                 {"kind": "maintenance", "resource": "laser-cutter-1", "start": "2027-03-01T10:00",
                  "end": "2027-03-01T12:00", "reason": "lens cleaning"})
        expect(r, 201, "POST a maintenance window")
        closure = r.json()["closure"]
        equal((closure["start"], closure["end"]), ("2027-03-01T10:00+02:00", "2027-03-01T12:00+02:00"),
              "local times with the offset")
        expect_error(call(server, lara, "POST", "/api/v1/labs/design-dev/closures",
                          {"kind": "closure", "start": "2027-03-28T03:30", "end": "2027-03-28T05:00"}),
                     400, "start", "a time the clocks skip")
        expect_error(call(server, lara, "POST", "/api/v1/labs/design-dev/closures",
                          {"kind": "closure", "start": "2027-03-01 10:00", "end": "2027-03-01T12:00"}),
                     400, "start", "a time of another form")
        expect_error(call(server, lara, "POST", "/api/v1/labs/design-dev/closures",
                          {"kind": "holiday", "start": "2027-03-01T10:00", "end": "2027-03-01T12:00"}),
                     400, "kind", "an unknown kind")
        expect(call(server, lara, "DELETE", "/api/v1/lab-closures/%d" % closure["id"]), 200, "DELETE the closure")
        expect_error(call(server, lara, "DELETE", "/api/v1/lab-closures/%d" % closure["id"]), 404, "closure",
                     "DELETE it again")
        r = call(server, lara, "PUT", "/api/v1/lab-resources/sewing-1/requirements",
                 {"requirements": [{"kind": "module", "ref": "CREIC-LASER-IND"},
                                   {"kind": "skill", "ref": "urn:fow:demo:skill:grade-colour-in-video"}]})
        expect(r, 200, "PUT requirements")
        equal([x["kind"] for x in r.json()["resource"]["requirements"]], ["module", "skill"], "both kept")
        expect_error(call(server, lara, "PUT", "/api/v1/lab-resources/sewing-1/requirements",
                          {"requirements": [{"kind": "module", "ref": "NO-SUCH"}]}),
                     404, "requirements[0].ref", "an unknown module")
        r = call(server, lara, "PUT", "/api/v1/lab-resources/sewing-1/prices",
                 {"prices": [{"category": "school", "per_hour_minor": 500, "currency": "RON"},
                             {"category": "enterprise", "per_hour_minor": 4050}]})
        expect(r, 200, "PUT prices")
        equal(r.json()["resource"]["prices"][1], {"category": "enterprise", "per_hour_minor": 4050, "currency": "RON"},
              "a price in bani")
        expect_error(call(server, lara, "PUT", "/api/v1/lab-resources/sewing-1/prices",
                          {"prices": [{"category": "pupil", "per_hour_minor": 1}]}),
                     400, "prices[0].category", "an unknown category")
        expect_error(call(server, lara, "PUT", "/api/v1/lab-resources/sewing-1/prices",
                          {"prices": [{"category": "school", "per_hour_minor": -5}]}),
                     400, "prices[0].per_hour_minor", "a negative price")
        r = call(server, lara, "POST", "/api/v1/lab-holidays",
                 {"holidays": [{"day": "2028-01-01", "name_en": "New Year's Day", "name_ro": "Anul Nou",
                                "source": "Codul muncii (Legea 53/2003), art. 139 alin. (1)"}]})
        expect(r, 200, "POST holidays")
        before = count(fow, db, "lab_holidays")
        expect_error(call(server, lara, "POST", "/api/v1/lab-holidays",
                          {"holidays": [{"day": "2028-01-02", "name_en": "A", "name_ro": "A", "source": "x"},
                                        {"day": "2028-02-30", "name_en": "B", "name_ro": "B", "source": "x"}]}),
                     400, "holidays[1].day", "a day February does not have")
        equal(count(fow, db, "lab_holidays"), before, "nothing half-written")

        # ---- a person's access, an induction, a revocation
        r = call(server, pia, "GET", "/api/v1/me/lab-access")
        expect(r, 200, "GET /me/lab-access")
        laser = next(x for x in r.json()["resources"] if x["resource"] == "laser-cutter-1")
        equal((laser["allowed"], laser["missing"][0]["ref"]), (False, "CREIC-LASER-IND"), "locked before")
        expect(call(server, lara, "GET", "/api/v1/me/lab-access"), 404, "an account without a people record")
        r = call(server, stan, "POST", "/api/v1/lab-inductions", {"person": person, "resource": "laser-cutter-1"})
        expect(r, 201, "an induction by the lab's staff")
        ind = r.json()
        credential = ((ind.get("result") or {}).get("credential") or {}).get("id")
        check(credential and credential.startswith("urn:uuid:"), "the induction issued a credential: %r" % ind)
        equal(ind["induction"]["module"], "CREIC-LASER-IND", "of the induction module")
        expect_error(call(server, stan, "POST", "/api/v1/lab-inductions", {"person": person, "resource": "laser-cutter-1"}),
                     400, "person", "the same induction twice in a day")
        expect_error(call(server, stan, "POST", "/api/v1/lab-inductions", {"resource": "laser-cutter-1"}),
                     400, "person", "no person")
        expect_error(call(server, stan, "POST", "/api/v1/lab-inductions", {"person": person, "resource": "gpu-workstation-1"}),
                     400, "module", "a machine with no induction")
        r = call(server, pia, "GET", "/api/v1/me/lab-access")
        laser = next(x for x in r.json()["resources"] if x["resource"] == "laser-cutter-1")
        equal((laser["allowed"], laser["met"][0]["credential"]), (True, credential), "unlocked by the credential")
        run_fow(fow, db, "credential", "revoke", credential, "--reason", "unsafe use")
        r = call(server, pia, "GET", "/api/v1/me/lab-access")
        laser = next(x for x in r.json()["resources"] if x["resource"] == "laser-cutter-1")
        equal(laser["allowed"], False, "a revoked credential locks it again at once")

        run_fow(fow, db, "check")
        server.stop()
        server = None
        with open(log) as f:
            text = f.read()
        check(person not in text, "no person id in the access log")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
