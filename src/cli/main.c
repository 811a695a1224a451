#include <stdio.h>
#include <string.h>
#include "taxonomy/fow_import.h"
int main(int argc, char **argv) { (void)argc;
    fow_db *db; fow_error err; fow_error_clear(&err);
    if (fow_db_open(&db, argv[1], false, &err)) { char b[900]; fprintf(stderr, "%s\n", fow_error_format(&err, b, sizeof b)); return 2; }
    fow_import_report rep; fow_import_options opt = {0};
    fow_code rc;
    if (!strcmp(argv[2], "bundle")) rc = fow_import_bundle(db, argv[3], &opt, &rep, &err);
    else if (!strcmp(argv[2], "esco")) rc = fow_import_esco(db, argv[3], &opt, &rep, &err);
    else if (!strcmp(argv[2], "risk")) { opt.model = argv[4]; rc = fow_import_risk(db, argv[3], &opt, &rep, &err); }
    else if (!strcmp(argv[2], "attributes")) rc = fow_import_attributes(db, argv[3], &opt, &rep, &err);
    else rc = fow_import_crosswalk(db, argv[3], &opt, &rep, &err);
    if (rc) { char b[900]; fprintf(stderr, "%s\n", fow_error_format(&err, b, sizeof b)); return 1; }
    printf("%s unchanged=%d\n", rep.dataset, rep.unchanged);
    for (size_t i = 0; i < rep.n_files; i++) printf(" %s read %ld imported %ld rejected %ld\n", rep.files[i].file, rep.files[i].rows_read, rep.files[i].rows_imported, rep.files[i].rows_rejected);
    for (size_t i = 0; i < rep.n_notes; i++) printf(" note: %s\n", rep.notes[i]);
    fow_db_close(db); return 0;
}
