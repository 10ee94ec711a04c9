/* bench: medians and ratios for the stages users wait on.
 *
 *   clean   ms per page for `clean` on the Readability pages, against a bare
 *           libxml2 SAX parse of the same bytes in the same run (the floor)
 *   rules   MB/s of the rules stage (scan + resolve) over their cleaned text
 *   ingest  documents/s of ingest into a fresh SQLite file against extract to
 *           /dev/null of the same N documents, with peak memory checkpoints
 *
 * usage: bench clean|rules PAGES_DIR [REPS]
 *        bench ingest PAGES_DIR CORPUS_DIR N DBPATH
 * Timings are medians over REPS runs (default 7): the machines are shared. */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "extract.h"
#include "ingest.h"
#include "load.h"
#include "store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmpd);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

typedef struct {
    char *path, *bytes;
    size_t len;
} page;

static page *read_pages(const char *dir, size_t *n)
{
    size_t nf = 0;
    cs_error err;
    char **files = load_list_dir(dir, &nf, &err);
    if (!files) {
        fprintf(stderr, "bench: %s: %s\n", dir, err.msg);
        exit(2);
    }
    page *p = cs_xcalloc(nf + 1, sizeof *p);
    *n = 0;
    for (size_t i = 0; i < nf; i++) {
        size_t l = strlen(files[i]);
        int want = l > 12 && !strcmp(files[i] + l - 12, "/source.html");
        if (!want && strstr(dir, "readability") == NULL)
            want = 1; /* a corpus directory: every file */
        if (!want)
            continue;
        FILE *f = fopen(files[i], "rb");
        if (!f)
            continue;
        buf b;
        buf_init(&b, 0);
        char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_put(&b, chunk, k);
        fclose(f);
        p[*n].path = cs_xstrdup(files[i]);
        p[*n].len = b.len;
        p[*n].bytes = buf_detach(&b);
        (*n)++;
    }
    load_free_list(files, nf);
    return p;
}

static void sax_nop(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* The floor: libxml2's HTML push parser with no handlers doing work. */
static void bare_parse(const page *p)
{
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.error = sax_nop;
    sax.warning = sax_nop;
    htmlParserCtxtPtr c = htmlCreatePushParserCtxt(&sax, NULL, NULL, 0, p->path, XML_CHAR_ENCODING_UTF8);
    htmlCtxtUseOptions(c, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                              HTML_PARSE_IGNORE_ENC | HTML_PARSE_NOIMPLIED);
    htmlParseChunk(c, p->bytes, (int)p->len, 0);
    htmlParseChunk(c, NULL, 0, 1);
    htmlFreeParserCtxt(c);
}

static rules_set *rules(void)
{
    cs_error err;
    rules_set *rs = rules_load("rules", &err);
    if (!rs) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(2);
    }
    return rs;
}

/* Per page, the bare parse and clean back to back (the same load for both);
 * per run, the sums; reported: medians and the median of per-run ratios. */
static int bench_clean(page *p, size_t n, int reps)
{
    rules_set *rs = rules();
    double *tb = cs_xcalloc((size_t)reps, sizeof *tb), *tc = cs_xcalloc((size_t)reps, sizeof *tc);
    double *ratio = cs_xcalloc((size_t)reps, sizeof *ratio);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += p[i].len;
    for (int r = 0; r < reps; r++) {
        double sb = 0, sc = 0;
        for (size_t i = 0; i < n; i++) {
            double t0 = now();
            bare_parse(&p[i]);
            double t1 = now();
            cs_error err;
            doc *d = load_bytes(p[i].path, p[i].bytes, p[i].len, &err);
            if (d && extract_clean(d, rs, &err) != CS_OK)
                fprintf(stderr, "bench: %s: %s\n", p[i].path, err.msg);
            doc_free(d);
            double t2 = now();
            sb += t1 - t0;
            sc += t2 - t1;
        }
        tb[r] = sb * 1000 / (double)n;
        tc[r] = sc * 1000 / (double)n;
        ratio[r] = sc / sb;
    }
    double mb = median(tb, reps), mc = median(tc, reps), mr = median(ratio, reps);
    printf("clean: %zu pages, %.1f MB, %d runs\n", n, (double)bytes / 1e6, reps);
    printf("  bare libxml2 SAX parse  %.3f ms/page (median)\n", mb);
    printf("  claimscan clean         %.3f ms/page (median)\n", mc);
    printf("  ratio clean/parse       %.2f (median of the per-run ratios)\n", mr);
    free(ratio);
    free(tb);
    free(tc);
    rules_free(rs);
    return 0;
}

