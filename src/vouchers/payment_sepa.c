/* payment_sepa.c — a payment batch as an ISO 20022 pain.001.001.03 credit
 * transfer initiation for the city's bank (fow_payment_batch_export_sepa in
 * fow_vouchers.h). Amounts stay integer minor units until they are written
 * as major units with two decimals (fow_money_format). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

#define SEPA_NAME_MAX 70    /* Max70Text: names */
#define SEPA_REMIT_MAX 140  /* Max140Text: the unstructured remittance text */

/* One credit transfer: a provider of the batch. */
typedef struct sepa_payee {
    fow_provider_bank bank;
    int64_t amount_minor;
    size_t claims;
    size_t lab_charges;
    char remittance[SEPA_REMIT_MAX + 1];
} sepa_payee;

/* Writes text with &, <, >, " and ' escaped, cut at max bytes on a UTF-8
 * character boundary. */
static void xml_text(FILE *out, const char *text, size_t max) {
    size_t n = strlen(text);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
    }
    for (size_t i = 0; i < n; i++) {
        switch (text[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            if ((unsigned char)text[i] >= 0x20 || text[i] == '\t') fputc(text[i], out);
            else fputc(' ', out);
        }
    }
}

static void agent(FILE *out, const char *indent, const char *element, const char *bic) {
    fprintf(out, "%s<%s><FinInstnId>", indent, element);
    if (bic && *bic) fprintf(out, "<BIC>%s</BIC>", bic);
    else fputs("<Othr><Id>NOTPROVIDED</Id></Othr>", out);
    fprintf(out, "</FinInstnId></%s>\n", element);
}

/* Adds " <id>" (after ", claims" for the first claim, ", lab charges"
 * for the first lab charge) to p's remittance text, or " .." once it is
 * full. */
static void remit(sepa_payee *p, int64_t id, bool lab) {
    char more[48];
    const char *head = lab ? (p->lab_charges ? "" : ", lab charges") : (p->claims ? "" : ", claims");
    snprintf(more, sizeof more, "%s %" PRId64, head, id);
    size_t used = strlen(p->remittance);
    if (strstr(p->remittance, " ..")) return;
    if (used + strlen(more) + 4 <= SEPA_REMIT_MAX) strcat(p->remittance, more);
    else strcat(p->remittance, " ..");
}

/* The providers of the batch's claims and lab charges (a lab's operator is
 * a provider too), in order of first appearance (claims, then lab
 * charges), with their sums and bank accounts, into a new array *out (*n;
 * free() it). */
static fow_code gather_payees(fow_db *db, int64_t id, sepa_payee **out, size_t *n_out, fow_error *err) {
    *out = NULL;
    *n_out = 0;
    fow_redemption *claims = NULL;
    size_t n = 0;
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    fow_code rc = fow_redemptions_list(db, 0, NULL, id, &claims, &n, err);
    if (!rc) rc = fow_voucher_lab_charges_list(db, 0, id, NULL, 0, &charges, &n_charges, err);
    sepa_payee *payees = NULL;
    if (!rc && n + n_charges && !(payees = calloc(n + n_charges, sizeof *payees)))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; !rc && i < n + n_charges; i++) {
        bool lab = i >= n;
        int64_t provider = lab ? charges[i - n].provider_id : claims[i].provider_id;
        int64_t item = lab ? charges[i - n].id : claims[i].id;
        const char *what = lab ? "lab charge" : "claim";
        size_t k = 0;
        while (k < m && payees[k].bank.provider_id != provider) k++;
        if (k == m) {
            rc = fow_training_provider_bank(db, provider, &payees[m].bank, err);
            if (rc == FOW_ENOTFOUND)
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "iban",
                                      "provider %" PRId64 " of %s %" PRId64
                                      " is no longer in the catalogue: it has no bank account to pay",
                                      provider, what, item);
            if (!rc && !payees[m].bank.iban[0])
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "iban",
                                      "provider %s (id %" PRId64 ") has no IBAN recorded: record its bank account "
                                      "before exporting the payment file",
                                      payees[m].bank.name, provider);
            if (rc) break;
            snprintf(payees[m].remittance, sizeof payees[m].remittance, "fow payment batch %" PRId64, id);
            m++;
        }
        payees[k].amount_minor += lab ? charges[i - n].amount_minor : claims[i].amount_minor;
        remit(&payees[k], item, lab);
        if (lab) payees[k].lab_charges++;
        else payees[k].claims++;
    }
    free(claims);
    free(charges);
    if (rc) {
        free(payees);
        return rc;
    }
    *out = payees;
    *n_out = m;
    return FOW_OK;
}

