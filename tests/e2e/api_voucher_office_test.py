#!/usr/bin/python3
"""The voucher office over HTTP (issue 14, points 5, 9 and 10; docs/vouchers.md, "The office over
HTTP").

    python3 api_voucher_office_test.py FOW_BINARY [REPO_ROOT]

On the demo data with its catalogue and cohorts, an account of role voucher_office (vera) does the
office's whole job through the API — a fund, a budget line and its top-up, issuing (idempotent by
key), activating, cancelling, refunding, settling the claims, a payment batch, its approval and its
files — while a counsellor redeems at enrolment and the command line records attendance and
completion. Every route that moves money is asked without confirm_password (403
auth.confirmation_required), with a wrong one (403 auth.confirmation_failed) and with the right
one; a retry with the same key changes nothing; bad input is a 400 naming the JSON field. An API
token confirms with its user's password too. Wrong passwords are counted by the sign-in throttle
(429 auth.confirmation_throttled). The SEPA file (pain.001.001.03) is read with xml.etree,
independently of the C code: well-formed, its NbOfTxs and CtrlSum those of its transfers and of the
batch. At the end `fow check` passes, the ledger export verifies, and neither a password nor a
person id is in the access log.

Prints "api-voucher-office: N passed, M failed"; exits 1 on a failure. Standard library only."""

import decimal
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
WRONG = "wrong horse battery 17"
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
# a valid test IBAN (mod 97) for the provider, and the city's
PROVIDER_IBAN = "RO49 AAAA 1B31 0075 9384 0000"
CITY_IBAN = "RO66BACX0000001234567890"
c = Checks("api-voucher-office")
check, equal, expect = c.check, c.equal, c.expect


