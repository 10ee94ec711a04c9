/* store: the SQLite database: schema and migrations (PRAGMA user_version),
 * one transaction per document, queries for the CLI. */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>
#include <stdio.h>

#include "extract.h"

#define STORE_SCHEMA_VERSION 14

typedef struct store store;

typedef struct {
    long long documents, sentences, figures, dates, persons, claims;
} store_counts;

/* How the table formats mark what they stress, each as an opening and a
 * closing string ("" for none). The caller picks them: the CLI chooses
 * colours for a terminal; the library knows nothing of terminals. */
typedef struct {
    const char *strong[2]; /* a claim's indicator */
    const char *met[2];    /* a target met */
    const char *missed[2]; /* a target missed */
    const char *match[2];  /* a search match in a snippet */
} store_marks;

/* No stress, and search matches in brackets: what a NULL store_marks means. */
extern const store_marks store_plain_marks;

typedef struct {
    const char *indicator; /* substring filters; NULL for any */
    const char *speaker;
    const char *doc;
    const char *met;       /* "yes", "no", "unknown"; NULL for any */
    const store_marks *marks; /* the table format's; NULL for store_plain_marks */
} store_query;

/* Opens (creating if needed) the database at path and migrates it to the
 * current schema. NULL with err filled when it is locked, corrupt, newer
 * than this program or unwritable. Close with store_close. */
store *store_open(const char *path, cs_error *err);
/* The same, but the database must exist already. Both refuse a database
 * that is not claimscan's, is newer, or fails PRAGMA quick_check, before
 * writing anything into it. */
store *store_open_existing(const char *path, cs_error *err);
/* A read-only connection to an existing database, for the commands that
 * only read: it works on a file or medium the user cannot write (a WAL
 * database whose -shm and -wal cannot be created is opened as immutable).
 * An older schema is first upgraded through a writing connection when the
 * file allows it. NULL with err filled as for store_open. */
store *store_open_readonly(const char *path, cs_error *err);
/* Checks through a read-only connection, which writes nothing (not even
 * the journal mode), that path is a claimscan database of this schema, to
 * be read beside a store (ATTACH): the URI that opens it read-only
 * (mode=ro; immutable=1 on read-only media), malloc'd. NULL with err
 * filled when it is not ours or its schema is older or newer. */
char *store_readonly_uri(const char *path, cs_error *err);
/* A new in-memory database holding a copy of from's (SQLite's online
 * backup), with the settings store_open gives: a scratch database that
 * costs a page copy, not the schema's migrations. NULL with err filled
 * when it cannot be made. */
store *store_open_memory_copy(store *from, cs_error *err);
void store_close(store *s);
/* A second, read-only connection to s's database file, for questions asked
 * while another thread writes through s (WAL lets it see only committed
 * documents). NULL for an in-memory database or when it cannot open;
 * close with store_close. */
store *store_open_reader(store *s);
/* A second connection that only checkpoints (store_checkpoint), so that a
 * thread of its own can copy the WAL into the database and wait for the
 * disk while s goes on writing. NULL as for store_open_reader. */
store *store_open_checkpointer(store *s);

/* Called on s's thread after each commit, with the WAL's size in pages. */
typedef void (*store_commit_fn)(void *ctx, int wal_pages);
/* Hands s's checkpoints to fn's owner: s stops checkpointing by itself and
 * calls fn after each commit instead. fn NULL restores automatic ones. */
void store_on_commit(store *s, store_commit_fn fn, void *ctx);
/* Copies what it can of the WAL into the database without waiting for
 * readers or writers (a passive checkpoint). */
void store_checkpoint(store *s);

/* 1 if a document with these bytes was stored with this rules version,
 * 2 if it was stored with another, 0 if not stored, -1 on a database error. */
int store_is_current(store *s, const char *sha256, const char *rules_version);

/* Replaces the document's rows (keyed by sha256) by r's, in one transaction:
 * on any failure nothing of this document changes. Inside a batch it is
 * the batch's transaction, and a failure leaves part of the document in
 * the batch: roll the batch back (store_rollback). */
cs_status store_put(store *s, const extract_result *r, const char *rules_version, cs_error *err) CS_WUR;

/* A batch: one transaction for the documents stored until store_commit, so
 * that a bulk ingest writes the WAL and the full-text index once for many
 * documents. Readers see none of them before the commit. */
cs_status store_begin(store *s, cs_error *err) CS_WUR;
/* 1 while a batch (or any transaction) is open on s; 0 also after a
 * failure that made SQLite roll the batch back by itself. */
int store_in_batch(store *s);
/* Commits the batch; on failure (err says why) none of its documents is
 * stored and the batch is closed. */
cs_status store_commit(store *s, cs_error *err) CS_WUR;
/* Drops the batch and everything stored in it, if one is open. */
void store_rollback(store *s);

/* The number of rows of each kind in s; CS_ERR_DB (err naming the
 * database) when they cannot be read. */
