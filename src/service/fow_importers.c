#include "service/fow_importers.h"
#include "service/fow_msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "training/fow_training.h"

/* ---- the options -------------------------------------------------------- */

static const char *const risk_models[] = {"mcc", "frey-osborne", NULL};

static const fow_import_option opt_lang = {
    "lang", FOW_OPTION_TEXT, "XX", "the language of the labels, e.g. en or ro (default en)", NULL, 2, 7,
    offsetof(fow_import_options, lang)};
static const fow_import_option opt_model = {
    "model", FOW_OPTION_CHOICE, "M",
    "the risk model: mcc, Nesta's Mapping Career Causeways (risk 1 to 5), or frey-osborne, Frey and Osborne's "
    "probability of automation from 0 to 1", risk_models, 0,
    0, offsetof(fow_import_options, model)};
static const fow_import_option opt_area = {
    "area", FOW_OPTION_TEXT, "NAME", "the area the counts describe, e.g. Cluj-Napoca", NULL, 1, 100,
    offsetof(fow_import_options, area)};
static const fow_import_option opt_year = {
    "year", FOW_OPTION_INTEGER, "YEAR", "the year of every row, when the file has no year column", NULL, 1900, 2100,
    offsetof(fow_import_options, year)};
static const fow_import_option opt_skip_unknown = {
    "skip_unknown", FOW_OPTION_BOOLEAN, NULL,
    "import the other rows when some codes are not in the taxonomy, and list the skipped ones in the notes", NULL, 0, 0,
    offsetof(fow_import_options, skip_unknown)};
static const fow_import_option opt_illustrative = {
    "illustrative", FOW_OPTION_BOOLEAN, NULL,
    "the counts are invented for a demonstration: fow says so next to every figure made from them", NULL, 0, 0,
    offsetof(fow_import_options, illustrative)};
static const fow_import_option opt_source = {
    "source", FOW_OPTION_TEXT, "NAME", "the data set's name (default: from the files, or the known source)", NULL, 1,
    199, offsetof(fow_import_options, source_name)};
static const fow_import_option opt_version = {
    "version", FOW_OPTION_TEXT, "V", "the data set's version, e.g. 1.2.0", NULL, 1, 63,
    offsetof(fow_import_options, version)};
static const fow_import_option opt_licence = {
    "licence", FOW_OPTION_TEXT, "L", "the data set's licence", NULL, 1, 199, offsetof(fow_import_options, licence)};
static const fow_import_option opt_url = {
    "url", FOW_OPTION_TEXT, "URL", "where the data set comes from", NULL, 1, 255, offsetof(fow_import_options, url)};

static const fow_import_option opt_allow_shrink = {
    "allow_shrink", FOW_OPTION_BOOLEAN, NULL,
    "let the import take away more than half of a data set's rows in a table (refused otherwise: a cut or "
    "header-only file must not wipe good data)", NULL, 0, 0, offsetof(fow_import_options, allow_shrink)};

#define SOURCE_OPTIONS                                                                                             \
    {&opt_source, false}, {&opt_version, false}, {&opt_licence, false}, {&opt_url, false}, {&opt_allow_shrink, false}

static const fow_import_kind_option bundle_options[] = {{&opt_lang, false}, SOURCE_OPTIONS};
static const fow_import_kind_option esco_options[] = {{&opt_lang, false}, SOURCE_OPTIONS};
static const fow_import_kind_option risk_options[] = {{&opt_model, true}, SOURCE_OPTIONS};
static const fow_import_kind_option plain_options[] = {SOURCE_OPTIONS};
static const fow_import_kind_option employment_options[] = {
    {&opt_area, true}, {&opt_year, false}, {&opt_skip_unknown, false}, {&opt_illustrative, false}, SOURCE_OPTIONS};

#define OPTIONS(a) a, sizeof a / sizeof *a

/* ---- the kinds ---------------------------------------------------------- */

