/* claimscan: the command-line interface. Parses options, calls the library
 * and picks exit codes; it holds no extraction logic of its own. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
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
#include "strs.h"

#define VERSION "0.1.0"
#ifndef CLAIMSCAN_DATADIR
#define CLAIMSCAN_DATADIR "/usr/local/share/claimscan"
#endif

/* Exit codes: documented in the README and the man page. */
enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *rules_dir;
    const char *format; /* the command's first format unless --format says */
    const char *db;
    size_t max_size;
    int explain;
    int quiet;
    int color; /* colour on standard output (--color, else a terminal without NO_COLOR) */
    const char *indicator, *speaker, *docfilter, *met;
    const char *out;
    size_t limit;
    size_t jobs; /* extraction threads of extract, clean and ingest; 0: one per processor */
    int integrity; /* check --integrity */
    int terminal;  /* standard output is a terminal */
} options;

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

/* Writes prefix and msg[0..n) as one line of standard error, in one write
 * (the lines of threads do not mix), its control characters escaped but
 * for the indented continuation lines of a rule error. */
static void put_line(const char *prefix, const char *msg, size_t n)
{
    buf line;
    buf_init(&line, 0);
    buf_puts(&line, prefix);
    strs_safe(&line, msg, n, STRS_KEEP_INDENTED);
    buf_putc(&line, '\n');
    fputs(buf_str(&line), stderr);
    buf_free(&line);
}

/* Writes "claimscan: " and the formatted message as one line of standard
 * error, its control characters escaped: a file name or a document cannot
 * forge a line or drive the terminal. */
static void diag(const char *fmt, ...) CS_PRINTF(1, 2);
static void diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *m = cs_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(m, (size_t)n + 1, fmt, ap);
    va_end(ap);
    put_line("claimscan: ", m, (size_t)n);
    free(m);
}

/* A progress line on standard error, "[what i/n] name", the line cleared
 * after it; the name escaped and cut to 60 bytes. */
static void progress(const char *what, size_t i, size_t n, const char *name)
{
    buf line;
    buf_init(&line, 0);
    buf_printf_put(&line, "\r[%s%zu/%zu] ", what, i, n);
    strs_safe(&line, name, strlen(name) < 60 ? strlen(name) : 60, STRS_ESCAPE_ALL);
    buf_puts(&line, "\033[K");
    fputs(buf_str(&line), stderr);
    buf_free(&line);
}

static rules_set *open_rules(const options *o)
{
    char tmp[PATH_MAX];
    const char *dir = find_rules(o->rules_dir, tmp, sizeof tmp);
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    if (!rs)
        diag("%s", err.msg);
    return rs;
}

static void warn_rule(void *ctx, const char *rule, const char *msg)
{
    if (rule)
        diag("%s: rule %s skipped: %s", (const char *)ctx, rule, msg);
    else
        diag("%s: %s", (const char *)ctx, msg);
}

static void report_line(void *ctx, const char *msg)
{
    (void)ctx;
    put_line("", msg, strlen(msg));
}

/* 1 when standard input holds data to read: a pipe, a file or a socket,
 * not a terminal (nor /dev/null), as ripgrep and jq decide. */
static int stdin_has_data(void)
{
    struct stat st;
    if (isatty(0) || fstat(0, &st) != 0)
        return 0;
    return S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode);
}

/* Expands directories into their files; an input that does not exist is
 * reported (failed set) and left out, a directory without files is warned
 * about. The caller frees with load_free_list. */
static char **expand_inputs(char **args, int n, size_t *out_n, int *failed)
{
    char **list = NULL;
    size_t cap = 0, k = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(args[i], "-") && stat(args[i], &st) != 0) {
            diag("%s: %s", args[i], strerror(errno));
            *failed = 1;
            continue;
        }
        if (!exists_dir(args[i])) {
            cs_grow(&list, &cap, k + 1, sizeof *list);
            list[k++] = cs_xstrdup(args[i]);
            continue;
        }
        size_t m = 0;
        cs_error err;
        char **sub = load_list_dir(args[i], &m, &err);
        if (!sub) {
            diag("%s: %s", args[i], err.msg);
            *failed = 1;
            continue;
        }
        if (!m) {
            diag("warning: %s: holds no document", args[i]);
            *failed |= 2; /* not a failure unless nothing else is found */
        }
        for (size_t j = 0; j < m; j++) {
            cs_grow(&list, &cap, k + 1, sizeof *list);
            list[k++] = sub[j];
        }
        free(sub);
    }
    *out_n = k;
    return list;
}

/* The documents named by args, or standard input when none is named and it
 * holds data. NULL when there is nothing to read: the reason is printed
 * and *rc holds the exit code (usage when nothing was named, else 1). */
