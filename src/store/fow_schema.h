/* fow_schema.h — the database schema as numbered migrations.
 * fow_schema_migrations[v] takes a database from user_version v to v + 1.
 * Migrations are append-only: never edit one that has shipped. */
#ifndef FOW_SCHEMA_H
#define FOW_SCHEMA_H

extern const char *const fow_schema_migrations[];

#endif
