/* Store: schema, idempotent ingest, replacement, transactions, bad files. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "store.h"

static char path[64];

static void fresh(void)
{
    snprintf(path, sizeof path, "/tmp/cs-store-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    unlink(path);
}

static void drop(void)
{
    th_unlink_db(path);
}

static long long count(store *s, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *article =
    "Council misses homelessness target\n\n"
    "The number of cases where homelessness is prevented or relieved totalled 9,102, missing the target by 1,898.\n\n"
    "Deputy council leader Ian Ward said the figures were disappointing.\n";

Test(store, ingest_is_idempotent_and_replaces_on_new_rules)
{
    fresh();
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s, "%s", err.msg);
    cr_assert_eq(count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    extract_result *r = th_extract("a.txt", article);
    cr_assert(r);
    cr_assert_eq(store_is_current(s, r->d->sha256, "v1"), 0);
    cr_assert_eq(store_put(s, r, "v1", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(store_is_current(s, r->d->sha256, "v1"), 1);
    cr_assert_eq(store_is_current(s, r->d->sha256, "v2"), 2);
    long long figs = count(s, "SELECT count(*) FROM figures");
    cr_assert_geq(figs, 2);
    cr_assert_eq(count(s, "SELECT count(*) FROM claims WHERE target_derived = 1 AND target_value = 11000"), 1);
    /* Replacing the same document keeps one copy of every row. */
    cr_assert_eq(store_put(s, r, "v2", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 1);
    cr_assert_eq(count(s, "SELECT count(*) FROM figures"), figs);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'homelessness'"), 1);
    cr_assert_eq(count(s, "SELECT count(*) FROM claims_view WHERE sentence LIKE '%9,102%'"), 1);
    cr_assert_eq(count(s, "SELECT count(*) FROM people_view WHERE name = 'Ian Ward'"), 1);
    cr_assert_eq(count(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    th_free(r);
    store_close(s);
    drop();
}

Test(store, a_memory_copy_holds_the_documents_and_its_writes_stay_in_it)
{
    fresh();
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s, "%s", err.msg);
    extract_result *r = th_extract("a.txt", article);
    cr_assert_eq(store_put(s, r, "v1", &err), CS_OK, "%s", err.msg);
    store *c = store_open_memory_copy(s, &err);
    cr_assert(c, "%s", err.msg);
    cr_assert_eq(count(c, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    cr_assert_eq(count(c, "PRAGMA foreign_keys"), 1);
    cr_assert_eq(count(c, "SELECT count(*) FROM figures"), count(s, "SELECT count(*) FROM figures"));
    cr_assert_eq(store_is_current(c, r->d->sha256, "v1"), 1);
    /* A replacement in the copy cascades there and leaves the file as it was. */
    cr_assert_eq(store_put(c, r, "v2", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(store_is_current(c, r->d->sha256, "v2"), 1);
    cr_assert_eq(store_is_current(s, r->d->sha256, "v1"), 1);
    cr_assert_eq(count(c, "SELECT count(*) FROM documents"), 1);
    th_free(r);
    store_close(c);
    store_close(s);
    drop();
}

Test(store, a_corrupt_file_is_a_clear_error)
{
    fresh();
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    fputs("this is not a database, just text that is long enough to have a header........", f);
    fclose(f);
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert_null(s);
    cr_assert(strstr(err.msg, "not a database"), "message: %s", err.msg);
    drop();
}

Test(store, a_failed_document_leaves_nothing_half_written)
{
    fresh();
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s);
    /* A trigger that fails on the claims insert makes the whole document fail. */
    cr_assert_eq(sqlite3_exec(store_db(s),
                              "CREATE TRIGGER fail_claims BEFORE INSERT ON claims BEGIN SELECT RAISE(ABORT, 'disk full'); END",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    extract_result *r = th_extract("a.txt", article);
    cr_assert_neq(store_put(s, r, "v1", &err), CS_OK);
    cr_assert(strstr(err.msg, "disk full"), "message: %s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM figures"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM sentences"), 0);
    th_free(r);
    store_close(s);
    drop();
}

/* A batch: readers see its documents only once it commits; a document that
 * fails inside it leaves part of itself there, which a rollback drops with
 * the rest of the batch. */
Test(store, a_batch_commits_its_documents_together)
{
    fresh();
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s, "%s", err.msg);
    cr_assert_eq(sqlite3_exec(store_db(s),
                              "CREATE TRIGGER fail_one BEFORE INSERT ON claims WHEN new.text LIKE '%9,102%'"
                              " BEGIN SELECT RAISE(ABORT, 'disk full'); END",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    extract_result *a = th_extract("a.txt", "Waiting times fell from 14 weeks to 9 weeks in 2024.\n");
    extract_result *bad = th_extract("b.txt", article);
    extract_result *c = th_extract("c.txt", "The council met 12 of its 20 targets in 2024.\n");
    store *reader = store_open_reader(s);
    cr_assert(reader);
    cr_assert_eq(store_begin(s, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(store_put(s, a, "v1", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(store_put(s, c, "v1", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 2);
    cr_assert_eq(count(reader, "SELECT count(*) FROM documents"), 0, "a reader saw an uncommitted batch");
    cr_assert_eq(store_commit(s, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(reader, "SELECT count(*) FROM documents"), 2);
    cr_assert_eq(store_begin(s, &err), CS_OK, "%s", err.msg);
    cr_assert_neq(store_put(s, bad, "v1", &err), CS_OK);
    cr_assert(strstr(err.msg, "disk full"), "message: %s", err.msg);
    cr_assert(store_in_batch(s));
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 3, "the failed document's own row stays in the batch");
    store_rollback(s);
    cr_assert_not(store_in_batch(s));
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 2);
    cr_assert_eq(store_is_current(s, bad->d->sha256, "v1"), 0);
    cr_assert_eq(count(s, "SELECT count(*) FROM sentences WHERE text LIKE '%9,102%'"), 0);
    th_free(a), th_free(bad), th_free(c);
    store_close(reader);
    store_close(s);
    drop();
}

/* A failure SQLite answers by rolling back the whole transaction ends the
 * batch: the batch says so, and its commit fails. */
Test(store, a_failure_that_rolls_back_ends_the_batch)
{
    fresh();
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s, "%s", err.msg);
    cr_assert_eq(sqlite3_exec(store_db(s),
                              "CREATE TRIGGER fail_all BEFORE INSERT ON documents WHEN new.path = 'b.txt'"
                              " BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    extract_result *a = th_extract("a.txt", "Waiting times fell from 14 weeks to 9 weeks in 2024.\n");
    extract_result *bad = th_extract("b.txt", article);
    cr_assert_eq(store_begin(s, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(store_put(s, a, "v1", &err), CS_OK, "%s", err.msg);
    cr_assert_neq(store_put(s, bad, "v1", &err), CS_OK);
    cr_assert_not(store_in_batch(s));
    cr_assert_neq(store_commit(s, &err), CS_OK);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 0);
    /* Outside a batch each document commits alone again. */
    cr_assert_eq(store_put(s, a, "v1", &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(s, "SELECT count(*) FROM documents"), 1);
    th_free(a), th_free(bad);
    store_close(s);
    drop();
}
