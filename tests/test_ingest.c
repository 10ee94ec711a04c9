/* Ingest pipeline: extraction threads and the writer leave the database
 * exactly as a one-document-at-a-time ingest does, and report outcomes in
 * order. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "ingest.h"

typedef struct {
    char *path, *bytes;
    size_t len;
} source;

/* Two sites' pages: each corpus document's clean text as the body, under
 * the site's own short chrome lines (which the site filter should learn and
 * drop from the third page on). grouped: all of one site, then the other's;
 * else alternating, so the queue holds both sites at once. */
static source *site_pages(int grouped, size_t *n)
{
    static const char *const site[2] = {"The Test Gazette", "Riverside Weekly"};
    static const char *const chrome[2][2] = {
        {"Local news you can trust, since 1889.", "Send your stories to the Gazette newsdesk."},
        {"Riverside Weekly is published every Thursday.", "Letters to the editor are welcome."}};
    size_t nf = 0;
    cs_error err;
    char **files = load_list_dir("corpus", &nf, &err);
    cr_assert(files, "%s", err.msg);
    cr_assert_geq(nf, 10);
    source *v = cs_xcalloc(nf * 2, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < nf; i++) {
        doc *d = load_file(files[i], 0, &err);
        cr_assert(d, "%s", err.msg);
        cr_assert_eq(extract_clean(d, th_rules(), &err), CS_OK, "%s", err.msg);
        for (int k = 0; k < 2; k++) {
            buf b;
            buf_init(&b, 0);
            buf_puts(&b, "<html><head><meta property=\"og:site_name\" content=\"");
            buf_puts(&b, site[k]);
            buf_puts(&b, "\"></head><body><article><p>");
            buf_puts(&b, chrome[k][0]);
            buf_puts(&b, "</p>\n<p>");
            for (size_t c = 0; c < d->text_len; c++) {
                char ch = d->text[c];
                if (ch == '<' || ch == '&')
                    buf_puts(&b, ch == '<' ? "&lt;" : "&amp;");
                else if (ch == '\n')
                    buf_puts(&b, "</p>\n<p>");
                else
                    buf_put(&b, &ch, 1);
            }
            buf_puts(&b, "</p>\n<p>");
            buf_puts(&b, chrome[k][1]);
            buf_puts(&b, "</p></article></body></html>\n");
            size_t at = grouped ? (size_t)k * nf + i : i * 2 + (size_t)k;
            v[at].path = cs_xstrdup(files[i]);
            v[at].len = b.len;
            v[at].bytes = buf_detach(&b);
            (*n)++;
        }
        doc_free(d);
    }
    load_free_list(files, nf);
    return v;
}

static void free_sources(source *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].bytes);
    }
    free(v);
}

typedef struct {
    char order[4096]; /* the reported paths' first letters and outcomes */
} log_ctx;

static void log_report(void *ctx, const char *path, ingest_outcome o, const char *msg)
{
    log_ctx *l = ctx;
    (void)msg;
    size_t k = strlen(l->order);
    if (k + 3 < sizeof l->order)
        snprintf(l->order + k, sizeof l->order - k, "%c%d ", path[strlen(path) - 1], (int)o);
}

static ingest_totals run(const char *db, const source *v, size_t n, int serial, size_t jobs, log_ctx *l)
{
    cs_error err;
    store *s = store_open(db, &err);
    cr_assert(s, "%s: %s", db, err.msg);
    ingest_opts o = {NULL, l ? log_report : NULL, l, serial, jobs};
    ingest *g = ingest_start(s, th_rules(), &o);
    for (size_t i = 0; i < n; i++) {
        doc *d = load_bytes(v[i].path, v[i].bytes, v[i].len, &err);
        cr_assert(d, "%s", err.msg);
        ingest_add(g, d, NULL);
    }
    ingest_totals t;
    ingest_finish(g, &t);
    store_close(s);
    return t;
}

