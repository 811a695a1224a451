/* fow_qr.h — QR codes (ISO/IEC 18004) of a short text, for the addresses a
 * phone opens (a credential's verification page, a voucher's redemption
 * page). The symbol is made by libqrencode (byte mode, error correction
 * level M, the smallest version that holds the text, the mask its penalty
 * rules choose); fow draws it: as SVG for the web and the command line, and
 * as a PBM bitmap (Netpbm P1/P4) that an independent decoder (zbarimg)
 * reads in the tests. Every drawing has the quiet zone of 4 modules the
 * standard asks for. */
#ifndef FOW_QR_H
#define FOW_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/fow_error.h"

#define FOW_QR_TEXT_MAX 1024 /* bytes; version 40-M holds 2331, an address needs far less */
#define FOW_QR_QUIET 4       /* modules of white around the symbol */

typedef struct fow_qr {
    int version;          /* 1..40 */
    int width;            /* modules per side: 17 + 4 * version */
    unsigned char *dark;  /* width * width, row by row: 1 dark, 0 light */
} fow_qr;

/* Makes the QR code of text (1..FOW_QR_TEXT_MAX bytes, any bytes but NUL)
 * into *out (fow_qr_free it, also after a failure). FOW_EINPUT (field
 * "text") for an empty or too long text; FOW_ENOMEM. */
fow_code fow_qr_make(const char *text, fow_qr *out, fow_error *err);

void fow_qr_free(fow_qr *qr);

/* The symbol as an SVG document (one path of dark modules on a white
 * square with the quiet zone, one unit per module), titled "QR code: "
 * and title (XML-escaped; NULL: no title). malloc'd, NUL-terminated, its
 * length in *len (may be NULL); NULL when out of memory. */
char *fow_qr_svg(const fow_qr *qr, const char *title, size_t *len);

/* Writes the symbol with its quiet zone as a plain PBM (P1) image, each
 * module scale x scale pixels (1..32), to out. FOW_EINPUT (field "scale");
 * FOW_EIO when writing fails. */
fow_code fow_qr_write_pbm(const fow_qr *qr, int scale, FILE *out, fow_error *err);

#endif
