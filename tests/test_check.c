/* Cross-checks: the planted inconsistencies of corpus/ are found, the
 * consistent documents raise nothing, and each in-claim check fires on a
 * case made for it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "meta.h"
#include "report.h"
#include "helpers.h"

static store *ingest(const char **paths, size_t n, char *dbpath, size_t cap)
{
    snprintf(dbpath, cap, "/tmp/cs-check-XXXXXX");
    int fd = mkstemp(dbpath);
    cr_assert(fd >= 0);
    close(fd);
    unlink(dbpath);
    cs_error err;
    store *s = store_open(dbpath, &err);
    cr_assert(s, "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        doc *d = load_file(paths[i], LOAD_DEFAULT_MAX, &err);
        cr_assert(d, "%s: %s", paths[i], err.msg);
        extract_result r;
        extract_opts xo = {NULL, NULL, store_block_filter, s};
        cr_assert_eq(extract_document(d, th_rules(), &r, &xo, &err), CS_OK);
        cr_assert_eq(store_put(s, &r, "test", &err), CS_OK, "%s", err.msg);
        extract_result_free(&r);
        doc_free(d);
    }
    return s;
}

static void drop_db(store *s, const char *dbpath)
{
    store_close(s);
    th_unlink_db(dbpath);
}

/* Writes text to a new file path (ending in ext, say ".txt"), ingests it
 * into a new database db and runs the checks into l. */
static store *check_text(const char *text, const char *ext, char *path, size_t pcap, char *db, size_t dcap,
                         check_list *l)
{
    snprintf(path, pcap, "/tmp/cs-check-doc-XXXXXX%s", ext);
    int fd = mkstemps(path, (int)strlen(ext));
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    const char *paths[] = {path};
    store *s = ingest(paths, 1, db, dcap);
    cs_error err;
    cr_assert_eq(check_run(s, th_rules(), l, &err), CS_OK, "%s", err.msg);
    return s;
}

static size_t count(const check_list *l, const char *kind, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].kind, kind) && (!needle || strstr(l->v[i].explanation, needle) ||
                                            strstr(l->v[i].evidence, needle)))
            n++;
    return n;
}