def call(s, who, method, path, body=None):
    h = dict(who or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    elif method == "POST":
        data = b""
    return s.request(method, path, data, h, timeout=120)


def err(r):
    try:
        return (r.json() or {}).get("error") or {}
    except ValueError:
        return {}


def fow_out(fow, db, *args):
    r = subprocess.run([fow, "--db", db, *args], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("fow %s: %s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def confirmed(s, who, method, path, body, want, what):
    """Asks a money-moving route without confirm_password, with a wrong one and with the right one:
    403 auth.confirmation_required, 403 auth.confirmation_failed, then want. Returns the last answer."""
    r = call(s, who, method, path, body)
    equal((r.status, err(r).get("code"), err(r).get("field")), (403, "auth.confirmation_required", "confirm_password"),
          what + ": without confirm_password")
    equal((err(r).get("msg") or {}).get("code"), "auth.confirmation_required", what + ": a message object")
    r = call(s, who, method, path, dict(body, confirm_password=WRONG))
    equal((r.status, err(r).get("code")), (403, "auth.confirmation_failed"), what + ": a wrong password")
    r = call(s, who, method, path, dict(body, confirm_password=PASSWORD))
    expect(r, want, what + ": the right password")
    return r


def right(s, who, method, path, body):
    return call(s, who, method, path, dict(body, confirm_password=PASSWORD))


def line_amounts(s, who, line):
    r = call(s, who, "GET", "/api/v1/voucher-lines")
    for item in (r.json() or {}).get("lines", []):
        if item["id"] == line:
            return item["amounts"]
    return {}


def check_sepa(xml_bytes, batch, provider_iban, city_iban):
    """The payment file read with xml.etree alone."""
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError as e:
        check(False, "the SEPA file is well-formed XML: %s" % e)
        return
    equal(root.tag, PAIN + "Document", "a pain.001.001.03 Document")
    hdr = root.find(PAIN + "CstmrCdtTrfInitn/" + PAIN + "GrpHdr")
    pmt = root.find(PAIN + "CstmrCdtTrfInitn/" + PAIN + "PmtInf")
    check(hdr is not None and pmt is not None, "a group header and a payment information block")
    if hdr is None or pmt is None:
        return
    txs = pmt.findall(PAIN + "CdtTrfTxInf")
    amounts = [decimal.Decimal(t.find(PAIN + "Amt/" + PAIN + "InstdAmt").text) for t in txs]
    equal(int(hdr.find(PAIN + "NbOfTxs").text), len(txs), "the header's NbOfTxs counts the transfers")
    equal(int(pmt.find(PAIN + "NbOfTxs").text), len(txs), "the block's NbOfTxs counts the transfers")
    equal(decimal.Decimal(hdr.find(PAIN + "CtrlSum").text), sum(amounts), "the header's CtrlSum sums the transfers")
    equal(decimal.Decimal(pmt.find(PAIN + "CtrlSum").text), sum(amounts), "the block's CtrlSum sums them")
    equal(sum(amounts) * 100, decimal.Decimal(batch["total_minor"]), "the transfers sum to the batch's total")
    providers = {cl["provider_id"] for cl in batch.get("claims", [])} or {None}
    equal(len(txs), len(providers), "one transfer per provider of the batch")
    for t in txs:
        equal(t.find(PAIN + "CdtrAcct/" + PAIN + "Id/" + PAIN + "IBAN").text, provider_iban.replace(" ", ""),
              "the transfer goes to the provider's IBAN")
        equal(t.find(PAIN + "Amt/" + PAIN + "InstdAmt").get("Ccy"), "RON", "in the batch's currency")
        check(re.fullmatch(r"\d+\.\d\d", t.find(PAIN + "Amt/" + PAIN + "InstdAmt").text) is not None,
              "amounts with two decimals")
    equal(pmt.find(PAIN + "DbtrAcct/" + PAIN + "Id/" + PAIN + "IBAN").text, city_iban, "from the city's account")
    equal(pmt.find(PAIN + "PmtMtd").text, "TRF", "a credit transfer")


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-voucher-office-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        run_fow(fow, db, "cohort", "load", os.path.join(demo, "cohorts.csv"))
        spare = int(fow_out(fow, db, "cohort", "add", "CP-BIZ", "--starts-on", "2027-03-01", "--ends-on", "2027-03-31",
                            "--capacity", "5"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("vera", "voucher_office", None), ("alice", "admin", None),
                                ("carla", "counsellor", "Demo"), ("erin", "analyst", None)]:
            run_fow(fow, db, "user", "add", name, "--role", role, "--password-file", pw,
                    *(["--organisation", org] if org else []))
        person = fow_out(fow, db, "person", "add", "--organisation", "Demo").split()[-1].rstrip(".")
        other = fow_out(fow, db, "person", "add", "--organisation", "Demo").split()[-1].rstrip(".")
        for p in (person, other):
            for purpose in ("training", "vouchers"):
                fow_out(fow, db, "person", "consent", p, purpose, "--text-version", "v1")
        log = os.path.join(work, "access.log")
        server = Server(fow, db, work, "voucher-office", rate_limit=0, access_log=log)
        vera = c.login(server, "vera", PASSWORD)
        carla = c.login(server, "carla", PASSWORD)
        erin = c.login(server, "erin", PASSWORD)
        alice = c.login(server, "alice", PASSWORD)

        # ---- who may
        expect(call(server, None, "GET", "/api/v1/funds"), 401, "nobody: 401")
        expect(call(server, carla, "GET", "/api/v1/funds"), 403, "a counsellor is not the office")
        expect(call(server, erin, "GET", "/api/v1/claims"), 403, "an analyst is not the office")
        expect(call(server, alice, "GET", "/api/v1/funds"), 200, "an admin is")
        expect(call(server, vera, "GET", "/api/v1/voucher-lines"), 200, "the office reads the programme's lines")
        expect(call(server, vera, "GET", "/api/v1/people"), 403, "the office reads no people record")
        r = call(server, carla, "POST", "/api/v1/claims/settlement", {"confirm_password": PASSWORD})
        equal((r.status, err(r).get("code")), (403, "forbidden"), "a counsellor is refused at the door, password or not")

        # ---- a fund (no money moves: no confirmation)
        r = call(server, vera, "POST", "/api/v1/funds", {"name": "CEV 2027", "currency": "ron"})
        equal((r.status, err(r).get("field")), (400, "currency"), "a lower-case currency names currency")
        r = call(server, vera, "POST", "/api/v1/funds", {"name": "CEV 2027", "currency": "RON", "colour": "red"})
        equal((r.status, err(r).get("field")), (400, "colour"), "an unknown field is named")
        r = call(server, vera, "POST", "/api/v1/funds", {"name": "CEV 2027", "currency": "RON"})
        expect(r, 201, "a fund")
        fund = (r.json() or {}).get("id")
        r = call(server, vera, "GET", "/api/v1/funds")
        equal([f["name"] for f in (r.json() or {}).get("funds", [])], ["CEV 2027"], "the funds")

        # ---- a budget line: confirmation, bad input
        body = {"fund_id": fund, "purpose": "learning_module", "year": 2027, "amount_minor": 5000000}
        r = right(server, vera, "POST", "/api/v1/voucher-lines", dict(body, year="2027"))
        equal((r.status, err(r).get("field")), (400, "year"), "a year as text names year")
        r = right(server, vera, "POST", "/api/v1/voucher-lines", dict(body, purpose="parties"))
        equal((r.status, err(r).get("field")), (400, "purpose"), "an unknown purpose names purpose")
        r = confirmed(server, vera, "POST", "/api/v1/voucher-lines", body, 201, "a budget line")
        line = (r.json() or {}).get("id")
        equal(line_amounts(server, vera, line).get("allocated_minor"), 5000000, "50000.00 allocated")
        r = right(server, vera, "POST", "/api/v1/voucher-lines", body)
        equal((r.status, err(r).get("field")), (400, "purpose"), "one line per fund, purpose and year")

        # ---- a top-up: idempotent by key, and confirmed by an API token's user too
        top = "/api/v1/voucher-lines/%s/top-ups" % line
        r = right(server, vera, "POST", top, {"amount_minor": 100000})
        equal((r.status, err(r).get("field")), (400, "key"), "a top-up needs its key")
        r = right(server, vera, "POST", top, {"amount_minor": -1, "key": "t1"})
        equal((r.status, err(r).get("field")), (400, "amount_minor"), "a negative amount names amount_minor")
        r = confirmed(server, vera, "POST", top, {"amount_minor": 100000, "key": "t1"}, 200, "a top-up")
        equal(((r.json() or {}).get("amounts") or {}).get("allocated_minor"), 5100000, "1000.00 more")
        r = right(server, vera, "POST", top, {"amount_minor": 100000, "key": "t1"})
        expect(r, 200, "the same top-up again")
        equal(((r.json() or {}).get("amounts") or {}).get("allocated_minor"), 5100000, "nothing more moved")
        r = call(server, vera, "POST", "/api/v1/auth/tokens", {"name": "office script"})
        expect(r, 201, "vera makes an API token")
        token = {"Authorization": "Bearer " + ((r.json() or {}).get("token") or "none")}
        r = call(server, token, "POST", top, {"amount_minor": 5000, "key": "t2"})
        equal((r.status, err(r).get("code")), (403, "auth.confirmation_required"), "a token must confirm too")
        r = call(server, token, "POST", top, {"amount_minor": 5000, "key": "t2", "confirm_password": WRONG})
        equal((r.status, err(r).get("code")), (403, "auth.confirmation_failed"), "a token with a wrong password")
        r = right(server, token, "POST", top, {"amount_minor": 5000, "key": "t2"})
        expect(r, 200, "a token confirmed with its user's password")
        equal(((r.json() or {}).get("amounts") or {}).get("allocated_minor"), 5105000, "50.00 more")

        # ---- issuing: idempotent by key, bad input
        issue = {"line_id": line, "person": person, "value_minor": 150000, "valid_from": "2026-11-01",
                 "valid_until": "2027-12-31", "modules": ["CP-BIZ", "W40-DATA"], "key": "award-1"}
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(issue, value_minor="1500"))
        equal((r.status, err(r).get("field")), (400, "value_minor"), "a value as text names value_minor")
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(issue, valid_until="2027-02-30"))
        equal((r.status, err(r).get("field")), (400, "valid_until"), "a day that does not exist names valid_until")
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(issue, modules="CP-BIZ"))
        equal((r.status, err(r).get("field")), (400, "modules"), "modules must be an array")
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(issue, value_minor=10 ** 12))
        equal((r.status, err(r).get("field")), (400, "value"), "never more than the line holds")
        r = confirmed(server, vera, "POST", "/api/v1/vouchers", issue, 201, "issuing a voucher")
        voucher = r.json() or {}
        code = voucher.get("code", "none")
        equal((voucher.get("status"), voucher.get("person")), ("issued", person), "issued to the person")
        available = line_amounts(server, vera, line).get("available_minor")
        r = right(server, vera, "POST", "/api/v1/vouchers", issue)
        expect(r, 201, "the same key again")
        equal((r.json() or {}).get("code"), code, "the same voucher")
        equal(line_amounts(server, vera, line).get("available_minor"), available, "nothing more committed")
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(issue, value_minor=1000))
        equal((r.status, err(r).get("field")), (409, "key"), "the key with another value is a conflict")
        r = call(server, vera, "GET", "/api/v1/vouchers?status=issued&person=%s" % person)
        equal([v["code"] for v in (r.json() or {}).get("vouchers", [])], [code], "listed by status and person")
        r = call(server, vera, "GET", "/api/v1/vouchers?status=lost")
        equal((r.status, err(r).get("field")), (400, "status"), "an unknown status names status")

        # ---- issuing to an enterprise (its name and CUI instead of a person), from a business_support line
        r = right(server, vera, "POST", "/api/v1/voucher-lines",
                  {"fund_id": fund, "purpose": "business_support", "year": 2027, "amount_minor": 1000000})
        expect(r, 201, "a business_support line")
        support = (r.json() or {}).get("id")
        firm = {"line_id": support, "enterprise_name": "Atelier Demo SRL", "enterprise_code": "RO14399840",
                "value_minor": 250000, "valid_from": "2027-01-01", "valid_until": "2028-06-30", "key": "firm-1"}
        for change, field, what in [
                ({"enterprise_code": "RO14399841"}, "enterprise_code", "a CUI whose control digit is wrong"),
                ({"enterprise_code": "RO12AB"}, "enterprise_code", "a CUI with letters"),
                ({"enterprise_code": "1" * 40}, "enterprise_code", "a CUI far too long"),
                ({"enterprise_name": None}, "enterprise_name", "an enterprise without its name"),
                ({"enterprise_code": None}, "enterprise_code", "an enterprise without its CUI"),
                ({"person": person}, "person", "a person and an enterprise at once"),
                ({"line_id": line}, "purpose", "an enterprise's voucher from a learning_module line"),
                ({"enterprise_name": None, "enterprise_code": None}, "person", "neither a person nor an enterprise")]:
            body = {k: v for k, v in dict(firm, **change).items() if v is not None}
            r = right(server, vera, "POST", "/api/v1/vouchers", body)
            equal((r.status, err(r).get("field")), (400, field), what + " is a 400 naming " + field)
        check("control digit" in err(right(server, vera, "POST", "/api/v1/vouchers",
                                           dict(firm, enterprise_code="RO14399841"))).get("message", ""),
              "the error says the control digit is wrong")
        before = line_amounts(server, vera, support).get("available_minor", 0)
        r = confirmed(server, vera, "POST", "/api/v1/vouchers", firm, 201, "issuing an enterprise's voucher")
        firm_voucher = r.json() or {}
        equal((firm_voucher.get("beneficiary"), firm_voucher.get("person"), firm_voucher.get("purpose")),
              ({"kind": "enterprise", "registration_code": "RO14399840", "name": "Atelier Demo SRL"}, "",
               "business_support"), "issued to the enterprise, no person")
        equal(line_amounts(server, vera, support).get("available_minor"), before - 250000, "2500.00 committed")
        r = right(server, vera, "POST", "/api/v1/vouchers", firm)
        equal((r.status, (r.json() or {}).get("code")), (201, firm_voucher.get("code")), "the same key: the same voucher")
        r = right(server, vera, "POST", "/api/v1/vouchers", dict(firm, enterprise_code="18547290"))
        equal((r.status, err(r).get("field")), (409, "key"), "the key for another enterprise is a conflict")
        r = call(server, vera, "GET", "/api/v1/vouchers?line=%s" % support)
        equal([v["code"] for v in (r.json() or {}).get("vouchers", [])], [firm_voucher.get("code")],
              "listed on its line")
        out = fow_out(fow, db, "voucher", "show", firm_voucher.get("code", "none"))
        check("enterprise Atelier Demo SRL (CUI RO14399840)" in out, "fow voucher show names the enterprise: " + out)

        # ---- activation (no money): then a counsellor redeems at enrolment
        r = call(server, vera, "POST", "/api/v1/vouchers/%s/activation" % code, {})
        equal((r.status, (r.json() or {}).get("status")), (200, "active"), "activated, without a password")
        r = call(server, vera, "POST", "/api/v1/vouchers/CEV-0000-0000-0000-0000/activation", {})
        expect(r, 404, "an unknown voucher")
        redeemed = {}
        for cohort, key, amount in [(1, "r1", 50000), (6, "r2", 0)]:
            r = call(server, carla, "POST", "/api/v1/vouchers/%s/redemptions" % code,
                     {"cohort_id": cohort, "key": key, "amount_minor": amount})
            expect(r, 201, "a counsellor redeems for cohort %d" % cohort)
            redeemed[cohort] = ((r.json() or {}).get("redemption") or {}).get("id")
        r = call(server, carla, "POST", "/api/v1/vouchers/%s/redemptions" % code,
                 {"cohort_id": spare, "key": "r3", "amount_minor": 10000})
        refund_id = ((r.json() or {}).get("redemption") or {}).get("id")
        expect(r, 201, "a third redemption, to refund")

        # ---- a refund
        path = "/api/v1/redemptions/%s/refund" % refund_id
        r = right(server, vera, "POST", path, {})
        equal((r.status, err(r).get("field")), (400, "reason"), "a refund needs its reason")
        r = confirmed(server, vera, "POST", path, {"reason": "enrolled by mistake"}, 200, "a refund")
        equal((r.json() or {}).get("status"), "refunded", "refunded")
        r = right(server, vera, "POST", path, {"reason": "again"})
        equal((r.status, err(r).get("field")), (409, "redemption"), "a refund twice is a conflict")
        expect(right(server, vera, "POST", "/api/v1/redemptions/999999/refund", {"reason": "x"}), 404,
               "an unknown redemption")

        # ---- attendance and completion (the command line), then settlement
        for session in range(1, 7):
            fow_out(fow, db, "cohort", "attend", "1", person, str(session))
        fow_out(fow, db, "cohort", "attend", "6", person, "1")
        fow_out(fow, db, "cohort", "complete", "1", person, "--passed", "--completed-on", "2027-03-12")
        fow_out(fow, db, "cohort", "complete", "6", person, "--failed", "--completed-on", "2027-02-26")
        r = confirmed(server, vera, "POST", "/api/v1/claims/settlement", {}, 200, "settling the claims")
        equal(r.json(), {"payable": 1, "refunded": 1}, "one payable, one refunded (attendance)")
        r = call(server, vera, "GET", "/api/v1/claims?status=payable")
        claims = (r.json() or {}).get("claims", [])
        equal([cl["id"] for cl in claims], [redeemed[1]], "the payable claim")
        equal((r.json() or {}).get("total_minor"), {"RON": 50000}, "their sum")
        check(all(set(cl) >= {"person", "provider_id", "amount_minor"} for cl in claims), "claims name a person by id")
        r = call(server, vera, "GET", "/api/v1/claims?provider=x")
        equal((r.status, err(r).get("field")), (400, "provider"), "a bad provider names provider")

        # ---- a payment batch, its files, its approval
        r = call(server, vera, "POST", "/api/v1/payment-batches", {"currency": "RON"})
        expect(r, 201, "a draft batch, without a password (no money moves)")
        batch = ((r.json() or {}).get("batch") or {}).get("id")
        equal(((r.json() or {}).get("batch") or {}).get("status"), "draft", "a draft")
        r = call(server, vera, "POST", "/api/v1/payment-batches", {"currency": "RON"})
        equal((r.status, err(r).get("field")), (409, "claims"), "no payable claim left")
        sepa = "/api/v1/payment-batches/%s/export?format=sepa&debtor_name=Municipiul%%20Cluj-Napoca&debtor_iban=%s" % (
            batch, CITY_IBAN)
        r = call(server, vera, "GET", sepa)
        equal((r.status, err(r).get("field")), (409, "batch"), "no payment file for a draft batch")
        approve = "/api/v1/payment-batches/%s/approval" % batch
        r = confirmed(server, vera, "POST", approve, {}, 200, "approving the batch")
        paid = r.json() or {}
        equal((paid.get("batch") or {}).get("status"), "paid", "paid")
        r = right(server, vera, "POST", approve, {})
        equal((r.status, err(r).get("field")), (409, "batch"), "approving twice is a conflict")
        r = call(server, vera, "GET", "/api/v1/payment-batches")
        equal([b["id"] for b in (r.json() or {}).get("batches", [])], [batch], "the batches")
        r = call(server, vera, "GET", "/api/v1/payment-batches/%s/export" % batch)
        equal((r.status, (r.header("Content-Type") or "").split(";")[0]), (200, "text/csv"), "the CSV")
        check(b",1,50000,500.00,RON,paid," in r.body, "one provider's row")
        r = call(server, vera, "GET", "/api/v1/payment-batches/%s/export?format=pdf" % batch)
        equal((r.status, err(r).get("field")), (400, "format"), "an unknown format names format")
        r = call(server, vera, "GET", sepa)
        equal((r.status, err(r).get("field")), (409, "iban"), "a provider without an IBAN")
        provider = claims[0]["provider_id"] if claims else 0
        check(str(provider) in err(r).get("message", ""), "the error names the provider: %r" % err(r))
        bank = "/api/v1/providers/%s/bank-account" % provider
        r = right(server, vera, "POST", bank, {"iban": "RO49AAAA1B31007593840001"})
        equal((r.status, err(r).get("field")), (400, "iban"), "an IBAN failing mod 97 names iban")
        r = right(server, vera, "POST", bank, {"iban": PROVIDER_IBAN, "bic": "BT"})
        equal((r.status, err(r).get("field")), (400, "bic"), "a short BIC names bic")
        r = confirmed(server, vera, "POST", bank, {"iban": PROVIDER_IBAN, "bic": "btrlro22"}, 200,
                      "recording a bank account")
        equal(((r.json() or {}).get("iban"), (r.json() or {}).get("bic")), (PROVIDER_IBAN.replace(" ", ""), "BTRLRO22"),
              "normalised")
        r = call(server, vera, "GET", "/api/v1/payment-batches/%s/export?format=sepa" % batch)
        equal((r.status, err(r).get("field")), (400, "debtor_name"), "the payment file needs its debtor")
        r = call(server, vera, "GET", sepa.replace(CITY_IBAN, "RO66BACX0000001234567891"))
        equal((r.status, err(r).get("field")), (400, "debtor_iban"), "a wrong debtor IBAN names debtor_iban")
        r = call(server, vera, "GET", sepa)
        equal((r.status, (r.header("Content-Type") or "").split(";")[0]), (200, "application/xml"), "the SEPA file")
        check_sepa(r.body, paid.get("batch", {}) | {"claims": paid.get("claims", [])}, PROVIDER_IBAN, CITY_IBAN)
        with open(os.path.join(work, "api.xml"), "wb") as f:
            f.write(r.body)

        # ---- cancellation and expiry
        second = dict(issue, person=other, key="award-2", value_minor=20000, modules=[])
        r = right(server, vera, "POST", "/api/v1/vouchers", second)
        expect(r, 201, "a second voucher")
        code2 = (r.json() or {}).get("code", "none")
        before = line_amounts(server, vera, line).get("available_minor", 0)
        cancel = "/api/v1/vouchers/%s/cancellation" % code2
        r = confirmed(server, vera, "POST", cancel, {"reason": "award withdrawn"}, 200, "a cancellation")
        equal((r.json() or {}).get("status"), "cancelled", "cancelled")
        equal(line_amounts(server, vera, line).get("available_minor"), before + 20000, "its value back in the line")
        r = right(server, vera, "POST", cancel, {"reason": "again"})
        equal((r.status, err(r).get("field")), (409, "voucher"), "cancelling twice is a conflict")
        r = right(server, vera, "POST", "/api/v1/vouchers/expiry", {"as_of": "2028-13-01"})
        equal((r.status, err(r).get("field")), (400, "as_of"), "a bad date names as_of")
        r = confirmed(server, vera, "POST", "/api/v1/vouchers/expiry", {"as_of": "2028-01-01"}, 200, "expiry")
        equal(r.json(), {"as_of": "2028-01-01", "expired": 1, "returned_minor": 100000}, "the rest of one voucher")
        r = right(server, vera, "POST", "/api/v1/vouchers/expiry", {"as_of": "2028-01-01"})
        equal((r.json() or {}).get("expired"), 0, "running it again finds nothing more")

        # ---- the throttle counts wrong confirmations (an admin here, so vera's session stays usable)
        for i in range(5):
            r = call(server, alice, "POST", "/api/v1/claims/settlement", {"confirm_password": WRONG + str(i)})
            equal(err(r).get("code"), "auth.confirmation_failed", "wrong password %d" % (i + 1))
        r = right(server, alice, "POST", "/api/v1/claims/settlement", {})
        equal((r.status, err(r).get("code")), (429, "auth.confirmation_throttled"), "then the throttle waits")
        check(int(r.header("Retry-After") or 0) > 0, "with Retry-After")
        # ---- the command line's --json documents are the API's (fow_result)
        for args, path in [(["voucher", "claims"], "/api/v1/claims"), (["voucher", "list"], "/api/v1/vouchers"),
                           (["voucher", "pay", "list"], "/api/v1/payment-batches"),
                           (["voucher", "fund", "list"], "/api/v1/funds")]:
            equal(json.loads(fow_out(fow, db, *args, "--json")), call(server, vera, "GET", path).json(),
                  "fow %s --json is GET %s" % (" ".join(args), path))
        server.stop()
        equal(server.proc.returncode, 0, "the server stopped cleanly (under ASan: no leak)")
        with open(server.stderr_path, "rb") as f:
            text = f.read().decode(errors="replace")
        check("AddressSanitizer" not in text and "runtime error" not in text, "no sanitizer report: " + text[-600:])
        server = None

        # ---- the command line's payment file is the same document
        out = os.path.join(work, "cli.xml")
        fow_out(fow, db, "voucher", "pay", "export", str(batch), "--format", "sepa", "--debtor-name",
                "Municipiul Cluj-Napoca", "--debtor-iban", CITY_IBAN, "--output", out)
        with open(out, "rb") as f:
            check_sepa(f.read(), paid.get("batch", {}) | {"claims": paid.get("claims", [])}, PROVIDER_IBAN, CITY_IBAN)
        r = subprocess.run([fow, "--db", db, "voucher", "pay", "export", str(batch), "--format", "sepa"],
                           capture_output=True, text=True)
        check(r.returncode != 0 and "--debtor-name" in r.stderr, "the command line names --debtor-name: " + r.stderr)

        r = subprocess.run([fow, "--db", db, "check"], capture_output=True, text=True)
        equal(r.returncode, 0, "fow check passes: " + r.stdout[-400:])
        export = os.path.join(work, "ledger.json")
        fow_out(fow, db, "voucher", "ledger", "export", "--json", "--output", export)
        r = subprocess.run([sys.executable, os.path.join(root, "tests", "e2e", "verify_ledger.py"), export],
                           capture_output=True, text=True)
        equal(r.returncode, 0, "the ledger export verifies: " + r.stdout[-400:])
        with open(log, encoding="utf-8") as f:
            text = f.read()
        check(PASSWORD not in text and WRONG not in text, "no password in the access log")
        check(person not in text and other not in text, "no person id in the access log")
        check(code not in text, "no voucher code in the access log")
        con_text = subprocess.run(["sqlite3", db, ".dump"], capture_output=True, text=True).stdout \
            if shutil.which("sqlite3") else ""
        check(PASSWORD not in con_text and WRONG not in con_text, "no password in the database")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
