/* claimscan: the command-line interface. Parses options, calls the library
 * and picks exit codes; it holds no extraction logic of its own. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "boiler.h"
#include "check.h"
#include "extract.h"
#include "ingest.h"
#include "load.h"
#include "merge.h"
#include "meta.h"
#include "pool.h"
#include "report.h"
#include "rules.h"
#include "store.h"

#define VERSION "0.1.0"
#ifndef CLAIMSCAN_DATADIR
#define CLAIMSCAN_DATADIR "/usr/local/share/claimscan"
#endif

/* Exit codes: documented in the README and the man page. */
enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *rules_dir;
    const char *format;
    const char *db;
    size_t max_size;
    int explain;
    int quiet;
    int format_set;
    const char *indicator, *speaker, *docfilter, *met;
    const char *out;
    size_t limit;
    size_t jobs; /* extraction threads of extract, clean and ingest; 0: one per processor */
} options;

static void usage(FILE *f)
{
    fputs("usage: claimscan COMMAND [OPTIONS] [FILE|DIR|-]...\n"
          "\n"
          "Commands:\n"
          "  extract [-j N] [--format jsonl|tsv] FILE...\n"
          "                                         figures, dates, persons and claims as records\n"
          "  clean [--explain] FILE...              the cleaned main text (what spans index)\n"
          "  ingest [--db PATH] [-j N] FILE|DIR...  store documents and claims in SQLite\n"
          "  merge --db PATH SHARD.db...            add shard databases, as one ingest of them all\n"
          "  claims [--db PATH] [--indicator TEXT] [--speaker NAME] [--doc PATH]\n"
          "         [--met yes|no|unknown] [--format table|csv|jsonl]\n"
          "                                         list stored claims with their sentences\n"
          "  check [--db PATH] [--format text|jsonl|csv]\n"
          "                                         cross-check stored claims; findings with evidence\n"
          "  timeline [--db PATH] [--format json|csv|timelinejs|timelinejs-csv]\n"
          "                                         the events of the database, merged across documents\n"
          "  report [--db PATH] [--out PATH]        the HTML report (default out/report.html)\n"
          "  search [--db PATH] [--limit N] [--format table|csv|jsonl] QUERY...\n"
          "                                         full-text search of the stored documents\n"
          "  rules test                             run every example in the rule files\n"
          "  rules lint                             report rule-file problems as file:line:col\n"
          "\n"
          "Options:\n"
          "  --rules DIR       rule directory (default: $CLAIMSCAN_RULES, then rules/ next to\n"
          "                    the binary, then " CLAIMSCAN_DATADIR "/rules)\n"
          "  --db PATH         database (default out/claims.db)\n"
          "  --out PATH        where report writes (default out/report.html)\n"
          "  --limit N         at most N search results (default 20; 0 for all)\n"
          "  --max-size BYTES  largest input accepted (default 64 MiB)\n"
          "  -j, --jobs N      extract, clean, ingest: N extraction threads (default: one per\n"
          "                    processor); the output and the database are those of -j 1\n"
          "  -q, --quiet       no progress or summary on stderr\n"
          "  -h, --help        this help\n"
          "  --version         the version\n"
          "\n"
          "Exit status: 0 all inputs done, 1 some input failed (the others were processed),\n"
          "2 usage error or unusable rules or database.\n",
          f);
}

static int exists_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *find_rules(const char *opt, char *tmp, size_t cap)
{
    if (opt)
        return opt;
    const char *env = getenv("CLAIMSCAN_RULES");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", tmp, cap - 1);
    if (n > 0) {
        tmp[n] = '\0';
        char *slash = strrchr(tmp, '/');
        if (slash) {
            snprintf(slash, cap - (size_t)(slash - tmp), "/rules");
            if (exists_dir(tmp))
                return tmp;
            /* build-asan/claimscan: the rules are one level up; an installed
             * PREFIX/bin/claimscan has them in PREFIX/share/claimscan/rules. */
            *slash = '\0';
            char *up = strrchr(tmp, '/');
            if (up) {
                size_t keep = (size_t)(up - tmp);
                snprintf(up, cap - keep, "/rules");
                if (exists_dir(tmp))
                    return tmp;
                snprintf(tmp + keep, cap - keep, "/share/claimscan/rules");
                if (exists_dir(tmp))
                    return tmp;
            }
        }
    }
    return CLAIMSCAN_DATADIR "/rules";
}

