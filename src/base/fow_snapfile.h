/* fow_snapfile.h — a file of named, aligned sections of plain data, written
 * once and memory-mapped read-only: the storage of snapshots (fow_world).
 *
 * Layout (all integers little-endian as this machine writes them; a file
 * written on another byte order or pointer size is refused):
 *
 *     header    magic "FOWSNAP1", format (the caller's layout version),
 *               byte-order mark, file size, number of sections, and a
 *               checksum of the header and section table
 *     sections  up to FOW_SNAP_MAX_SECTIONS entries: tag, offset, size in
 *               bytes, element count, checksum of the bytes
 *     data      each section starts at a multiple of 64 bytes
 *
 * Sections hold offsets and indexes, never pointers, so a file means the same
 * wherever it is mapped. A writer writes to a temporary file beside the
 * target and renames it over the target only when it is complete and synced,
 * so a reader never sees half a file. A reader checks the header, the table
 * and the file size before it hands out any section, and each section's
 * checksum when asked to (fow_snap_verify), so a truncated, foreign or
 * damaged file is refused with an error, never read past its end.
 */
#ifndef FOW_SNAPFILE_H
#define FOW_SNAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"

#define FOW_SNAP_MAX_SECTIONS 64

/* A section tag from four characters: FOW_SNAP_TAG('O','C','C','S'). */
#define FOW_SNAP_TAG(a, b, c, d) \
    ((uint32_t)(uint8_t)(a) | (uint32_t)(uint8_t)(b) << 8 | (uint32_t)(uint8_t)(c) << 16 | (uint32_t)(uint8_t)(d) << 24)

/* ---- writing ----------------------------------------------------------- */

typedef struct fow_snap_writer fow_snap_writer;

/* Starts a snapshot that will replace path: creates a temporary file in
 * the same folder (path + ".XXXXXX"). format is the caller's layout
 * version, checked by fow_snap_map. Fails with FOW_EIO (folder not
 * writable) or FOW_ENOMEM. */
fow_code fow_snap_writer_open(const char *path, uint32_t format, fow_snap_writer **out, fow_error *err);

/* Appends a section of count elements, size bytes in all (size may be 0;
 * data may then be NULL). A tag may appear once. The first error is kept
 * and returned by fow_snap_writer_commit; this returns it too. */
fow_code fow_snap_put(fow_snap_writer *w, uint32_t tag, const void *data, uint64_t size, uint64_t count);

/* Records a failure of the caller's (code, message) unless an error is
 * already kept; returns the kept error's code. */
fow_code fow_snap_writer_fail(fow_snap_writer *w, fow_code code, const char *message);

/* Finishes the file (header, sync) and renames it over the target path,
 * then frees w. On failure the temporary file is removed, the target is
 * left as it was, and the first error is returned. */
fow_code fow_snap_writer_commit(fow_snap_writer *w, fow_error *err);

/* Removes the temporary file and frees w. NULL is allowed. */
void fow_snap_writer_abort(fow_snap_writer *w);

/* ---- reading ----------------------------------------------------------- */

typedef struct fow_snap fow_snap;

/* Maps the snapshot at path read-only and checks its header: magic, byte
 * order, format == the caller's, the header's checksum, the file's size
 * against the header, and every section inside the file. Fails with
 * FOW_ENOTFOUND when there is no file, FOW_EINPUT when the file is not a
 * valid snapshot of this format (the message says why), FOW_EIO or
 * FOW_ENOMEM. */
fow_code fow_snap_map(const char *path, uint32_t format, fow_snap **out, fow_error *err);

/* Checks every section's checksum (reads the whole file). Fails with
 * FOW_EINPUT naming the first damaged section. */
fow_code fow_snap_verify(const fow_snap *snap, fow_error *err);

/* The data of section tag when it holds elements of elem_size bytes:
 * *count gets their number. Returns NULL (and *count 0) when the section
 * is missing or its size is not count * elem_size; a present empty section
 * gives a non-NULL pointer and *count 0. The memory stays valid until
 * fow_snap_unmap. Can't fail otherwise. */
const void *fow_snap_section(const fow_snap *snap, uint32_t tag, size_t elem_size, uint64_t *count);

/* Bytes mapped. */
uint64_t fow_snap_size(const fow_snap *snap);

/* Unmaps. NULL is allowed. Nothing read from the snapshot may be used
 * afterwards. */
void fow_snap_unmap(fow_snap *snap);

/* The checksum the file uses (64 bits over the bytes; fast, not
 * cryptographic). */
uint64_t fow_snap_checksum(const void *data, size_t size);

#endif
