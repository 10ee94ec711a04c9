/* check: findings from the stored claims and figures.
 *
 * Inside a document: a headline share against an "N out of M" count of the
 * same targets; parts that should add up to a stated whole; a stated gap
 * against the stated actual and target; a "met" its own figures deny; a
 * share above 100 per cent. Across documents: an amount of the same kind
 * about the same subject stated differently (a revised estimate), and the
 * same indicator for compatible periods with different values, naming who
 * said each. Indicator phrases are compared as sets of content-word stems;
 * every finding says why its claims were matched. */
#include "check.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "claims.h"
#include "dates.h"
#include "events.h"
#include "rows.h"
#include "strs.h"

typedef struct {
    double v;
    char unit[12]; /* as long as a figure's (mention.h) */
    int set;
} qty;

typedef struct {
    long long id, doc_id, sentence_id;
    char *path, *title, *published, *indicator, *speaker, *sentence, *evidence;
    qty actual, target, previous, gap, change;
    int derived, met; /* met: -1 unknown */
    char period_start[11], period_end[11];
    int approx;       /* the actual figure is qualified ("more than half") */
    char *actual_text; /* surface text of the actual figure */
    double of;        /* "19 out of 50": 50; 0 when absent */
    char **stems;
    size_t nstems;
} cclaim;

typedef struct {
    long long id, doc_id, sentence_id;
    char *path, *title, *published, *text, *sentence, *people;
    double v;
    char unit[8];
    int category; /* AMOUNT_* */
    char year_start[11], year_end[11]; /* the first year its sentence names ("for 2024/25"), or empty */
    char **stems;
    size_t nstems;
} cfigure;

enum { AMOUNT_OTHER, AMOUNT_NEED, AMOUNT_ALLOCATE, AMOUNT_SPEND };

static char *dupcol(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? cs_xstrdup((const char *)t) : NULL;
}

/* The first six columns of the claim and figure queries: the row's id, its
 * document and sentence, and the document's path, title and date. */
static void read_source(sqlite3_stmt *st, long long *id, long long *doc_id, long long *sentence_id, char **path,
                        char **title, char **published)
{
    *id = sqlite3_column_int64(st, 0);
    *doc_id = sqlite3_column_int64(st, 1);
    *sentence_id = sqlite3_column_int64(st, 2);
    *path = dupcol(st, 3);
    *title = dupcol(st, 4);
    *published = dupcol(st, 5);
}

static void getqty(sqlite3_stmt *st, int i, qty *q)
{
    q->set = sqlite3_column_type(st, i) != SQLITE_NULL;
    q->v = sqlite3_column_double(st, i);
    const unsigned char *u = sqlite3_column_text(st, i + 1);
    snprintf(q->unit, sizeof q->unit, "%s", u ? (const char *)u : "");
}

/* ---- words ---------------------------------------------------------- */

/* The n strings of v in one block: the pointers, then the bytes they
 * point to; frees v's. A claim's stems are kept until the end, and there
 * are hundreds of thousands of claims: one allocation each, not one a
 * word. */
static char **pack_stems(char **v, size_t n)
{
    if (!n)
        return v;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(v[i]) + 1;
    char **out = cs_xmalloc(n * sizeof *out + bytes), *p = (char *)(out + n);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(v[i]) + 1;
        out[i] = memcpy(p, v[i], l);
        p += l;
        free(v[i]);
    }
    free(v);
    return out;
}

/* Lower-cased content-word stems of s: stop words and generic words
 * (rules/stem-generic.txt) out, crude suffixes off ("services" -> "servic",
 * "waiting" -> "wait"). */
static char **stems_of(const char *s, const rules_list *stop, const rules_list *generic, size_t *n)
{
    char **out = NULL;
    size_t cap = 0;
    *n = 0;
    for (const char *p = s; p && *p;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && (isalpha((unsigned char)*p) || *p == '-'))
            p++;
        size_t l = (size_t)(p - b);
        if (l < 3 || l > 40 || rules_list_has(stop, b, l))
            continue;
        if (rules_list_has(generic, b, l))
            continue;
        char w[48];
        strs_lower(w, b, l);
        static const char *const suf[] = {"ies", "ing", "ed", "es", "s", NULL};
        for (int i = 0; suf[i]; i++) {
            size_t sl = strlen(suf[i]);
            if (l > sl + 3 && !strcmp(w + l - sl, suf[i])) {
                w[l - sl] = '\0';
                if (i == 0) /* vacancies -> vacancy */
                    w[l - sl] = 'y', w[l - sl + 1] = '\0';
                break;
            }
        }
        int dup = 0;
        for (size_t i = 0; i < *n && !dup; i++)
            dup = !strcmp(out[i], w);
        if (dup)
            continue;
        cs_grow(&out, &cap, *n + 1, sizeof *out);
        out[(*n)++] = cs_xstrdup(w);
    }
    return pack_stems(out, *n);
}

static void free_stems(char **s, size_t n)
{
    (void)n; /* one block: see pack_stems */
    free(s);
}

/* Shared stems and the overlap coefficient |A and B| / min(|A|, |B|). */
static double overlap(char **a, size_t na, char **b, size_t nb, size_t *shared, buf *which)
{
    *shared = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!strcmp(a[i], b[j])) {
                if (which) {
                    if (which->len)
                        buf_puts(which, ", ");
                    buf_puts(which, a[i]);
                }
                (*shared)++;
                break;
            }
    size_t m = na < nb ? na : nb;
    return m ? (double)*shared / (double)m : 0;
}

static int has_word(const char *s, const char *w)
{
    return s && strs_has_word(s, strlen(s), w);
}

/* 1 if an entry of l occurs in s as whole words. */
static int names_any(const rules_list *l, const char *s)
{
    return s && rules_list_find(l, s, strlen(s), NULL) > 0;
}

/* +1 for statements of targets hit (rules/targets-hit.txt), -1 for missed
 * (targets-missed.txt, which wins), 0 for neither. */
static int polarity(const rules_list *hit, const rules_list *missed, const char *s)
{
    return names_any(missed, s) ? -1 : names_any(hit, s) ? 1 : 0;
}

/* 1 if s starts with an entry of l (ASCII case-insensitive), whatever
 * follows it. */
static int starts_with_any(const rules_list *l, const char *s)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (!strncasecmp(s, l->items[i], strlen(l->items[i])))
            return 1;
    return 0;
}

/* 1 if an entry of l occurs in s between non-letters. */
static int has_any_word(const rules_list *l, const char *s)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (has_word(s, l->items[i]))
            return 1;
    return 0;
}

/* Does the share count targets: "half of (its improvement) targets"? One of
 * the four words after "of" starts with a noun of nouns
 * (rules/target-plurals.txt). */
