/* fow_qr.c — QR codes made by libqrencode, drawn by fow (fow_qr.h). */
#include "base/fow_qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

fow_code fow_qr_make(const char *text, fow_qr *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > FOW_QR_TEXT_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "text",
                                "a QR code holds a text of 1 to %d bytes here, not %zu", FOW_QR_TEXT_MAX, n);
    /* byte mode (QR_MODE_8, case kept), level M, version chosen (0) */
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q) return fow_error_set(err, FOW_ENOMEM, "the QR code of a %zu-byte text could not be made", n);
    out->dark = malloc((size_t)q->width * (size_t)q->width);
    if (!out->dark) {
        QRcode_free(q);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    out->version = q->version;
    out->width = q->width;
    for (size_t i = 0; i < (size_t)q->width * (size_t)q->width; i++) out->dark[i] = q->data[i] & 1;
    QRcode_free(q);
    return FOW_OK;
}

void fow_qr_free(fow_qr *qr) {
    if (!qr) return;
    free(qr->dark);
    memset(qr, 0, sizeof *qr);
}

/* Appends s to buf (cap bytes, *n used), XML-escaped. */
static void put_escaped(char *buf, size_t cap, size_t *n, const char *s) {
    for (; *s && *n + 8 < cap; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (e) {
            size_t k = strlen(e);
            memcpy(buf + *n, e, k);
            *n += k;
        } else {
            buf[(*n)++] = *s;
        }
    }
    buf[*n] = '\0';
}

char *fow_qr_svg(const fow_qr *qr, const char *title, size_t *len) {
    int size = qr->width + 2 * FOW_QR_QUIET;
    size_t title_len = title ? strlen(title) : 0;
    /* a dark module is "M123 123h1v1h-1z": at most 20 bytes */
    size_t cap = 512 + 6 * title_len + (size_t)qr->width * (size_t)qr->width * 20;
    char *svg = malloc(cap);
    if (!svg) return NULL;
    size_t n = (size_t)snprintf(svg, cap,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                                "shape-rendering=\"crispEdges\">",
                                size, size);
    if (title) {
        n += (size_t)snprintf(svg + n, cap - n, "<title>QR code: ");
        put_escaped(svg, cap, &n, title);
        n += (size_t)snprintf(svg + n, cap - n, "</title>");
    }
    n += (size_t)snprintf(svg + n, cap - n, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                          size, size);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->dark[(size_t)y * (size_t)qr->width + (size_t)x])
                n += (size_t)snprintf(svg + n, cap - n, "M%d %dh1v1h-1z", x + FOW_QR_QUIET, y + FOW_QR_QUIET);
    n += (size_t)snprintf(svg + n, cap - n, "\"/></svg>\n");
    if (len) *len = n;
    return svg;
}

fow_code fow_qr_write_pbm(const fow_qr *qr, int scale, FILE *out, fow_error *err) {
    if (scale < 1 || scale > 32)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "scale", "scale must be 1 to 32 pixels per module, not %d",
                                scale);
    int modules = qr->width + 2 * FOW_QR_QUIET;
    int pixels = modules * scale;
    bool ok = fprintf(out, "P1\n%d %d\n", pixels, pixels) > 0;
    for (int py = 0; ok && py < pixels; py++) {
        int y = py / scale - FOW_QR_QUIET;
        for (int px = 0; ok && px < pixels; px++) {
            int x = px / scale - FOW_QR_QUIET;
            bool dark = x >= 0 && y >= 0 && x < qr->width && y < qr->width &&
                        qr->dark[(size_t)y * (size_t)qr->width + (size_t)x];
            ok = fputc(dark ? '1' : '0', out) != EOF && (px % 64 != 63 || fputc('\n', out) != EOF);
        }
        ok = ok && fputc('\n', out) != EOF;
    }
    if (!ok || fflush(out) != 0) return fow_error_set(err, FOW_EIO, "the PBM image could not be written");
    return FOW_OK;
}
