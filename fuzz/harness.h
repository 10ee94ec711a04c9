/* harness: what the libFuzzer harnesses share: the shipped rules, loaded
 * once, a document run through the whole pipeline, and a scratch
 * directory. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>

#include "doc.h"
#include "rules.h"
#include "store.h"

/* The shipped rules/ (or $CLAIMSCAN_RULES), loaded on the first call;
 * aborts when they cannot be loaded, as no input could then be tested. */
const rules_set *harness_rules(void);

/* Runs d through extract and writes its records to /dev/null; frees d. */
void harness_extract(doc *d);

/* A new empty in-memory database, copied from one made (and migrated)
 * once per process; aborts when it cannot be made. */
store *harness_store_open(void);

/* Loads bytes[0..n) as the document id (its extension gives the type),
 * extracts it with the site filter of s and stores it there; what cannot
 * be read or stored is skipped. */
void harness_store(store *s, const char *id, const void *bytes, size_t n);

/* A directory of this process's own under $TMPDIR (made on the first call,
 * removed at exit): path of name in it, in out (cap bytes). */
const char *harness_path(const char *name, char *out, size_t cap);

/* Writes bytes[0..n) to path; aborts when it cannot. */
void harness_write(const char *path, const void *bytes, size_t n);

/* Removes path and, when it is a directory, everything under it (links
 * are removed, not followed). */
void harness_remove(const char *path);

#endif