static const fow_importer importers[] = {
    {"bundle",
     "fow's CSV bundle (docs/data-formats.md): occupations.csv and optional skills, relations, ISCO groups, parents, "
     "translated labels and source.csv",
     FOW_IMPORT_FOLDER, FOW_PERM_IMPORT, OPTIONS(bundle_options), fow_import_bundle},
    {"esco",
     "the ESCO portal's CSV files of one language: occupations_XX.csv and optional skills, relations, ISCO groups, "
     "hierarchy and skill collections; a second language adds labels",
     FOW_IMPORT_FOLDER, FOW_PERM_IMPORT, OPTIONS(esco_options), fow_import_esco},
    {"risk", "automation risk estimates of one model, keyed by occupation_uri, isco_code or soc2010", FOW_IMPORT_FILE,
     FOW_PERM_IMPORT, OPTIONS(risk_options), fow_import_risk},
    {"attributes", "occupation attributes (job zone, education, earnings) keyed by occupation_uri", FOW_IMPORT_FILE,
     FOW_PERM_IMPORT, OPTIONS(plain_options), fow_import_attributes},
    {"crosswalk", "a crosswalk: isco08,soc2010 or occupation_uri,onet_code[,confidence]", FOW_IMPORT_FILE,
     FOW_PERM_IMPORT, OPTIONS(plain_options), fow_import_crosswalk},
    {"employment",
     "an area's employment by occupation (isco_code or occupation_uri), year, employed or employed_thousands; masked "
     "cells stay unknown, never zero",
     FOW_IMPORT_FILE, FOW_PERM_IMPORT_EMPLOYMENT, OPTIONS(employment_options), fow_import_employment},
    {"modules",
     "the learning catalogue (docs/training.md): one module a row with its provider, programme, ro/en title, the "
     "skills it teaches (URIs or labels of the taxonomy), hours, mode, language, cost and prerequisites",
     FOW_IMPORT_FILE, FOW_PERM_IMPORT, OPTIONS(plain_options), fow_import_modules},
    {"skill_hierarchy",
     "ESCO's skill hierarchy, the portal's files of one language: skillGroups_XX.csv, "
     "broaderRelationsSkillPillar_XX.csv and optional skillsHierarchy_XX.csv (after the taxonomy)",
     FOW_IMPORT_FOLDER, FOW_PERM_IMPORT, OPTIONS(esco_options), fow_import_skill_hierarchy},
};

#define N_IMPORTERS (sizeof importers / sizeof *importers)

const fow_importer *fow_importers(size_t *n) {
    *n = N_IMPORTERS;
    return importers;
}

const fow_importer *fow_importer_find(const char *name) {
    for (size_t i = 0; name && i < N_IMPORTERS; i++)
        if (strcmp(importers[i].name, name) == 0) return &importers[i];
    return NULL;
}

/* The index of option name in kind's options, or -1. */
static int option_index(const fow_importer *kind, const char *name) {
    for (size_t i = 0; name && i < kind->n_options; i++)
        if (strcmp(kind->options[i].option->name, name) == 0) return (int)i;
    return -1;
}

const fow_import_option *fow_importer_option(const fow_importer *kind, const char *name, bool *required) {
    int i = option_index(kind, name);
    if (i < 0) return NULL;
    if (required) *required = kind->options[i].required;
    return kind->options[i].option;
}

char *fow_importer_names(char *buf, size_t n) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_IMPORTERS && used < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == N_IMPORTERS ? " or " : ", ";
        int w = snprintf(buf + used, n - used, "%s%s", sep, importers[i].name);
        if (w < 0) break;
        used += (size_t)w;
    }
    return buf;
}

size_t fow_import_all_options(const fow_import_option **out, size_t max) {
    size_t count = 0;
    for (size_t k = 0; k < N_IMPORTERS; k++)
        for (size_t i = 0; i < importers[k].n_options; i++) {
            const fow_import_option *o = importers[k].options[i].option;
            bool seen = false;
            for (size_t j = 0; j < count && !seen; j++) seen = out[j] == o;
            if (!seen && count < max) out[count++] = o;
        }
    return count;
}

/* The options of kind as "a, b and c" into buf. */
static const char *option_list(const fow_importer *kind, char *buf, size_t n) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < kind->n_options && used < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == kind->n_options ? " and " : ", ";
        int w = snprintf(buf + used, n - used, "%s%s", sep, kind->options[i].option->name);
        if (w < 0) break;
        used += (size_t)w;
    }
    return buf;
}

/* ---- settings ----------------------------------------------------------- */