static rules_set *open_rules(const options *o)
{
    char tmp[PATH_MAX];
    const char *dir = find_rules(o->rules_dir, tmp, sizeof tmp);
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    if (!rs)
        fprintf(stderr, "claimscan: %s\n", err.msg);
    return rs;
}

static void warn_rule(void *ctx, const char *rule, const char *msg)
{
    if (rule)
        fprintf(stderr, "claimscan: %s: rule %s skipped: %s\n", (const char *)ctx, rule, msg);
    else
        fprintf(stderr, "claimscan: %s: %s\n", (const char *)ctx, msg);
}

static void report_line(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

/* Expands directories into their files; the caller frees with load_free_list. */
static char **expand_inputs(char **args, int n, size_t *out_n, int *failed)
{
    char **list = NULL;
    size_t cap = 0, k = 0;
    for (int i = 0; i < n; i++) {
        if (exists_dir(args[i])) {
            size_t m = 0;
            cs_error err;
            char **sub = load_list_dir(args[i], &m, &err);
            if (!sub) {
                fprintf(stderr, "claimscan: %s: %s\n", args[i], err.msg);
                *failed = 1;
                continue;
            }
            for (size_t j = 0; j < m; j++) {
                cs_grow(&list, &cap, k + 1, sizeof *list);
                list[k++] = sub[j];
            }
            free(sub);
        } else {
            cs_grow(&list, &cap, k + 1, sizeof *list);
            list[k++] = cs_xstrdup(args[i]);
        }
    }
    *out_n = k;
    return list;
}

/* Standard output failed (a full disk, a closed pipe): says why, once, and
 * gives the exit status of a failed input. */
static int output_failed(const char *why)
{
    static int said;
    if (!said)
        fprintf(stderr, "claimscan: writing output: %s\n", why && *why ? why : "write error");
    said = 1;
    return EXIT_SOME_FAILED;
}

/* The system's reason for the last failed write. */
static const char *write_error(void)
{
    return errno ? strerror(errno) : NULL;
}

/* The last word on standard output: every byte must have reached it, or
 * the run has failed however well it went. */
static int finish_output(int rc)
{
    errno = 0;
    int bad = ferror(stdout);
    if (fclose(stdout) != 0 || bad) {
        int f = output_failed(write_error());
        return rc == EXIT_ALL_OK ? f : rc;
    }
    return rc;
}

/* 1 if fmt is one of the NULL-terminated formats the command takes; else
 * says so, listing them, and returns 0. */
static int format_ok(const char *cmd, const char *fmt, const char *const *formats)
{
    for (int i = 0; formats[i]; i++)
        if (!strcmp(fmt, formats[i]))
            return 1;
    fprintf(stderr, "claimscan: %s: unknown format '%s' (", cmd, fmt);
    for (int i = 0; formats[i]; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", formats[i]);
    fputs(")\n", stderr);
    return 0;
}

static const char *const table_formats[] = {"table", "csv", "jsonl", NULL};

/* What a per-document step of extract or clean reports. */
enum { DOC_DONE, DOC_FAILED, DOC_STOP };
typedef int (*doc_step)(const options *o, const rules_set *rs, doc *d, char *path, FILE *out, cs_error *err);

/* One input of extract or clean: its step runs on a worker into out. */
typedef struct {
    char *path;
    char *out;    /* what the step wrote (open_memstream) */
    size_t len;
    int rc;       /* DOC_DONE or DOC_FAILED */
    cs_error err; /* why it failed */
    char *warning; /* what load read anyway (the document's warning); owned, or NULL */
} doc_item;

typedef struct {
    const options *o;
    const rules_set *rs;
    doc_step step;
} doc_run;

static void run_item(void *ctx, void *item, size_t seq, size_t worker)
{
    const doc_run *r = ctx;
    doc_item *it = item;
    (void)seq, (void)worker;
    FILE *mem = open_memstream(&it->out, &it->len);
    doc *d = mem ? load_file(it->path, r->o->max_size, &it->err) : NULL;
    if (!mem)
        cs_fail(&it->err, CS_ERR_IO, "%s", strerror(errno));
    it->rc = d && r->step(r->o, r->rs, d, it->path, mem, &it->err) == DOC_DONE ? DOC_DONE : DOC_FAILED;
    if (d && d->warning) /* from load, or from reading (a PDF's pages without text) */
        it->warning = cs_xstrdup(d->warning);
    doc_free(d);
    if (mem)
        fclose(mem);
}

/* Writes an item's output and reports its failure; DOC_STOP (err says why)
 * when standard output cannot be written. Frees it. */
static int finish_item(doc_item *it, int *failed, cs_error *err)
{
    int rc = DOC_DONE;
    if (it->warning)
        fprintf(stderr, "claimscan: %s: %s\n", it->path, it->warning);
    if (it->len && (fwrite(it->out, 1, it->len, stdout) != it->len || fflush(stdout) != 0))
        rc = DOC_STOP, cs_fail(err, CS_ERR_IO, "%s", strerror(errno));
    if (it->rc == DOC_FAILED) {
        fprintf(stderr, "claimscan: %s: %s\n", it->path, it->err.msg);
        *failed = 1;
    }
    free(it->out);
    free(it->warning);
    free(it);
    return rc;
}

/* Runs step on each input, on o->jobs threads (0: one per processor), and
 * writes the outputs in the order of the inputs. An input that fails is
 * reported and the others go on; DOC_STOP (the output cannot be written)
 * ends the run. */
static int each_document(const options *o, char **files, int n, doc_step step)
{
    rules_set *rs = open_rules(o);
    if (!rs)
        return EXIT_USAGE;
    int failed = 0, rc = DOC_DONE;
    size_t nf = 0, taken = 0;
    char **list = expand_inputs(files, n, &nf, &failed);
    doc_run run = {o, rs, step};
    size_t jobs = o->jobs ? o->jobs : pool_cores();
    pool *p = jobs > 1 && nf > 1 ? pool_start(jobs, 2 * jobs, run_item, &run) : NULL;
    cs_error err;
    for (size_t i = 0; i < nf && rc != DOC_STOP; i++) {
        doc_item *it = cs_xcalloc(1, sizeof *it);
        it->path = list[i];
        if (!p) {
            run_item(&run, it, i, 0);
            rc = finish_item(it, &failed, &err);
            continue;
        }
        if (i - taken == 2 * jobs) /* the window is full: write the oldest first */
            rc = finish_item(pool_take(p), &failed, &err), taken++;
        pool_submit(p, it);
    }
    if (p) {
        pool_close(p);
        for (doc_item *it; (it = pool_take(p)) != NULL;) {
            if (rc != DOC_STOP) {
                rc = finish_item(it, &failed, &err);
                continue;
            }
            free(it->out); /* the output is gone: nothing more to write */
            free(it->warning);
            free(it);
        }
        pool_free(p);
    }
    load_free_list(list, nf);
    rules_free(rs);
    if (rc == DOC_STOP)
        return output_failed(err.msg);
    return failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

static int extract_step(const options *o, const rules_set *rs, doc *d, char *path, FILE *out, cs_error *err)
{
    extract_result r;
    extract_opts xo = {warn_rule, path, NULL, NULL};
    int rc = DOC_DONE;
    if (extract_document(d, rs, &r, &xo, err) != CS_OK) {
        rc = DOC_FAILED;
    } else {
        cs_status st = !strcmp(o->format, "tsv") ? extract_write_tsv(out, &r) : extract_write_jsonl(out, &r);
        if (st != CS_OK)
            rc = DOC_FAILED, cs_fail(err, CS_ERR_IO, "cannot render the records");
    }
    extract_result_free(&r);
    return rc;
}

static int cmd_extract(const options *o, char **files, int n)
{
    static const char *const formats[] = {"jsonl", "tsv", NULL};
    if (!format_ok("extract", o->format, formats))
        return EXIT_USAGE;
    return each_document(o, files, n, extract_step);
}

static void explain(FILE *out, const doc *d)
{
    fprintf(out, "# %s: %zu blocks, %zu kept; title: %s; published: %s; site: %s", d->path, d->nblocks, d->blocks_kept,
           d->title ? d->title : "-", d->published ? d->published : "-", d->site ? d->site : "-");
    fprintf(out, d->pages ? "; pages: %d\n" : "\n", d->pages);
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        static const char *const kinds[] = {"p", "h", "li", "tr", "quote", "pre"};
        double ld = b->chars ? (double)b->link_chars / (double)b->chars : 0;
        fprintf(out, "%s %4zu %-5s chars=%-5zu links=%.2f score=%-6.1f %s=%-5u %-28s | %.*s%s\n",
                b->keep ? "KEEP" : "DROP", i, kinds[b->kind], b->chars, ld, b->score, b->page ? "page" : "line",
                b->page ? (unsigned)b->page : b->src_line, b->why ? b->why : "",
               (int)(b->len > 90 ? 90 : b->len), doc_block_text(d, i), b->len > 90 ? "..." : "");
        if (b->path)
            fprintf(out, "                path=%s attrs=%s\n", b->path, b->attrs ? b->attrs : "");
    }
}

static int clean_step(const options *o, const rules_set *rs, doc *d, char *path, FILE *out, cs_error *err)
{
    (void)path;
    d->explain = o->explain;
    if (extract_clean(d, rs, err) != CS_OK)
        return DOC_FAILED;
    if (o->explain) {
        explain(out, d);
    } else {
        fwrite(d->text, 1, d->text_len, out);
        fputc('\n', out);
    }
    return DOC_DONE;
}

static int cmd_clean(const options *o, char **files, int n)
{
    return each_document(o, files, n, clean_step);
}

/* Seconds since t0 (CLOCK_MONOTONIC). */
static double elapsed(struct timespec t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

typedef struct {
    int tty;
} ingest_ui;

static void ingest_report(void *ctx, const char *path, ingest_outcome outcome, const char *msg)
{
    const ingest_ui *ui = ctx;
    if (outcome == INGEST_FAILED)
        fprintf(stderr, "%sclaimscan: %s: %s\n", ui->tty ? "\n" : "", path, msg);
}

static int cmd_ingest(const options *o, char **files, int n)
{
    rules_set *rs = open_rules(o);
    if (!rs)
        return EXIT_USAGE;
    cs_error err;
    store *s = store_open(o->db, &err);
    if (!s) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        rules_free(rs);
        return EXIT_USAGE;
    }
    int failed = 0;
    size_t nf = 0;
    char **list = expand_inputs(files, n, &nf, &failed);
    ingest_ui ui = {isatty(2) && !o->quiet};
    ingest_opts io = {warn_rule, ingest_report, &ui, 0, o->jobs};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ingest *g = ingest_start(s, rs, &io);
    for (size_t i = 0; i < nf; i++) {
        if (ui.tty)
            fprintf(stderr, "\r[%zu/%zu] %.60s\033[K", i + 1, nf, list[i]);
        doc *d = load_file(list[i], o->max_size, &err);
        if (d && d->warning)
            fprintf(stderr, "%sclaimscan: %s: %s\n", ui.tty ? "\n" : "", list[i], d->warning);
        if (d)
            ingest_add(g, d, list[i]);
        else
            ingest_add_failed(g, list[i], err.msg);
    }
    ingest_totals t;
    ingest_finish(g, &t);
    if (ui.tty)
        fputc('\n', stderr);
    load_free_list(list, nf);
    if (!o->quiet) {
        store_counts c;
        double secs = elapsed(t0);
        if (store_count(s, &c) == CS_OK)
            fprintf(stderr,
                    "claimscan: %s: %zu ingested, %zu unchanged, %zu failed in %.1f s (%.0f documents/s); the database "
                    "holds %lld documents, %lld figures, %lld dates, %lld persons, %lld claims\n",
                    o->db, t.stored, t.unchanged, t.failed, secs, secs > 0 ? (double)nf / secs : 0.0, c.documents,
                    c.figures, c.dates, c.persons, c.claims);
    }
    /* Datasette reads its descriptions, canned queries and full-text
     * index from metadata.json beside the database. */
    if (meta_write(s, o->db, &err) != CS_OK)
        fprintf(stderr, "claimscan: warning: %s\n", err.msg);
    store_close(s);
    rules_free(rs);
    return failed || t.failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

static void merge_warn(void *ctx, const char *path, const char *msg)
{
    fprintf(stderr, "claimscan: %s: %s: extracted again for site boilerplate: %s; its shard rows are kept\n",
            (const char *)ctx, path, msg);
}

static int cmd_merge(const options *o, char **shards, int n)
{
    rules_set *rs = open_rules(o);
    if (!rs)
        return EXIT_USAGE;
    cs_error err;
    store *s = store_open(o->db, &err);
    if (!s) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        rules_free(rs);
        return EXIT_USAGE;
    }
    merge_totals t = {0};
    int failed = 0;
    for (int i = 0; i < n; i++) {
        store *shard = store_open_existing(shards[i], &err); /* brings its schema up to date */
        store_close(shard);
        if (!shard || merge_shard(s, rs, shards[i], &t, merge_warn, shards[i], &err) != CS_OK) {
            fprintf(stderr, "claimscan: %s: %s\n", shards[i], err.msg);
            failed = 1;
        }
    }
    if (!o->quiet)
        fprintf(stderr, "claimscan: %s: %zu documents copied, %zu extracted again (their site's boilerplate is "
                        "learned across shards), %zu held already, %zu failed\n",
                o->db, t.copied, t.redone, t.duplicates, t.failed);
    store_close(s);
    rules_free(rs);
    return failed || t.failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

/* Opens an existing database; prints why on failure. */
static store *open_db(const options *o)
{
    cs_error err;
    store *s = store_open_existing(o->db, &err);
    if (!s)
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
    return s;
}

static int cmd_claims(const options *o)
{
    store *s = open_db(o);
    if (!s)
        return EXIT_USAGE;
    store_query q = {o->indicator, o->speaker, o->docfilter, o->met};
    if (o->met && strcmp(o->met, "yes") && strcmp(o->met, "no") && strcmp(o->met, "unknown")) {
        fprintf(stderr, "claimscan: claims: --met takes yes, no or unknown\n");
        store_close(s);
        return EXIT_USAGE;
    }
    const char *fmt = o->format;
    if (!format_ok("claims", fmt, table_formats)) {
        store_close(s);
        return EXIT_USAGE;
    }
    cs_error err;
    cs_status st = store_list_claims(s, &q, fmt, stdout, &err);
    const char *why = write_error();
    store_close(s);
    if (st == CS_ERR_IO)
        return output_failed(why);
    if (st != CS_OK) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        return EXIT_SOME_FAILED;
    }
    return EXIT_ALL_OK;
}

static int cmd_search(const options *o, char **words, int n)
{
    if (n < 1) {
        fprintf(stderr, "claimscan: search: no query (give words, \"a phrase\", OR, NOT, prefix*)\n");
        return EXIT_USAGE;
    }
    const char *fmt = o->format;
    if (!format_ok("search", fmt, table_formats))
        return EXIT_USAGE;
    store *s = open_db(o);
    if (!s)
        return EXIT_USAGE;
    buf q;
    buf_init(&q, 0);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&q, ' ');
        buf_puts(&q, words[i]);
    }
    cs_error err;
    cs_status st = store_search(s, buf_str(&q), o->limit, fmt, stdout, &err);
    const char *why = write_error();
    buf_free(&q);
    store_close(s);
    if (st == CS_ERR_IO)
        return output_failed(why);
    if (st != CS_OK) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        return EXIT_USAGE;
    }
    return EXIT_ALL_OK;
}

