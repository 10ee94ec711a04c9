/* Test helpers: the shipped rules, documents from strings, shared data. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include "extract.h"
#include "load.h"
#include "rules.h"

/* The shipped rules/ (tests run from the repository root); loaded once. */
const rules_set *th_rules(void);
/* Runs the whole pipeline on bytes; the caller frees with th_free. */
extract_result *th_extract(const char *id, const char *bytes);
void th_free(extract_result *r);
/* Path of ../shared (CLAIMSCAN_SHARED) or NULL when absent. */
const char *th_shared(void);
/* The claimscan binary under test (CLAIMSCAN_BIN or ./claimscan). */
const char *th_bin(void);
/* Runs a shell command with standard input from /dev/null, returns its
 * stdout (malloc'd) and exit status. */
char *th_run(const char *cmd, int *status);
/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *th_read(const char *path, size_t *len);
/* Removes a database file with its -wal and -shm companions. */
void th_unlink_db(const char *path);
/* The first figure / date / person mention of r, or NULL. */
const mention *th_first(const extract_result *r, mention_kind k);

#endif
