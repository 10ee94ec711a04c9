/* load: reads files, directories and stdin into documents; type detection,
 * charset conversion to UTF-8 and sha256. */
#ifndef LOAD_H
#define LOAD_H

#include "doc.h"

#define LOAD_DEFAULT_MAX ((size_t)64 << 20) /* bytes per input */

/* Reads path ("-" for stdin) into a new document with raw bytes,
 * type and UTF-8 input filled in. Returns NULL and fills err on failure
 * (unreadable, larger than max bytes, binary). Free with doc_free. */
doc *load_file(const char *path, size_t max, cs_error *err);

/* The same for bytes already in memory; id becomes the document's path. */
doc *load_bytes(const char *id, const void *bytes, size_t len, cs_error *err);

/* Reads d's raw bytes as text or HTML (charset to UTF-8), for a file that
 * looked like a PDF but is not one. CS_ERR_INPUT with err filled when the
 * bytes are binary. */
cs_status load_as_text(doc *d, cs_error *err) CS_WUR;

/* Lists the regular files under dir (recursively, sorted, hidden entries
 * skipped; a directory reached again through a link is listed once) into a
 * malloc'd array of malloc'd paths; *n gets the count.
 * Returns NULL with *n = 0 when the directory cannot be read (err filled).
 * Free with load_free_list. */
char **load_list_dir(const char *dir, size_t *n, cs_error *err);
void load_free_list(char **list, size_t n);

/* The hex sha256 of d's raw bytes, computed on first use (clean needs none). */
const char *load_sha256(doc *d);

/* 1 if s[0..n) is valid UTF-8. */
int load_valid_utf8(const char *s, size_t n);

#endif