static char **inputs(const char *cmd, char **args, int n, size_t *nf, int *failed, int *rc)
{
    static char dash[] = "-";
    static char *stdin_only[] = {dash};
    if (n == 0 && !stdin_has_data()) {
        diag("%s: no input (give files, directories or - for standard input)", cmd);
        *rc = EXIT_USAGE;
        return NULL;
    }
    char **list = n ? expand_inputs(args, n, nf, failed) : expand_inputs(stdin_only, 1, nf, failed);
    int said = *failed; /* a missing input or an empty directory was reported */
    *failed &= 1;
    if (*nf == 0) {
        if (!said)
            diag("warning: %s: the inputs hold no document", cmd);
        *failed = 1;
        free(list);
        *rc = EXIT_SOME_FAILED;
        return NULL;
    }
    return list;
}

/* Standard output failed (a full disk, a closed pipe): says why, once, and
 * gives the exit status of a failed input. */
static int output_failed(const char *why)
{
    static int said;
    if (!said)
        diag("writing output: %s", why && *why ? why : "write error");
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
    buf known;
    buf_init(&known, 0);
    for (int i = 0; formats[i]; i++)
        buf_printf_put(&known, "%s%s", i ? ", " : "", formats[i]);
    diag("%s: unknown format '%s' (%s)", cmd, fmt, buf_str(&known));
    buf_free(&known);
    return 0;
}

/* What a per-document step of extract or clean reports. */
enum { DOC_DONE, DOC_FAILED, DOC_STOP };
typedef int (*doc_step)(const options *o, const rules_set *rs, doc *d, char *path, FILE *out, cs_error *err);
/* Called once before the first document (extract's header row). */
typedef void (*doc_begin)(const options *o);

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
    FILE *direct; /* a run on one thread writes here at once (a large page's
                   * records are not held in memory); NULL: each item's own */
} doc_run;

static void run_item(void *ctx, void *item, size_t seq, size_t worker)
{
    const doc_run *r = ctx;
    doc_item *it = item;
    (void)seq, (void)worker;
    FILE *mem = r->direct ? r->direct : open_memstream(&it->out, &it->len);
    doc *d = mem ? load_file(it->path, r->o->max_size, &it->err) : NULL;
    if (!mem)
        cs_fail(&it->err, CS_ERR_IO, "%s", strerror(errno));
    it->rc = d && r->step(r->o, r->rs, d, it->path, mem, &it->err) == DOC_DONE ? DOC_DONE : DOC_FAILED;
    if (d && d->warning) /* from load, or from reading (a PDF's pages without text) */
        it->warning = cs_xstrdup(d->warning);
    doc_free(d);
    if (mem && mem != r->direct)
        fclose(mem);
}

/* Writes an item's output and reports its failure; DOC_STOP (err says why)
 * when standard output cannot be written. Frees it. */
static int finish_item(doc_item *it, int *failed, cs_error *err)
{
    int rc = DOC_DONE;
    if (it->warning)
        diag("%s: %s", it->path, it->warning);
    if ((it->len && fwrite(it->out, 1, it->len, stdout) != it->len) || fflush(stdout) != 0 || ferror(stdout))
        rc = DOC_STOP, cs_fail(err, CS_ERR_IO, "%s", strerror(errno));
    if (it->rc == DOC_FAILED && rc != DOC_STOP) {
        diag("%s: %s", it->path, it->err.msg);
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
static int each_document(const char *cmd, const options *o, char **files, int n, doc_begin begin, doc_step step)
{
    int failed = 0, rc = DOC_DONE;
    size_t nf = 0, taken = 0;
    char **list = inputs(cmd, files, n, &nf, &failed, &rc);
    if (!list)
        return rc;
    rules_set *rs = open_rules(o);
    if (!rs) {
        load_free_list(list, nf);
        return EXIT_USAGE;
    }
    size_t jobs = o->jobs ? o->jobs : pool_cores();
    int parallel = jobs > 1 && nf > 1;
    doc_run run = {o, rs, step, parallel ? NULL : stdout};
    pool *p = parallel ? pool_start(jobs, 2 * jobs, run_item, &run) : NULL;
    cs_error err;
    if (begin)
        begin(o);
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
        cs_status st = extract_write(out, (rows_format)rows_format_of(o->format), &r);
        if (st != CS_OK)
            rc = DOC_FAILED, cs_fail(err, CS_ERR_IO, "cannot render the records");
    }
    extract_result_free(&r);
    return rc;
}

static void extract_header(const options *o)
{
    size_t n;
    const rows_col *cols = extract_columns(&n);
    rows_header(stdout, (rows_format)rows_format_of(o->format), cols, n);
}

static int cmd_extract(const options *o, char **files, int n)
{
    return each_document("extract", o, files, n, extract_header, extract_step);
}

/* Appends s (NULL as "-") escaped for a terminal. */
static void put_safe(buf *b, const char *s, size_t n)
{
    strs_safe(b, s ? s : "-", s ? n : 1, STRS_ESCAPE_ALL);
}

static void explain(FILE *out, const doc *d)
{
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "# ");
    put_safe(&b, d->path, strlen(d->path));
    buf_printf_put(&b, ": %zu blocks, %zu kept; title: ", d->nblocks, d->blocks_kept);
    put_safe(&b, d->title, d->title ? strlen(d->title) : 0);
    buf_puts(&b, "; published: ");
    put_safe(&b, d->published, d->published ? strlen(d->published) : 0);
    buf_puts(&b, "; site: ");
    put_safe(&b, d->site, d->site ? strlen(d->site) : 0);
    if (d->pages)
        buf_printf_put(&b, "; pages: %d", d->pages);
    buf_putc(&b, '\n');
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *k = &d->blocks[i];
        static const char *const kinds[] = {"p", "h", "li", "tr", "quote", "pre"};
        double ld = k->chars ? (double)k->link_chars / (double)k->chars : 0;
        buf_printf_put(&b, "%s %4zu %-5s chars=%-5zu links=%.2f score=%-6.1f %s=%-5u %-28s | ", k->keep ? "KEEP" : "DROP",
                       i, kinds[k->kind], k->chars, ld, k->score, k->page ? "page" : "line",
                       k->page ? (unsigned)k->page : k->src_line, k->why ? k->why : "");
        put_safe(&b, doc_block_text(d, i), k->len > 90 ? 90 : k->len);
        buf_puts(&b, k->len > 90 ? "...\n" : "\n");
        if (k->path) {
            buf_puts(&b, "                path=");
            put_safe(&b, k->path, strlen(k->path));
            buf_puts(&b, " attrs=");
            put_safe(&b, k->attrs ? k->attrs : "", k->attrs ? strlen(k->attrs) : 0);
            buf_putc(&b, '\n');
        }
        fwrite(b.ptr, 1, b.len, out);
        buf_reset(&b);
    }
    fwrite(buf_str(&b), 1, b.len, out);
    buf_free(&b);
}