/* Opens the rules and an existing database for check and report; prints
 * why on failure. */
static int open_both(const options *o, rules_set **rs, store **s)
{
    *rs = open_rules(o);
    if (!*rs)
        return 0;
    *s = open_db(o);
    if (!*s) {
        rules_free(*rs);
        return 0;
    }
    return 1;
}

/* Runs the cross-checks and stores their findings (check and report). */
static cs_status run_checks(store *s, const rules_set *rs, check_list *l, cs_error *err)
{
    cs_status st = check_run(s, rs, l, err);
    return st != CS_OK ? st : check_save(s, rs, l, err);
}

static int cmd_check(const options *o)
{
    const char *fmt = o->format_set ? o->format : "text";
    static const char *const formats[] = {"text", "jsonl", "csv", NULL};
    if (!format_ok("check", fmt, formats))
        return EXIT_USAGE;
    rules_set *rs;
    store *s;
    if (!open_both(o, &rs, &s))
        return EXIT_USAGE;
    cs_error err;
    check_list l = {0};
    int rc = EXIT_ALL_OK;
    cs_status st = run_checks(s, rs, &l, &err);
    if (st == CS_OK && (st = check_write(stdout, s, &l, fmt, &err)) == CS_ERR_IO) {
        rc = output_failed(write_error());
    } else if (st != CS_OK) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        rc = EXIT_SOME_FAILED;
    }
    check_list_free(&l);
    store_close(s);
    rules_free(rs);
    return rc;
}

