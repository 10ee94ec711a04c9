/* bench: medians and ratios for the stages users wait on.
 *
 *   clean   ms per page for `clean` on the Readability pages, against a bare
 *           libxml2 SAX parse of the same bytes in the same run (the floor)
 *   rules   MB/s of the rules stage (scan + resolve) over their cleaned text
 *   ingest  documents/s of ingest into a fresh SQLite file against extract to
 *           /dev/null of the same N documents, with peak memory checkpoints
 *
 *   gen     writes a generated archive of N council pages (bench-scale)
 *
 * usage: bench clean|rules PAGES_DIR [REPS]
 *        bench ingest PAGES_DIR CORPUS_DIR N DBPATH
 *        bench gen DIR N [FIRST]
 * Timings are medians over REPS runs (default 7): the machines are shared. */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
                              HTML_PARSE_IGNORE_ENC);
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


/* ---- generated archives (bench gen) ------------------------------------ */

/* A small deterministic generator (xorshift64*), so an archive is the same
 * on every run. */
static unsigned long long rng_next(unsigned long long *s)
{
    *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static size_t pick(unsigned long long *s, size_t n)
{
    return (size_t)(rng_next(s) % n);
}

#define GEN_DOCS_PER_PLACE 50

/* The name of place k: two syllables, then a word when those run out. */
static void place_name(size_t k, char *out, size_t cap)
{
    static const char *const a[] = {"North", "South", "East", "West", "Ash", "Birch", "Black", "Bramble", "Brook",
                                    "Clay", "Cold", "Crow", "Elm", "Fair", "Fern", "Glen", "Green", "Hart", "Hazel",
                                    "High", "Holly", "Kings", "Lark", "Long", "Mill", "Moss", "Oak", "Pen", "Red",
                                    "Rose", "Salt", "Stan", "Stone", "Thorn", "Wold", "Wolver"};
    static const char *const b[] = {"moor", "ford", "bury", "ton", "ham", "wick", "field", "dale", "stow", "combe",
                                    "ley", "minster", "borough", "worth", "mouth", "bridge", "well", "by"};
    static const char *const c[] = {"", " Vale", " Heath", " Downs", " Valley", " Forest", " Coast", " Marsh"};
    size_t na = sizeof a / sizeof *a, nb = sizeof b / sizeof *b, nc = sizeof c / sizeof *c;
    snprintf(out, cap, "%s%s%s", a[k % na], b[(k / na) % nb], c[(k / (na * nb)) % nc]);
}

typedef struct {
    const char *indicator, *unit; /* unit: "%" or "" (a count) */
    double lo, hi;
} gen_measure;

static const gen_measure gen_measures[] = {
    {"household waste sent for recycling", "%", 30, 60},
    {"children's social care assessments completed within 45 days", "%", 60, 98},
    {"council tax collected", "%", 90, 99},
    {"planning applications decided on time", "%", 55, 95},
    {"child protection plans reviewed on time", "%", 70, 100},
    {"households in temporary accommodation", "", 80, 1900},
    {"new affordable homes delivered", "", 40, 700},
    {"children in care", "", 200, 1500},
    {"potholes repaired within 28 days", "%", 40, 95},
    {"adults receiving long-term care at home", "", 300, 4000},
};
#define GEN_NMEASURES (sizeof gen_measures / sizeof *gen_measures)

static void gen_value(buf *b, const gen_measure *m, double v)
{
    if (m->unit[0])
        buf_printf_put(b, "%.1f%%", v);
    else
        buf_printf_put(b, "%.0f", v);
}

/* One sentence stating measure m for the year, with a target now and then. */
static void gen_claim(buf *b, unsigned long long *r, const gen_measure *m, int year)
{
    double span = m->hi - m->lo, v = m->lo + span * (double)pick(r, 1000) / 1000;
    double t = m->lo + span * (double)pick(r, 1000) / 1000;
    static const char *const lead[] = {"<p>The %s of %s was ", "<p>The latest figures put the %s of %s at ",
                                       "<p>The quarterly report shows the %s of %s at "};
    buf_printf_put(b, lead[pick(r, 3)], m->unit[0] ? "share" : "number", m->indicator);
    gen_value(b, m, v);
    buf_printf_put(b, " in %d/%02d", year - 1, year % 100);
    if (pick(r, 2)) {
        buf_puts(b, ", against a target of ");
        gen_value(b, m, t);
    }
    buf_puts(b, ".</p>\n");
}

/* The i-th generated document: a council page of place i / 50, dated
 * 2019-2025, with the site's chrome, a leader's words, performance figures,
 * an amount and sometimes an intervention. */
static char *gen_document(size_t i, size_t *len, char *name, size_t namecap)
{
    static const char *const given[] = {"Amanda", "Brian", "Catherine", "David", "Eleanor", "Farid", "Grace",
                                        "Harjit", "Imogen", "James", "Karen", "Liam", "Monica", "Nadia", "Owen",
                                        "Priya", "Rachel", "Simon", "Tariq", "Victoria"};
    static const char *const family[] = {"Brooks", "Clarke", "Dawson", "Ellis", "Fletcher", "Gill", "Hughes",
                                         "Iqbal", "Jones", "Khan", "Lewis", "Marsh", "Norris", "Osei", "Patel",
                                         "Quinn", "Reid", "Shaw", "Turner", "Walsh"};
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    static const char *const projects[] = {"the new leisure centre", "the children's services improvement plan",
                                           "road maintenance", "the town centre regeneration scheme",
                                           "the flood defence programme", "adult social care"};
    size_t place = i / GEN_DOCS_PER_PLACE;
    unsigned long long r = 0x9E3779B97F4A7C15ULL ^ (i * 0xBF58476D1CE4E5B9ULL + 1), pr = 77 + place * 31;
    rng_next(&pr);
    char pl[64];
    place_name(place, pl, sizeof pl);
    const char *lg = given[pick(&pr, 20)], *lf = family[pick(&pr, 20)];
    const char *proj = projects[pick(&pr, 6)];
    int year = 2019 + (int)pick(&r, 7), month = (int)pick(&r, 12), day = 1 + (int)pick(&r, 28);
    buf b;
    buf_init(&b, 0);
    buf_printf_put(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta property=\"og:site_name\" content=\"%s Council\">"
                       "<meta name=\"date\" content=\"%d-%02d-%02d\"><title>%s Council news, %d %s %d</title></head><body>\n"
                       "<div class=\"banner\"><p>Welcome to the website of %s Council.</p></div>\n"
                       "<div id=\"content\"><h1>%s Council news, %d %s %d</h1>\n<p>Published: %d %s %d</p>\n",
                   pl, year, month + 1, day, pl, day, months[month], year, pl, pl, day, months[month], year, day,
                   months[month], year);
    buf_printf_put(&b, "<p>%s Council published its latest figures on %d %s %d.</p>\n", pl, day, months[month], year);
    size_t nclaims = 2 + pick(&r, 4);
    for (size_t k = 0; k < nclaims; k++)
        gen_claim(&b, &r, &gen_measures[pick(&r, GEN_NMEASURES)], year);
    buf_printf_put(&b, "<p>Council leader Councillor %s %s said: \"We have %s more to do, and we will do it.\"</p>\n",
                   lg, lf, pick(&r, 2) ? "much" : "a little");
    double m = 1 + (double)pick(&r, 400) / 10;
    buf_printf_put(&b, "<p>The council %s &pound;%.1f million for %s in %d.</p>\n",
                   pick(&r, 2) ? "estimates it needs" : "has allocated", m, proj, year);
    if (!pick(&r, 5))
        buf_printf_put(&b, "<p>In %s %d Ofsted rated %s Council's children's services inadequate.</p>\n",
                       months[pick(&r, 12)], year - 1, pl);
    if (!pick(&r, 9))
        buf_printf_put(&b, "<p>The government appointed commissioners to run %s Council in %s %d.</p>\n", pl,
                       months[pick(&r, 12)], year);
    buf_printf_put(&b, "</div>\n<div class=\"footer\"><p>%s Council, Town Hall, %s.</p>"
                       "<p>Contact us | Accessibility | Cookies</p></div>\n</body></html>\n",
                   pl, pl);
    snprintf(name, namecap, "%s", pl);
    for (char *p = name; *p; p++)
        *p = *p == ' ' ? '-' : (char)(*p | 0x20);
    *len = b.len;
    return buf_detach(&b);
}

/* Writes documents first .. first+n-1 as DIR/PLACE/NNNNNNN.html. */
static int gen_archive(const char *dir, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++) {
        char name[64], path[4096];
        size_t len;
        char *bytes = gen_document(i, &len, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        mkdir(dir, 0777);
        mkdir(path, 0777);
        snprintf(path, sizeof path, "%s/%s/%07zu.html", dir, name, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
            fprintf(stderr, "bench: %s: cannot write\n", path);
            free(bytes);
            return 1;
        }
        free(bytes);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench clean|rules PAGES_DIR [REPS] | bench ingest PAGES_DIR CORPUS_DIR N DB"
                        " | bench gen DIR N [FIRST]\n");
        return 2;
    }
    if (!strcmp(argv[1], "gen") && argc >= 4)
        return gen_archive(argv[2], argc > 4 ? (size_t)strtoull(argv[4], NULL, 10) : 0,
                           (size_t)strtoull(argv[3], NULL, 10));
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