fow_code fow_import_settings_init(fow_import_settings *s, const char *name, fow_error *err) {
    memset(s, 0, sizeof *s);
    s->kind = fow_importer_find(name);
    if (s->kind) return FOW_OK;
    char names[200];
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "kind", "kind must be %s, not '%.60s'",
                            fow_importer_names(names, sizeof names), name ? name : "");
}

/* Checks text against option o; FOW_OK or an error naming it. */
static fow_code check_value(const fow_import_option *o, const char *text, fow_error *err) {
    switch (o->type) {
    case FOW_OPTION_TEXT: {
        size_t len = strlen(text);
        bool clean = true;
        for (const char *p = text; *p && clean; p++) clean = (unsigned char)*p >= 0x20 && *p != 0x7f;
        if (len < (size_t)o->min || len > (size_t)o->max || !clean)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name,
                                    "%s must be %ld to %ld bytes without control characters: %s", o->name,
                                    o->min, o->max, o->description);
        return FOW_OK;
    }
    case FOW_OPTION_CHOICE: {
        char allowed[200] = "";
        size_t used = 0;
        for (size_t i = 0; o->choices[i]; i++) {
            if (strcmp(o->choices[i], text) == 0) return FOW_OK;
            const char *sep = i == 0 ? "" : o->choices[i + 1] ? ", " : " or ";
            int w = snprintf(allowed + used, sizeof allowed - used, "%s'%s'", sep, o->choices[i]);
            if (w > 0 && (size_t)w < sizeof allowed - used) used += (size_t)w;
        }
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name, "%s must be %s, not '%.60s'", o->name, allowed,
                                text);
    }
    case FOW_OPTION_INTEGER: {
        char *end = NULL;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (!*text || *end || errno || v < o->min || v > o->max)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name,
                                    "%s must be a whole number from %ld to %ld, not '%.60s'", o->name, o->min, o->max,
                                    text);
        return FOW_OK;
    }
    case FOW_OPTION_BOOLEAN:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) return FOW_OK;
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name, "%s must be true or false, not '%.60s'", o->name,
                                text);
    }
    return fow_error_set(err, FOW_EINTERNAL, "option %s has an unknown type", o->name);
}

fow_code fow_import_settings_set(fow_import_settings *s, const char *name, const char *text, fow_error *err) {
    int i = option_index(s->kind, name);
    if (i < 0) {
        char list[300];
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, name, "%s imports take no option %s; they take %s",
                                s->kind->name, name, option_list(s->kind, list, sizeof list));
    }
    if (s->given[i]) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, name, "%s is given twice", name);
    fow_code rc = check_value(s->kind->options[i].option, text, err);
    if (rc) return rc;
    snprintf(s->value[i], sizeof s->value[i], "%s", text);
    s->given[i] = true;
    return FOW_OK;
}

fow_code fow_import_settings_check(const fow_import_settings *s, fow_error *err) {
    for (size_t i = 0; i < s->kind->n_options; i++) {
        const fow_import_option *o = s->kind->options[i].option;
        if (s->kind->options[i].required && !s->given[i])
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name, "%s imports need %s: %s", s->kind->name,
                                    o->name, o->description);
    }
    return FOW_OK;
}

bool fow_importer_upload_requires(const fow_importer *kind, const char *name) {
    if (!kind || !name || kind->input != FOW_IMPORT_FILE || option_index(kind, name) < 0) return false;
    return strcmp(name, "source") == 0 || strcmp(name, "version") == 0 || strcmp(name, "licence") == 0;
}

fow_code fow_import_settings_check_upload(const fow_import_settings *s, fow_error *err) {
    fow_code rc = fow_import_settings_check(s, err);
    if (rc) return rc;
    for (size_t i = 0; i < s->kind->n_options; i++) {
        const fow_import_option *o = s->kind->options[i].option;
        if (!s->given[i] && fow_importer_upload_requires(s->kind, o->name)) {
            /* not the option's description: its default (the known source) is what an upload lacks */
            const char *what = strcmp(o->name, "source") == 0    ? "the data set's name: who published it, and what it is"
                               : strcmp(o->name, "version") == 0 ? "the data set's version or edition"
                                                                 : "the licence the data set is published under";
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, o->name,
                                    "an uploaded %s file needs %s (%s): fow cannot tell where an uploaded file "
                                    "comes from",
                                    s->kind->name, o->name, what);
        }
    }
    return FOW_OK;
}