static int cmd_timeline(const options *o)
{
    const char *fmt = o->format_set ? o->format : "json";
    store *s = open_db(o);
    if (!s)
        return EXIT_USAGE;
    cs_error err;
    report_timeline t;
    int rc = EXIT_ALL_OK;
    if (report_timeline_build(s, &t, &err) != CS_OK) {
        fprintf(stderr, "claimscan: %s: %s\n", o->db, err.msg);
        store_close(s);
        return EXIT_SOME_FAILED;
    }
    cs_status st = report_timeline_write(stdout, &t, fmt, &err);
    if (st == CS_ERR_IO) {
        rc = output_failed(write_error());
    } else if (st != CS_OK) {
        fprintf(stderr, "claimscan: timeline: %s\n", err.msg);
        rc = st == CS_ERR_USAGE ? EXIT_USAGE : EXIT_SOME_FAILED;
    }
    report_timeline_free(&t);
    store_close(s);
    return rc;
}

static int cmd_report(const options *o)
{
    rules_set *rs;
    store *s;
    if (!open_both(o, &rs, &s))
        return EXIT_USAGE;
    cs_error err;
    check_list l = {0};
    report_timeline t = {0};
    int rc = EXIT_ALL_OK;
    int reused;
    if (check_current(s, rs, &l, &reused, &err) != CS_OK || report_timeline_build(s, &t, &err) != CS_OK ||
        report_html(s, &l, &t, o->out, &err) != CS_OK) {
        fprintf(stderr, "claimscan: %s\n", err.msg);
        rc = EXIT_SOME_FAILED;
    } else if (!o->quiet) {
        fprintf(stderr, "claimscan: wrote %s: %zu events, %zu findings%s\n", o->out, t.n, l.n,
                reused ? " (stored by the last check: the documents have not changed since)" : "");
    }
    report_timeline_free(&t);
    check_list_free(&l);
    store_close(s);
    rules_free(rs);
    return rc;
}