static int governs_targets(const rules_list *nouns, const char *sentence, const char *figure)
{
    const char *at = figure ? strstr(sentence, figure) : NULL;
    if (!at)
        return 0;
    const char *p = at + strlen(figure);
    if (strncmp(p, " of ", 4))
        return 0;
    p += 4;
    for (int words = 0; words < 4 && *p; words++) {
        if (starts_with_any(nouns, p))
            return 1;
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* Does s speak of targets: a word of nouns (rules/target-nouns.txt)? */
static int about_targets(const rules_list *nouns, const char *s)
{
    return has_any_word(nouns, s);
}

/* ---- loading ---------------------------------------------------------- */

/* What a document is about and when: its most frequent proper nouns and
 * its reporting period (the first dated span near its start). */
typedef struct {
    long long id;
    char *subjects[3];
    unsigned sid[3]; /* the subjects numbered: one number a word; 0 for none */
    char period_start[11], period_end[11];
    char published[11];
} cdoc;

typedef struct {
    cclaim *c;
    size_t nc, ccap;
    cfigure *f;
    size_t nf, fcap;
    cdoc *d;
    size_t nd, dcap;
    const rules_list *lower; /* rules/lower-is-better.txt */
    const rules_list *generic; /* rules/stem-generic.txt: words no subject is told by */
    const rules_list *target_nouns, *target_plurals; /* rules/target-*.txt: what a share of targets counts */
    const rules_list *need, *allocate, *spend; /* rules/amount-*.txt: what a sum of money is */
    const rules_list *hit, *missed;            /* rules/targets-*.txt: targets hit or missed */
    const rules_list *above, *below, *near;    /* rules/approx-*.txt: a share stated as a bound or roughly */
    store_cursor *cite;      /* a claim's sentence (or text) by id; keeps its first read error */
    check_list share, arith; /* the findings within documents, made while reading */
} data;

/* The document of an id: d->d is read in id order, so a binary search. */
static const cdoc *doc_of(const data *d, long long id)
{
    size_t lo = 0, hi = d->nd;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->d[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nd && d->d[lo].id == id ? &d->d[lo] : NULL;
}


/* Documents about the same place or body: their subjects meet, or one of
 * them names none (a short report that never says whose it is). */
static int docs_agree(const cdoc *x, const cdoc *y)
{
    if (!x || !y)
        return 0;
    if (!x->sid[0] || !y->sid[0])
        return 1;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (x->sid[i] && x->sid[i] == y->sid[j])
                return 1;
    return 0;
}

static void within_document(data *d, size_t lo, size_t hi);

/* The one-word names of inspectorates and bodies (rules/inspectorates.txt,
 * rules/bodies.txt): named in documents about every place, so never what a
 * document is about. NULL-terminated; free the array only. */
static const char **actor_words(const rules_set *rs)
{
    static const char *const lists[] = {"inspectorates", "bodies"};
    const char **v = NULL;
    size_t n = 0, cap = 0;
    for (size_t k = 0; k < 2; k++) {
        const rules_list *l = rules_lexicon(rs, lists[k]);
        for (size_t i = 0; l && i < l->n; i++)
            if (!strchr(l->items[i], ' ')) {
                cs_grow(&v, &cap, n + 2, sizeof *v);
                v[n++] = l->items[i];
            }
    }
    cs_grow(&v, &cap, n + 1, sizeof *v);
    v[n] = NULL;
    return v;
}

/* s, or prev when they are equal (s freed): the claims of a document
 * share its path and date with the claim before them. */
static char *same_as(char *s, char *prev)
{
    if (!s || !prev || strcmp(s, prev))
        return s;
    free(s);
    return prev;
}

/* Appends the claim of a row of the claims query to d. */
static void read_claim(data *d, sqlite3_stmt *st, const rules_list *stop)
{
    cs_grow(&d->c, &d->ccap, d->nc + 1, sizeof *d->c);
    cclaim *c = &d->c[d->nc++];
    memset(c, 0, sizeof *c);
    read_source(st, &c->id, &c->doc_id, &c->sentence_id, &c->path, &c->title, &c->published);
    if (d->nc > 1 && c[-1].doc_id == c->doc_id) {
        c->path = same_as(c->path, c[-1].path);
        c->published = same_as(c->published, c[-1].published);
    }
    c->indicator = dupcol(st, 6);
    c->speaker = dupcol(st, 7);
    c->sentence = dupcol(st, 8);
    c->evidence = dupcol(st, 9);
    getqty(st, 10, &c->actual);
    getqty(st, 12, &c->target);
    getqty(st, 14, &c->previous);
    getqty(st, 16, &c->gap);
    c->derived = sqlite3_column_int(st, 18);
    c->met = sqlite3_column_type(st, 19) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 19);
    const unsigned char *ps = sqlite3_column_text(st, 20), *pe = sqlite3_column_text(st, 21);
    snprintf(c->period_start, sizeof c->period_start, "%s", ps ? (const char *)ps : "");
    snprintf(c->period_end, sizeof c->period_end, "%s", pe ? (const char *)pe : "");
    c->approx = sqlite3_column_int(st, 22);
    c->actual_text = dupcol(st, 23);
    c->of = sqlite3_column_double(st, 24);
    getqty(st, 25, &c->change);
    c->stems = stems_of(c->indicator, stop, d->generic, &c->nstems);
}


static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The number of documents whose subjects include each subject word: the
 * words sorted, each once in words[0 .. *nw), its count in df. */
static void subject_counts(const data *d, const char ***words, size_t **df, size_t *nw)
{
    const char **all = cs_xmalloc((3 * d->nd + 1) * sizeof *all);
    size_t n = 0, u = 0;
    for (size_t i = 0; i < d->nd; i++)
        for (int k = 0; k < 3 && d->d[i].subjects[k]; k++)
            all[n++] = d->d[i].subjects[k];
    qsort(all, n, sizeof *all, cmp_str);
    *df = cs_xcalloc(n + 1, sizeof **df);
    for (size_t i = 0; i < n; i++) {
        if (!u || strcmp(all[u - 1], all[i]))
            all[u++] = all[i];
        (*df)[u - 1]++;
    }
    *words = all;
    *nw = u;
}

/* A subject word named as the subject of many documents ("Heath" of every
 * "... Heath", "North", "City") does not say which place a document is
 * about, any more than a stop word: a document that also has a rarer
 * subject drops it, so that neither the blocks of candidate pairs nor the
 * test that two documents are about the same place rest on it. Common:
 * more than SUBJECT_DF_SHARE of the documents and SUBJECT_DF_MIN of them. */
enum { SUBJECT_DF_MIN = 200, SUBJECT_DF_SHARE = 50 /* 1/50: 2% */ };

/* The common subject words, sorted, each once; their number in *n. */
static char **common_words(const data *d, size_t *n)
{
    const char **words;
    size_t *df, nw, bound = d->nd / SUBJECT_DF_SHARE;
    subject_counts(d, &words, &df, &nw);
    if (bound < SUBJECT_DF_MIN)
        bound = SUBJECT_DF_MIN;
    char **common = cs_xmalloc((nw + 1) * sizeof *common);
    *n = 0;
    for (size_t i = 0; i < nw; i++)
        if (df[i] > bound)
            common[(*n)++] = cs_xstrdup(words[i]);
    free(words), free(df);
    return common;
}

static void common_subjects(data *d)
{
    size_t nc;
    char **common = common_words(d, &nc);
    for (size_t i = 0; nc && i < d->nd; i++) {
        char **sub = d->d[i].subjects;
        int is[3] = {0}, rare = 0, n = 0;
        for (int k = 0; k < 3 && sub[k]; k++)
            rare |= !(is[k] = bsearch(&sub[k], common, nc, sizeof *common, cmp_str) != NULL);
        for (int k = 0; k < 3 && sub[k]; k++) {
            if (rare && is[k])
                free(sub[k]);
            else
                sub[n++] = sub[k];
        }
        for (int k = n; k < 3; k++)
            sub[k] = NULL;
    }
    for (size_t i = 0; i < nc; i++)
        free(common[i]);
    free(common);
}

/* Numbers the documents' subjects, one number a word, so that docs_agree,
 * asked of every candidate pair, compares numbers and not words. */
static void number_subjects(data *d)
{
    const char **words;
    size_t *df, nw;
    subject_counts(d, &words, &df, &nw);
    for (size_t i = 0; i < d->nd; i++)
        for (int k = 0; k < 3; k++) {
            const char *w = d->d[i].subjects[k];
            const char **at = w ? bsearch(&w, words, nw, sizeof *words, cmp_str) : NULL;
            d->d[i].sid[k] = at ? (unsigned)(at - words) + 1 : 0;
        }
    free(words), free(df);
}

/* Fails with CS_ERR_DB naming the database of db, what could not be done
 * ("read claims") and SQLite's reason. */
static cs_status db_fail(sqlite3 *db, const char *what, cs_error *err)
{
    const char *file = sqlite3_db_filename(db, "main");
    return cs_fail(err, CS_ERR_DB, "%s: cannot %s: %s", file && *file ? file : ":memory:", what, sqlite3_errmsg(db));
}

/* The documents, in id order, with their subjects and the period their
 * opening names. */
static cs_status load_documents(sqlite3 *db, const rules_set *rs, data *d, cs_error *err)
{
    sqlite3_stmt *ds;
    if (sqlite3_prepare_v2(db,
                           "SELECT d.id, coalesce(d.title, '') || ' ' || coalesce(d.title, '') || ' ' ||"
                           " coalesce(d.site, '') || ' ' || coalesce(d.site, '') || ' ' || d.text, d.published,"
                           " (SELECT date_start FROM dates t WHERE t.document_id = d.id AND t.granularity <> 'day'"
                           "   AND t.start < 800 ORDER BY t.start LIMIT 1),"
                           " (SELECT date_end FROM dates t WHERE t.document_id = d.id AND t.granularity <> 'day'"
                           "   AND t.start < 800 ORDER BY t.start LIMIT 1)"
                           " FROM documents d ORDER BY d.id",
                           -1, &ds, NULL) != SQLITE_OK)
        return db_fail(db, "read documents", err);
    const char **actors = actor_words(rs);
    int step;
    while ((step = sqlite3_step(ds)) == SQLITE_ROW) {
        cs_grow(&d->d, &d->dcap, d->nd + 1, sizeof *d->d);
        cdoc *x = &d->d[d->nd++];
        memset(x, 0, sizeof *x);
        x->id = sqlite3_column_int64(ds, 0);
        events_subjects((const char *)sqlite3_column_text(ds, 1), rs, actors, x->subjects);
        const unsigned char *p = sqlite3_column_text(ds, 2), *a = sqlite3_column_text(ds, 3),
                            *b = sqlite3_column_text(ds, 4);
        snprintf(x->published, sizeof x->published, "%s", p ? (const char *)p : "");
        snprintf(x->period_start, sizeof x->period_start, "%s", a ? (const char *)a : "");
        snprintf(x->period_end, sizeof x->period_end, "%s", b ? (const char *)b : "");
    }
    sqlite3_finalize(ds);
    free(actors);
    if (step == SQLITE_DONE) {
        common_subjects(d);
        number_subjects(d);
    }
    return step == SQLITE_DONE ? CS_OK : db_fail(db, "read documents", err);
}

/* The claims, document after document, so that nothing sorts the whole
 * archive's claims: each one's claims are checked within it as soon as
 * they are read, then kept without their texts. */
static cs_status load_claims(sqlite3 *db, const rules_list *stop, data *d, cs_error *err)
{
    static const char *const qc =
        /* a source in a paginated document is cited with its page: "report.pdf, p. 4" */
        "SELECT c.id, c.document_id, c.sentence_id, d.path || coalesce(', p. ' || c.page, ''), d.title, d.published,"
        " c.indicator, p.name, s.text, c.text,"
        " c.actual_value, c.actual_unit, c.target_value, c.target_unit, c.previous_value, c.previous_unit,"
        " c.gap_value, c.gap_unit, c.target_derived, c.met, c.period_start, c.period_end,"
        " a.approx, a.text, a.of, c.change_value, c.change_unit"
        " FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN persons p ON p.id = c.speaker_id"
        " LEFT JOIN sentences s ON s.id = c.sentence_id"
        /* the figure that states the actual value: the first of its sentence */
        " LEFT JOIN figures a ON a.id = (SELECT f.id FROM figures f WHERE f.sentence_id = c.sentence_id"
        "   AND f.value = c.actual_value AND f.unit = c.actual_unit ORDER BY f.start LIMIT 1)"
        " WHERE c.document_id = ?1 ORDER BY c.start";
    sqlite3_stmt *st = NULL, *docs = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_prepare_v2(db, "SELECT id FROM documents ORDER BY published IS NULL, published, path, id", -1, &docs,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, qc, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "read claims", err);
        goto done;
    }
    int step = SQLITE_DONE;
    while (rc == CS_OK && (step = sqlite3_step(docs)) == SQLITE_ROW) {
        size_t first = d->nc;
        sqlite3_bind_int64(st, 1, sqlite3_column_int64(docs, 0));
        int cstep;
        while ((cstep = sqlite3_step(st)) == SQLITE_ROW)
            read_claim(d, st, stop);
        sqlite3_reset(st);
        if (cstep != SQLITE_DONE)
            rc = db_fail(db, "read claims", err);
        else
            within_document(d, first, d->nc);
    }
    if (rc == CS_OK && step != SQLITE_DONE)
        rc = db_fail(db, "read documents", err);
done:
    sqlite3_finalize(docs);
    sqlite3_finalize(st);
    return rc;
}

/* The amount a money figure's sentence speaks of: needed, allocated,
 * spent, or other (rules/amount-need.txt, amount-allocate.txt,
 * amount-spend.txt, in that order). */
static int amount_category(const data *d, const char *sen)
{
    return names_any(d->need, sen)       ? AMOUNT_NEED
           : names_any(d->allocate, sen) ? AMOUNT_ALLOCATE
           : names_any(d->spend, sen)    ? AMOUNT_SPEND
                                         : AMOUNT_OTHER;
}

/* Appends the money figure of st's row to d. */
static void read_figure(data *d, sqlite3_stmt *st, const rules_list *stop)
{
    cs_grow(&d->f, &d->fcap, d->nf + 1, sizeof *d->f);
    cfigure *f = &d->f[d->nf++];
    memset(f, 0, sizeof *f);
    read_source(st, &f->id, &f->doc_id, &f->sentence_id, &f->path, &f->title, &f->published);
    free(f->title); /* not cited */
    f->title = NULL;
    f->text = dupcol(st, 6);
    f->sentence = dupcol(st, 7);
    f->v = sqlite3_column_double(st, 8);
    const unsigned char *u = sqlite3_column_text(st, 9);
    snprintf(f->unit, sizeof f->unit, "%s", u ? (const char *)u : "");
    f->people = dupcol(st, 10);
    const unsigned char *years = sqlite3_column_text(st, 11);
    if (years && strlen((const char *)years) == 21)
        sscanf((const char *)years, "%10s %10s", f->year_start, f->year_end);
    const char *sen = f->sentence ? f->sentence : "";
    f->category = amount_category(d, sen);
    f->stems = stems_of(sen, stop, d->generic, &f->nstems);
}

/* The money figures, by date and document. */
static cs_status load_figures(sqlite3 *db, const rules_list *stop, data *d, cs_error *err)
{
    static const char *const qf =
        "SELECT f.id, f.document_id, f.sentence_id, d.path || coalesce(', p. ' || f.page, ''), d.title, d.published,"
        " f.text, s.text, f.value, f.unit,"
        " (SELECT group_concat(DISTINCT p.name) FROM person_mentions m JOIN persons p ON p.id = m.person_id"
        "   WHERE m.sentence_id = f.sentence_id),"
        " (SELECT y.date_start || ' ' || y.date_end FROM dates y WHERE y.sentence_id = f.sentence_id"
        "   AND y.granularity IN ('year', 'financial_year') ORDER BY y.start LIMIT 1)"
        " FROM figures f JOIN documents d ON d.id = f.document_id LEFT JOIN sentences s ON s.id = f.sentence_id"
        " WHERE f.unit IN ('GBP', 'USD', 'EUR') ORDER BY d.published IS NULL, d.published, d.path, f.start";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, qf, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "read figures", err);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        read_figure(d, st, stop);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? CS_OK : db_fail(db, "read figures", err);
}