/* The rows that a document's ingest decides, as one text. */
static char *dump(const char *db)
{
    static const char *const sql[] = {
        "SELECT sha256, text, blocks_kept, blocks_dropped, block_site, block_hashes FROM documents ORDER BY id",
        "SELECT site, hash, documents FROM site_blocks ORDER BY id",
        "SELECT document_id, start, end, indicator, actual_value, target_value, met FROM claims ORDER BY id",
        "SELECT document_id, start, end, value, unit FROM figures ORDER BY id",
        "SELECT document_id, type, date_start, actor FROM events ORDER BY id",
        /* The full-text index to the byte: commits group the same documents
         * whatever the threads' timing. */
        "SELECT id, hex(block) FROM documents_fts_data ORDER BY id",
    };
    sqlite3 *h;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    buf b;
    buf_init(&b, 0);
    for (size_t q = 0; q < sizeof sql / sizeof *sql; q++) {
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(h, sql[q], -1, &st, NULL), SQLITE_OK, "%s", sql[q]);
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                buf_puts(&b, t ? (const char *)t : "NULL");
                buf_puts(&b, c + 1 < sqlite3_column_count(st) ? "|" : "\n");
            }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return buf_detach(&b);
}

static long long scalar(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* A serial ingest against pipelined ones with 1, 2 and 4 extraction
 * threads (more threads than this machine's cores still must wait right). */
static void compare_orders(int grouped)
{
    size_t n;
    source *v = site_pages(grouped, &n);
    char a[64], b[64];
    snprintf(a, sizeof a, "/tmp/cs-ingest-serial-%d.db", (int)getpid());
    snprintf(b, sizeof b, "/tmp/cs-ingest-pipe-%d.db", (int)getpid());
    th_unlink_db(a);
    ingest_totals ts = run(a, v, n, 1, 1, NULL);
    cr_assert_eq(ts.stored, n);
    char *da = dump(a);
    cr_assert_gt(strlen(da), 1000);
    static const size_t jobs[] = {1, 2, 4};
    for (size_t k = 0; k < sizeof jobs / sizeof *jobs; k++) {
        th_unlink_db(b);
        ingest_totals tp = run(b, v, n, 0, jobs[k], NULL);
        cr_assert_eq(tp.stored, n);
        cr_assert_eq(tp.failed, 0);
        /* The site filter had work to do: the first pages of a site keep
         * its chrome, the later ones lose it. */
        long long kept = scalar(b, "SELECT count(*) FROM documents WHERE text LIKE '%since 1889%'");
        cr_assert(kept >= 2 && kept < (long long)n / 2, "%lld pages kept the chrome", kept);
        char *db = dump(b);
        cr_assert(!strcmp(da, db), "an ingest with %zu threads stored other rows than a serial one (%s vs %s)", jobs[k],
                  a, b);
        free(db);
    }
    free(da);
    th_unlink_db(a);
    th_unlink_db(b);
    free_sources(v, n);
}

Test(ingest, pipelined_equals_serial_interleaved)
{
    compare_orders(0);
}

Test(ingest, pipelined_equals_serial_grouped_by_site)
{
    compare_orders(1);
}

/* Every page twice in a row, the second time under another path: a copy
 * changes no site counts (it is stored already when its turn comes), so
 * the rows are those of the pages ingested once, pipelined as serial,
 * though a page and its copy are still on their way to the writer when
 * the next page is filtered. */
Test(ingest, copies_in_flight_count_once)
{
    size_t n;
    source *v = site_pages(1, &n);
    source *twice = cs_xcalloc(2 * n, sizeof *twice);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            source *t = &twice[2 * i + (size_t)k];
            t->path = cs_xmalloc(strlen(v[i].path) + 3);
            sprintf(t->path, "%s%s", v[i].path, k ? ".2" : "");
            t->bytes = cs_xmalloc(v[i].len);
            memcpy(t->bytes, v[i].bytes, v[i].len);
            t->len = v[i].len;
        }
    char a[64], b[64], c[64];
    snprintf(a, sizeof a, "/tmp/cs-ingest-copy-s-%d.db", (int)getpid());
    snprintf(b, sizeof b, "/tmp/cs-ingest-copy-p-%d.db", (int)getpid());
    snprintf(c, sizeof c, "/tmp/cs-ingest-copy-1-%d.db", (int)getpid());
    th_unlink_db(a);
    th_unlink_db(b);
    th_unlink_db(c);
    ingest_totals ts = run(a, twice, 2 * n, 1, 1, NULL), tp = run(b, twice, 2 * n, 0, 2, NULL);
    run(c, v, n, 1, 1, NULL);
    cr_assert_eq(ts.stored, n);
    cr_assert_eq(ts.unchanged, n);
    cr_assert_eq(tp.unchanged, n);
    /* The rows of the pages ingested once, serial. */
    char *da = dump(a), *db = dump(b), *dc = dump(c);
    cr_assert(!strcmp(dc, da), "a serial ingest of copies stored other rows than one of the pages (%s vs %s)", c, a);
    cr_assert(!strcmp(dc, db), "a pipelined ingest of copies stored other rows than one of the pages (%s vs %s)", c, b);
    free(da), free(db), free(dc);
    th_unlink_db(a);
    th_unlink_db(b);
    th_unlink_db(c);
    free_sources(v, n);
    free_sources(twice, 2 * n);
}

/* Without a second connection the filter reads through the writer's, once
 * the writer is idle: still the serial result. */
Test(ingest, in_memory_database_pipelined)
{
    size_t n;
    source *v = site_pages(1, &n);
    ingest_totals t = run(":memory:", v, n, 0, 2, NULL);
    cr_assert_eq(t.stored, n);
    cr_assert_eq(t.failed, 0);
    free_sources(v, n);
}

Test(ingest, outcomes_in_order_with_duplicates_and_failures)
{
    static const char *const text[] = {
        "The council met 12 of its 20 targets in 2024.\n",
        "Waiting times fell from 14 weeks to 9 weeks.\n",
        "The council met 12 of its 20 targets in 2024.\n", /* same bytes as a */
    };
    char db[64];
    snprintf(db, sizeof db, "/tmp/cs-ingest-order-%d.db", (int)getpid());
    th_unlink_db(db);
    cs_error err;
    store *s = store_open(db, &err);
    cr_assert(s, "%s", err.msg);
    log_ctx l = {""};
    ingest_opts o = {NULL, log_report, &l, 0, 2};
    ingest *g = ingest_start(s, th_rules(), &o);
    ingest_add(g, load_bytes("a", text[0], strlen(text[0]), &err), NULL);
    ingest_add_failed(g, "x", "cannot read");
    ingest_add(g, load_bytes("b", text[1], strlen(text[1]), &err), NULL);
    ingest_add(g, load_bytes("c", text[2], strlen(text[2]), &err), NULL);
    ingest_totals t;
    ingest_finish(g, &t);
    cr_assert_str_eq(l.order, "a0 x2 b0 c1 ");
    cr_assert_eq(t.stored, 2);
    cr_assert_eq(t.unchanged, 1);
    cr_assert_eq(t.failed, 1);
    /* A second run finds everything stored, through the reader connection. */
    l.order[0] = '\0';
    g = ingest_start(s, th_rules(), &o);
    ingest_add(g, load_bytes("b", text[1], strlen(text[1]), &err), NULL);
    ingest_add(g, load_bytes("a", text[0], strlen(text[0]), &err), NULL);
    ingest_finish(g, &t);
    cr_assert_str_eq(l.order, "b1 a1 ");
    cr_assert_eq(t.unchanged, 2);
    store_close(s);
    th_unlink_db(db);
}

/* Marks every stored document of db as ingested with other rules, their
 * site counts under the other site's name (a rules change that moved them). */
static void age_rules(const char *db)
{
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    static const char *const sql =
        "UPDATE documents SET rules_version = 'older rules',"
        " block_site = CASE block_site WHEN 'The Test Gazette' THEN 'Riverside Weekly' ELSE 'The Test Gazette' END;"
        "UPDATE site_blocks SET site = 'moving' WHERE site = 'The Test Gazette';"
        "UPDATE site_blocks SET site = 'The Test Gazette' WHERE site = 'Riverside Weekly';"
        "UPDATE site_blocks SET site = 'Riverside Weekly' WHERE site = 'moving';";
    cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* A re-ingest after a rules change: every document replaces a copy whose
 * blocks another site counts. The pipelined filters count what the
 * replacements still queued take from one site and add to the other,
 * without waiting for them to be stored, and leave the rows a serial
 * re-ingest leaves. */
Test(ingest, reingest_after_a_rules_change_equals_serial)
{
    size_t n;
    source *first = site_pages(1, &n), *again = site_pages(0, &n);
    char a[64], b[64];
    snprintf(a, sizeof a, "/tmp/cs-ingest-again-s-%d.db", (int)getpid());
    snprintf(b, sizeof b, "/tmp/cs-ingest-again-p-%d.db", (int)getpid());
    th_unlink_db(a);
    th_unlink_db(b);
    run(a, first, n, 1, 1, NULL);
    run(b, first, n, 1, 1, NULL);
    age_rules(a);
    age_rules(b);
    ingest_totals ts = run(a, again, n, 1, 1, NULL), tp = run(b, again, n, 0, 2, NULL);
    cr_assert_eq(ts.stored, n);
    cr_assert_eq(tp.stored, n);
    char *da = dump(a), *db = dump(b);
    cr_assert(!strcmp(da, db), "a pipelined re-ingest stored other rows than a serial one (%s vs %s)", a, b);
    free(da), free(db);
    th_unlink_db(a);
    th_unlink_db(b);
    free_sources(first, n);
    free_sources(again, n);
}

/* A document that fails inside the writer's batch, half written (a failed
 * insert) or rolling back the whole transaction: the batch is rolled back
 * and stored again document by document, so only that document fails;
 * serial or pipelined. */
Test(ingest, a_failure_inside_a_batch_fails_that_document_alone)
{
    static const char *const text[] = {
        "The council met 12 of its 20 targets in 2024.\n",
        "Waiting times fell from 14 weeks to 9 weeks.\n",
        "Recycling rose to 41% against a target of 50%.\n",
    };
    static const char *const trigger[] = {
        "CREATE TRIGGER fail_all BEFORE INSERT ON documents WHEN new.path = 'b'"
        " BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END",
        "CREATE TRIGGER fail_one BEFORE INSERT ON figures WHEN new.text = '9 weeks'"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    };
    for (int k = 0; k < 4; k++) {
        int serial = k & 1;
        char db[64];
        snprintf(db, sizeof db, "/tmp/cs-ingest-batch-%d.db", (int)getpid());
        th_unlink_db(db);
        cs_error err;
        store *s = store_open(db, &err);
        cr_assert(s, "%s", err.msg);
        cr_assert_eq(sqlite3_exec(store_db(s), trigger[k / 2], NULL, NULL, NULL), SQLITE_OK);
        log_ctx l = {""};
        ingest_opts o = {NULL, log_report, &l, serial, 2};
        ingest *g = ingest_start(s, th_rules(), &o);
        for (size_t i = 0; i < 3; i++) {
            const char *name = i == 0 ? "a" : i == 1 ? "b" : "c";
            ingest_add(g, load_bytes(name, text[i], strlen(text[i]), &err), NULL);
        }
        ingest_totals t;
        ingest_finish(g, &t);
        cr_assert_str_eq(l.order, "a0 b2 c0 ", "trigger %d, serial %d", k / 2, serial);
        cr_assert_eq(t.stored, 2);
        cr_assert_eq(t.failed, 1);
        store_close(s);
        cr_assert_eq(scalar(db, "SELECT count(*) FROM documents WHERE path = 'b'"), 0);
        cr_assert_eq(scalar(db, "SELECT count(*) FROM documents"), 2);
        cr_assert_eq(scalar(db, "SELECT count(*) FROM figures WHERE text = '14 weeks'"), 0);
        th_unlink_db(db);
    }
}