static int cmd_rules(const options *o, char **args, int n)
{
    if (n < 1 || (strcmp(args[0], "test") && strcmp(args[0], "lint"))) {
        fprintf(stderr, "claimscan: rules: say 'rules test' or 'rules lint'\n");
        return EXIT_USAGE;
    }
    rules_set *rs = open_rules(o);
    if (!rs)
        return EXIT_SOME_FAILED;
    int rc;
    if (!strcmp(args[0], "test")) {
        size_t total = 0;
        size_t fails = rules_selftest(rs, extract_render_example, rs, report_line, NULL, &total);
        printf("%zu passed, %zu failed\n", total - fails, fails);
        rc = fails ? EXIT_SOME_FAILED : EXIT_ALL_OK;
    } else {
        size_t k = rules_lint(rs, report_line, NULL);
        printf("%zu rules, %zu findings\n", rules_count(rs), k);
        rc = k ? EXIT_SOME_FAILED : EXIT_ALL_OK;
    }
    rules_free(rs);
    return rc;
}

/* Runs the command; its exit status. */
static int run_command(const char *cmd, const options *o, char **rest, int nrest)
{
    if (!strcmp(cmd, "rules"))
        return cmd_rules(o, rest, nrest);
    if (!strcmp(cmd, "claims"))
        return cmd_claims(o);
    if (!strcmp(cmd, "check"))
        return cmd_check(o);
    if (!strcmp(cmd, "timeline"))
        return cmd_timeline(o);
    if (!strcmp(cmd, "report"))
        return cmd_report(o);
    if (!strcmp(cmd, "search"))
        return cmd_search(o, rest, nrest);
    if (nrest < 1) {
        fprintf(stderr, "claimscan: %s: no input (give files, directories or - for stdin)\n", cmd);
        return EXIT_USAGE;
    }
    if (!strcmp(cmd, "extract"))
        return cmd_extract(o, rest, nrest);
    if (!strcmp(cmd, "clean"))
        return cmd_clean(o, rest, nrest);
    if (!strcmp(cmd, "ingest"))
        return cmd_ingest(o, rest, nrest);
    if (!strcmp(cmd, "merge"))
        return cmd_merge(o, rest, nrest);
    fprintf(stderr, "claimscan: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    options o = {NULL, "jsonl", "out/claims.db", LOAD_DEFAULT_MAX, 0, 0, 0, NULL, NULL, NULL, NULL, "out/report.html", 20, 0};
    static const struct option longs[] = {{"rules", required_argument, NULL, 'r'},
                                          {"format", required_argument, NULL, 'f'},
                                          {"db", required_argument, NULL, 'd'},
                                          {"max-size", required_argument, NULL, 'm'},
                                          {"explain", no_argument, NULL, 'e'},
                                          {"indicator", required_argument, NULL, 'i'},
                                          {"speaker", required_argument, NULL, 's'},
                                          {"doc", required_argument, NULL, 'D'},
                                          {"met", required_argument, NULL, 'M'},
                                          {"out", required_argument, NULL, 'o'},
                                          {"limit", required_argument, NULL, 'l'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"jobs", required_argument, NULL, 'j'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"version", no_argument, NULL, 'V'},
                                          {NULL, 0, NULL, 0}};
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return finish_output(EXIT_ALL_OK);
    }
    if (!strcmp(cmd, "--version")) {
        printf("claimscan %s\n", VERSION);
        return finish_output(EXIT_ALL_OK);
    }
    int c;
    optind = 2;
    int claims_fmt_default = !strcmp(cmd, "claims") || !strcmp(cmd, "search");
    if (claims_fmt_default)
        o.format = "table";
    while ((c = getopt_long(argc, argv, "qhj:", longs, NULL)) != -1) {
        switch (c) {
        case 'r': o.rules_dir = optarg; break;
        case 'f': o.format = optarg, o.format_set = 1; break;
        case 'd': o.db = optarg; break;
        case 'e': o.explain = 1; break;
        case 'q': o.quiet = 1; break;
        case 'i': o.indicator = optarg; break;
        case 's': o.speaker = optarg; break;
        case 'D': o.docfilter = optarg; break;
        case 'M': o.met = optarg; break;
        case 'o': o.out = optarg; break;
        case 'l': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                fprintf(stderr, "claimscan: --limit takes a number (0 for all)\n");
                return EXIT_USAGE;
            }
            o.limit = (size_t)v;
            break;
        }
        case 'j': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-' || v == 0 || v > 256) {
                fprintf(stderr, "claimscan: --jobs takes a number of threads from 1 to 256\n");
                return EXIT_USAGE;
            }
            o.jobs = (size_t)v;
            break;
        }
        case 'm': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || v == 0) {
                fprintf(stderr, "claimscan: --max-size takes a number of bytes\n");
                return EXIT_USAGE;
            }
            o.max_size = (size_t)v;
            break;
        }
        case 'h': usage(stdout); return finish_output(EXIT_ALL_OK);
        case 'V': printf("claimscan %s\n", VERSION); return finish_output(EXIT_ALL_OK);
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    return finish_output(run_command(cmd, &o, argv + optind, argc - optind));
}