/* Everything the checks read, in three passes over the store; a read
 * error is an error, never fewer rows. */
static cs_status load(store *s, const rules_set *rs, data *d, cs_error *err)
{
    sqlite3 *db = store_db(s);
    const rules_list *stop = rules_lexicon(rs, "stopwords");
    cs_status rc = load_documents(db, rs, d, err);
    if (rc == CS_OK)
        rc = load_claims(db, stop, d, err);
    if (rc == CS_OK)
        rc = load_figures(db, stop, d, err);
    return rc;
}

/* The money figures, once the one check that reads them is done. */
static void free_figures(data *d)
{
    for (size_t i = 0; i < d->nf; i++) {
        cfigure *f = &d->f[i];
        free(f->path), free(f->title), free(f->published), free(f->text), free(f->sentence), free(f->people);
        free_stems(f->stems, f->nstems);
    }
    free(d->f);
    d->f = NULL;
    d->nf = d->fcap = 0;
}

static void free_data(data *d)
{
    for (size_t i = 0; i < d->nc; i++) {
        cclaim *c = &d->c[i];
        if (!i || c[-1].path != c->path)
            free(c->path);
        if (!i || c[-1].published != c->published)
            free(c->published);
        free(c->title), free(c->indicator), free(c->speaker);
        free(c->sentence), free(c->evidence), free(c->actual_text);
        free_stems(c->stems, c->nstems);
    }
    free_figures(d);
    for (size_t i = 0; i < d->nd; i++)
        for (int k = 0; k < 3; k++)
            free(d->d[i].subjects[k]);
    free(d->c);
    free(d->d);
    check_list_free(&d->share);
    check_list_free(&d->arith);
}

/* ---- findings --------------------------------------------------------- */

static check_finding *add(check_list *l, const char *kind, const char *severity)
{
    cs_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    check_finding *f = &l->v[l->n++];
    memset(f, 0, sizeof *f);
    f->kind = cs_xstrdup(kind);
    f->severity = severity;
    return f;
}

static void cite_claim(const data *d, check_finding *f, const cclaim *c, buf *ev)
{
    f->claims = cs_xrealloc(f->claims, (f->nclaims + 1) * sizeof *f->claims);
    f->claims[f->nclaims++] = c->id;
    const char *text = c->sentence ? c->sentence : c->evidence;
    if (!text) { /* let go after the checks within its document: read again */
        store_cursor_bind_int(d->cite, 1, c->id);
        if (store_cursor_next(d->cite))
            text = store_cursor_text(d->cite, 0);
    }
    buf_printf_put(ev, "- %s (%s%s%s): \xE2\x80\x9C%s\xE2\x80\x9D\n", c->path, c->published ? c->published : "undated",
                   c->speaker ? ", said by " : "", c->speaker ? c->speaker : "", text ? text : "");
}

static void cite_figure(check_finding *f, const cfigure *g, buf *ev)
{
    f->figures = cs_xrealloc(f->figures, (f->nfigures + 1) * sizeof *f->figures);
    f->figures[f->nfigures++] = g->id;
    buf_printf_put(ev, "- %s (%s%s%s): \xE2\x80\x9C%s\xE2\x80\x9D\n", g->path, g->published ? g->published : "undated",
                   g->people ? ", naming " : "", g->people ? g->people : "", g->sentence ? g->sentence : g->text);
}

static void fmt_qty(char *out, size_t cap, double v, const char *unit)
{
    if (!strcmp(unit, "percent"))
        snprintf(out, cap, "%.10g%%", v);
    else if (!strcmp(unit, "GBP"))
        v >= 1e6 ? snprintf(out, cap, "\xC2\xA3%.10gm", v / 1e6) : snprintf(out, cap, "\xC2\xA3%.10g", v);
    else if (!strcmp(unit, "fraction"))
        snprintf(out, cap, "%.0f%%", v * 100);
    else if (!strcmp(unit, "count"))
        snprintf(out, cap, "%.10g", v);
    else
        snprintf(out, cap, "%.10g %s", v, unit);
}

/* A headline share ("half of targets missed") against an N-out-of-M count
 * of the same document's targets. */
static void share_vs_count(const data *d, size_t lo, size_t hi, check_list *out)
{
    for (size_t i = lo; i < hi; i++) {
        const cclaim *a = &d->c[i];
        if (!a->actual.set || (strcmp(a->actual.unit, "fraction") && strcmp(a->actual.unit, "percent")))
            continue;
        const char *as = a->sentence ? a->sentence : a->evidence;
        int pa = polarity(d->hit, d->missed, as);
        if (!pa || !governs_targets(d->target_plurals, as, a->actual_text))
            continue;
        double stated = !strcmp(a->actual.unit, "percent") ? a->actual.v / 100 : a->actual.v;
        for (size_t j = lo; j < hi; j++) { /* the claims of a's document, in order */
            const cclaim *b = &d->c[j];
            if (!b->actual.set || strcmp(b->actual.unit, "count") || b->of <= 0)
                continue;
            const char *bs = b->sentence ? b->sentence : b->evidence;
            int pb = polarity(d->hit, d->missed, bs);
            if (!pb || !about_targets(d->target_nouns, bs))
                continue;
            double n = b->actual.v, m = b->of;
            double implied = pb == pa ? n / m : (m - n) / m;
            const char *q = a->actual_text ? a->actual_text : "";
            size_t ql = strlen(q);
            int more = rules_list_prefix(d->above, q, ql) > 0;
            int less = rules_list_prefix(d->below, q, ql) > 0;
            int about = rules_list_prefix(d->near, q, ql) > 0;
            int ok = more    ? implied > stated - 0.005
                   : less    ? implied <= stated + 0.005 && implied >= stated - 0.1
                   : about   ? fabs(implied - stated) <= 0.05
                             : fabs(implied - stated) <= 0.03;
            if (ok)
                continue;
            check_finding *f = add(out, "share-vs-count", "high");
            buf ev, ex, why;
            buf_init(&ev, 0), buf_init(&ex, 0), buf_init(&why, 0);
            double k = pb == pa ? n : m - n;
            char share[64]; /* "Half" at a headline's start reads "half" inside a sentence */
            snprintf(share, sizeof share, "%s", q[0] ? q : "a share");
            if (isupper((unsigned char)share[0]) && islower((unsigned char)share[1]))
                share[0] = (char)tolower((unsigned char)share[0]);
            buf_printf_put(&ex,
                           "\xE2\x80\x9C%s\xE2\x80\x9D says %s of the targets were %s, but the same document says "
                           "%.10g out of %.10g were %s: that makes %.10g of %.10g %s, %.0f%%, %s.",
                           a->evidence, share, pa < 0 ? "missed" : "hit", n, m, pb < 0 ? "missed" : "hit",
                           k, m, pa < 0 ? "missed" : "hit", implied * 100,
                           implied > stated ? "more than stated (the share understates it)"
                                            : "fewer than stated (the share overstates it)");
            buf_printf_put(&why,
                           "Both statements count targets of one document (%s) as hit or missed; the share stated "
                           "(%.0f%%%s) is compared with %.10g/%.10g.",
                           a->path, stated * 100, more ? ", as a lower bound" : less ? ", as an upper bound" : "", k, m);
            cite_claim(d, f, a, &ev);
            cite_claim(d, f, b, &ev);
            f->explanation = buf_detach(&ex);
            f->why = buf_detach(&why);
            f->evidence = buf_detach(&ev);
        }
    }
}