static int bench_rules(page *p, size_t n, int reps)
{
    rules_set *rs = rules();
    char **texts = cs_xcalloc(n + 1, sizeof *texts);
    size_t *lens = cs_xcalloc(n + 1, sizeof *lens), total = 0;
    for (size_t i = 0; i < n; i++) {
        cs_error err;
        doc *d = load_bytes(p[i].path, p[i].bytes, p[i].len, &err);
        if (d && extract_clean(d, rs, &err) == CS_OK) {
            texts[i] = cs_xstrndup(d->text, d->text_len);
            lens[i] = d->text_len;
            total += d->text_len;
        }
        doc_free(d);
    }
    double *t = cs_xcalloc((size_t)reps, sizeof *t);
    rules_match *m = NULL;
    size_t cap = 0, found = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        found = 0;
        for (size_t i = 0; i < n; i++) {
            if (!texts[i])
                continue;
            size_t k = 0;
            rules_scan(rs, texts[i], lens[i], &m, &k, &cap, NULL, NULL);
            found += rules_resolve(m, k);
        }
        t[r] = now() - t0;
    }
    double med = median(t, reps);
    printf("rules: %zu rules over %zu cleaned texts, %.2f MB, %zu matches kept, %d runs\n", rules_count(rs), n,
           (double)total / 1e6, found, reps);
    printf("  %.1f MB/s on one core (median %.3f s a pass)\n", (double)total / 1e6 / med, med);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    free(t);
    free(m);
    rules_free(rs);
    return 0;
}

typedef struct {
    const char *path, *text;
} miss_ctx;

static void print_miss(void *ctx, const rules_match *m)
{
    const miss_ctx *c = ctx;
    printf("%s: %s \"%.*s\"\n", c->path, rules_id(m->rule), (int)(m->end - m->start), c->text + m->start);
}

/* Lists the matches where the trigger path and the full scan differ. */
static int contract(page *p, size_t n)
{
    rules_set *rs = rules();
    size_t diffs = 0;
    for (size_t i = 0; i < n; i++) {
        cs_error err;
        doc *d = load_bytes(p[i].path, p[i].bytes, p[i].len, &err);
        if (!d || extract_clean(d, rs, &err) != CS_OK) {
            doc_free(d);
            continue;
        }
        miss_ctx c = {p[i].path, d->text};
        diffs += rules_trigger_misses(rs, d->text, d->text_len, print_miss, &c, NULL, NULL);
        doc_free(d);
    }
    printf("%zu matches of the full scan missed by the trigger path\n", diffs);
    rules_free(rs);
    return diffs != 0;
}

/* The i-th generated document: a base page varied so its sha256 is unique. */
static char *variant(const page *base, size_t i, size_t *len)
{
    buf b;
    buf_init(&b, 0);
    buf_put(&b, base->bytes, base->len);
    char tail[96];
    snprintf(tail, sizeof tail, "\n<!-- variant %zu -->\n", i);
    buf_puts(&b, tail);
    *len = b.len;
    return buf_detach(&b);
}

/* Extract-to-/dev/null and ingest of the same documents, alternating in
 * chunks of BENCH_CHUNK so both halves of the ratio see the same machine
 * load. Ingest runs the CLI's pipeline (ingest.h): extraction on this
 * thread, storage on the writer's; each chunk is drained before the clock
 * stops. Memory is read at checkpoints to show it does not grow with the
 * corpus. */