const char *fow_import_settings_get(const fow_import_settings *s, const char *name) {
    int i = option_index(s->kind, name);
    return i >= 0 && s->given[i] ? s->value[i] : NULL;
}

json_t *fow_import_settings_json(const fow_import_settings *s) {
    json_t *o = json_object();
    for (size_t i = 0; o && i < s->kind->n_options; i++) {
        const fow_import_option *opt = s->kind->options[i].option;
        json_t *v = !s->given[i] ? (opt->type == FOW_OPTION_BOOLEAN ? json_false() : json_null())
                    : opt->type == FOW_OPTION_INTEGER ? json_integer(strtol(s->value[i], NULL, 10))
                    : opt->type == FOW_OPTION_BOOLEAN ? json_boolean(strcmp(s->value[i], "true") == 0)
                                                      : json_string(s->value[i]);
        if (json_object_set_new(o, opt->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

fow_code fow_import_run(fow_db *db, const fow_import_settings *s, const char *path, fow_progress_fn progress,
                        void *progress_ctx, fow_import_report *report, fow_error *err) {
    fow_code rc = fow_import_settings_check(s, err);
    if (rc) return rc;
    fow_import_options opt;
    memset(&opt, 0, sizeof opt);
    opt.progress = progress;
    opt.progress_ctx = progress_ctx;
    for (size_t i = 0; i < s->kind->n_options; i++) {
        if (!s->given[i]) continue;
        const fow_import_option *o = s->kind->options[i].option;
        char *at = (char *)&opt + o->offset;
        switch (o->type) {
        case FOW_OPTION_TEXT:
        case FOW_OPTION_CHOICE: *(const char **)(void *)at = s->value[i]; break;
        case FOW_OPTION_INTEGER: *(int *)(void *)at = (int)strtol(s->value[i], NULL, 10); break;
        case FOW_OPTION_BOOLEAN: *(bool *)(void *)at = strcmp(s->value[i], "true") == 0; break;
        }
    }
    return s->kind->run(db, path, &opt, report, err);
}

/* ---- JSON --------------------------------------------------------------- */

/* text without folder and the '/' after it, when it starts with them. */
static const char *without_folder(const char *text, const char *folder) {
    if (!folder || !*folder) return text;
    size_t n = strlen(folder);
    if (strncmp(text, folder, n) != 0) return text;
    text += n;
    while (*text == '/') text++;
    return text;
}

/* The message codes of the importers' reasons for rejecting rows (their
 * texts are fixed; a reason without a code gets no message). */
static const struct {
    const char *text, *code;
} reason_codes[] = {
    {"ISCO group hierarchy: given by the ISCO codes themselves", "import.reason.isco_hierarchy"},
    {"ISCO-08 code not in the imported taxonomy", "import.reason.isco_not_in_taxonomy"},
    {"occupation below an ISCO group: given by its iscoGroup", "import.reason.occupation_below_isco"},
    {"occupation not in the imported taxonomy", "import.reason.occupation_not_in_taxonomy"},
    {"occupation not in the taxonomy (import its primary language first)", "import.reason.occupation_primary_first"},
    {"skill not in the taxonomy (import its primary language first)", "import.reason.skill_primary_first"},
    {"skill not in the taxonomy", "import.reason.skill_not_in_taxonomy"},
    {"other reasons", "import.reason.other"},
};

static json_t *reason_message(const char *text) {
    for (size_t i = 0; i < sizeof reason_codes / sizeof reason_codes[0]; i++)
        if (strcmp(text, reason_codes[i].text) == 0) return fow_msg_json(reason_codes[i].code, text, NULL, 0);
    return json_null();
}

/* notes[i] of the report as a message (null when the note has no code);
 * parameters naming a file lose the import's folder, as the note's text does. */
static json_t *note_message(const fow_import_report *r, size_t i, const char *folder) {
    const fow_import_note_message *m = &r->note_messages[i];
    if (!m->code) return json_null();
    fow_msg_param params[FOW_IMPORT_NOTE_PARAMS];
    for (size_t k = 0; k < m->n; k++) params[k] = FOW_MSG_S(m->names[k], without_folder(m->values[k], folder));
    return fow_msg_json(m->code, without_folder(r->notes[i], folder), params, m->n);
}

json_t *fow_import_report_json(const char *kind, const fow_import_report *r, const char *folder) {
    json_t *files = json_array(), *notes = json_array(), *note_messages = json_array();
    bool ok = files && notes && note_messages;
    for (size_t i = 0; ok && i < r->n_files; i++) {
        const fow_import_file_report *f = &r->files[i];
        json_t *reasons = json_array();
        for (size_t k = 0; reasons && k < f->n_reasons; k++)
            json_array_append_new(reasons, json_pack("{s:s, s:I, s:o}", "reason", f->reasons[k].text, "rows",
                                                     (json_int_t)f->reasons[k].count, "reason_message",
                                                     reason_message(f->reasons[k].text)));
        json_t *file = reasons ? json_pack("{s:s, s:I, s:I, s:I, s:o}", "file", without_folder(f->file, folder),
                                           "rows_read", (json_int_t)f->rows_read, "rows_imported",
                                           (json_int_t)f->rows_imported, "rows_rejected",
                                           (json_int_t)f->rows_rejected, "rejected_because", reasons)
                               : NULL;
        ok = file && json_array_append_new(files, file) == 0;
    }
    for (size_t i = 0; ok && i < r->n_notes; i++) {
        ok = json_array_append_new(notes, json_string(without_folder(r->notes[i], folder))) == 0;
        json_t *m = ok ? note_message(r, i, folder) : NULL;
        ok = m && json_array_append_new(note_messages, m) == 0;
    }
    if (!ok) {
        json_decref(files);
        json_decref(notes);
        json_decref(note_messages);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o, s:o}", "kind", kind, "dataset", r->dataset,
                     "source", r->source_name, "version", r->version, "unchanged", r->unchanged,
                     "description_updated", r->description_updated, "replaced", r->replaced, "files", files, "notes",
                     notes, "note_messages", note_messages);
}

static const char *type_name(fow_import_option_type t) {
    switch (t) {
    case FOW_OPTION_TEXT: return "text";
    case FOW_OPTION_CHOICE: return "choice";
    case FOW_OPTION_INTEGER: return "integer";
    case FOW_OPTION_BOOLEAN: return "boolean";
    }
    return "text";
}

static json_t *option_json(const fow_import_option *o, bool required, bool upload_required) {
    json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:s}", "name", o->name, "type", type_name(o->type), "required",
                          required, "required_for_upload", required || upload_required, "description", o->description);
    if (!j) return NULL;
    if (o->type == FOW_OPTION_CHOICE) {
        json_t *choices = json_array();
        for (size_t i = 0; choices && o->choices[i]; i++) json_array_append_new(choices, json_string(o->choices[i]));
        json_object_set_new(j, "choices", choices);
    } else if (o->type == FOW_OPTION_INTEGER) {
        json_object_set_new(j, "min", json_integer(o->min));
        json_object_set_new(j, "max", json_integer(o->max));
    } else if (o->type == FOW_OPTION_TEXT) {
        json_object_set_new(j, "min_length", json_integer(o->min));
        json_object_set_new(j, "max_length", json_integer(o->max));
    }
    return j;
}

json_t *fow_importers_json(void) {
    json_t *kinds = json_array();
    for (size_t k = 0; kinds && k < N_IMPORTERS; k++) {
        const fow_importer *imp = &importers[k];
        json_t *options = json_array();
        for (size_t i = 0; options && i < imp->n_options; i++)
            json_array_append_new(options, option_json(imp->options[i].option, imp->options[i].required,
                                                       fow_importer_upload_requires(imp, imp->options[i].option->name)));
        json_t *kind = options ? json_pack("{s:s, s:s, s:s, s:o}", "name", imp->name, "description", imp->description,
                                           "input", imp->input == FOW_IMPORT_FOLDER ? "folder" : "file", "options",
                                           options)
                               : NULL;
        if (!kind || json_array_append_new(kinds, kind) != 0) {
            json_decref(kinds);
            return NULL;
        }
    }
    return kinds ? json_pack("{s:o}", "kinds", kinds) : NULL;
}