/* A finding of kind about claim c alone: explanation ex (taken), why (copied). */
static void claim_finding(const data *d, check_list *out, const char *kind, const char *severity, const cclaim *c,
                          buf *ex, const char *why)
{
    check_finding *f = add(out, kind, severity);
    buf ev;
    buf_init(&ev, 0);
    f->why = cs_xstrdup(why);
    cite_claim(d, f, c, &ev);
    f->explanation = buf_detach(ex);
    f->evidence = buf_detach(&ev);
}

/* A medium finding of kind about claim c whose explanation is format filled
 * with the indicator and the three quantities q, in that order. */
static void arithmetic_finding(const data *d, check_list *out, const char *kind, const cclaim *c, const char *format,
                               const qty *const q[3], const char *why)
{
    char s[3][48];
    for (int i = 0; i < 3; i++)
        fmt_qty(s[i], sizeof s[i], q[i]->v, q[i]->unit);
    buf ex;
    buf_init(&ex, 0);
    buf_printf_put(&ex, format, c->indicator, s[0], s[1], s[2]);
    claim_finding(d, out, kind, "medium", c, &ex, why);
}

/* Whether stated is the distance from one value to another: their
 * difference within a share tol of it (at least 0.05), or, when relative,
 * that difference as a per cent of from, within 1% of it (at least 0.1). */
static int difference_agrees(double from, double to, double stated, double tol, int relative)
{
    double diff = fabs(from - to);
    double rel = from ? diff / from * 100 : -1;
    return fabs(diff - stated) <= fmax(tol * stated, 0.05) ||
           (relative && fabs(rel - stated) <= fmax(0.01 * stated, 0.1));
}

/* A stated gap that is neither the difference of actual and target nor,
 * for per cent, that difference relative to the target. */
static void gap_arithmetic(const data *d, const cclaim *c, check_list *out)
{
    if (!c->actual.set || !c->target.set || !c->gap.set || c->derived || strcmp(c->actual.unit, c->target.unit) ||
        strcmp(c->actual.unit, c->gap.unit))
        return;
    if (difference_agrees(c->target.v, c->actual.v, c->gap.v, 0.005, !strcmp(c->actual.unit, "percent")))
        return;
    const qty *q[3] = {&c->gap, &c->actual, &c->target};
    arithmetic_finding(d, out, "gap-arithmetic", c,
                       "%s: the stated gap of %s does not match an actual of %s against a target of %s.", q,
                       "Actual, target and gap are all stated in the same claim and share a unit.");
}

/* "fell from 22.6 to 20.7 per cent, down 1.9 points": a stated change that
 * is neither the difference nor the relative change in per cent. */
static void change_arithmetic(const data *d, const cclaim *c, check_list *out)
{
    if (!c->previous.set || !c->actual.set || !c->change.set || strcmp(c->previous.unit, c->actual.unit) ||
        (strcmp(c->change.unit, c->actual.unit) &&
         (strcmp(c->actual.unit, "percent") || strcmp(c->change.unit, "points"))))
        return;
    if (difference_agrees(c->previous.v, c->actual.v, c->change.v, 0.01, !strcmp(c->change.unit, "percent")))
        return;
    const qty *q[3] = {&c->previous, &c->actual, &c->change};
    arithmetic_finding(d, out, "change-arithmetic", c, "%s: a change from %s to %s is not the stated %s.", q,
                       "The claim states the earlier value, the new value and the change between them.");
}

/* A target said to be met (or missed) that the claim's own figures deny. */
static void met_contradicted(const data *d, const cclaim *c, check_list *out)
{
    if (c->met < 0 || !c->actual.set || !c->target.set || c->derived || strcmp(c->actual.unit, c->target.unit))
        return;
    int lower = claims_lower_is_better(d->lower, c->indicator);
    int figures_met = lower ? c->actual.v <= c->target.v : c->actual.v >= c->target.v;
    if (figures_met == c->met)
        return;
    char a[48], t[48];
    fmt_qty(a, sizeof a, c->actual.v, c->actual.unit);
    fmt_qty(t, sizeof t, c->target.v, c->target.unit);
    buf ex;
    buf_init(&ex, 0);
    buf_printf_put(&ex, "%s is described as %s its target, but its own figures (%s against %s) say %s.",
                   c->indicator, c->met ? "meeting" : "missing", a, t, figures_met ? "met" : "missed");
    claim_finding(d, out, "met-contradicted", "high", c, &ex,
                  lower ? "Lower is better for this measure; the claim states both figures."
                        : "Higher is better for this measure; the claim states both figures.");
}

/* "120% of residents": a share of a whole above 100 per cent. */
static void impossible_share(const data *d, const cclaim *c, check_list *out)
{
    if (!c->actual.set || strcmp(c->actual.unit, "percent") || c->actual.v <= 100 || !c->sentence ||
        !c->actual_text)
        return;
    const char *at = strstr(c->sentence, c->actual_text);
    if (!at || strncmp(at + strlen(c->actual_text), " of ", 4))
        return;
    buf ex;
    buf_init(&ex, 0);
    buf_printf_put(&ex, "%s of something cannot be more than all of it: %s.", c->actual_text, c->indicator);
    claim_finding(d, out, "impossible-value", "high", c, &ex, "A share of a whole stated above 100 per cent.");
}

/* Checks within one claim: the gap against actual and target, the change
 * against earlier and new values, a "met" the figures deny, a share over
 * 100 per cent. */
static void claim_arithmetic(const data *d, size_t lo, size_t hi, check_list *out)
{
    for (size_t i = lo; i < hi; i++) {
        gap_arithmetic(d, &d->c[i], out);
        change_arithmetic(d, &d->c[i], out);
        met_contradicted(d, &d->c[i], out);
        impossible_share(d, &d->c[i], out);
    }
}

/* The checks within one document, on its claims d->c[lo .. hi); then their
 * texts are let go (cite_claim reads a sentence again when it needs it). */
static void within_document(data *d, size_t lo, size_t hi)
{
    share_vs_count(d, lo, hi, &d->share);
    claim_arithmetic(d, lo, hi, &d->arith);
    for (size_t k = lo; k < hi; k++) {
        cclaim *c = &d->c[k];
        free(c->title), free(c->sentence), free(c->evidence), free(c->actual_text);
        c->title = c->sentence = c->evidence = c->actual_text = NULL;
    }
}

/* A claim by its sentence: the claims sorted by sentence, and within one
 * sentence in the order of d->c, so that a finding looks up its sentence's
 * claims instead of reading every claim. */
typedef struct {
    long long sentence_id, id;
    size_t k; /* its place in d->c */
} sentence_claim;

static int cmp_sentence_claim(const void *a, const void *b)
{
    const sentence_claim *x = a, *y = b;
    if (x->sentence_id != y->sentence_id)
        return x->sentence_id < y->sentence_id ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* d's claims sorted by sentence (d->nc of them); free the array. */
static sentence_claim *sentence_claims(const data *d)
{
    sentence_claim *v = cs_xmalloc((d->nc + 1) * sizeof *v);
    for (size_t k = 0; k < d->nc; k++)
        v[k] = (sentence_claim){d->c[k].sentence_id, d->c[k].id, k};
    qsort(v, d->nc, sizeof *v, cmp_sentence_claim);
    return v;
}

/* The first of the n claims v (sorted) of sentence sid, or where it would be. */
static size_t sentence_first(const sentence_claim *v, size_t n, long long sid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].sentence_id < sid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The finding of st's sentence, whose parts (terms, adding up to sum) miss
 * its whole: its count figures ids and the claims sc of the sentence. */
static void parts_finding(sqlite3_stmt *st, const buf *terms, double sum, double whole, const long long *ids,
                          size_t nid, const sentence_claim *sc, size_t nsc, check_list *out)
{
    check_finding *f = add(out, "parts-vs-whole", "medium");
    buf ev, ex;
    buf_init(&ev, 0), buf_init(&ex, 0);
    buf_printf_put(&ex, "The parts do not add up to the whole: %s = %.10g, but the sentence speaks of %.10g.",
                   buf_str(terms), sum, whole);
    f->why = cs_xstrdup("One sentence names a whole (\"of the N\") and then counts its parts.");
    buf_printf_put(&ev, "- %s (%s): \xE2\x80\x9C%s\xE2\x80\x9D\n", (const char *)sqlite3_column_text(st, 3),
                   sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "undated",
                   (const char *)sqlite3_column_text(st, 1));
    f->figures = cs_xmalloc(nid * sizeof *f->figures);
    memcpy(f->figures, ids, nid * sizeof *ids);
    f->nfigures = nid;
    f->claims = nsc ? cs_xmalloc(nsc * sizeof *f->claims) : NULL;
    for (size_t k = 0; k < nsc; k++)
        f->claims[f->nclaims++] = sc[k].id;
    f->explanation = buf_detach(&ex);
    f->evidence = buf_detach(&ev);
}

/* Parts that should add up to a whole: "Of the 30 indicators, 17 ..., 6 ...
 * and 5 ...". Read from the stored sentence and its count figures. */
static cs_status parts_vs_whole(store *s, const data *d, check_list *out, cs_error *err)
{
    sqlite3 *db = store_db(s);
    static const char *const q =
        "SELECT s.id, s.text, s.start, d.path, d.published FROM sentences s JOIN documents d ON d.id = s.document_id"
        " WHERE s.text LIKE '%of the %' AND (SELECT count(*) FROM figures f WHERE f.sentence_id = s.id"
        " AND f.unit = 'count' AND f.of IS NULL AND f.approx = 0) >= 3";
    sqlite3_stmt *st, *fs;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id, start, text, value FROM figures WHERE sentence_id = ?1 AND unit = 'count'"
                               " AND of IS NULL AND approx = 0 ORDER BY start", -1, &fs, NULL) != SQLITE_OK)
        return db_fail(db, "read sentences", err);
    sentence_claim *bysen = NULL; /* made when the first finding needs it */
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long sid = sqlite3_column_int64(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        long long sstart = sqlite3_column_int64(st, 2);
        double whole = -1, sum = 0;
        int parts = 0, oversized = 0; /* a "part" larger than the whole is something else */
        int nested = 0;               /* "four of the 12 whose ...": a second whole, a subset, not a part */
        long long ids[32];
        size_t nid = 0;
        buf terms;
        buf_init(&terms, 0);
        sqlite3_bind_int64(fs, 1, sid);
        while (sqlite3_step(fs) == SQLITE_ROW && nid < 32) {
            long long off = sqlite3_column_int64(fs, 1) - sstart;
            double v = sqlite3_column_double(fs, 3);
            ids[nid++] = sqlite3_column_int64(fs, 0);
            if (whole < 0) {
                if (off >= 7 && !strncasecmp(text + off - 7, "of the ", 7))
                    whole = v;
                continue;
            }
            nested |= off >= 7 && !strncasecmp(text + off - 7, "of the ", 7);
            if (parts)
                buf_puts(&terms, " + ");
            buf_printf_put(&terms, "%.10g", v);
            sum += v;
            parts++;
            oversized |= v > whole;
        }
        sqlite3_reset(fs);
        if (whole >= 0 && parts >= 2 && !oversized && !nested && fabs(sum - whole) > 0.5) {
            if (!bysen)
                bysen = sentence_claims(d);
            size_t k0 = sentence_first(bysen, d->nc, sid), k1 = k0;
            while (k1 < d->nc && bysen[k1].sentence_id == sid)
                k1++;
            parts_finding(st, &terms, sum, whole, ids, nid, bysen + k0, k1 - k0, out);
        }
        buf_free(&terms);
    }
    free(bysen);
    sqlite3_finalize(fs);
    sqlite3_finalize(st);
    return CS_OK;
}