static int clean_step(const options *o, const rules_set *rs, doc *d, char *path, FILE *out, cs_error *err)
{
    (void)path;
    d->explain = o->explain;
    if (extract_clean(d, rs, err) != CS_OK)
        return DOC_FAILED;
    if (o->explain) {
        explain(out, d);
    } else if (o->terminal) {
        /* On a terminal the text is shown, never obeyed; into a file or a
         * pipe it goes byte for byte, as spans index it. */
        buf b;
        buf_init(&b, 0);
        strs_safe(&b, d->text, d->text_len, STRS_KEEP_LINES);
        fwrite(buf_str(&b), 1, b.len, out);
        fputc('\n', out);
        buf_free(&b);
    } else {
        fwrite(d->text, 1, d->text_len, out);
        fputc('\n', out);
    }
    return DOC_DONE;
}

static int cmd_clean(const options *o, char **files, int n)
{
    return each_document("clean", o, files, n, NULL, clean_step);
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
    {
        if (ui->tty)
            fputc('\n', stderr);
        diag("%s: %s", path, msg);
    }
}

static int cmd_ingest(const options *o, char **files, int n)
{
    /* The inputs first: no database is created for inputs that hold none. */
    int failed = 0, rc = EXIT_ALL_OK;
    size_t nf = 0;
    char **list = inputs("ingest", files, n, &nf, &failed, &rc);
    if (!list)
        return rc;
    rules_set *rs = open_rules(o);
    cs_error err;
    store *s = rs ? store_open(o->db, &err) : NULL;
    if (!s) {
        if (rs)
            diag("%s: %s", o->db, err.msg);
        rules_free(rs);
        load_free_list(list, nf);
        return EXIT_USAGE;
    }
    ingest_ui ui = {isatty(2) && !o->quiet};
    ingest_opts io = {warn_rule, ingest_report, &ui, o->jobs == 1, o->jobs}; /* -j 1: one thread */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ingest *g = ingest_start(s, rs, &io);
    for (size_t i = 0; i < nf; i++) {
        if (ui.tty)
            progress("", i + 1, nf, list[i]);
        doc *d = load_file(list[i], o->max_size, &err);
        if (d && d->warning) {
            if (ui.tty)
                fputc('\n', stderr);
            diag("%s: %s", list[i], d->warning);
        }
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
        cs_error cerr;
        double secs = elapsed(t0);
        if (store_count(s, &c, &cerr) == CS_OK)
            diag("%s: %zu ingested, %zu unchanged, %zu failed in %.1f s (%.0f documents/s); the database "
                 "holds %lld documents, %lld figures, %lld dates, %lld persons, %lld claims",
                 o->db, t.stored, t.unchanged, t.failed, secs, secs > 0 ? (double)nf / secs : 0.0, c.documents,
                 c.figures, c.dates, c.persons, c.claims);
    }
    /* Datasette reads its descriptions, canned queries and full-text
     * index from metadata.json beside the database. */
    if (meta_write(s, o->db, &err) != CS_OK)
        diag("warning: %s", err.msg);
    store_close(s);
    rules_free(rs);
    return failed || t.failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

static void merge_warn(void *ctx, const char *path, const char *msg)
{
    diag("%s: %s: extracted again for site boilerplate: %s; its shard rows are kept",
            (const char *)ctx, path, msg);
}

static int cmd_merge(const options *o, char **shards, int n)
{
    if (n < 1) {
        diag("merge: no shard (give the shard databases to add to --db)");
        return EXIT_USAGE;
    }
    rules_set *rs = open_rules(o);
    if (!rs)
        return EXIT_USAGE;
    cs_error err;
    store *s = store_open(o->db, &err);
    if (!s) {
        diag("%s: %s", o->db, err.msg);
        rules_free(rs);
        return EXIT_USAGE;
    }
    merge_totals t = {0};
    int failed = 0;
    int tty = isatty(2) && !o->quiet;
    for (int i = 0; i < n; i++) {
        if (tty)
            progress("merge ", (size_t)i + 1, (size_t)n, shards[i]);
        if (merge_shard(s, rs, shards[i], &t, merge_warn, shards[i], &err) != CS_OK) {
            if (tty)
                fputc('\n', stderr);
            diag("%s: %s", shards[i], err.msg);
            failed = 1;
        }
    }
    if (tty)
        fputc('\n', stderr);
    if (!o->quiet)
        diag("%s: %zu documents copied, %zu extracted again (their site's boilerplate is "
             "learned across shards), %zu held already, %zu failed",
             o->db, t.copied, t.redone, t.duplicates, t.failed);
    store_close(s);
    rules_free(rs);
    return failed || t.failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

/* 1 if a command that takes no arguments was given none; else says so. */
static int no_arguments(const char *cmd, char **args, int n)
{
    if (n > 0)
        diag("%s: unexpected argument '%s' (claimscan help %s)", cmd, args[0], cmd);
    return n == 0;
}

/* Opens an existing database, read-only unless the command writes into
 * it; prints why on failure. */
static store *open_db(const options *o, int writing)
{
    cs_error err;
    store *s = writing ? store_open_existing(o->db, &err) : store_open_readonly(o->db, &err);
    if (!s)
        diag("%s: %s", o->db, err.msg);
    return s;
}

/* Closes s after a command that wrote what it read to standard output,
 * and gives its exit status: failed_rc when the database failed. */
static int close_and_exit(const options *o, store *s, cs_status st, const cs_error *err, int failed_rc)
{
    const char *why = write_error(); /* before close can change errno */
    store_close(s);
    if (st == CS_ERR_IO)
        return output_failed(why);
    if (st != CS_OK) {
        diag("%s: %s", o->db, err->msg);
        return failed_rc;
    }
    return EXIT_ALL_OK;
}

/* How the listings stress what matters: in colour (a bold indicator, met
 * green, missed red, search matches bold red) when colour is on and the
 * format is the table, else nothing but search matches in brackets: a
 * CSV, TSV or JSON Lines file is data, not a terminal. */
static const store_marks *marks(const options *o)
{
    static const store_marks colour = {
        {"\033[1m", "\033[0m"}, {"\033[32m", "\033[0m"}, {"\033[31m", "\033[0m"}, {"\033[1;31m", "\033[0m"}};
    return o->color && !strcmp(o->format, "table") ? &colour : &store_plain_marks;
}

static int cmd_claims(const options *o, char **args, int n)
{
    if (!no_arguments("claims", args, n))
        return EXIT_USAGE;
    store *s = open_db(o, 0);
    if (!s)
        return EXIT_USAGE;
    store_query q = {o->indicator, o->speaker, o->docfilter, o->met, marks(o)};
    if (o->met && strcmp(o->met, "yes") && strcmp(o->met, "no") && strcmp(o->met, "unknown")) {
        diag("claims: --met takes yes, no or unknown");
        store_close(s);
        return EXIT_USAGE;
    }
    const char *fmt = o->format;
    cs_error err;
    size_t found = 0;
    cs_status st = store_list_claims(s, &q, fmt, stdout, &found, &err);
    int rc = close_and_exit(o, s, st, &err, EXIT_SOME_FAILED);
    if (rc != EXIT_ALL_OK)
        return rc;
    if (!found && !o->quiet && !strcmp(fmt, "table"))
        diag("claims: no claims match");
    return EXIT_ALL_OK;
}

static int cmd_search(const options *o, char **words, int n)
{
    if (n < 1) {
        diag("search: no query (give words, \"a phrase\", OR, NOT, prefix*)");
        return EXIT_USAGE;
    }
    const char *fmt = o->format;
    store *s = open_db(o, 0);
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
    size_t found = 0;
    store_search_query sq = {buf_str(&q), o->limit, fmt, marks(o)};
    cs_status st = store_search(s, &sq, stdout, &found, &err);
    buf_free(&q);
    int rc = close_and_exit(o, s, st, &err, EXIT_USAGE);
    if (rc != EXIT_ALL_OK)
        return rc;
    /* As grep and ripgrep: exit 1 when nothing matches. */
    if (!found && !o->quiet)
        diag("search: no documents match");
    return found ? EXIT_ALL_OK : EXIT_SOME_FAILED;
}

/* Opens the rules and an existing database for check and report; prints
 * why on failure. */
static int open_both(const options *o, int writing, rules_set **rs, store **s)
{
    *rs = open_rules(o);
    if (!*rs)
        return 0;
    *s = open_db(o, writing);
    if (!*s) {
        rules_free(*rs);
        return 0;
    }
    return 1;
}

/* A progress line on standard error: "[check 3/6] parts against wholes". */
static void check_progress(void *ctx, const char *what, int k, int total)
{
    (void)ctx;
    progress("check ", (size_t)k + 1, (size_t)total, what);
}

/* Runs the cross-checks and stores their findings (check and report), with
 * a progress line on a terminal unless quiet. */
static cs_status run_checks(const options *o, store *s, const rules_set *rs, check_list *l, cs_error *err)
{
    int tty = isatty(2) && !o->quiet;
    cs_status st = check_run_progress(s, rs, l, tty ? check_progress : NULL, NULL, err);
    if (tty)
        fputs("\r\033[K", stderr);
    return st != CS_OK ? st : check_save(s, rs, l, err);
}

/* check --integrity: SQLite's full integrity check, read-only. */
static int cmd_verify(const options *o)
{
    store *s = open_db(o, 0);
    if (!s)
        return EXIT_USAGE;
    cs_error err;
    size_t problems;
    cs_status st = store_verify(s, stdout, &problems, &err);
    return close_and_exit(o, s, st, &err, EXIT_SOME_FAILED);
}

static int cmd_check(const options *o, char **args, int n)
{
    if (!no_arguments("check", args, n))
        return EXIT_USAGE;
    if (o->integrity)
        return cmd_verify(o);
    const char *fmt = o->format;
    rules_set *rs;
    store *s;
    if (!open_both(o, 1, &rs, &s))
        return EXIT_USAGE;
    cs_error err;
    check_list l = {0};
    int rc = EXIT_ALL_OK;
    cs_status st = run_checks(o, s, rs, &l, &err);
    if (st == CS_OK && (st = check_write(stdout, s, &l, fmt, &err)) == CS_ERR_IO) {
        rc = output_failed(write_error());
    } else if (st != CS_OK) {
        diag("%s", err.msg); /* it names the database */
        rc = EXIT_SOME_FAILED;
    }
    check_list_free(&l);
    store_close(s);
    rules_free(rs);
    return rc;
}

static int cmd_timeline(const options *o, char **args, int n)
{
    if (!no_arguments("timeline", args, n))
        return EXIT_USAGE;
    const char *fmt = o->format;
    store *s = open_db(o, 0);
    if (!s)
        return EXIT_USAGE;
    cs_error err;
    report_timeline t;
    int rc = EXIT_ALL_OK;
    if (report_timeline_build(s, &t, &err) != CS_OK) {
        diag("%s: %s", o->db, err.msg);
        store_close(s);
        return EXIT_SOME_FAILED;
    }
    cs_status st = report_timeline_write(stdout, &t, fmt, &err);
    if (st == CS_ERR_IO) {
        rc = output_failed(write_error());
    } else if (st != CS_OK) {
        diag("timeline: %s", err.msg);
        rc = st == CS_ERR_USAGE ? EXIT_USAGE : EXIT_SOME_FAILED;
    }
    report_timeline_free(&t);
    store_close(s);
    return rc;
}

static int cmd_report(const options *o, char **args, int n)
{
    if (!no_arguments("report", args, n))
        return EXIT_USAGE;
    rules_set *rs;
    store *s;
    if (!open_both(o, 0, &rs, &s))
        return EXIT_USAGE;
    cs_error err;
    check_list l = {0};
    report_timeline t = {0};
    int rc = EXIT_ALL_OK;
    int reused;
    /* report opens read-only: findings computed afresh are not stored. */
    if (check_current(s, rs, &l, &reused, &err) != CS_OK || report_timeline_build(s, &t, &err) != CS_OK ||
        report_html(s, &l, &t, o->out, &err) != CS_OK) {
        diag("%s", err.msg);
        rc = EXIT_SOME_FAILED;
    } else if (!o->quiet) {
        diag("wrote %s: %zu events, %zu findings%s", o->out, t.n, l.n,
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
        diag("rules: say 'rules test' or 'rules lint'");
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

/* ---- commands, their help and their options --------------------------- */

static int cmd_help(const options *o, char **args, int n);

typedef struct {
    const char *name;
    const char *args;     /* what follows the options in the synopsis */
    const char *summary;  /* one line in the list of commands */
    const char *about;    /* a paragraph in the command's own help */
    const char *opts;     /* the option codes it takes (besides -q, --color, -h) */
    const char *formats[8]; /* NULL-terminated, the default first; empty: no --format */
    const char *examples[2];
    int (*run)(const options *o, char **args, int n);
} command;

static const command commands[] = {
    {"extract", "[FILE|DIR|-]...", "figures, dates, persons, claims and events as records (no database)",
     "Runs every stage on each document and writes its records: a document record, then its figures, dates, "
     "persons, claims and events. jsonl follows the extract-jsonl contract; csv and tsv have a header row and the "
     "same columns for every record, with a kind column (the manual lists them). A directory stands for every file "
     "under it; standard input is read when no file is named and it is not a terminal.",
     "rfmj", {"jsonl", "csv", "tsv", NULL},
     {"claimscan extract report.html", "curl -s https://example.org/news.html | claimscan extract --format tsv"},
     cmd_extract},
    {"clean", "[FILE|DIR|-]...", "the cleaned main text (what record spans index)",
     "Prints the cleaned main text of each document, exactly the text that record spans index. --explain prints "
     "every block instead, with its keep or drop decision and the signals behind it.",
     "rmej", {NULL}, {"claimscan clean page.html", "claimscan clean --explain page.html | grep DROP"}, cmd_clean},
    {"ingest", "[FILE|DIR|-]...", "store documents, claims and events in SQLite",
     "Stores each document and everything found in it in the database (created when missing, never for inputs that "
     "hold no document), and writes Datasette's metadata.json beside it. The same bytes with the same rules are "
     "skipped; each document is one transaction. A progress line shows on a terminal.",
     "rdmj", {NULL}, {"claimscan ingest corpus/", "claimscan ingest --db reports.db reports/ minutes/*.html"},
     cmd_ingest},
    {"merge", "SHARD.db...", "add shard databases, as one ingest of them all",
     "Adds the documents of each shard database (built by ingest on another machine or job) to --db, so that the "
     "result is the database one ingest of all their documents builds: documents held already are skipped, and those "
     "of a site whose boilerplate is learned across shards are extracted again. A progress line shows on a terminal.",
     "rd", {NULL}, {"claimscan merge --db all.db shard-*.db", "parallel claimscan ingest -q --db shard-{#}.db ::: a/ b/ c/"},
     cmd_merge},
    {"claims", "", "list stored claims with their sentences",
     "Lists the stored claims with their document and source sentence. The filters keep claims whose indicator, "
     "speaker or document path contains the text given (case-insensitive), or whose target was met, missed or not "
     "stated. csv, tsv and jsonl give each quantity as a number and a unit.",
     "disDM", {"table", "csv", "tsv", "jsonl", NULL},
     {"claimscan claims --met no", "claimscan claims --speaker Okafor --format csv > okafor.csv"}, cmd_claims},
    {"check", "", "cross-check stored claims: findings with evidence",
     "Cross-checks the stored claims and prints the findings, each with its evidence and why the claims were "
     "matched; they are stored in the findings table too. The text format ends with every target stated against "
     "actual. A progress line shows on a terminal. --integrity runs SQLite's full integrity check of the database "
     "instead, read-only, and lists any damage (exit 1 when there is some).",
     "rdI", {"text", "csv", "tsv", "jsonl", NULL},
     {"claimscan check", "claimscan check --format jsonl | jq -r .explanation"}, cmd_check},
    {"timeline", "", "the events, merged across documents",
     "Lists the stored events merged across documents (same type, dates within 60 days, agreeing actors), each with "
     "its sources. timelinejs and timelinejs-csv are ready for a TimelineJS page or spreadsheet.",
     "d", {"json", "csv", "tsv", "jsonl", "timelinejs", "timelinejs-csv", NULL},
     {"claimscan timeline --format csv", "claimscan timeline --format timelinejs > timeline.json"}, cmd_timeline},
    {"report", "", "the HTML report, one self-contained file",
     "Writes one self-contained HTML page: the timeline, findings, claims with search and filters, targets against "
     "actuals, people and their appearances, and the source sentences with their figures marked. It makes no "
     "request when opened.",
     "rdo", {NULL}, {"claimscan report", "claimscan report --db reports.db --out reports.html"}, cmd_report},
    {"search", "QUERY...", "full-text search of the stored documents",
     "Searches the stored documents' titles and text (SQLite FTS5: words, \"a phrase\", OR, NOT, prefix*; text "
     "that is not that syntax is read as plain words) and lists them best first with a snippet. Exits 1 when "
     "nothing matches, as grep does.",
     "dl", {"table", "csv", "tsv", "jsonl", NULL},
     {"claimscan search improvement notice", "claimscan search --format jsonl '\"special measures\"' | jq .doc"},
     cmd_search},
    {"rules", "test|lint", "run the rule files' examples, or lint them",
     "rules test runs every match and nomatch example in the rule files; rules lint reports rules without examples "
     "and unused macros as file:line:col.",
     "r", {NULL}, {"claimscan rules test", "claimscan rules lint --rules my-rules/"}, cmd_rules},
    {"help", "[COMMAND]", "a command's options and examples",
     "Shows a command's options and examples; with no command, the list of commands.", "", {NULL},
     {"claimscan help extract", "claimscan search --help"}, cmd_help},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

/* The long options; the code of each is the letter commands[].opts lists. */
static const struct option longs[] = {
    {"rules", required_argument, NULL, 'r'}, {"format", required_argument, NULL, 'f'},
    {"db", required_argument, NULL, 'd'},    {"max-size", required_argument, NULL, 'm'},
    {"explain", no_argument, NULL, 'e'},     {"indicator", required_argument, NULL, 'i'},
    {"speaker", required_argument, NULL, 's'}, {"doc", required_argument, NULL, 'D'},
    {"met", required_argument, NULL, 'M'},   {"out", required_argument, NULL, 'o'},
    {"limit", required_argument, NULL, 'l'}, {"quiet", no_argument, NULL, 'q'},
    {"color", required_argument, NULL, 'C'}, {"colour", required_argument, NULL, 'C'},
    {"jobs", required_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},
    {"integrity", no_argument, NULL, 'I'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static const struct {
    int code;
    const char *spec, *help;
} option_help[] = {
    {'d', "--db PATH", "the database (default out/claims.db)"},
    {'f', "--format FORMAT", NULL},
    {'i', "--indicator TEXT", "claims whose indicator contains TEXT"},
    {'s', "--speaker NAME", "claims whose speaker's name contains NAME"},
    {'D', "--doc PATH", "claims of the documents whose path contains PATH"},
    {'M', "--met yes|no|unknown", "claims whose target was met, missed or not stated"},
    {'l', "--limit N", "at most N results (default 20; 0 for all)"},
    {'o', "--out PATH", "where the report goes (default out/report.html)"},
    {'e', "--explain", "every block with its keep or drop decision and its signals"},
    {'I', "--integrity", "SQLite's full integrity check of the database instead of the checks"},
    {'m', "--max-size BYTES", "the largest input accepted (default 64 MiB)"},
    {'j', "-j, --jobs N", "N extraction threads (default: one per processor); the output and the database are "
                          "those of -j 1"},
    {'r', "--rules DIR", "the rule directory (default $CLAIMSCAN_RULES, then rules/ next to the binary, then "
                         CLAIMSCAN_DATADIR "/rules)"},
    {'q', "-q, --quiet", "no progress line, summary or notes on standard error"},
    {'C', "--color WHEN", "auto (colour on a terminal unless NO_COLOR is set), always or never"},
    {'h', "-h, --help", "this help"},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

/* Writes text wrapped at 78 columns, each line indented by indent spaces;
 * first is where the first line starts already. */
static void wrap(FILE *f, const char *text, int indent, int first)
{
    int col = first;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (col > indent && col + 1 + (int)n > 78) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        } else if (col < indent) {
            fprintf(f, "%*s", indent - col, "");
            col = indent;
        }
        fwrite(p, 1, n, f);
        col += (int)n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

static void usage(FILE *f)
{
    fputs("usage: claimscan COMMAND [OPTIONS] [ARGS]...\n\nCommands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'claimscan help COMMAND' or 'claimscan COMMAND --help' shows a command's options and examples.\n"
          "\nOptions of every command:\n"
          "  -q, --quiet       no progress line, summary or notes on standard error\n"
          "  --color WHEN      auto (colour on a terminal unless NO_COLOR is set), always or never\n"
          "  -h, --help        the command's help\n"
          "  --version         the version\n"
          "\nExit status: 0 all inputs done, 1 some input failed (the others were processed), nothing\n"
          "found (search) or no document in the inputs, 2 usage error or unusable rules or database.\n",
          f);
}

static void option_line(FILE *f, const command *c, int code)
{
    for (size_t i = 0; i < sizeof option_help / sizeof *option_help; i++) {
        if (option_help[i].code != code)
            continue;
        fprintf(f, "  %-22s", option_help[i].spec);
        if (code != 'f') {
            wrap(f, option_help[i].help, 24, 24);
            return;
        }
        for (int k = 0; c->formats[k]; k++)
            fprintf(f, "%s%s", k ? ", " : "", c->formats[k]);
        fprintf(f, " (default %s)\n", c->formats[0]);
    }
}

static void command_help(FILE *f, const command *c)
{
    fprintf(f, "usage: claimscan %s [OPTIONS]%s%s\n\n", c->name, c->args[0] ? " " : "", c->args);
    wrap(f, c->about, 0, 0);
    fputs("\nOptions:\n", f);
    if (c->formats[0])
        option_line(f, c, 'f');
    for (const char *p = c->opts; *p; p++)
        if (*p != 'f')
            option_line(f, c, *p);
    option_line(f, c, 'q');
    option_line(f, c, 'C');
    option_line(f, c, 'h');
    fprintf(f, "\nExamples:\n  %s\n  %s\n", c->examples[0], c->examples[1]);
}

static void unknown_command(const char *name)
{
    buf known;
    buf_init(&known, 0);
    for (size_t i = 0; i < NCOMMANDS; i++)
        buf_printf_put(&known, "%s %s", i ? "," : "", commands[i].name);
    diag("unknown command '%s'; the commands are:%s", name, buf_str(&known));
    fputs("(claimscan --help lists what each does)\n", stderr);
    buf_free(&known);
}

static int cmd_help(const options *o, char **args, int n)
{
    (void)o;
    if (n == 0) {
        usage(stdout);
        return EXIT_ALL_OK;
    }
    const command *c = find_command(args[0]);
    if (!c) {
        unknown_command(args[0]);
        return EXIT_USAGE;
    }
    command_help(stdout, c);
    return EXIT_ALL_OK;
}

/* A count from an option's text: 1 and *v set, or 0. */
static int parse_count(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return !errno && end != s && !*end && s[0] != '-';
}

/* Reads the options of command c into o. Returns -1 to go on, else the exit
 * code (help printed, or a usage error reported). */
static int parse_options(const command *c, int argc, char **argv, options *o)
{
    const char *color = "auto";
    int code;
    optind = 2;
    opterr = 0; /* the messages below name the command */
    int idx = -1;
    while ((code = getopt_long(argc, argv, ":qhj:", longs, &idx)) != -1) {
        if (code == '?' || code == ':') {
            diag("%s: %s '%s' (claimscan help %s shows the options)", c->name,
                    code == '?' ? "unknown option" : "a value is missing after", argv[optind - 1], c->name);
            return EXIT_USAGE;
        }
        if (!strchr("qhCV", code) && !strchr(c->opts, code) && !(code == 'f' && c->formats[0])) {
            diag("%s: %s does not apply to this command (claimscan help %s)", c->name,
                    argv[optind - 1 - (optarg && optarg == argv[optind - 1])], c->name);
            return EXIT_USAGE;
        }
        unsigned long long v;
        switch (code) {
        case 'r': o->rules_dir = optarg; break;
        case 'f': o->format = optarg; break;
        case 'd': o->db = optarg; break;
        case 'e': o->explain = 1; break;
        case 'I': o->integrity = 1; break;
        case 'q': o->quiet = 1; break;
        case 'i': o->indicator = optarg; break;
        case 's': o->speaker = optarg; break;
        case 'D': o->docfilter = optarg; break;
        case 'M': o->met = optarg; break;
        case 'o': o->out = optarg; break;
        case 'C': color = optarg; break;
        case 'l':
            if (!parse_count(optarg, &v)) {
                diag("--limit takes a number (0 for all)");
                return EXIT_USAGE;
            }
            o->limit = (size_t)v;
            break;
        case 'j':
            if (!parse_count(optarg, &v) || v == 0 || v > 256) {
                diag("--jobs takes a number of threads from 1 to 256");
                return EXIT_USAGE;
            }
            o->jobs = (size_t)v;
            break;
        case 'm':
            if (!parse_count(optarg, &v) || v == 0) {
                diag("--max-size takes a number of bytes");
                return EXIT_USAGE;
            }
            o->max_size = (size_t)v;
            break;
        case 'h': command_help(stdout, c); return finish_output(EXIT_ALL_OK);
        case 'V': printf("claimscan %s\n", VERSION); return finish_output(EXIT_ALL_OK);
        default: return EXIT_USAGE;
        }
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        diag("--color takes auto, always or never");
        return EXIT_USAGE;
    }
    const char *no_color = getenv("NO_COLOR");
    o->color = !strcmp(color, "always") || (!strcmp(color, "auto") && isatty(1) && !(no_color && *no_color));
    if (c->formats[0] && !format_ok(c->name, o->format, c->formats))
        return EXIT_USAGE;
    return -1;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
    /* Arrays of a megabyte or more (a large page's mentions, blocks and
     * claims) get mappings of their own: they grow in place and go back to
     * the system when freed. Left to glibc, the threshold rises to the size
     * of the largest block freed (the raw input), and later arrays grow by
     * copying inside a heap that does not shrink. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return finish_output(EXIT_ALL_OK);
    }
    if (!strcmp(name, "--version")) {
        printf("claimscan %s\n", VERSION);
        return finish_output(EXIT_ALL_OK);
    }
    const command *c = find_command(name);
    if (!c) {
        unknown_command(name);
        return EXIT_USAGE;
    }
    options o = {NULL, c->formats[0], "out/claims.db", LOAD_DEFAULT_MAX, 0, 0, 0, NULL, NULL, NULL, NULL,
                 "out/report.html", 20, 0, 0, isatty(STDOUT_FILENO)};
    int rc = parse_options(c, argc, argv, &o);
    if (rc >= 0)
        return rc;
    return finish_output(c->run(&o, argv + optind, argc - optind));
}