cs_status store_count(store *s, store_counts *c, cs_error *err) CS_WUR;

/* An extract_block_filter (ctx is the store): drops the short blocks of d
 * whose normalized text the store has seen in at least two other documents
 * of the same site (a site's header, footer and promo lines). */
void store_block_filter(void *ctx, doc *d);

/* What documents not yet committed (stored in order before the one being
 * filtered) change in the counts of its site: for each of keys (sorted, from
 * store_site_keys) how many of them add it; the sha256s of the stored
 * copies of other rules they replace, whose blocks leave the counts. */
typedef struct {
    const uint64_t *keys;
    const int *add;
    size_t n;
    const char *const *replaced;
    size_t nreplaced;
} store_pending;

/* store_block_filter, counting also what p (NULL: nothing) changes in s's
 * counts. s may be a reader that sees only committed documents: between
 * store_read_begin and store_read_end, the counts and stored copies it reads
 * come from one snapshot. */
void store_block_filter_pending(store *s, doc *d, const store_pending *p);

/* A read transaction on s: what s reads until store_read_end is the
 * database as committed when it began. */
cs_status store_read_begin(store *s, cs_error *err) CS_WUR;
void store_read_end(store *s);

/* The site under which the stored copy of these bytes counts its blocks:
 * *site malloc'd, NULL when none is stored or it counts none. -1 on a
 * database error, else 0. */
int store_stored_site(store *s, const char *sha256, char **site);

/* The keys of d's short blocks that storing d counts under its site (the
 * classifier's kept blocks, whether or not the site filter drops them),
 * sorted, each once; *n gets how many. malloc'd. */
uint64_t *store_site_keys(const doc *d, size_t *n);

/* The site key of d: its site name, else its canonical URL's host. Writes
 * into out (cap bytes); returns 0 (out empty) when the site is unknown. */
int store_site_key(const doc *d, char *out, size_t cap);

/* Writes the claims matching q with their document and sentence, as
 * "table", "csv", "tsv" or "jsonl" (each quantity a value and a unit);
 * *found gets how many. */
cs_status store_list_claims(store *s, const store_query *q, const char *format, FILE *out, size_t *found,
                            cs_error *err) CS_WUR;

typedef struct {
    const char *query;  /* SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*; text that
                         * is not that syntax is read as plain words */
    size_t limit;       /* at most this many; 0 for all */
    const char *format; /* "table", "csv", "tsv" or "jsonl" */
    const store_marks *marks; /* the snippet's match marks; NULL for store_plain_marks */
} store_search_query;

/* Writes the documents whose title or text match q->query, best first,
 * with a snippet that marks the matches; *found gets how many. */
cs_status store_search(store *s, const store_search_query *q, FILE *out, size_t *found, cs_error *err) CS_WUR;

/* Runs SQLite's full integrity check, writing its findings to out, one a
 * line ("ok" when sound); *problems gets their count. CS_ERR_DB (err says
 * how many) when the database is damaged, CS_ERR_IO when out fails. */
cs_status store_verify(store *s, FILE *out, size_t *problems, cs_error *err) CS_WUR;

/* A read query over s, row by row, for the modules that read the store
 * (report, page, meta) without SQLite's types. */
typedef struct store_cursor store_cursor;

/* Prepares sql, a query that only reads; what names what it reads
 * ("claims", a static string) in messages. NULL with err filled, naming
 * the database, when it does not compile. Free with store_cursor_close. */
store_cursor *store_cursor_open(store *s, const char *sql, const char *what, cs_error *err);

/* Binds parameter i (1-based) to v (text is copied), rewinding the query
 * first so that it runs again with the new value. */
void store_cursor_bind_int(store_cursor *c, int i, long long v);
void store_cursor_bind_text(store_cursor *c, int i, const char *v);

/* Steps to the next row: 1 with a row; 0 past the last one (the query is
 * rewound and can run again) or on a read error (a lock, a damaged page),
 * which c keeps, stops at, and store_cursor_close reports. */
int store_cursor_next(store_cursor *c);

/* Column i of the current row: text (NULL for NULL; valid until the next
 * step), an integer or a real (0 for NULL), or 1 when it is NULL. */
const char *store_cursor_text(store_cursor *c, int i);
long long store_cursor_int(store_cursor *c, int i);
double store_cursor_real(store_cursor *c, int i);
int store_cursor_null(store_cursor *c, int i);

/* Frees c (may be NULL) and returns the first failure: st when it is one,
 * else CS_ERR_DB with err naming the database and what was read when a
 * step of c failed, else CS_OK. Chains at one cleanup label:
 * st = store_cursor_close(a, st, err); st = store_cursor_close(b, st, err). */
cs_status store_cursor_close(store_cursor *c, cs_status st, cs_error *err) CS_WUR;

/* The underlying handle, for tests and tools. */
struct sqlite3 *store_db(store *s);

#endif