/* The span a claim speaks of: its own period, else its document's
 * reporting period, else its document's date with a quarter either side. */
static void effective_period(const data *d, const cclaim *c, char s[11], char e[11])
{
    const cdoc *x = doc_of(d, c->doc_id);
    if (c->period_start[0]) {
        memcpy(s, c->period_start, 11), memcpy(e, c->period_end, 11);
    } else if (x && x->period_start[0]) {
        memcpy(s, x->period_start, 11), memcpy(e, x->period_end, 11);
    } else {
        s[0] = e[0] = '\0';
    }
}

/* The days a claim may speak of: its effective period, else its document's
 * date with a quarter either side. 0 when it has no date at all. */
static int claim_days(const data *d, const cclaim *c, long *lo, long *hi)
{
    char s[11], e[11];
    effective_period(d, c, s, e);
    const cdoc *x = doc_of(d, c->doc_id);
    if (s[0] && dates_iso_day(s, lo) && dates_iso_day(e, hi))
        return 1;
    long day;
    if (x && dates_iso_day(x->published, &day)) {
        *lo = day - 92, *hi = day + 92;
        return 1;
    }
    return 0;
}

/* Jaccard similarity of two stem sets. */
static double jaccard(char **a, size_t na, char **b, size_t nb, size_t *shared, buf *which)
{
    overlap(a, na, b, nb, shared, which);
    size_t u = na + nb - *shared;
    return u ? (double)*shared / (double)u : 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}


/* Candidate pairs blocked by what must agree, so that no check compares
 * every pair: an item posts each stem of its words under its block (unit,
 * kind of amount) and under each subject of its document (the place or
 * body it is about); an item whose document names no subject posts under
 * "*" and looks up every subject (such documents match any). For each item,
 * the later items sharing at least `need` stems in a compatible block come
 * out in order: the pairs, in the order, of comparing every pair, less
 * those that could never match. A key is a 64-bit hash of (stem, block,
 * subject): two keys that collide only share a posting list, which can add
 * candidates (the checks test each pair in full) but never lose one. */
typedef struct {
    char **stems;        /* the item's stems; NULL item: not compared */
    size_t nstems;
    const char *block;   /* what must be equal */
    const cdoc *doc;     /* its subjects */
} pair_item;

typedef struct {
    const pair_item *it;
    size_t n;
    uint64_t *hash;      /* open addressing; 0 empty */
    uint32_t *idx;       /* the key's number */
    size_t cap, nkeys;
    uint32_t *start, *post; /* the items of key k: post[start[k] .. start[k + 1]), ascending */
    size_t ncount;          /* start's capacity while counting */
    uint32_t *fill;         /* while placing: the next free slot per key */
} pair_blocks;

static const char pair_none[] = "*", pair_any[] = "\x01any";

