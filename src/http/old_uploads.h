/* old_uploads.h — the upload folders that earlier versions of fow serve
 * left in /tmp, removed when they are provably fow's and unused.
 *
 * Before uploads moved to <db>.uploads (import_jobs.h), each server made
 * /tmp/fow-uploads-XXXXXX (mkdtemp, mode 0700) holding the uploads waiting
 * (u<N>-<name>) and one folder per import job (fow-job-<N>, plain files),
 * and removed it only when it stopped cleanly: a killed or crashed server
 * left it behind, with the data uploaded in it. Those servers held no lock
 * on it, so whether one of them still runs is told by the process start
 * times instead: the folder was made by a process that had started before
 * it, so when every process running as its owner started after it was
 * made, its maker is gone and nothing uses it.
 */
#ifndef FOW_HTTP_OLD_UPLOADS_H
#define FOW_HTTP_OLD_UPLOADS_H

/* Removes from tmp_dir ("/tmp") each folder fow-uploads-XXXXXX that
 *   - is a folder (not a link) of the calling user (effective uid), mode 0700;
 *   - holds only what those servers wrote there: plain files named
 *     u<digits>-<name>, and folders fow-job-<digits> of the user, mode 0700,
 *     of plain files only;
 *   - was made (its birth time, or the earlier of its change and
 *     modification times where the file system keeps no birth time) more
 *     than 2 s before the start of every process of proc_dir ("/proc") whose
 *     real or effective uid is the caller's (the caller included).
 * Anything else is left as it is, and everything when proc_dir cannot be
 * read (no boot time, no processes). Entries are removed through the
 * folder's own descriptor (no path is followed twice). Returns the number
 * of folders removed; *kept (may be NULL) gets the number of fow-uploads-*
 * entries left. Can't fail (what cannot be removed is kept). Processes in
 * other PID namespaces that share tmp_dir are not seen: with such a set-up,
 * pass a proc_dir that shows them. */
int http_remove_old_upload_folders(const char *tmp_dir, const char *proc_dir, int *kept);

#endif
