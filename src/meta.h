/* meta: the metadata.json that Datasette reads beside a claimscan database:
 * table and column descriptions with units, label columns, the full-text
 * index, facets and canned queries. */
#ifndef META_H
#define META_H

#include "store.h"

/* Where the metadata of the database at db_path goes: metadata.json in
 * the database's directory. Writes into out (cap bytes). */
void meta_path(const char *db_path, char *out, size_t cap);

/* Writes (or refreshes) the metadata of s, whose file is db_path, through a
 * temporary file and a rename. Other databases' entries in an existing
 * claimscan metadata.json are kept; a metadata.json that claimscan did not
 * write is left alone (CS_ERR_INPUT). CS_ERR_DB when s cannot be read,
 * CS_ERR_IO when the file cannot be written; nothing is written then. */
cs_status meta_write(store *s, const char *db_path, cs_error *err) CS_WUR;

#endif
