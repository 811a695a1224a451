#!/usr/bin/python3
"""Verifiable credentials over HTTP, end to end (issue 13, point 6; docs/credentials.md).

    python3 api_credentials_test.py FOW_BINARY [REPO_ROOT]

1. Publication: /.well-known/jwks.json (empty before the first credential, then one
   Ed25519 key), the issuer's profile, the status list as a signed VC-JWT whose
   encodedList is GZIP of 131072 bits.
2. Staff routes: no session 401, an analyst 403, a session without CSRF 403; a
   counsellor issues (201) to a person of their organisation who consented, not to
   one without consent (409, field consent) nor to another organisation's (404).
3. Public verification: the credential is valid; malformed JWT, wrong alg, wrong kid,
   a changed payload byte, each invalid with the check that failed; bad bodies 400
   naming the field. A credential by its id, and its QR code (SVG).
4. Revocation flips the bit: verify says revoked, the status list has the bit set.
5. Present: the skills of a valid credential enter the person's profile with
   provenance credential; a revoked one is refused.

Prints "api-credentials: N passed, M failed"; exits 1 on a failure. Standard library only."""

import base64
import gzip
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-credentials")
check, equal = c.check, c.equal
expect = c.expect


def login(s, name):
    return c.login(s, name, PASSWORD)


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def failed_check(v):
    return [k["check"] for k in v.get("checks", []) if k["outcome"] == "failed"]


