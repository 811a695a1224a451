/* fow_snapfile.c — sectioned snapshot files: written beside, renamed into
 * place, memory-mapped and checked before use. */
#include "base/fow_snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_MAGIC "FOWSNAP1"
#define SNAP_BYTE_ORDER 0x01020304u
#define SNAP_ALIGN 64

typedef struct snap_section {
    uint32_t tag;
    uint32_t reserved;
    uint64_t offset;
    uint64_t size;
    uint64_t count;
    uint64_t checksum;
} snap_section;

typedef struct snap_header {
    char magic[8];
    uint32_t format;
    uint32_t byte_order;
    uint32_t n_sections;
    uint32_t reserved;
    uint64_t file_size;
    uint64_t checksum; /* of the header (this field 0) and the table */
    snap_section sections[FOW_SNAP_MAX_SECTIONS];
} snap_header;

#define SNAP_DATA_START (((sizeof(snap_header)) + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN)

/* ---- checksum: four independent lanes of multiply-rotate over 64-bit
 * words, folded together with the length and the tail ---------------- */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t lane_step(uint64_t acc, uint64_t word) { return rotl64(acc + word * P2, 31) * P1; }

static inline uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

uint64_t fow_snap_checksum(const void *data, size_t size) {
    const unsigned char *p = data;
    uint64_t a = P1 + P2, b = P2, c = 0, d = 0 - P1;
    size_t i = 0;
    for (; i + 32 <= size; i += 32) {
        a = lane_step(a, load64(p + i));
        b = lane_step(b, load64(p + i + 8));
        c = lane_step(c, load64(p + i + 16));
        d = lane_step(d, load64(p + i + 24));
    }
    uint64_t h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18) + (uint64_t)size * P3;
    for (; i + 8 <= size; i += 8) h = rotl64(h ^ lane_step(0, load64(p + i)), 27) * P1 + P3;
    for (; i < size; i++) h = rotl64(h ^ (p[i] * P3), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

static uint64_t header_checksum(const snap_header *h) {
    snap_header copy = *h;
    copy.checksum = 0;
    return fow_snap_checksum(&copy, sizeof copy);
}

/* ---- writing ------------------------------------------------------------ */

struct fow_snap_writer {
    char *path;
    char *tmp_path;
    FILE *file;
    uint64_t offset; /* where the next section starts */
    snap_header header;
    fow_error error;
    fow_code rc;
};

fow_code fow_snap_writer_open(const char *path, uint32_t format, fow_snap_writer **out, fow_error *err) {
    *out = NULL;
    fow_snap_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(path);
    if (!w || !(w->path = strdup(path)) || !(w->tmp_path = malloc(n + 8))) {
        if (w) free(w->path);
        free(w);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    memcpy(w->tmp_path, path, n);
    memcpy(w->tmp_path + n, ".XXXXXX", 8);
    int fd = mkstemp(w->tmp_path);
    if (fd < 0 || !(w->file = fdopen(fd, "wb"))) {
        fow_code rc = fow_error_set(err, FOW_EIO, "cannot create %s: %s", w->tmp_path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp_path);
        }
        free(w->path);
        free(w->tmp_path);
        free(w);
        return rc;
    }
    fchmod(fd, 0644);
    memcpy(w->header.magic, SNAP_MAGIC, 8);
    w->header.format = format;
    w->header.byte_order = SNAP_BYTE_ORDER;
    w->offset = SNAP_DATA_START;
    fow_error_clear(&w->error);
    /* the header is written last, over these zeros */
    static const unsigned char zeros[SNAP_DATA_START];
    if (fwrite(zeros, 1, sizeof zeros, w->file) != sizeof zeros)
        w->rc = fow_error_set(&w->error, FOW_EIO, "writing %s: %s", w->tmp_path, strerror(errno));
    *out = w;
    return FOW_OK;
}

fow_code fow_snap_put(fow_snap_writer *w, uint32_t tag, const void *data, uint64_t size, uint64_t count) {
    if (w->rc) return w->rc;
    snap_header *h = &w->header;
    for (uint32_t i = 0; i < h->n_sections; i++)
        if (h->sections[i].tag == tag)
            return w->rc = fow_error_set(&w->error, FOW_EINTERNAL, "snapshot section %08x written twice", tag);
    if (h->n_sections == FOW_SNAP_MAX_SECTIONS)
        return w->rc = fow_error_set(&w->error, FOW_EINTERNAL, "too many snapshot sections");
    snap_section *s = &h->sections[h->n_sections++];
    s->tag = tag;
    s->offset = w->offset;
    s->size = size;
    s->count = count;
    s->checksum = fow_snap_checksum(data, size);
    uint64_t padded = (size + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
    static const unsigned char zeros[SNAP_ALIGN];
    if ((size && fwrite(data, 1, size, w->file) != size) ||
        (padded > size && fwrite(zeros, 1, padded - size, w->file) != padded - size))
        return w->rc = fow_error_set(&w->error, FOW_EIO, "writing %s: %s", w->tmp_path, strerror(errno));
    w->offset += padded;
    return FOW_OK;
}

fow_code fow_snap_writer_fail(fow_snap_writer *w, fow_code code, const char *message) {
    if (!w->rc) w->rc = fow_error_set(&w->error, code, "%s", message);
    return w->rc;
}

static void writer_free(fow_snap_writer *w) {
    free(w->path);
    free(w->tmp_path);
    free(w);
}

void fow_snap_writer_abort(fow_snap_writer *w) {
    if (!w) return;
    if (w->file) fclose(w->file);
    unlink(w->tmp_path);
    writer_free(w);
}

fow_code fow_snap_writer_commit(fow_snap_writer *w, fow_error *err) {
    fow_code rc = w->rc;
    if (!rc) {
        w->header.file_size = w->offset;
        w->header.checksum = header_checksum(&w->header);
        if (fseek(w->file, 0, SEEK_SET) != 0 || fwrite(&w->header, sizeof w->header, 1, w->file) != 1 ||
            fflush(w->file) != 0 || fsync(fileno(w->file)) != 0)
            rc = fow_error_set(&w->error, FOW_EIO, "writing %s: %s", w->tmp_path, strerror(errno));
    }
    int closed = fclose(w->file);
    w->file = NULL;
    if (!rc && closed != 0) rc = fow_error_set(&w->error, FOW_EIO, "writing %s: %s", w->tmp_path, strerror(errno));
    if (!rc && rename(w->tmp_path, w->path) != 0)
        rc = fow_error_set(&w->error, FOW_EIO, "renaming %s to %s: %s", w->tmp_path, w->path, strerror(errno));
    if (rc) {
        if (err) *err = w->error;
        unlink(w->tmp_path);
    }
    writer_free(w);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

struct fow_snap {
    const unsigned char *base;
    uint64_t size;
    const snap_header *header;
};

static fow_code refuse(fow_error *err, const char *path, const char *why) {
    return fow_error_set(err, FOW_EINPUT, "%s is not a usable snapshot: %s", path, why);
}

fow_code fow_snap_map(const char *path, uint32_t format, fow_snap **out, fow_error *err) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return fow_error_set(err, FOW_ENOTFOUND, "no snapshot at %s", path);
        return fow_error_set(err, FOW_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fow_code rc = fow_error_set(err, FOW_EIO, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < SNAP_DATA_START) {
        close(fd);
        return refuse(err, path, "shorter than a header");
    }
    void *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return fow_error_set(err, FOW_EIO, "cannot map %s: %s", path, strerror(errno));
    const snap_header *h = base;
    uint64_t size = (uint64_t)st.st_size;
    const char *why = NULL;
    if (memcmp(h->magic, SNAP_MAGIC, 8) != 0) why = "not a fow snapshot";
    else if (h->byte_order != SNAP_BYTE_ORDER) why = "written on a machine of another byte order";
    else if (h->format != format) why = "written by another version of fow";
    else if (h->checksum != header_checksum(h)) why = "its header is damaged";
    else if (h->file_size != size) why = h->file_size > size ? "truncated" : "longer than its header says";
    else if (h->n_sections > FOW_SNAP_MAX_SECTIONS) why = "too many sections";
    for (uint32_t i = 0; !why && i < h->n_sections; i++) {
        const snap_section *s = &h->sections[i];
        if (s->offset < SNAP_DATA_START || s->offset % SNAP_ALIGN || s->offset > size || s->size > size - s->offset)
            why = "a section lies outside the file";
    }
    if (why) {
        munmap(base, (size_t)size);
        return refuse(err, path, why);
    }
    fow_snap *snap = malloc(sizeof *snap);
    if (!snap) {
        munmap(base, (size_t)size);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    snap->base = base;
    snap->size = size;
    snap->header = h;
    *out = snap;
    return FOW_OK;
}

fow_code fow_snap_verify(const fow_snap *snap, fow_error *err) {
    const snap_header *h = snap->header;
    for (uint32_t i = 0; i < h->n_sections; i++) {
        const snap_section *s = &h->sections[i];
        if (fow_snap_checksum(snap->base + s->offset, (size_t)s->size) != s->checksum) {
            char tag[5];
            memcpy(tag, &s->tag, 4);
            tag[4] = 0;
            return fow_error_set(err, FOW_EINPUT, "snapshot section %s is damaged (checksum)", tag);
        }
    }
    return FOW_OK;
}

const void *fow_snap_section(const fow_snap *snap, uint32_t tag, size_t elem_size, uint64_t *count) {
    *count = 0;
    const snap_header *h = snap->header;
    for (uint32_t i = 0; i < h->n_sections; i++) {
        const snap_section *s = &h->sections[i];
        if (s->tag != tag) continue;
        if (elem_size == 0 || s->count > s->size / elem_size || s->count * elem_size != s->size) return NULL;
        *count = s->count;
        return snap->base + s->offset;
    }
    return NULL;
}

uint64_t fow_snap_size(const fow_snap *snap) { return snap->size; }

void fow_snap_unmap(fow_snap *snap) {
    if (!snap) return;
    munmap((void *)snap->base, (size_t)snap->size);
    free(snap);
}