Test(check, planted_inconsistencies_are_found_and_consistent_documents_raise_nothing)
{
    size_t n = 0;
    cs_error err;
    char **files = load_list_dir("corpus", &n, &err);
    cr_assert(files);
    char db[64];
    store *s = ingest((const char **)files, n, db, sizeof db);
    check_list l = {0};
    cr_assert_eq(check_run(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    /* The headline that overstates. */
    cr_expect_geq(count(&l, "share-vs-count", "8 of 20 missed"), 1);
    /* Parts that do not add up. */
    cr_expect_eq(count(&l, "parts-vs-whole", "17 + 6 + 5 = 28, but the sentence speaks of 30"), 1);
    /* A cost estimate revised between two documents. */
    cr_expect_eq(count(&l, "amount-revised", "\xC2\xA3" "45m"), 1);
    cr_expect_eq(count(&l, "amount-revised", "\xC2\xA3" "62m"), 1);
    /* A councillor's figure that the report contradicts. */
    cr_expect_eq(count(&l, "speaker-contradicted", "Priya Shah gave 120"), 1);
    cr_expect_eq(count(&l, "speaker-contradicted", "gives 310"), 1);
    /* Consistent documents: the cabinet report's parts add up (17 + 6 + 5 =
     * 28) and its gaps match its table; nothing cites them, nor the others. */
    static const char *const clean[] = {"northmoor-cabinet-performance-report", "northmoor-press-release",
                                        "northmoor-budget-statement", "minister-speech", "northmoor-news-article",
                                        "northmoor-jsonld", "northmoor-windows-1252", NULL};
    for (size_t i = 0; i < l.n; i++)
        for (int k = 0; clean[k]; k++)
            cr_expect_null(strstr(l.v[i].evidence, clean[k]), "a finding cites the consistent %s: %s", clean[k],
                           l.v[i].explanation);
    cr_expect_eq(l.n, 5, "expected exactly the planted findings (the headline and its body sentence both overstate), got %zu", l.n);
    /* Saved and listed. */
    cr_assert_eq(check_save(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM findings_view WHERE documents IS NOT NULL", -1,
                                    &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_expect_eq(sqlite3_column_int(st, 0), (int)l.n);
    sqlite3_finalize(st);
    check_list_free(&l);
    drop_db(s, db);
    load_free_list(files, n);
}

Test(check, in_claim_arithmetic)
{
    const char *text = "Council performance report\n\n"
                       "Repairs completed on time stood at 80 per cent, exceeding the target of 90 per cent.\n\n"
                       "Bins collected on time reached 95 per cent against a target of 90 per cent, exceeding the "
                       "target by 8 per cent.\n\n"
                       "Satisfaction was recorded at 120 per cent of residents surveyed.\n\n"
                       "Attendance fell from 40 per cent to 30 per cent, a drop of 5 per cent.\n\n"
                       "Recycling rose from 40 per cent to 44 per cent, a rise of 10 per cent.\n\n"
                       "Of the seven largest towns, Eastgate is the driest, receiving on average only 640 millimetres "
                       "(25 in) of rain per year.\n\n"
                       "Of the 23 tenants evicted since the review, only five of the 14 whose incomes were "
                       "known were working.\n";
    char path[64], db[64];
    check_list l = {0};
    store *s = check_text(text, ".txt", path, sizeof path, db, sizeof db, &l);
    cr_expect_eq(count(&l, "met-contradicted", "Repairs completed on time"), 1);
    cr_expect_eq(count(&l, "gap-arithmetic", "gap of 8%"), 1);
    cr_expect_eq(count(&l, "impossible-value", "120 per cent"), 1);
    /* 40 -> 30 is 10 points or 25 per cent, never 5; 40 -> 44 is a 10 per cent rise. */
    cr_expect_eq(count(&l, "change-arithmetic", "from 40% to 30%"), 1);
    cr_expect_eq(count(&l, "change-arithmetic", "from 40% to 44%"), 0);
    /* 640 and 25 are larger than "the seven": measures, not parts of it;
     * "five of the 14" is a subset of a subset, not a part beside 12. */
    cr_expect_eq(count(&l, "parts-vs-whole", NULL), 0);
    check_list_free(&l);
    drop_db(s, db);
    unlink(path);
}

/* The report shows at most 500 findings, the most severe first, and says
 * how many the database holds. */
Test(check, report_caps_findings_most_severe_first)
{
    const char *paths[] = {"corpus/northmoor-plain-article.txt"};
    char db[64];
    store *s = ingest(paths, 1, db, sizeof db);
    check_list l = {0};
    for (int i = 0; i < 520; i++) {
        check_finding *f = cs_xcalloc(1, sizeof *f);
        char ex[64];
        snprintf(ex, sizeof ex, "%s finding number %d", i == 519 ? "the high" : "a low", i);
        f->kind = cs_xstrdup("figure-differs");
        f->severity = i == 519 ? "high" : "low";
        f->explanation = cs_xstrdup(ex);
        f->why = cs_xstrdup("test");
        f->evidence = cs_xstrdup("- x");
        cs_grow(&l.v, &l.cap, l.n + 1, sizeof *l.v);
        l.v[l.n++] = *f;
        free(f);
    }
    report_timeline t = {0};
    char out[80];
    snprintf(out, sizeof out, "%s.html", db);
    cs_error err;
    cr_assert_eq(report_html(s, &l, &t, out, &err), CS_OK, "%s", err.msg);
    size_t len;
    char *html = th_read(out, &len);
    cr_assert(html);
    cr_expect(strstr(html, "500 of 520 findings shown, the most severe first"), "no cap note");
    const char *high = strstr(html, "the high finding number 519"), *low = strstr(html, "a low finding number 0");
    cr_expect(high && low && high < low, "the high finding comes first");
    cr_expect(!strstr(html, "a low finding number 499<"), "the 500th low finding is past the cap");
    free(html);
    unlink(out);
    check_list_free(&l);
    drop_db(s, db);
}

/* A scorecard row rated green whose own figures miss the target is a
 * contradiction a reader should see. */
Test(check, a_green_status_with_figures_that_miss_is_contradicted)
{
    const char *page = "<html><body><article><p>The scorecard shows performance against the council plan for the "
                       "quarter, with the status reported to cabinet.</p><table>"
                       "<tr><th>Measure</th><th>Actual</th><th>Target</th><th>RAG</th></tr>"
                       "<tr><td>Repairs completed on time</td><td>87%</td><td>90%</td><td>Green</td></tr>"
                       "<tr><td>Household waste recycled</td><td>44%</td><td>40%</td><td>Green</td></tr>"
                       "</table></article></body></html>";
    char path[64], db[64];
    check_list l = {0};
    store *s = check_text(page, ".html", path, sizeof path, db, sizeof db, &l);
    cr_expect_eq(count(&l, "met-contradicted", "Repairs completed on time"), 1);
    cr_expect_eq(count(&l, "met-contradicted", "Household waste"), 0);
    check_list_free(&l);
    drop_db(s, db);
    unlink(path);
}

/* Writes the three documents of a conflict: the same indicator for the same
 * place and month, three values. */
static store *three_way_conflict(char paths[3][64], char *db, size_t dcap)
{
    static const char *const value[] = {"120", "164", "310"};
    const char *p[3];
    for (int k = 0; k < 3; k++) {
        snprintf(paths[k], 64, "/tmp/cs-check-3way-XXXXXX.txt");
        int fd = mkstemps(paths[k], 4);
        cr_assert(fd >= 0);
        char text[512];
        int n = snprintf(text, sizeof text,
                         "Northmoor children's services update\n\nNorthmoor City Council figures show the number of "
                         "children waiting for an assessment was %s in December 2023.\n",
                         value[k]);
        cr_assert_eq(write(fd, text, (size_t)n), n);
        close(fd);
        p[k] = paths[k];
    }
    return ingest(p, 3, db, dcap);
}

/* A conflict among three documents is one finding that lists them all, not
 * one finding per pair. */
Test(check, a_conflict_among_many_documents_is_one_finding)
{
    char paths[3][64], db[64];
    store *s = three_way_conflict(paths, db, sizeof db);
    check_list l = {0};
    cs_error err;
    cr_assert_eq(check_run(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(&l, "figure-differs", NULL), 1, "findings: %zu", l.n);
    const check_finding *f = &l.v[0];
    cr_expect(strstr(f->explanation, "stated 3 ways"), "%s", f->explanation);
    for (int k = 0; k < 3; k++)
        cr_expect(strstr(f->evidence, paths[k]), "%s is not cited: %s", paths[k], f->evidence);
    cr_expect_eq(f->nclaims, 3);
    check_list_free(&l);
    drop_db(s, db);
    for (int k = 0; k < 3; k++)
        unlink(paths[k]);
}

/* Stores a document of text under the name id. */
static void put_text(store *s, const char *id, const char *text)
{
    cs_error err;
    doc *d = load_bytes(id, text, strlen(text), &err);
    cr_assert(d, "%s", err.msg);
    extract_result r;
    extract_opts xo = {NULL, NULL, store_block_filter, s};
    cr_assert_eq(extract_document(d, th_rules(), &r, &xo, &err), CS_OK);
    cr_assert_eq(store_put(s, &r, "test", &err), CS_OK, "%s", err.msg);
    extract_result_free(&r);
    doc_free(d);
}

/* A word in the names of many places ("Heath" of every "... Heath") is no
 * subject: 210 places, one update each, and a second update with another
 * figure for three of them give three conflicts, each within one place,
 * not one conflict joining every place through "Heath". */
Test(check, a_word_shared_by_many_places_joins_none_of_them, .timeout = 120)
{
    static const char *const head[] = {"Alder", "Birch", "Cedar", "Damson", "Elder", "Furze", "Gorse",
                                       "Hazel", "Ivy", "Juniper", "Larch", "Maple", "Nettle", "Osier"};
    static const char *const tail[] = {"wick", "stow", "combe", "ley", "thorpe", "worth", "minster", "hurst",
                                       "bridge", "field", "garth", "holme", "sett", "by", "cote"};
    char db[64];
    store *s = ingest(NULL, 0, db, sizeof db);
    for (size_t k = 0; k < 14 * 15 + 3; k++) {
        char place[32], id[48], text[512];
        size_t p = k % (14 * 15);
        snprintf(place, sizeof place, "%s%s", head[p / 15], tail[p % 15]);
        snprintf(id, sizeof id, "%s-%zu.txt", place, k);
        snprintf(text, sizeof text,
                 "%s Heath children's services update\n\n%s Heath figures show the number of children "
                 "waiting for an assessment was %zu in December 2023.\n",
                 place, place, 100 + 3 * k);
        put_text(s, id, text);
    }
    check_list l = {0};
    cs_error err;
    cr_assert_eq(check_run(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    cr_expect_eq(count(&l, "figure-differs", NULL), 3, "findings: %zu", l.n);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "figure-differs"))
            cr_expect_eq(l.v[i].nclaims, 2, "%s", l.v[i].explanation);
    cr_expect_eq(count(&l, "figure-differs", "Alderwick-0.txt"), 1);
    check_list_free(&l);
    drop_db(s, db);
}

/* Stored findings are reused while the documents and rules are those they
 * were computed from, and computed anew once a document is added. */
Test(check, stored_findings_are_reused_until_the_documents_change)
{
    char paths[3][64], db[64];
    store *s = three_way_conflict(paths, db, sizeof db);
    check_list a = {0}, b = {0}, c = {0};
    cs_error err;
    int reused = -1;
    cr_assert_eq(check_current(s, th_rules(), &a, &reused, &err), CS_OK, "%s", err.msg);
    cr_expect_eq(reused, 0, "nothing was stored yet");
    /* Marked so that a reuse shows: check would never write this. */
    cr_assert_eq(sqlite3_exec(store_db(s), "UPDATE findings SET why = 'stored'", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(check_current(s, th_rules(), &b, &reused, &err), CS_OK, "%s", err.msg);
    cr_expect_eq(reused, 1);
    cr_assert_eq(b.n, a.n);
    cr_expect_str_eq(b.v[0].why, "stored");
    cr_expect_str_eq(b.v[0].explanation, a.v[0].explanation);
    cr_expect_eq(b.v[0].nclaims, a.v[0].nclaims);
    cr_expect_eq(b.v[0].claims[2], a.v[0].claims[2]);
    /* A new document: computed anew. */
    static const char extra[] = "The council met 12 of its 20 targets in 2024.\n";
    put_text(s, "extra.txt", extra);
    cr_assert_eq(check_current(s, th_rules(), &c, &reused, &err), CS_OK, "%s", err.msg);
    cr_expect_eq(reused, 0);
    cr_expect_str_neq(c.v[0].why, "stored");
    check_list_free(&a), check_list_free(&b), check_list_free(&c);
    drop_db(s, db);
    for (int k = 0; k < 3; k++)
        unlink(paths[k]);
}

/* The number of entries in dir, . and .. aside. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d, "%s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Fails the statement being stepped once `left` more progress calls have
 * come (SQLITE_INTERRUPT, as a lock or a damaged page would fail it);
 * with left negative it only counts them. */
static int fail_after(void *ctx)
{
    long *left = ctx;
    if (*left < 0) {
        (*left)--;
        return 0;
    }
    return (*left)-- == 0;
}

/* A read that fails halfway through any of the report's or the metadata's
 * queries is an error naming the database, and nothing is written: never a
 * report or a metadata.json cut short, nor the temporary file the report
 * was being written to. */
Test(check, a_read_error_while_writing_the_report_or_the_metadata_is_an_error, .timeout = 300)
{
    const char *paths[] = {"corpus/northmoor-news-article.html", "corpus/northmoor-cabinet-performance-report.html",
                           "corpus/northmoor-councillor-assessments-claim.html",
                           "corpus/northmoor-cabinet-minutes-2025-02-12.pdf"};
    char db[64];
    store *s = ingest(paths, 4, db, sizeof db);
    cs_error err;
    check_list l = {0};
    report_timeline t = {0};
    cr_assert_eq(check_run(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(report_timeline_build(s, &t, &err), CS_OK, "%s", err.msg);
    char dir[80], out[112], meta_db[112];
    snprintf(dir, sizeof dir, "%s.d", db);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(out, sizeof out, "%s/report.html", dir);
    snprintf(meta_db, sizeof meta_db, "%s/claims.db", dir); /* its metadata.json goes beside it */
    for (int what = 0; what < 2; what++) {
        long calls = -1; /* a whole run, counted */
        sqlite3_progress_handler(store_db(s), 1, fail_after, &calls);
        cr_assert_eq(what ? meta_write(s, meta_db, &err) : report_html(s, &l, &t, out, &err), CS_OK, "%s", err.msg);
        long total = -calls - 1;
        cr_assert_gt(total, 100);
        for (int k = 1; k <= 40; k++) {
            char path[128];
            snprintf(path, sizeof path, "%s/%s", dir, what ? "metadata.json" : "report.html");
            unlink(path);
            long left = total * k / 41;
            sqlite3_progress_handler(store_db(s), 1, fail_after, &left);
            cs_status st = what ? meta_write(s, meta_db, &err) : report_html(s, &l, &t, out, &err);
            cr_expect_eq(st, CS_ERR_DB, "%s: a read failed after %ld of %ld steps, yet it returned %d", path,
                         total * k / 41, total, st);
            if (st == CS_ERR_DB)
                cr_expect(strstr(err.msg, db), "the message names the database: %s", err.msg);
            cr_expect_neq(access(path, F_OK), 0, "%s written though a read failed after %ld of %ld steps", path,
                          total * k / 41, total);
            cr_expect_eq(entries(dir), 0, "%s holds a file after a read failed after %ld of %ld steps", dir,
                         total * k / 41, total);
        }
        sqlite3_progress_handler(store_db(s), 0, NULL, NULL);
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    report_timeline_free(&t);
    check_list_free(&l);
    drop_db(s, db);
}

static int fail_always(void *ctx)
{
    (void)ctx;
    return 1;
}

/* At the step across documents, makes every read of the database fail
 * (SQLITE_INTERRUPT, as a lock or a damaged page would). */
static void fail_reads_across_documents(void *ctx, const char *what, int k, int total)
{
    (void)what, (void)total;
    if (k == 5)
        sqlite3_progress_handler(store_db(ctx), 1, fail_always, NULL);
}

/* A claim's sentence that cannot be read again to quote it in a finding is
 * an error naming the database, never a finding with an empty quotation. */
Test(check, a_quotation_that_cannot_be_read_is_an_error)
{
    char paths[3][64], db[64];
    store *s = three_way_conflict(paths, db, sizeof db);
    check_list l = {0};
    cs_error err;
    cs_status st = check_run_progress(s, th_rules(), &l, fail_reads_across_documents, s, &err);
    sqlite3_progress_handler(store_db(s), 0, NULL, NULL);
    cr_assert_eq(st, CS_ERR_DB, "the conflict was quoted though its sentences could not be read");
    cr_expect(strstr(err.msg, db) && strstr(err.msg, "sentence"), "%s", err.msg);
    check_list_free(&l);
    l = (check_list){0};
    cr_assert_eq(check_run(s, th_rules(), &l, &err), CS_OK, "%s", err.msg);
    cr_assert_eq(count(&l, "figure-differs", "children waiting"), 1, "findings: %zu", l.n);
    check_list_free(&l);
    drop_db(s, db);
    for (int k = 0; k < 3; k++)
        unlink(paths[k]);
}

/* Writes text to a new temporary .txt file, its name into path. */
static void write_doc(const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/cs-check-doc-XXXXXX.txt");
    int fd = mkstemps(path, 4);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static const report_event *event_of(const report_timeline *t, const char *type, const char *start)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].type, type) && !strcmp(t->v[i].start, start))
            return &t->v[i];
    return NULL;
}

/* Sources of one event whose dates nest ("2010", "February 2010") agree,
 * and the finer date dates it; a date outside the finer one ("March 2010")
 * disagrees. Deadlines of different documents for different targets are
 * two events, however close their dates. */
Test(check, the_timeline_nests_dates_and_keeps_deadlines_of_different_targets_apart)
{
    const char *texts[] = {
        "Northmoor inspection\n\nPublished: 3 March 2012\n\nOfsted inspected Northmoor's children's services in 2010 "
        "and rated them inadequate.\n",
        "Northmoor review\n\nPublished: 5 June 2012\n\nOfsted inspected Northmoor's children's services in February "
        "2010 and rated them inadequate.\n",
        "Northmoor letter\n\nPublished: 9 July 2012\n\nOfsted inspected Northmoor's children's services in March "
        "2010.\n",
        "Northmoor repairs plan\n\nPublished: 3 March 2025\n\nThe council must cut the repairs backlog to 400 homes "
        "by 2026, the housing board said.\n",
        "Northmoor foster care\n\nPublished: 5 March 2025\n\nThe council must recruit 120 foster carers by February "
        "2026, the cabinet agreed.\n"};
    char paths[5][64], db[64];
    const char *p[5];
    for (int i = 0; i < 5; i++)
        write_doc(texts[i], paths[i], sizeof paths[i]), p[i] = paths[i];
    cs_error err;
    report_timeline t = {0};
    for (int run = 0; run < 2; run++) {
        /* first the two that agree, then with the third that does not */
        store *s = ingest(p, run ? 3 : 2, db, sizeof db);
        cr_assert_eq(report_timeline_build(s, &t, &err), CS_OK, "%s", err.msg);
        const report_event *e = event_of(&t, "inspection", "2010-02-01");
        cr_assert(e, "no inspection dated February 2010");
        cr_expect_str_eq(e->granularity, "month");
        cr_expect_eq(e->nsrc, (size_t)(run ? 3 : 2));
        cr_expect_eq(e->dates_disagree, run, "run %d: dates_disagree %d", run, e->dates_disagree);
        report_timeline_free(&t);
        drop_db(s, db);
    }
    store *s = ingest(p + 3, 2, db, sizeof db);
    cr_assert_eq(report_timeline_build(s, &t, &err), CS_OK, "%s", err.msg);
    const report_event *a = event_of(&t, "deadline", "2026-01-01"), *b = event_of(&t, "deadline", "2026-02-01");
    cr_expect(a && b, "the two deadlines are not apart");
    cr_expect(a && a->nsrc == 1 && !a->dates_disagree);
    report_timeline_free(&t);
    drop_db(s, db);
    for (int i = 0; i < 5; i++)
        unlink(paths[i]);
}