static uint64_t pair_hash(const char *stem, const char *block, const char *subject)
{
    uint64_t h = 1469598103934665603ULL;
    const char *part[3] = {stem, block, subject};
    for (int k = 0; k < 3; k++) {
        for (const unsigned char *p = (const unsigned char *)part[k]; *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return h ? h : 1;
}

/* The number of key h, added when add is set; SIZE_MAX when absent. */
static size_t pair_key(pair_blocks *b, uint64_t h, int add)
{
    if (add && 2 * (b->nkeys + 1) > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        uint64_t *nh = cs_xcalloc(cap, sizeof *nh);
        uint32_t *ni = cs_xmalloc(cap * sizeof *ni);
        for (size_t i = 0; i < b->cap; i++)
            if (b->hash[i]) {
                size_t q = (size_t)b->hash[i] & (cap - 1);
                while (nh[q])
                    q = (q + 1) & (cap - 1);
                nh[q] = b->hash[i], ni[q] = b->idx[i];
            }
        free(b->hash), free(b->idx);
        b->hash = nh, b->idx = ni, b->cap = cap;
    }
    if (!b->cap)
        return SIZE_MAX;
    size_t q = (size_t)h & (b->cap - 1);
    for (; b->hash[q]; q = (q + 1) & (b->cap - 1))
        if (b->hash[q] == h)
            return b->idx[q];
    if (!add)
        return SIZE_MAX;
    b->hash[q] = h;
    b->idx[q] = (uint32_t)b->nkeys;
    return b->nkeys++;
}

/* Calls post(b, key, item) for each key item i posts under. */
static void pair_posts(pair_blocks *b, size_t i, void (*post)(pair_blocks *, uint64_t, size_t))
{
    const pair_item *x = &b->it[i];
    int subjects = x->doc && x->doc->subjects[0];
    for (size_t k = 0; x->stems && k < x->nstems; k++) {
        for (int s = 0; s < 3 && subjects && x->doc->subjects[s]; s++)
            post(b, pair_hash(x->stems[k], x->block, x->doc->subjects[s]), i);
        if (!subjects)
            post(b, pair_hash(x->stems[k], x->block, pair_none), i);
        post(b, pair_hash(x->stems[k], x->block, pair_any), i);
    }
}

static void count_post(pair_blocks *b, uint64_t h, size_t i)
{
    (void)i;
    size_t k = pair_key(b, h, 1), had = b->ncount;
    cs_grow(&b->start, &b->ncount, k + 2, sizeof *b->start);
    if (b->ncount > had) /* new counts start at 0 */
        memset(b->start + had, 0, (b->ncount - had) * sizeof *b->start);
    b->start[k + 1]++;
}

static void fill_post(pair_blocks *b, uint64_t h, size_t i)
{
    b->post[b->fill[pair_key(b, h, 0)]++] = (uint32_t)i;
}

static void pair_blocks_build(pair_blocks *b, const pair_item *it, size_t n)
{
    memset(b, 0, sizeof *b);
    b->it = it;
    b->n = n;
    for (size_t i = 0; i < n; i++) /* count the items per key, */
        pair_posts(b, i, count_post);
    if (!b->ncount)
        b->start = cs_xcalloc(1, sizeof *b->start), b->ncount = 1;
    for (size_t k = 0; k < b->nkeys; k++)
        b->start[k + 1] += b->start[k];
    b->post = cs_xmalloc(((size_t)b->start[b->nkeys] + 1) * sizeof *b->post);
    b->fill = cs_xmalloc((b->nkeys + 1) * sizeof *b->fill);
    memcpy(b->fill, b->start, (b->nkeys + 1) * sizeof *b->fill);
    for (size_t i = 0; i < n; i++) /* then place them, in order */
        pair_posts(b, i, fill_post);
    free(b->fill);
    b->fill = NULL;
}

static void pair_blocks_free(pair_blocks *b)
{
    free(b->hash), free(b->idx), free(b->start), free(b->post), free(b->fill);
}

/* The keys item i looks up for its stem k: its subjects' and "*", or,
 * naming no subject, every subject's (those that exist). */
static void pair_lookups(const pair_blocks *b, size_t i, size_t k, size_t *keys, size_t *nkeys)
{
    const pair_item *x = &b->it[i];
    int subjects = x->doc && x->doc->subjects[0];
    *nkeys = 0;
    uint64_t h[4];
    size_t nh = 0;
    for (int s = 0; s < 3 && subjects && x->doc->subjects[s]; s++)
        h[nh++] = pair_hash(x->stems[k], x->block, x->doc->subjects[s]);
    h[nh++] = pair_hash(x->stems[k], x->block, subjects ? pair_none : pair_any);
    for (size_t q = 0; q < nh; q++) {
        size_t key = pair_key((pair_blocks *)b, h[q], 0);
        if (key != SIZE_MAX)
            keys[(*nkeys)++] = key;
    }
}

/* The first place in key's posting list (ascending) past item i: the
 * items before it were paired with i when they came first. */
static size_t post_after(const pair_blocks *b, size_t key, size_t i)
{
    size_t lo = b->start[key], hi = b->start[key + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->post[mid] <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Calls pair(ctx, i, j) for each i and, ascending, each later j sharing at
 * least need stems with it in a compatible block. */
static void pair_blocks_each(const pair_blocks *b, unsigned need, void (*pair)(void *ctx, size_t i, size_t j), void *ctx)
{
    size_t n = b->n;
    unsigned *count = cs_xcalloc(n + 1, sizeof *count);
    size_t *mark = cs_xcalloc(n + 1, sizeof *mark), tick = 0;
    size_t *touched = cs_xmalloc((n + 1) * sizeof *touched), *cand = cs_xmalloc((n + 1) * sizeof *cand);
    for (size_t i = 0; i < n; i++) {
        size_t ntouched = 0, ncand = 0;
        for (size_t k = 0; b->it[i].stems && k < b->it[i].nstems; k++) {
            size_t keys[4], nkeys;
            pair_lookups(b, i, k, keys, &nkeys);
            tick++; /* a j counts once per stem, whatever subjects it shares */
            for (size_t q = 0; q < nkeys; q++)
                for (size_t p = post_after(b, keys[q], i); p < b->start[keys[q] + 1]; p++) {
                    size_t j = b->post[p];
                    if (mark[j] == tick)
                        continue;
                    mark[j] = tick;
                    if (!count[j]++)
                        touched[ntouched++] = j;
                    if (count[j] == need)
                        cand[ncand++] = j;
                }
        }
        qsort(cand, ncand, sizeof *cand, cmp_size);
        for (size_t k = 0; k < ncand; k++)
            pair(ctx, i, cand[k]);
        for (size_t k = 0; k < ntouched; k++)
            count[touched[k]] = 0;
    }
    free(count), free(mark), free(touched), free(cand);
}

/* Union-find over item indexes: a group's root is its smallest member. */
static size_t group_root(size_t *g, size_t i)
{
    while (g[i] != i)
        g[i] = g[g[i]], i = g[i];
    return i;
}

static void group_join(size_t *g, size_t a, size_t b)
{
    a = group_root(g, a), b = group_root(g, b);
    if (a != b)
        g[a < b ? b : a] = a < b ? a : b;
}

/* Members of each group, roots ascending and members ascending: the
 * members of root r are mem[first[r] .. first[r + 1]). */
static void group_members(size_t *g, size_t n, size_t **first, size_t **mem)
{
    *first = cs_xcalloc(n + 2, sizeof **first);
    *mem = cs_xmalloc((n + 1) * sizeof **mem);
    for (size_t i = 0; i < n; i++)
        (*first)[group_root(g, i) + 1]++;
    for (size_t r = 0; r < n; r++)
        (*first)[r + 1] += (*first)[r];
    size_t *fill = cs_xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, *first, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        (*mem)[fill[group_root(g, i)]++] = i;
    free(fill);
}

/* A pair of claims of figure-differs, and its place in the order found. */
typedef struct {
    size_t i, j, k; /* k: SIZE_MAX for none */
} claim_pair;

/* The groups of figure-differs as its pairs are found: a union-find over
 * claims, and for each group's root the first pair found in it. Memory
 * grows with the claims, not with the pairs. */
typedef struct {
    const data *d;
    const cdoc **doc;   /* each claim's document */
    const long *lo, *hi;
    size_t *group;
    claim_pair *first;  /* by root */
    size_t found;       /* pairs found so far */
} differ_ctx;

/* One pair of claims i < j for figure-differs: the same indicator in
 * different documents, for compatible periods, with different values.
 * Joins their groups; the joined group keeps the earlier first pair. */
static void differ_candidate(void *ctx, size_t i, size_t j)
{
    differ_ctx *x = ctx;
    const data *d = x->d;
    const long *lo = x->lo, *hi = x->hi;
    const cclaim *a = &d->c[i], *b = &d->c[j];
    if (lo[i] > hi[j] || lo[j] > hi[i] || a->doc_id == b->doc_id || strcmp(a->actual.unit, b->actual.unit) ||
        !docs_agree(x->doc[i], x->doc[j]))
        return;
    double diff = fabs(a->actual.v - b->actual.v);
    if (diff <= fmax(0.02 * fmax(fabs(a->actual.v), fabs(b->actual.v)), 0.5))
        return;
    size_t shared;
    if (jaccard(a->stems, a->nstems, b->stems, b->nstems, &shared, NULL) < 0.5 || shared < 2)
        return;
    size_t ri = group_root(x->group, i), rj = group_root(x->group, j), k = x->found++;
    if (ri == rj)
        return;
    claim_pair fi = x->first[ri], fj = x->first[rj];
    group_join(x->group, ri, rj);
    claim_pair *f = &x->first[group_root(x->group, ri)];
    *f = fi.k < fj.k ? fi : fj;
    if (f->k == SIZE_MAX)
        *f = (claim_pair){i, j, k};
}

static int cmp_first(const void *a, const void *b)
{
    size_t x = (*(const claim_pair *const *)a)->k, y = (*(const claim_pair *const *)b)->k;
    return x < y ? -1 : x > y;
}

/* The finding of one pair: what two documents give for one indicator,
 * sharper when a named person said one of the values. */
static void differ_pair(const data *d, const claim_pair *p, check_list *out)
{
    const cclaim *a = &d->c[p->i], *b = &d->c[p->j];
    buf words;
    buf_init(&words, 0);
    size_t shared;
    double ov = jaccard(a->stems, a->nstems, b->stems, b->nstems, &shared, &words);
    const cclaim *said = a->speaker ? a : b->speaker ? b : NULL;
    const cclaim *other = said == a ? b : a;
    check_finding *f = add(out, said ? "speaker-contradicted" : "figure-differs", said ? "high" : "medium");
    buf ev, ex, why;
    buf_init(&ev, 0), buf_init(&ex, 0), buf_init(&why, 0);
    char va[48], vb[48];
    if (said) {
        fmt_qty(va, sizeof va, said->actual.v, said->actual.unit);
        fmt_qty(vb, sizeof vb, other->actual.v, other->actual.unit);
        buf_printf_put(&ex, "%s gave %s for %s (%s), but %s (%s) gives %s.", said->speaker, va,
                       said->indicator, said->published ? said->published : "undated", other->path,
                       other->published ? other->published : "undated", vb);
    } else {
        fmt_qty(va, sizeof va, a->actual.v, a->actual.unit);
        fmt_qty(vb, sizeof vb, b->actual.v, b->actual.unit);
        buf_printf_put(&ex, "%s is %s in %s (%s) but %s in %s (%s).", a->indicator, va, a->path,
                       a->published ? a->published : "undated", vb, b->path,
                       b->published ? b->published : "undated");
    }
    if (other->target.set) {
        char t[48];
        fmt_qty(t, sizeof t, other->target.v, other->target.unit);
        buf_printf_put(&ex, " The target there is %s.", t);
    }
    buf_printf_put(&why, "The indicators share %zu content words (%s; similarity %.2f), the unit is the same, "
                         "both documents are about the same place or body, and their periods overlap.",
                   shared, buf_str(&words), ov);
    cite_claim(d, f, a, &ev);
    cite_claim(d, f, b, &ev);
    f->explanation = buf_detach(&ex);
    f->why = buf_detach(&why);
    f->evidence = buf_detach(&ev);
    buf_free(&words);
}

/* The finding of a conflict among more than two statements: one finding
 * listing each document's value (m: the claim indexes, one per document
 * and value), sharper when a named person gave one of them. */
static void differ_group(const data *d, const claim_pair *first, const size_t *m, size_t nm, check_list *out)
{
    const cclaim *said = NULL;
    for (size_t k = 0; k < nm && !said; k++)
        said = d->c[m[k]].speaker ? &d->c[m[k]] : NULL;
    const cclaim *a = &d->c[first->i], *b = &d->c[first->j];
    check_finding *f = add(out, said ? "speaker-contradicted" : "figure-differs", said ? "high" : "medium");
    buf ev, ex, why, words;
    buf_init(&ev, 0), buf_init(&ex, 0), buf_init(&why, 0), buf_init(&words, 0);
    buf_printf_put(&ex, "%s is stated %zu ways:", a->indicator, nm);
    for (size_t k = 0; k < nm; k++) {
        const cclaim *c = &d->c[m[k]];
        char v[48];
        fmt_qty(v, sizeof v, c->actual.v, c->actual.unit);
        buf_printf_put(&ex, " %s in %s (%s%s%s)%s", v, c->path, c->published ? c->published : "undated",
                       c->speaker ? ", said by " : "", c->speaker ? c->speaker : "", k + 1 < nm ? ";" : ".");
        cite_claim(d, f, c, &ev);
    }
    size_t shared;
    double ov = jaccard(a->stems, a->nstems, b->stems, b->nstems, &shared, &words);
    buf_printf_put(&why, "Each statement is matched with another: indicators sharing content words (the first two "
                         "share %zu: %s; similarity %.2f), the same unit, documents about the same place or body, "
                         "and overlapping periods.",
                   shared, buf_str(&words), ov);
    f->explanation = buf_detach(&ex);
    f->why = buf_detach(&why);
    f->evidence = buf_detach(&ev);
    buf_free(&words);
}

/* The claims of a group, one per document and value (the first of each),
 * in order; their count. */
static size_t distinct_statements(const data *d, const size_t *mem, size_t n, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cclaim *c = &d->c[mem[i]];
        int seen = 0;
        for (size_t q = 0; q < k && !seen; q++)
            seen = d->c[out[q]].doc_id == c->doc_id && d->c[out[q]].actual.v == c->actual.v;
        if (!seen)
            out[k++] = mem[i];
    }
    return k;
}

/* Figure-differs: pairs matched within blocks of unit, indicator stems and
 * place, then joined into groups: a conflict between two documents is one
 * finding as before, one among more documents is one finding listing them
 * all, in the order their first pair was found. */
static void figures_differ(const data *d, check_list *out)
{
    size_t nc = d->nc;
    long *lo = cs_xmalloc((nc + 1) * sizeof *lo), *hi = cs_xmalloc((nc + 1) * sizeof *hi);
    pair_item *it = cs_xcalloc(nc + 1, sizeof *it);
    for (size_t i = 0; i < nc; i++) {
        const cclaim *c = &d->c[i];
        if (!c->actual.set || !strcmp(c->actual.unit, "fraction") || !claim_days(d, c, &lo[i], &hi[i]))
            continue; /* undated or not comparable */
        it[i] = (pair_item){c->stems, c->nstems, c->actual.unit, doc_of(d, c->doc_id)};
    }
    const cdoc **docs = cs_xcalloc(nc + 1, sizeof *docs);
    size_t *g = cs_xmalloc((nc + 1) * sizeof *g);
    claim_pair *fp = cs_xmalloc((nc + 1) * sizeof *fp);
    for (size_t i = 0; i < nc; i++)
        docs[i] = it[i].doc, g[i] = i, fp[i] = (claim_pair){0, 0, SIZE_MAX};
    pair_blocks b;
    pair_blocks_build(&b, it, nc);
    differ_ctx x = {d, docs, lo, hi, g, fp, 0};
    pair_blocks_each(&b, 2, differ_candidate, &x);
    pair_blocks_free(&b);
    free(docs), free(it), free(lo), free(hi); /* matched: only the groups are needed now */
    /* Each group at its first pair, in the order those were found. */
    claim_pair **roots = cs_xmalloc((nc + 1) * sizeof *roots);
    size_t nroots = 0;
    for (size_t i = 0; i < nc; i++)
        if (group_root(g, i) == i && fp[i].k != SIZE_MAX)
            roots[nroots++] = &fp[i];
    qsort(roots, nroots, sizeof *roots, cmp_first);
    size_t *first, *mem, *stmts = cs_xmalloc((nc + 1) * sizeof *stmts);
    group_members(g, nc, &first, &mem);
    for (size_t q = 0; q < nroots; q++) {
        size_t r = (size_t)(roots[q] - fp);
        size_t ns = distinct_statements(d, mem + first[r], first[r + 1] - first[r], stmts);
        if (ns <= 2)
            differ_pair(d, roots[q], out);
        else
            differ_group(d, roots[q], stmts, ns, out);
    }
    free(first), free(mem), free(stmts), free(g), free(fp), free(roots);
}

typedef struct {
    const data *d;
    const pair_item *it; /* each figure's document */
    size_t *group;
} amount_ctx;

/* Two amounts of one kind about one subject in different documents whose
 * sentences share three words: the same group. */
static void amount_candidate(void *ctx, size_t i, size_t j)
{
    amount_ctx *x = ctx;
    const cfigure *a = &x->d->f[i], *b = &x->d->f[j];
    if (a->doc_id == b->doc_id || !docs_agree(x->it[i].doc, x->it[j].doc))
        return;
    /* The budget for 2024/25 is not a revision of the budget for 2025/26. */
    if (a->year_start[0] && b->year_start[0] &&
        (strcmp(a->year_end, b->year_start) < 0 || strcmp(b->year_end, a->year_start) < 0))
        return;
    size_t shared;
    if (overlap(a->stems, a->nstems, b->stems, b->nstems, &shared, NULL) < 0.4 || shared < 3)
        return;
    group_join(x->group, i, j);
}

/* The finding of one group of amounts (m: its figures, ascending), when
 * their values differ across documents. */
static void amount_group(const data *d, const size_t *m, size_t nm, check_list *out)
{
    double lo = INFINITY, hi = -INFINITY;
    int docs_differ = 0;
    for (size_t k = 0; k < nm; k++) {
        lo = fmin(lo, d->f[m[k]].v), hi = fmax(hi, d->f[m[k]].v);
        docs_differ |= d->f[m[k]].doc_id != d->f[m[0]].doc_id;
    }
    if (nm < 2 || hi - lo <= 0.01 * hi || !docs_differ)
        return;
    const cfigure *first = &d->f[m[0]], *last = NULL;
    check_finding *f = add(out, "amount-revised", "medium");
    buf ev, ex, why, words;
    buf_init(&ev, 0), buf_init(&ex, 0), buf_init(&why, 0), buf_init(&words, 0);
    const char *kind = first->category == AMOUNT_NEED       ? "needed or cost"
                       : first->category == AMOUNT_ALLOCATE ? "allocated or planned"
                                                            : "spent";
    buf_printf_put(&ex, "The amount %s is stated differently across documents:", kind);
    for (size_t k = 0; k < nm; k++) {
        const cfigure *x = &d->f[m[k]];
        if (last && last->doc_id == x->doc_id && last->v == x->v)
            continue; /* the same document repeating itself */
        char v[48];
        fmt_qty(v, sizeof v, x->v, x->unit);
        buf_printf_put(&ex, " %s (%s, %s%s%s);", v, x->published ? x->published : "undated", x->path,
                       x->people ? ", naming " : "", x->people ? x->people : "");
        cite_figure(f, x, &ev);
        last = x;
    }
    if (ex.len && ex.ptr[ex.len - 1] == ';')
        ex.ptr[ex.len - 1] = '.', buf_puts(&ex, " A revised estimate is news: check which figure is current.");
    size_t shared;
    overlap(first->stems, first->nstems, last->stems, last->nstems, &shared, &words);
    buf_printf_put(&why, "Amounts of the same kind (%s) whose sentences share the words: %s.", kind, buf_str(&words));
    f->explanation = buf_detach(&ex);
    f->why = buf_detach(&why);
    f->evidence = buf_detach(&ev);
    buf_free(&words);
}

/* Amounts of one kind (needed/cost, allocated, spent) about one subject in
 * different documents: matched within blocks of currency, kind, sentence
 * stems and place, grouped, and reported when their values differ. */
static void amounts_revised(const data *d, check_list *out)
{
    size_t n = d->nf;
    pair_item *it = cs_xcalloc(n + 1, sizeof *it);
    char (*block)[24] = cs_xcalloc(n + 1, sizeof *block);
    size_t *group = cs_xmalloc((n + 1) * sizeof *group);
    for (size_t i = 0; i < n; i++) {
        const cfigure *f = &d->f[i];
        group[i] = i;
        snprintf(block[i], sizeof block[i], "%s %d", f->unit, f->category);
        if (f->category)
            it[i] = (pair_item){f->stems, f->nstems, block[i], doc_of(d, f->doc_id)};
    }
    pair_blocks b;
    pair_blocks_build(&b, it, n);
    amount_ctx x = {d, it, group};
    pair_blocks_each(&b, 3, amount_candidate, &x);
    pair_blocks_free(&b);
    size_t *first, *mem;
    group_members(group, n, &first, &mem);
    for (size_t r = 0; r < n; r++)
        amount_group(d, mem + first[r], first[r + 1] - first[r], out);
    free(first), free(mem), free(group), free(block), free(it);
}

/* Moves the findings of from to the end of to. */
static void append_findings(check_list *to, check_list *from)
{
    for (size_t i = 0; i < from->n; i++) {
        cs_grow(&to->v, &to->cap, to->n + 1, sizeof *to->v);
        to->v[to->n++] = from->v[i];
    }
    free(from->v);
    memset(from, 0, sizeof *from);
}

cs_status check_run(store *s, const rules_set *rs, check_list *out, cs_error *err)
{
    return check_run_progress(s, rs, out, NULL, NULL, err);
}

static cs_status run_checks(store *s, const rules_set *rs, check_list *out, check_progress_fn progress, void *ctx,
                            cs_error *err)
{
#define STEP(k, what) (progress ? progress(ctx, what, k, 6) : (void)0)
    data d;
    memset(&d, 0, sizeof d);
    d.lower = rules_lexicon(rs, "lower-is-better");
    d.generic = rules_lexicon(rs, "stem-generic");
    d.target_nouns = rules_lexicon(rs, "target-nouns");
    d.target_plurals = rules_lexicon(rs, "target-plurals");
    d.need = rules_lexicon(rs, "amount-need");
    d.allocate = rules_lexicon(rs, "amount-allocate");
    d.spend = rules_lexicon(rs, "amount-spend");
    d.hit = rules_lexicon(rs, "targets-hit");
    d.missed = rules_lexicon(rs, "targets-missed");
    d.above = rules_lexicon(rs, "approx-above");
    d.below = rules_lexicon(rs, "approx-below");
    d.near = rules_lexicon(rs, "approx-near");
    d.cite = store_cursor_open(s,
                               "SELECT coalesce(s.text, c.text) FROM claims c LEFT JOIN sentences s"
                               " ON s.id = c.sentence_id WHERE c.id = ?1",
                               "a claim's sentence", err);
    if (!d.cite)
        return CS_ERR_DB;
    STEP(0, "reading claims and figures, shares against counts, arithmetic within claims");
    cs_status st = load(s, rs, &d, err);
    if (st == CS_OK) {
        STEP(1, "shares against counts");
        append_findings(out, &d.share);
        STEP(2, "arithmetic within claims");
        append_findings(out, &d.arith);
        STEP(3, "parts against wholes");
        st = parts_vs_whole(s, &d, out, err);
    }
    if (st == CS_OK) {
        STEP(4, "amounts across documents");
        amounts_revised(&d, out);
        free_figures(&d);
        STEP(5, "figures across documents");
        figures_differ(&d, out);
    }
    st = store_cursor_close(d.cite, st, err); /* a sentence that could not be read again */
    free_data(&d);
    return st;
#undef STEP
}

/* The page cache of s's connection in KiB; sets it to kib when kib > 0.
 * The checks read the archive once through, so a small cache loses
 * nothing, and its room goes to the claims and findings. */
static long long cache_kib(store *s, long long kib)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st;
    long long was = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        was = -sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (kib > 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld", kib);
        sqlite3_exec(db, sql, NULL, NULL, NULL); /* a cache of another size only costs time or memory */
    }
    return was;
}

cs_status check_run_progress(store *s, const rules_set *rs, check_list *out, check_progress_fn progress, void *ctx,
                             cs_error *err)
{
    long long was = cache_kib(s, 2048);
    cs_status st = run_checks(s, rs, out, progress, ctx, err);
    if (was > 0)
        cache_kib(s, was);
    return st;
}

void check_list_free(check_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        check_finding *f = &l->v[i];
        free(f->kind), free(f->explanation), free(f->why), free(f->evidence), free(f->claims), free(f->figures);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The code that computed the findings: the Makefile passes a hash of the
 * library's sources (see README, "Stored findings"), so findings stored by
 * any other build are computed anew. A build without it takes its compile
 * time, which differs from build to build. */
#ifdef CHECK_SOURCE_ID
#define CHECK_VERSION CHECK_SOURCE_ID
#else
#define CHECK_VERSION "built " __DATE__ " " __TIME__
#endif

/* What findings are computed from: the documents (their count and the
 * last id, which a new or replaced document moves), the rules and the
 * checks. */
static const char *const run_state_sql =
    "SELECT (SELECT count(*) FROM documents) AS d, (SELECT coalesce(max(id), 0) FROM documents) AS l, ?1 AS r,"
    " ?2 AS c";

/* Notes, inside check_save's transaction, what the findings came from. */
static cs_status note_run(sqlite3 *db, const rules_set *rs, cs_error *err)
{
    sqlite3_stmt *st;
    cs_status rc = CS_OK;
    if (sqlite3_exec(db, "DELETE FROM check_runs", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, "note the check", err);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO check_runs(documents, last_document, rules_version, check_version) %s",
             run_state_sql);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "note the check", err);
    sqlite3_bind_text(st, 1, rules_version(rs), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, CHECK_VERSION, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_fail(db, "note the check", err);
    sqlite3_finalize(st);
    return rc;
}

/* 1 when the stored findings were computed from what s holds now. */
static int run_is_current(sqlite3 *db, const rules_set *rs)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT EXISTS (SELECT 1 FROM check_runs r, (%s) n WHERE r.documents = n.d"
             " AND r.last_document = n.l AND r.rules_version = n.r AND r.check_version = n.c)",
             run_state_sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, rules_version(rs), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, CHECK_VERSION, -1, SQLITE_STATIC);
    int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

static const char *severity_of(const char *s)
{
    return !strcmp(s, "high") ? "high" : !strcmp(s, "medium") ? "medium" : "low";
}

/* Reads the sources of finding f (ss bound to its id): claims and figures. */
static cs_status load_sources(sqlite3 *db, sqlite3_stmt *ss, check_finding *f, cs_error *err)
{
    int step;
    while ((step = sqlite3_step(ss)) == SQLITE_ROW) {
        int claim = sqlite3_column_type(ss, 0) != SQLITE_NULL;
        long long id = sqlite3_column_int64(ss, claim ? 0 : 1);
        long long **v = claim ? &f->claims : &f->figures;
        size_t *n = claim ? &f->nclaims : &f->nfigures;
        *v = cs_xrealloc(*v, (*n + 1) * sizeof **v);
        (*v)[(*n)++] = id;
    }
    sqlite3_reset(ss);
    return step == SQLITE_DONE ? CS_OK : db_fail(db, "read findings", err);
}

/* The stored findings, with their sources, in the order they were found;
 * a read error is an error, never a shorter list. */
static cs_status check_load(sqlite3 *db, check_list *out, cs_error *err)
{
    sqlite3_stmt *fs = NULL, *ss = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_prepare_v2(db, "SELECT id, kind, severity, explanation, why, evidence FROM findings ORDER BY id", -1,
                           &fs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT claim_id, figure_id FROM finding_sources WHERE finding_id = ?1 ORDER BY id", -1,
                           &ss, NULL) != SQLITE_OK) {
        rc = db_fail(db, "read findings", err);
        goto done;
    }
    int step = SQLITE_DONE;
    while (rc == CS_OK && (step = sqlite3_step(fs)) == SQLITE_ROW) {
        check_finding *f = add(out, (const char *)sqlite3_column_text(fs, 1),
                               severity_of((const char *)sqlite3_column_text(fs, 2)));
        f->explanation = dupcol(fs, 3);
        f->why = dupcol(fs, 4);
        f->evidence = dupcol(fs, 5);
        sqlite3_bind_int64(ss, 1, sqlite3_column_int64(fs, 0));
        rc = load_sources(db, ss, f, err);
    }
    if (rc == CS_OK && step != SQLITE_DONE)
        rc = db_fail(db, "read findings", err);
done:
    sqlite3_finalize(ss);
    sqlite3_finalize(fs);
    return rc;
}

cs_status check_current(store *s, const rules_set *rs, check_list *out, int *reused, cs_error *err)
{
    *reused = run_is_current(store_db(s), rs);
    if (*reused)
        return check_load(store_db(s), out, err);
    cs_status st = check_run(s, rs, out, err);
    if (st != CS_OK || sqlite3_db_readonly(store_db(s), "main") == 1)
        return st; /* a read-only database: computed, not stored */
    return check_save(s, rs, out, err);
}

cs_status check_save(store *s, const rules_set *rs, const check_list *l, cs_error *err)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *fi = NULL, *so = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM findings;", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, "replace findings", err);
    if (sqlite3_prepare_v2(db, "INSERT INTO findings(kind, severity, explanation, why, evidence) VALUES (?1,?2,?3,?4,?5)",
                           -1, &fi, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO finding_sources(finding_id, claim_id, figure_id) VALUES (?1,?2,?3)", -1, &so,
                           NULL) != SQLITE_OK)
        rc = db_fail(db, "store findings", err);
    for (size_t i = 0; i < l->n && rc == CS_OK; i++) {
        const check_finding *f = &l->v[i];
        sqlite3_bind_text(fi, 1, f->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 2, f->severity, -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 3, f->explanation ? f->explanation : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 4, f->why ? f->why : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 5, f->evidence ? f->evidence : "", -1, SQLITE_STATIC);
        if (sqlite3_step(fi) != SQLITE_DONE)
            rc = db_fail(db, "store a finding", err);
        sqlite3_reset(fi);
        long long id = sqlite3_last_insert_rowid(db);
        for (size_t k = 0; k < f->nclaims + f->nfigures && rc == CS_OK; k++) {
            sqlite3_bind_int64(so, 1, id);
            if (k < f->nclaims)
                sqlite3_bind_int64(so, 2, f->claims[k]), sqlite3_bind_null(so, 3);
            else
                sqlite3_bind_null(so, 2), sqlite3_bind_int64(so, 3, f->figures[k - f->nclaims]);
            if (sqlite3_step(so) != SQLITE_DONE)
                rc = db_fail(db, "store a finding's source", err);
            sqlite3_reset(so);
        }
    }
    sqlite3_finalize(fi);
    sqlite3_finalize(so);
    if (rc == CS_OK)
        rc = note_run(db, rs, err);
    if (sqlite3_exec(db, rc == CS_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK && rc == CS_OK)
        rc = db_fail(db, "commit findings", err);
    return rc;
}


/* Per document, every claim with a target or a gap: stated against actual. */
static cs_status targets_table(FILE *f, store *s, cs_error *err)
{
    static const char *const q =
        "SELECT document, published, indicator, actual_value, actual_unit, target_value, target_unit, target_derived,"
        " gap_value, gap_unit, met FROM claims_view WHERE target_value IS NOT NULL OR gap_value IS NOT NULL"
        " ORDER BY published, document, start";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store_db(s), q, -1, &st, NULL) != SQLITE_OK)
        return db_fail(store_db(s), "read targets", err);
    const char *last = NULL;
    char *lastbuf = NULL;
    fputs("\nStated against actual\n", f);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *docp = (const char *)sqlite3_column_text(st, 0);
        if (!last || strcmp(last, docp)) {
            free(lastbuf);
            lastbuf = cs_xstrdup(docp);
            last = lastbuf;
            const unsigned char *pub = sqlite3_column_text(st, 1);
            fputs("\n  ", f);
            if (strs_show(f, docp, strlen(docp)) != CS_OK)
                break;
            fprintf(f, " (%s)\n", pub ? (const char *)pub : "undated");
        }
        char a[48] = "-", t[48] = "-", g[48] = "";
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            fmt_qty(a, sizeof a, sqlite3_column_double(st, 3), (const char *)sqlite3_column_text(st, 4));
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            fmt_qty(t, sizeof t, sqlite3_column_double(st, 5), (const char *)sqlite3_column_text(st, 6));
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            fmt_qty(g, sizeof g, sqlite3_column_double(st, 8), (const char *)sqlite3_column_text(st, 9));
        const char *met = sqlite3_column_type(st, 10) == SQLITE_NULL ? "?" : sqlite3_column_int(st, 10) ? "met" : "MISSED";
        buf ind;
        buf_init(&ind, 0);
        const char *it = (const char *)sqlite3_column_text(st, 2);
        strs_safe(&ind, it ? it : "", it ? strlen(it) : 0, STRS_ESCAPE_ALL);
        fprintf(f, "    %-6s %-52.52s actual %-10s target %-10s%s%s%s\n", met, buf_str(&ind), a, t,
                sqlite3_column_int(st, 7) ? " (derived)" : "", g[0] ? "  gap " : "", g);
        buf_free(&ind);
    }
    free(lastbuf);
    sqlite3_finalize(st);
    return CS_OK;
}