def status_bit(s, index):
    r = s.get("/api/v1/credential-status/1")
    expect(r, 200, "the status list")
    equal(r.header("Content-Type"), "application/vc+jwt", "the status list's media type")
    payload = json.loads(b64d(r.body.decode().split(".")[1]))
    check("BitstringStatusListCredential" in payload["type"], "a BitstringStatusListCredential")
    enc = payload["credentialSubject"]["encodedList"]
    bits = gzip.decompress(b64d(enc[1:]))
    equal(len(bits), 16384, "16 KiB of bits")
    return (bits[index // 8] >> (7 - index % 8)) & 1


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-creds-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("carla", "counsellor", "AJOFM Cluj"), ("erin", "analyst", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        person = json.loads(run_fow(fow, db, "person", "add", "--organisation", "AJOFM Cluj", "--json"))["id"]
        other = json.loads(run_fow(fow, db, "person", "add", "--organisation", "AJOFM Iasi", "--json"))["id"]
        bare = json.loads(run_fow(fow, db, "person", "add", "--organisation", "AJOFM Cluj", "--json"))["id"]
        for p in (person, other):
            run_fow(fow, db, "person", "consent", p, "training", "--text-version", "v1")
        run_fow(fow, db, "person", "consent", person, "counselling", "--text-version", "v1")
        module = int(json.loads(run_fow(fow, db, "modules", "--json", "--skill", "query databases with SQL"))["modules"][0]["id"])
        server = Server(fow, db, work, "creds", rate_limit=0)
        s = server

        r, j = s.json("/.well-known/jwks.json")
        expect(r, 200, "jwks")
        equal(j, {"keys": []}, "no key before the first credential")
        r, j = s.json("/api/v1/credential-issuer")
        expect(r, 200, "issuer profile")
        equal(j.get("type"), ["Profile"], "the issuer is an Open Badges Profile")

        body = {"person": person, "module": module, "result": "passed"}
        expect(s.post_json("/api/v1/credentials", body), 401, "issue without a session")
        erin = login(s, "erin")
        expect(s.post_json("/api/v1/credentials", body, erin), 403, "issue as an analyst")
        carla = login(s, "carla")
        no_csrf = {"Cookie": carla.get("Cookie", "")}
        expect(s.post_json("/api/v1/credentials", body, no_csrf), 403, "issue without the CSRF token")
        r = s.post_json("/api/v1/credentials", dict(body, person=bare), carla)
        expect(r, 409, "issue without consent to training")
        equal(r.error().get("field"), "consent", "409 names consent")
        expect(s.post_json("/api/v1/credentials", dict(body, person=other), carla), 404, "another organisation's person")
        r = s.post_json("/api/v1/credentials", dict(body, module="one"), carla)
        expect(r, 400, "module not a number")
        equal(r.error().get("field"), "module", "400 names module")
        r = s.post_json("/api/v1/credentials", dict(body, colour="red"), carla)
        expect(r, 400, "an unknown field")
        r = s.post_json("/api/v1/credentials", body, carla)
        if not expect(r, 201, "issue as the person's counsellor"):
            return
        issued = r.json()
        jwt, cid = issued["jwt"], issued["id"]
        uuid = cid[len("urn:uuid:"):]
        index = issued["status"]["index"]

        r, j = s.json("/.well-known/jwks.json")
        equal(len(j["keys"]), 1, "one key after issuing")
        equal((j["keys"][0]["kty"], j["keys"][0]["crv"]), ("OKP", "Ed25519"), "an Ed25519 JWK")
        equal(status_bit(s, index), 0, "the bit of a fresh credential is 0")

        r = s.post_json("/api/v1/credentials/verify", {"jwt": jwt})
        expect(r, 200, "verify")
        v = r.json()
        check(v["valid"], "the credential is valid: %r" % failed_check(v))
        equal([k["outcome"] for k in v["checks"]], ["passed"] * 7, "every check passed, status too")
        equal(len(v["credential"]["achievement"]["skills"]), 3, "three aligned skills")
        # each check explains itself as a message object the web app words (msg.<code>)
        messages = [k.get("message") or {} for k in v["checks"]]
        check(all(set(m) == {"code", "params", "text"} and m["code"].startswith("credential.") and m["text"]
                  for m in messages), "every check's message is {code, params, text}: %r" % messages[:2])
        equal(messages[3]["code"], "credential.signature_ok", "the signature check's code")

        h, p, sig = jwt.split(".")
        header = json.loads(b64d(h))
        payload = bytearray(b64d(p))
        payload[len(payload) // 2] ^= 0x01
        for what, bad, check_name in [
                ("malformed", "not-a-jwt", "format"),
                ("wrong alg", ".".join([b64e(json.dumps(dict(header, alg="HS256")).encode()), p, sig]), "header"),
                ("alg none", ".".join([b64e(json.dumps(dict(header, alg="none")).encode()), p, sig]), "header"),
                ("wrong kid", ".".join([b64e(json.dumps(dict(header, kid="k2")).encode()), p, sig]), "key"),
                ("one changed byte", ".".join([h, b64e(bytes(payload)), sig]), None)]:
            r = s.post_json("/api/v1/credentials/verify", {"jwt": bad})
            expect(r, 200, "verify %s" % what)
            v = r.json()
            check(not v["valid"], "%s is not valid" % what)
            ran = [k for k in v["checks"] if k["outcome"] != "not_run"]
            check(all((k.get("message") or {}).get("code", "").startswith("credential.") for k in ran) and
                  all(k.get("message") is None for k in v["checks"] if k["outcome"] == "not_run"),
                  "%s: a message for each check run, none for the others" % what)
            if check_name:
                equal(failed_check(v), [check_name], "%s fails the %s check" % (what, check_name))
            else:
                check(failed_check(v) in (["signature"], ["format"]), "%s fails: %r" % (what, failed_check(v)))
        r = s.post_json("/api/v1/credentials/verify", b"{not json")
        expect(r, 400, "a body that is not JSON")
        r = s.post_json("/api/v1/credentials/verify", {"token": jwt})
        expect(r, 400, "an unknown field")
        r = s.post_json("/api/v1/credentials/verify", {})
        expect(r, 400, "no jwt")
        equal(r.error().get("field"), "jwt", "400 names jwt")

        r, j = s.json("/api/v1/credentials/" + uuid)
        expect(r, 200, "a credential by its id")
        check(j["verification"]["valid"] and person not in r.body.decode(), "valid, without the person's id")
        r = s.get("/api/v1/credentials/%s/qr.svg" % uuid)
        expect(r, 200, "the QR code")
        check(r.header("Content-Type", ).startswith("image/svg+xml") and b"<svg" in r.body, "an SVG image")
        expect(s.get("/api/v1/credentials/" + "0" * 36), 400, "a malformed id")
        expect(s.get("/api/v1/credentials/00000000-0000-4000-8000-000000000000"), 404, "an unknown id")

        r = s.post_json("/api/v1/credentials/present", {"person": person, "jwt": jwt}, carla)
        expect(r, 200, "present")
        equal(r.json().get("added"), 3, "three skills entered the profile")
        r, j = s.json("/api/v1/people/%s/skills" % person, carla)
        prov = sorted({x["provenance"] for x in j.get("skills", [])})
        equal(prov, ["credential"], "the skills' provenance")

        r, j = s.json("/api/v1/credentials?person=" + person, carla)
        expect(r, 200, "list")
        equal(j.get("total"), 1, "one credential of the person")

        expect(s.post_json("/api/v1/credentials/%s/revoke" % uuid, {}, carla), 400, "revoke without a reason")
        r = s.post_json("/api/v1/credentials/%s/revoke" % uuid, {"reason": "issued by mistake"}, carla)
        expect(r, 200, "revoke")
        check(r.json()["status"]["revoked"], "revoked")
        expect(s.post_json("/api/v1/credentials/%s/revoke" % uuid, {"reason": "again"}, carla), 400, "revoke twice")
        equal(status_bit(s, index), 1, "the bit of a revoked credential is 1")
        v = s.post_json("/api/v1/credentials/verify", {"jwt": jwt}).json()
        check(not v["valid"] and failed_check(v) == ["status"], "a revoked credential is not valid: %r" % failed_check(v))
        r = s.post_json("/api/v1/credentials/present", {"person": person, "jwt": jwt}, carla)
        expect(r, 400, "present a revoked credential")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(c.summary())