fow_code fow_payment_batch_export_sepa(fow_db *db, int64_t id, const fow_sepa_debtor *debtor, int64_t now,
                                       FILE *out, fow_error *err) {
    if (!debtor || !debtor->name || !*debtor->name || strlen(debtor->name) > SEPA_NAME_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "debtor_name",
                                "debtor_name (who pays: the account holder's name) is required, 1 to %d bytes",
                                SEPA_NAME_MAX);
    char iban[FOW_IBAN_MAX + 1], bic[FOW_BIC_MAX + 1] = "";
    fow_code rc = fow_iban_check(debtor->iban, "debtor_iban", iban, err);
    if (!rc && debtor->bic && *debtor->bic) rc = fow_bic_check(debtor->bic, "debtor_bic", bic, err);
    if (rc) return rc;
    fow_payment_batch b;
    if ((rc = fow_payment_batch_get(db, id, &b, err))) return rc;
    if (strcmp(b.status, "paid") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "batch",
                                "payment batch %" PRId64 " is a %s: approve it before exporting its payment file", id,
                                b.status);
    sepa_payee *payees = NULL;
    size_t n = 0;
    if ((rc = gather_payees(db, id, &payees, &n, err))) return rc;
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) total += payees[i].amount_minor;
    bool euro = strcmp(b.currency, "EUR") == 0;
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    char created[32], day[16], sum[32], amount[32];
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    fow_money_format(total, sum, sizeof sum);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
          "  <CstmrCdtTrfInitn>\n"
          "    <GrpHdr>\n",
          out);
    fprintf(out, "      <MsgId>FOW-PAY-%" PRId64 "</MsgId>\n", id);
    fprintf(out, "      <CreDtTm>%s</CreDtTm>\n", created);
    fprintf(out, "      <NbOfTxs>%zu</NbOfTxs>\n", n);
    fprintf(out, "      <CtrlSum>%s</CtrlSum>\n", sum);
    fputs("      <InitgPty><Nm>", out);
    xml_text(out, debtor->name, SEPA_NAME_MAX);
    fputs("</Nm></InitgPty>\n    </GrpHdr>\n    <PmtInf>\n", out);
    fprintf(out, "      <PmtInfId>FOW-PAY-%" PRId64 "-1</PmtInfId>\n", id);
    fputs("      <PmtMtd>TRF</PmtMtd>\n      <BtchBookg>false</BtchBookg>\n", out);
    fprintf(out, "      <NbOfTxs>%zu</NbOfTxs>\n", n);
    fprintf(out, "      <CtrlSum>%s</CtrlSum>\n", sum);
    if (euro) fputs("      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n", out);
    fprintf(out, "      <ReqdExctnDt>%s</ReqdExctnDt>\n", day);
    fputs("      <Dbtr><Nm>", out);
    xml_text(out, debtor->name, SEPA_NAME_MAX);
    fputs("</Nm></Dbtr>\n", out);
    fprintf(out, "      <DbtrAcct><Id><IBAN>%s</IBAN></Id><Ccy>%s</Ccy></DbtrAcct>\n", iban, b.currency);
    agent(out, "      ", "DbtrAgt", bic);
    fprintf(out, "      <ChrgBr>%s</ChrgBr>\n", euro ? "SLEV" : "SHAR");
    for (size_t i = 0; i < n; i++) {
        const sepa_payee *p = &payees[i];
        fputs("      <CdtTrfTxInf>\n", out);
        fprintf(out, "        <PmtId><EndToEndId>FOW-PAY-%" PRId64 "-P%" PRId64 "</EndToEndId></PmtId>\n", id,
                p->bank.provider_id);
        fprintf(out, "        <Amt><InstdAmt Ccy=\"%s\">%s</InstdAmt></Amt>\n", b.currency,
                fow_money_format(p->amount_minor, amount, sizeof amount));
        if (p->bank.bic[0]) agent(out, "        ", "CdtrAgt", p->bank.bic);
        fputs("        <Cdtr><Nm>", out);
        xml_text(out, p->bank.name, SEPA_NAME_MAX);
        fputs("</Nm></Cdtr>\n", out);
        fprintf(out, "        <CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct>\n", p->bank.iban);
        fputs("        <RmtInf><Ustrd>", out);
        xml_text(out, p->remittance, SEPA_REMIT_MAX);
        fputs("</Ustrd></RmtInf>\n      </CdtTrfTxInf>\n", out);
    }
    fputs("    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n", out);
    free(payees);
    if (fflush(out) != 0 || ferror(out)) return fow_error_set(err, FOW_EIO, "could not write the payment file");
    return FOW_OK;
}