#define BENCH_CHUNK 100
static int bench_ingest(page *p, size_t n, size_t total, const char *db)
{
    rules_set *rs = rules();
    FILE *null = fopen("/dev/null", "w");
    remove(db);
    cs_error err;
    store *s = store_open(db, &err);
    if (!s || !null) {
        fprintf(stderr, "bench: %s\n", s ? "cannot open /dev/null" : err.msg);
        return 1;
    }
    ingest *g = ingest_start(s, rs, NULL);
    double te = 0, ti = 0;
    size_t claims = 0;
    long mem_at_10pct = 0;
    char **bytes = cs_xcalloc(BENCH_CHUNK, sizeof *bytes);
    size_t *lens = cs_xcalloc(BENCH_CHUNK, sizeof *lens);
    for (size_t first = 0; first < total; first += BENCH_CHUNK) {
        size_t k = total - first < BENCH_CHUNK ? total - first : BENCH_CHUNK;
        for (size_t j = 0; j < k; j++)
            bytes[j] = variant(&p[(first + j) % n], first + j, &lens[j]);
        double t0 = now();
        for (size_t j = 0; j < k; j++) {
            doc *d = load_bytes(p[(first + j) % n].path, bytes[j], lens[j], &err);
            extract_result r;
            if (d && extract_document(d, rs, &r, NULL, &err) == CS_OK) {
                if (extract_write_jsonl(null, &r) != CS_OK)
                    return 1;
                claims += r.claims.n;
            }
            extract_result_free(&r);
            doc_free(d);
        }
        double t1 = now();
        for (size_t j = 0; j < k; j++) {
            doc *d = load_bytes(p[(first + j) % n].path, bytes[j], lens[j], &err);
            if (d)
                ingest_add(g, d, NULL);
        }
        ingest_drain(g);
        double t2 = now();
        te += t1 - t0;
        ti += t2 - t1;
        for (size_t j = 0; j < k; j++)
            free(bytes[j]);
        if (first < total / 10 && first + k >= total / 10)
            mem_at_10pct = peak_kb();
    }
    ingest_totals t;
    ingest_finish(g, &t);
    store_close(s);
    free(bytes);
    free(lens);
    printf("ingest: %zu documents (%zu distinct pages varied), %zu claims; %zu stored, %zu failed\n", total, n,
           claims, t.stored, t.failed);
    printf("  extract to /dev/null  %.1f s  %.0f docs/s  %.0f claims/s\n", te, (double)total / te, (double)claims / te);
    printf("  ingest into SQLite    %.1f s  %.0f docs/s  %.0f claims/s\n", ti, (double)total / ti, (double)claims / ti);
    printf("  ratio ingest/extract  %.2f\n", ti / te);
    printf("  peak RSS: %ld KB at 10%% of the corpus, %ld KB at the end\n", mem_at_10pct, peak_kb());
    fclose(null);
    rules_free(rs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench clean|rules PAGES_DIR [REPS] | bench ingest PAGES_DIR CORPUS_DIR N DB\n");
        return 2;
    }
    size_t n = 0;
    page *p = read_pages(argv[2], &n);
    if (!strcmp(argv[1], "ingest") && argc >= 6) {
        size_t m = 0;
        page *q = read_pages(argv[3], &m);
        p = cs_xrealloc(p, (n + m + 1) * sizeof *p);
        memcpy(p + n, q, m * sizeof *q);
        free(q);
        n += m;
    }
    if (!n) {
        fprintf(stderr, "bench: no pages under %s\n", argv[2]);
        return 2;
    }
    int rc;
    if (!strcmp(argv[1], "clean"))
        rc = bench_clean(p, n, argc > 3 ? atoi(argv[3]) : 7);
    else if (!strcmp(argv[1], "rules"))
        rc = bench_rules(p, n, argc > 3 ? atoi(argv[3]) : 7);
    else if (!strcmp(argv[1], "contract"))
        rc = contract(p, n);
    else if (!strcmp(argv[1], "ingest") && argc >= 6)
        rc = bench_ingest(p, n, (size_t)strtoull(argv[4], NULL, 10), argv[5]);
    else
        rc = 2;
    for (size_t i = 0; i < n; i++) {
        free(p[i].path);
        free(p[i].bytes);
    }
    free(p);
    return rc;
}