static const rows_col finding_columns[] = {
    {"kind", "kind", NULL},       {"severity", "severity", NULL}, {"explanation", "explanation", NULL},
    {"why", "why", NULL},         {"evidence", "evidence", NULL}, {"claims", "claims", NULL},
    {"figures", "figures", NULL},
};

/* A finding as a record: its texts, and the ids of its claims and figures. */
static json_t *finding_record(const check_finding *x)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", x->kind, "severity", x->severity, "explanation",
                          x->explanation ? x->explanation : "", "why", x->why ? x->why : "", "evidence",
                          x->evidence ? x->evidence : "");
    json_t *c = json_array(), *g = json_array();
    for (size_t k = 0; k < x->nclaims; k++)
        json_array_append_new(c, json_integer(x->claims[k]));
    for (size_t k = 0; k < x->nfigures; k++)
        json_array_append_new(g, json_integer(x->figures[k]));
    json_object_set_new(o, "claims", c);
    json_object_set_new(o, "figures", g);
    return o;
}

cs_status check_write(FILE *f, store *s, const check_list *l, const char *format, cs_error *err)
{
    int fmt = rows_format_of(format);
    if (fmt >= 0) {
        size_t ncols = sizeof finding_columns / sizeof *finding_columns;
        rows_header(f, (rows_format)fmt, finding_columns, ncols);
        for (size_t i = 0; i < l->n && !ferror(f); i++) {
            json_t *o = finding_record(&l->v[i]);
            rows_put(f, (rows_format)fmt, finding_columns, ncols, o);
            json_decref(o);
        }
    } else {
        fprintf(f, "%zu finding%s\n", l->n, l->n == 1 ? "" : "s");
        for (size_t i = 0; i < l->n; i++) {
            const check_finding *x = &l->v[i];
            fprintf(f, "\n[%s] %s\n  ", x->severity, x->kind);
            if (strs_show(f, x->explanation, x->explanation ? strlen(x->explanation) : 0) != CS_OK)
                break;
            fputs("\n  Why: ", f);
            if (strs_show(f, x->why, x->why ? strlen(x->why) : 0) != CS_OK)
                break;
            fputc('\n', f);
            const char *e = x->evidence ? x->evidence : "";
            while (*e) {
                const char *nl = strchr(e, '\n');
                size_t n = nl ? (size_t)(nl - e) : strlen(e);
                fputs("  ", f);
                if (strs_show(f, e, n) != CS_OK)
                    break;
                fputc('\n', f);
                e += n + (nl ? 1 : 0);
            }
        }
        cs_status st = targets_table(f, s, err);
        if (st != CS_OK)
            return st;
    }
    return ferror(f) ? cs_fail(err, CS_ERR_IO, "cannot write the findings") : CS_OK;
}
