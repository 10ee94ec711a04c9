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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "claims.h"
#include "events.h"
#include "strs.h"

typedef struct {
    int set;
    double v;
    char unit[16];
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

/* Lower-cased content-word stems of s: stop words and generic words out,
 * crude suffixes off ("services" -> "servic", "waiting" -> "wait"). */
static char **stems_of(const char *s, const rules_list *stop, size_t *n)
{
    static const char *const generic[] = {"number", "per", "cent", "percent", "year", "years", "council", "councils",
                                          "total", "level", "levels", "figure", "figures", "rate", NULL};
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
        char w[48];
        strs_lower(w, b, l);
        if (strs_in_list(w, generic))
            continue;
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
    return out;
}

static void free_stems(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
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

/* +1 for statements of targets hit, -1 for missed, 0 for neither. */
static int polarity(const char *s)
{
    static const char *const neg[] = {"missed", "missing", "failed", "failing", "not met", "off track", "behind",
                                      "below target", "red", "not on track", NULL};
    static const char *const pos[] = {"hit", "met", "delivered", "achieved", "on target", "on track", "exceeded",
                                      "exceeding", "being delivered", NULL};
    for (int i = 0; neg[i]; i++)
        if (has_word(s, neg[i]))
            return -1;
    for (int i = 0; pos[i]; i++)
        if (has_word(s, pos[i]))
            return 1;
    return 0;
}

/* Does the share count targets: "half of (its improvement) targets"? */
static int governs_targets(const char *sentence, const char *figure)
{
    const char *at = figure ? strstr(sentence, figure) : NULL;
    if (!at)
        return 0;
    const char *p = at + strlen(figure);
    if (strncmp(p, " of ", 4))
        return 0;
    p += 4;
    for (int words = 0; words < 4 && *p; words++) {
        if (!strncasecmp(p, "targets", 7) || !strncasecmp(p, "indicators", 10) || !strncasecmp(p, "measures", 8))
            return 1;
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            p++;
    }
    return 0;
}

static int about_targets(const char *s)
{
    return has_word(s, "target") || has_word(s, "targets") || has_word(s, "indicators") || has_word(s, "measures");
}

/* ---- loading ---------------------------------------------------------- */

/* What a document is about and when: its most frequent proper nouns and
 * its reporting period (the first dated span near its start). */
typedef struct {
    long long id;
    char *subjects[3];
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
static int same_subject(const data *d, long long a, long long b)
{
    const cdoc *x = doc_of(d, a), *y = doc_of(d, b);
    if (!x || !y)
        return 0;
    if (!x->subjects[0] || !y->subjects[0])
        return 1;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (x->subjects[i] && y->subjects[j] && !strcmp(x->subjects[i], y->subjects[j]))
                return 1;
    return 0;
}

static cs_status load(store *s, const rules_set *rs, data *d, cs_error *err)
{
    sqlite3 *db = store_db(s);
    const rules_list *stop = rules_lexicon(rs, "stopwords");
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
        return cs_fail(err, CS_ERR_DB, "cannot read documents: %s", sqlite3_errmsg(db));
    while (sqlite3_step(ds) == SQLITE_ROW) {
        cs_grow(&d->d, &d->dcap, d->nd + 1, sizeof *d->d);
        cdoc *x = &d->d[d->nd++];
        memset(x, 0, sizeof *x);
        x->id = sqlite3_column_int64(ds, 0);
        events_subjects((const char *)sqlite3_column_text(ds, 1), rs, NULL, x->subjects);
        const unsigned char *p = sqlite3_column_text(ds, 2), *a = sqlite3_column_text(ds, 3),
                            *b = sqlite3_column_text(ds, 4);
        snprintf(x->published, sizeof x->published, "%s", p ? (const char *)p : "");
        snprintf(x->period_start, sizeof x->period_start, "%s", a ? (const char *)a : "");
        snprintf(x->period_end, sizeof x->period_end, "%s", b ? (const char *)b : "");
    }
    sqlite3_finalize(ds);
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
        " ORDER BY d.published IS NULL, d.published, d.path, c.start";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, qc, -1, &st, NULL) != SQLITE_OK)
        return cs_fail(err, CS_ERR_DB, "cannot read claims: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        cs_grow(&d->c, &d->ccap, d->nc + 1, sizeof *d->c);
        cclaim *c = &d->c[d->nc++];
        memset(c, 0, sizeof *c);
        read_source(st, &c->id, &c->doc_id, &c->sentence_id, &c->path, &c->title, &c->published);
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
        c->stems = stems_of(c->indicator, stop, &c->nstems);
    }
    sqlite3_finalize(st);

    static const char *const qf =
        "SELECT f.id, f.document_id, f.sentence_id, d.path || coalesce(', p. ' || f.page, ''), d.title, d.published,"
        " f.text, s.text, f.value, f.unit,"
        " (SELECT group_concat(DISTINCT p.name) FROM person_mentions m JOIN persons p ON p.id = m.person_id"
        "   WHERE m.sentence_id = f.sentence_id),"
        " (SELECT y.date_start || ' ' || y.date_end FROM dates y WHERE y.sentence_id = f.sentence_id"
        "   AND y.granularity IN ('year', 'financial_year') ORDER BY y.start LIMIT 1)"
        " FROM figures f JOIN documents d ON d.id = f.document_id LEFT JOIN sentences s ON s.id = f.sentence_id"
        " WHERE f.unit IN ('GBP', 'USD', 'EUR') ORDER BY d.published IS NULL, d.published, d.path, f.start";
    if (sqlite3_prepare_v2(db, qf, -1, &st, NULL) != SQLITE_OK)
        return cs_fail(err, CS_ERR_DB, "cannot read figures: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        cs_grow(&d->f, &d->fcap, d->nf + 1, sizeof *d->f);
        cfigure *f = &d->f[d->nf++];
        memset(f, 0, sizeof *f);
        read_source(st, &f->id, &f->doc_id, &f->sentence_id, &f->path, &f->title, &f->published);
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
        static const char *const need[] = {"need", "needed", "needs", "cost", "costs", "costing", "estimate",
                                           "estimated", "require", "required", "gap", NULL};
        static const char *const alloc[] = {"invest", "investing", "allocate", "allocated", "set aside",
                                            "identified", "budget", "fund", "funding", "plan", "plans", NULL};
        static const char *const spend[] = {"spend", "spending", "spent", NULL};
        size_t senl = strlen(sen);
        f->category = strs_has_any(sen, senl, need)    ? AMOUNT_NEED
                      : strs_has_any(sen, senl, alloc) ? AMOUNT_ALLOCATE
                      : strs_has_any(sen, senl, spend) ? AMOUNT_SPEND
                                                       : AMOUNT_OTHER;
        f->stems = stems_of(sen, stop, &f->nstems);
    }
    sqlite3_finalize(st);
    return CS_OK;
}

static void free_data(data *d)
{
    for (size_t i = 0; i < d->nc; i++) {
        cclaim *c = &d->c[i];
        free(c->path), free(c->title), free(c->published), free(c->indicator), free(c->speaker);
        free(c->sentence), free(c->evidence), free(c->actual_text);
        free_stems(c->stems, c->nstems);
    }
    for (size_t i = 0; i < d->nf; i++) {
        cfigure *f = &d->f[i];
        free(f->path), free(f->title), free(f->published), free(f->text), free(f->sentence), free(f->people);
        free_stems(f->stems, f->nstems);
    }
    for (size_t i = 0; i < d->nd; i++)
        for (int k = 0; k < 3; k++)
            free(d->d[i].subjects[k]);
    free(d->c);
    free(d->f);
    free(d->d);
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

static void cite_claim(check_finding *f, const cclaim *c, buf *ev)
{
    f->claims = cs_xrealloc(f->claims, (f->nclaims + 1) * sizeof *f->claims);
    f->claims[f->nclaims++] = c->id;
    buf_printf_put(ev, "- %s (%s%s%s): \xE2\x80\x9C%s\xE2\x80\x9D\n", c->path, c->published ? c->published : "undated",
                   c->speaker ? ", said by " : "", c->speaker ? c->speaker : "", c->sentence ? c->sentence : c->evidence);
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
static void share_vs_count(const data *d, check_list *out)
{
    for (size_t i = 0; i < d->nc; i++) {
        const cclaim *a = &d->c[i];
        if (!a->actual.set || (strcmp(a->actual.unit, "fraction") && strcmp(a->actual.unit, "percent")))
            continue;
        const char *as = a->sentence ? a->sentence : a->evidence;
        int pa = polarity(as);
        if (!pa || !governs_targets(as, a->actual_text))
            continue;
        double stated = !strcmp(a->actual.unit, "percent") ? a->actual.v / 100 : a->actual.v;
        for (size_t j = 0; j < d->nc; j++) {
            const cclaim *b = &d->c[j];
            if (b->doc_id != a->doc_id || !b->actual.set || strcmp(b->actual.unit, "count") || b->of <= 0)
                continue;
            const char *bs = b->sentence ? b->sentence : b->evidence;
            int pb = polarity(bs);
            if (!pb || !about_targets(bs))
                continue;
            double n = b->actual.v, m = b->of;
            double implied = pb == pa ? n / m : (m - n) / m;
            const char *q = a->actual_text ? a->actual_text : "";
            int more = !strncasecmp(q, "more than", 9) || !strncasecmp(q, "over", 4) || !strncasecmp(q, "at least", 8);
            int less = !strncasecmp(q, "almost", 6) || !strncasecmp(q, "nearly", 6) || !strncasecmp(q, "just under", 10);
            int about = !strncasecmp(q, "about", 5) || !strncasecmp(q, "around", 6) || !strncasecmp(q, "roughly", 7);
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
            cite_claim(f, a, &ev);
            cite_claim(f, b, &ev);
            f->explanation = buf_detach(&ex);
            f->why = buf_detach(&why);
            f->evidence = buf_detach(&ev);
        }
    }
}

/* Checks within one claim: the gap against actual and target, a "met" the
 * figures deny, a share over 100 per cent. */
static void claim_arithmetic(const data *d, check_list *out)
{
    for (size_t i = 0; i < d->nc; i++) {
        const cclaim *c = &d->c[i];
        char a[48], t[48], g[48];
        if (c->actual.set && c->target.set && c->gap.set && !c->derived && !strcmp(c->actual.unit, c->target.unit) &&
            !strcmp(c->actual.unit, c->gap.unit)) {
            double diff = fabs(c->actual.v - c->target.v);
            double rel = c->target.v ? diff / c->target.v * 100 : -1;
            int ok = fabs(diff - c->gap.v) <= fmax(0.005 * c->gap.v, 0.05) ||
                     (!strcmp(c->actual.unit, "percent") && fabs(rel - c->gap.v) <= fmax(0.01 * c->gap.v, 0.1));
            if (!ok) {
                check_finding *f = add(out, "gap-arithmetic", "medium");
                buf ev, ex;
                buf_init(&ev, 0), buf_init(&ex, 0);
                fmt_qty(a, sizeof a, c->actual.v, c->actual.unit);
                fmt_qty(t, sizeof t, c->target.v, c->target.unit);
                fmt_qty(g, sizeof g, c->gap.v, c->gap.unit);
                buf_printf_put(&ex, "%s: the stated gap of %s does not match an actual of %s against a target of %s.",
                               c->indicator, g, a, t);
                f->why = cs_xstrdup("Actual, target and gap are all stated in the same claim and share a unit.");
                cite_claim(f, c, &ev);
                f->explanation = buf_detach(&ex);
                f->evidence = buf_detach(&ev);
            }
        }
        if (c->previous.set && c->actual.set && c->change.set && !strcmp(c->previous.unit, c->actual.unit) &&
            (!strcmp(c->change.unit, c->actual.unit) || (!strcmp(c->actual.unit, "percent") && !strcmp(c->change.unit, "points")))) {
            /* "fell from 22.6 to 20.7 per cent, down 1.9 points": the change
             * read as a difference, or as a relative change in per cent. */
            double diff = fabs(c->previous.v - c->actual.v);
            double rel = c->previous.v ? diff / c->previous.v * 100 : -1;
            int ok = fabs(diff - c->change.v) <= fmax(0.01 * c->change.v, 0.05) ||
                     (!strcmp(c->change.unit, "percent") && fabs(rel - c->change.v) <= fmax(0.01 * c->change.v, 0.1));
            if (!ok) {
                check_finding *f = add(out, "change-arithmetic", "medium");
                buf ev, ex;
                buf_init(&ev, 0), buf_init(&ex, 0);
                char p[48], n[48], ch[48];
                fmt_qty(p, sizeof p, c->previous.v, c->previous.unit);
                fmt_qty(n, sizeof n, c->actual.v, c->actual.unit);
                fmt_qty(ch, sizeof ch, c->change.v, c->change.unit);
                buf_printf_put(&ex, "%s: a change from %s to %s is not the stated %s.", c->indicator, p, n, ch);
                f->why = cs_xstrdup("The claim states the earlier value, the new value and the change between them.");
                cite_claim(f, c, &ev);
                f->explanation = buf_detach(&ex);
                f->evidence = buf_detach(&ev);
            }
        }
        if (c->met >= 0 && c->actual.set && c->target.set && !c->derived && !strcmp(c->actual.unit, c->target.unit)) {
            int lower = claims_lower_is_better(d->lower, c->indicator);
            int figures_met = lower ? c->actual.v <= c->target.v : c->actual.v >= c->target.v;
            if (figures_met != c->met) {
                check_finding *f = add(out, "met-contradicted", "high");
                buf ev, ex;
                buf_init(&ev, 0), buf_init(&ex, 0);
                fmt_qty(a, sizeof a, c->actual.v, c->actual.unit);
                fmt_qty(t, sizeof t, c->target.v, c->target.unit);
                buf_printf_put(&ex, "%s is described as %s its target, but its own figures (%s against %s) say %s.",
                               c->indicator, c->met ? "meeting" : "missing", a, t, figures_met ? "met" : "missed");
                f->why = cs_xstrdup(lower ? "Lower is better for this measure; the claim states both figures."
                                          : "Higher is better for this measure; the claim states both figures.");
                cite_claim(f, c, &ev);
                f->explanation = buf_detach(&ex);
                f->evidence = buf_detach(&ev);
            }
        }
        if (c->actual.set && !strcmp(c->actual.unit, "percent") && c->actual.v > 100 && c->sentence &&
            c->actual_text) {
            const char *at = strstr(c->sentence, c->actual_text);
            if (at && !strncmp(at + strlen(c->actual_text), " of ", 4)) {
                check_finding *f = add(out, "impossible-value", "high");
                buf ev, ex;
                buf_init(&ev, 0), buf_init(&ex, 0);
                buf_printf_put(&ex, "%s of something cannot be more than all of it: %s.", c->actual_text, c->indicator);
                f->why = cs_xstrdup("A share of a whole stated above 100 per cent.");
                cite_claim(f, c, &ev);
                f->explanation = buf_detach(&ex);
                f->evidence = buf_detach(&ev);
            }
        }
    }
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
        return cs_fail(err, CS_ERR_DB, "cannot read sentences: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long sid = sqlite3_column_int64(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        long long sstart = sqlite3_column_int64(st, 2);
        double whole = -1, sum = 0;
        int parts = 0, oversized = 0; /* a "part" larger than the whole is something else */
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
            if (parts)
                buf_puts(&terms, " + ");
            buf_printf_put(&terms, "%.10g", v);
            sum += v;
            parts++;
            oversized |= v > whole;
        }
        sqlite3_reset(fs);
        if (whole >= 0 && parts >= 2 && !oversized && fabs(sum - whole) > 0.5) {
            check_finding *f = add(out, "parts-vs-whole", "medium");
            buf ev, ex;
            buf_init(&ev, 0), buf_init(&ex, 0);
            buf_printf_put(&ex, "The parts do not add up to the whole: %s = %.10g, but the sentence speaks of %.10g.",
                           buf_str(&terms), sum, whole);
            f->why = cs_xstrdup("One sentence names a whole (\"of the N\") and then counts its parts.");
            buf_printf_put(&ev, "- %s (%s): \xE2\x80\x9C%s\xE2\x80\x9D\n", (const char *)sqlite3_column_text(st, 3),
                           sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "undated", text);
            f->figures = cs_xmalloc(nid * sizeof *f->figures);
            memcpy(f->figures, ids, nid * sizeof *ids);
            f->nfigures = nid;
            for (size_t k = 0; k < d->nc; k++)
                if (d->c[k].sentence_id == sid) {
                    f->claims = cs_xrealloc(f->claims, (f->nclaims + 1) * sizeof *f->claims);
                    f->claims[f->nclaims++] = d->c[k].id;
                }
            f->explanation = buf_detach(&ex);
            f->evidence = buf_detach(&ev);
        }
        buf_free(&terms);
    }
    sqlite3_finalize(fs);
    sqlite3_finalize(st);
    return CS_OK;
}

/* Amounts of one kind (needed/cost, allocated, spent) about one subject in
 * different documents: grouped, and reported when their values differ. */
static void amounts_revised(const data *d, check_list *out)
{
    size_t n = d->nf;
    size_t *group = cs_xmalloc((n + 1) * sizeof *group);
    for (size_t i = 0; i < n; i++)
        group[i] = i;
    buf whyall;
    buf_init(&whyall, 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const cfigure *a = &d->f[i], *b = &d->f[j];
            if (a->doc_id == b->doc_id || !a->category || a->category != b->category || strcmp(a->unit, b->unit) ||
                !same_subject(d, a->doc_id, b->doc_id))
                continue;
            /* The budget for 2024/25 is not a revision of the budget for 2025/26. */
            if (a->year_start[0] && b->year_start[0] &&
                (strcmp(a->year_end, b->year_start) < 0 || strcmp(b->year_end, a->year_start) < 0))
                continue;
            size_t shared;
            if (overlap(a->stems, a->nstems, b->stems, b->nstems, &shared, NULL) < 0.4 || shared < 3)
                continue;
            /* union */
            size_t ga = group[i], gb = group[j];
            while (group[ga] != ga)
                ga = group[ga];
            while (group[gb] != gb)
                gb = group[gb];
            if (ga != gb)
                group[gb < ga ? ga : gb] = gb < ga ? gb : ga;
        }
    for (size_t root = 0; root < n; root++) {
        size_t members = 0, first = n;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            size_t g = i;
            while (group[g] != g)
                g = group[g];
            if (g != root)
                continue;
            members++;
            if (first == n)
                first = i;
            lo = fmin(lo, d->f[i].v);
            hi = fmax(hi, d->f[i].v);
        }
        if (members < 2 || hi - lo <= 0.01 * hi)
            continue;
        int docs_differ = 0;
        for (size_t i = 0; i < n; i++) {
            size_t g = i;
            while (group[g] != g)
                g = group[g];
            if (g == root && d->f[i].doc_id != d->f[first].doc_id)
                docs_differ = 1;
        }
        if (!docs_differ)
            continue;
        check_finding *f = add(out, "amount-revised", "medium");
        buf ev, ex, why, words;
        buf_init(&ev, 0), buf_init(&ex, 0), buf_init(&why, 0), buf_init(&words, 0);
        const char *kind = d->f[first].category == AMOUNT_NEED       ? "needed or cost"
                           : d->f[first].category == AMOUNT_ALLOCATE ? "allocated or planned"
                                                                     : "spent";
        buf_printf_put(&ex, "The amount %s is stated differently across documents:", kind);
        size_t last = n;
        for (size_t i = 0; i < n; i++) {
            size_t g = i;
            while (group[g] != g)
                g = group[g];
            if (g != root)
                continue;
            const cfigure *x = &d->f[i];
            if (last != n && d->f[last].doc_id == x->doc_id && d->f[last].v == x->v)
                continue; /* the same document repeating itself */
            char v[48];
            fmt_qty(v, sizeof v, x->v, x->unit);
            buf_printf_put(&ex, " %s (%s, %s%s%s);", v, x->published ? x->published : "undated", x->path,
                           x->people ? ", naming " : "", x->people ? x->people : "");
            cite_figure(f, x, &ev);
            last = i;
        }
        if (ex.len && ex.ptr[ex.len - 1] == ';')
            ex.ptr[ex.len - 1] = '.', buf_puts(&ex, " A revised estimate is news: check which figure is current.");
        size_t shared;
        overlap(d->f[first].stems, d->f[first].nstems, d->f[last == n ? first : last].stems,
                d->f[last == n ? first : last].nstems, &shared, &words);
        buf_printf_put(&why, "Amounts of the same kind (%s) whose sentences share the words: %s.", kind, buf_str(&words));
        f->explanation = buf_detach(&ex);
        f->why = buf_detach(&why);
        f->evidence = buf_detach(&ev);
        buf_free(&words);
    }
    buf_free(&whyall);
    free(group);
}

/* Days since 2000-01-01 of an ISO date, for closeness tests. */
static long day_of(const char *iso)
{
    int y = atoi(iso), m = atoi(iso + 5), dd = atoi(iso + 8);
    if (m <= 2)
        y--, m += 12;
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + dd;
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
    if (s[0]) {
        *lo = day_of(s), *hi = day_of(e);
        return 1;
    }
    if (x && x->published[0]) {
        *lo = day_of(x->published) - 92, *hi = day_of(x->published) + 92;
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

/* Two documents and the values each gives: one figure-differs finding each. */
typedef struct {
    long long da, db;
    double va, vb;
} pair_key;

/* An open-addressing hash set of pair keys (linear probing, kept at most
 * half full); da == 0 marks an empty slot, as document ids start at 1. */
typedef struct {
    pair_key *v;
    size_t cap, n; /* cap: a power of two, or 0 */
} pair_set;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static size_t pair_hash(const pair_key *k)
{
    unsigned long long h = 1469598103934665603ULL, w[4];
    double va = k->va == 0 ? 0 : k->va, vb = k->vb == 0 ? 0 : k->vb; /* -0 equals 0: one hash */
    memcpy(&w[0], &k->da, 8), memcpy(&w[1], &k->db, 8), memcpy(&w[2], &va, 8), memcpy(&w[3], &vb, 8);
    for (int i = 0; i < 4; i++)
        h = (h ^ w[i]) * 1099511628211ULL, h ^= h >> 29;
    return (size_t)h;
}

static int pair_eq(const pair_key *a, const pair_key *b)
{
    return a->da == b->da && a->db == b->db && a->va == b->va && a->vb == b->vb;
}

/* Adds k; 1 if it was new, 0 if already there. */
static int pair_set_add(pair_set *s, pair_key k)
{
    if (2 * (s->n + 1) > s->cap) {
        pair_set t = {cs_xcalloc(s->cap ? 2 * s->cap : 64, sizeof *t.v), s->cap ? 2 * s->cap : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i].da)
                pair_set_add(&t, s->v[i]);
        free(s->v);
        *s = t;
    }
    size_t i = pair_hash(&k) & (s->cap - 1);
    for (; s->v[i].da; i = (i + 1) & (s->cap - 1))
        if (pair_eq(&s->v[i], &k))
            return 0;
    s->v[i] = k;
    s->n++;
    return 1;
}

/* One pair of claims i < j for figure-differs: the same indicator in
 * different documents, for compatible periods, with different values;
 * sharper when a named person said one of them. lo and hi are each claim's
 * days (lo > hi: undated or not comparable). */
static void differ_pair(const data *d, size_t i, size_t j, const long *lo, const long *hi, pair_set *seen,
                        check_list *out)
{
    const cclaim *a = &d->c[i], *b = &d->c[j];
    if (lo[i] > hi[i] || lo[j] > hi[j] || lo[i] > hi[j] || lo[j] > hi[i] || a->doc_id == b->doc_id ||
        strcmp(a->actual.unit, b->actual.unit) || !same_subject(d, a->doc_id, b->doc_id))
        return;
    double diff = fabs(a->actual.v - b->actual.v);
    if (diff <= fmax(0.02 * fmax(fabs(a->actual.v), fabs(b->actual.v)), 0.5))
        return;
    buf words;
    buf_init(&words, 0);
    size_t shared;
    double ov = jaccard(a->stems, a->nstems, b->stems, b->nstems, &shared, &words);
    if (ov < 0.5 || shared < 2) {
        buf_free(&words);
        return;
    }
    /* One finding per pair of documents and values. */
    if (!pair_set_add(seen, (pair_key){a->doc_id, b->doc_id, a->actual.v, b->actual.v})) {
        buf_free(&words);
        return;
    }
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
    cite_claim(f, a, &ev);
    cite_claim(f, b, &ev);
    f->explanation = buf_detach(&ex);
    f->why = buf_detach(&why);
    f->evidence = buf_detach(&ev);
    buf_free(&words);
}

/* An index from indicator stem to the claims whose indicator holds it, so
 * that only claims sharing two stems are compared (a match needs two). */
typedef struct {
    char **key; /* open addressing; NULL empty */
    size_t *id;
    size_t cap, n;
} stem_ids;

static size_t stem_id(stem_ids *t, const char *k)
{
    if (2 * (t->n + 1) > t->cap) {
        stem_ids u = {cs_xcalloc(t->cap ? 2 * t->cap : 256, sizeof *u.key), cs_xcalloc(t->cap ? 2 * t->cap : 256,
                                                                                     sizeof *u.id),
                      t->cap ? 2 * t->cap : 256, 0};
        for (size_t i = 0; i < t->cap; i++)
            if (t->key[i]) {
                size_t h = strs_hash(t->key[i], strlen(t->key[i])) & (u.cap - 1);
                while (u.key[h])
                    h = (h + 1) & (u.cap - 1);
                u.key[h] = t->key[i], u.id[h] = t->id[i], u.n++;
            }
        free(t->key), free(t->id);
        *t = u;
    }
    size_t h = strs_hash(k, strlen(k)) & (t->cap - 1);
    for (; t->key[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->key[h], k))
            return t->id[h];
    t->key[h] = (char *)k; /* borrowed from the claim, which outlives the index */
    t->id[h] = t->n++;
    return t->id[h];
}

static void figures_differ(const data *d, check_list *out)
{
    pair_set seen = {0};
    /* Each claim's days once. Undated or not comparable: lo > hi. */
    size_t nc = d->nc;
    long *lo = cs_xmalloc((nc + 1) * sizeof *lo), *hi = cs_xmalloc((nc + 1) * sizeof *hi);
    for (size_t i = 0; i < nc; i++)
        if (!d->c[i].actual.set || !strcmp(d->c[i].actual.unit, "fraction") || !claim_days(d, &d->c[i], &lo[i], &hi[i]))
            lo[i] = 1, hi[i] = 0;
    /* Postings: for each stem, the comparable claims holding it, in order. */
    stem_ids t = {0};
    size_t nref = 0;
    for (size_t i = 0; i < nc; i++)
        if (lo[i] <= hi[i])
            nref += d->c[i].nstems;
    size_t *ref_stem = cs_xmalloc((nref + 1) * sizeof *ref_stem), *ref_claim = cs_xmalloc((nref + 1) * sizeof *ref_claim);
    size_t r = 0;
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; lo[i] <= hi[i] && k < d->c[i].nstems; k++)
            ref_stem[r] = stem_id(&t, d->c[i].stems[k]), ref_claim[r++] = i;
    size_t *start = cs_xcalloc(t.n + 2, sizeof *start), *post = cs_xmalloc((nref + 1) * sizeof *post);
    for (size_t q = 0; q < nref; q++)
        start[ref_stem[q] + 1]++;
    for (size_t s = 0; s < t.n; s++)
        start[s + 1] += start[s];
    size_t *fill = cs_xmalloc((t.n + 1) * sizeof *fill);
    memcpy(fill, start, (t.n + 1) * sizeof *fill);
    for (size_t q = 0; q < nref; q++)
        post[fill[ref_stem[q]]++] = ref_claim[q]; /* claims in ascending order per stem */
    /* For each claim, the later claims sharing two stems with it, in order:
     * the same pairs, in the same order, as comparing every pair. */
    unsigned *count = cs_xcalloc(nc + 1, sizeof *count);
    size_t *touched = cs_xmalloc((nc + 1) * sizeof *touched), *cand = cs_xmalloc((nc + 1) * sizeof *cand);
    r = 0;
    for (size_t i = 0; i < nc; i++) {
        size_t ntouched = 0, ncand = 0;
        for (; r < nref && ref_claim[r] == i; r++) {
            size_t sid = ref_stem[r];
            for (size_t p = start[sid]; p < start[sid + 1]; p++) {
                size_t j = post[p];
                if (j <= i)
                    continue;
                if (!count[j]++)
                    touched[ntouched++] = j;
                else if (count[j] == 2)
                    cand[ncand++] = j;
            }
        }
        qsort(cand, ncand, sizeof *cand, cmp_size);
        for (size_t k = 0; k < ncand; k++)
            differ_pair(d, i, cand[k], lo, hi, &seen, out);
        for (size_t k = 0; k < ntouched; k++)
            count[touched[k]] = 0;
    }
    free(count), free(touched), free(cand), free(fill), free(start), free(post), free(ref_stem), free(ref_claim);
    free(t.key), free(t.id);
    free(lo);
    free(hi);
    free(seen.v);
}

cs_status check_run(store *s, const rules_set *rs, check_list *out, cs_error *err)
{
    data d;
    memset(&d, 0, sizeof d);
    d.lower = rules_lexicon(rs, "lower-is-better");
    cs_status st = load(s, rs, &d, err);
    if (st == CS_OK) {
        share_vs_count(&d, out);
        claim_arithmetic(&d, out);
        st = parts_vs_whole(s, &d, out, err);
    }
    if (st == CS_OK) {
        amounts_revised(&d, out);
        figures_differ(&d, out);
    }
    free_data(&d);
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

cs_status check_save(store *s, const check_list *l, cs_error *err)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *fi = NULL, *so = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM findings;", NULL, NULL, NULL) != SQLITE_OK)
        return cs_fail(err, CS_ERR_DB, "cannot replace findings: %s", sqlite3_errmsg(db));
    if (sqlite3_prepare_v2(db, "INSERT INTO findings(kind, severity, explanation, why, evidence) VALUES (?1,?2,?3,?4,?5)",
                           -1, &fi, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO finding_sources(finding_id, claim_id, figure_id) VALUES (?1,?2,?3)", -1, &so,
                           NULL) != SQLITE_OK)
        rc = cs_fail(err, CS_ERR_DB, "cannot store findings: %s", sqlite3_errmsg(db));
    for (size_t i = 0; i < l->n && rc == CS_OK; i++) {
        const check_finding *f = &l->v[i];
        sqlite3_bind_text(fi, 1, f->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 2, f->severity, -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 3, f->explanation ? f->explanation : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 4, f->why ? f->why : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(fi, 5, f->evidence ? f->evidence : "", -1, SQLITE_STATIC);
        if (sqlite3_step(fi) != SQLITE_DONE)
            rc = cs_fail(err, CS_ERR_DB, "cannot store a finding: %s", sqlite3_errmsg(db));
        sqlite3_reset(fi);
        long long id = sqlite3_last_insert_rowid(db);
        for (size_t k = 0; k < f->nclaims + f->nfigures && rc == CS_OK; k++) {
            sqlite3_bind_int64(so, 1, id);
            if (k < f->nclaims)
                sqlite3_bind_int64(so, 2, f->claims[k]), sqlite3_bind_null(so, 3);
            else
                sqlite3_bind_null(so, 2), sqlite3_bind_int64(so, 3, f->figures[k - f->nclaims]);
            if (sqlite3_step(so) != SQLITE_DONE)
                rc = cs_fail(err, CS_ERR_DB, "cannot store a finding's source: %s", sqlite3_errmsg(db));
            sqlite3_reset(so);
        }
    }
    sqlite3_finalize(fi);
    sqlite3_finalize(so);
    if (sqlite3_exec(db, rc == CS_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK && rc == CS_OK)
        rc = cs_fail(err, CS_ERR_DB, "cannot commit findings: %s", sqlite3_errmsg(db));
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
        return cs_fail(err, CS_ERR_DB, "cannot read targets: %s", sqlite3_errmsg(store_db(s)));
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
            fprintf(f, "\n  %s (%s)\n", docp, pub ? (const char *)pub : "undated");
        }
        char a[48] = "-", t[48] = "-", g[48] = "";
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            fmt_qty(a, sizeof a, sqlite3_column_double(st, 3), (const char *)sqlite3_column_text(st, 4));
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            fmt_qty(t, sizeof t, sqlite3_column_double(st, 5), (const char *)sqlite3_column_text(st, 6));
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            fmt_qty(g, sizeof g, sqlite3_column_double(st, 8), (const char *)sqlite3_column_text(st, 9));
        const char *met = sqlite3_column_type(st, 10) == SQLITE_NULL ? "?" : sqlite3_column_int(st, 10) ? "met" : "MISSED";
        fprintf(f, "    %-6s %-52.52s actual %-10s target %-10s%s%s%s\n", met,
                (const char *)sqlite3_column_text(st, 2), a, t, sqlite3_column_int(st, 7) ? " (derived)" : "",
                g[0] ? "  gap " : "", g);
    }
    free(lastbuf);
    sqlite3_finalize(st);
    return CS_OK;
}

cs_status check_write(FILE *f, store *s, const check_list *l, const char *format, cs_error *err)
{
    if (!strcmp(format, "jsonl")) {
        for (size_t i = 0; i < l->n; i++) {
            const check_finding *x = &l->v[i];
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
            if (json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0)
                fputc('\n', f);
            json_decref(o);
        }
    } else if (!strcmp(format, "csv")) {
        static const char *const header[] = {"kind", "severity", "explanation", "why", "evidence"};
        cs_status st = strs_csv_row(f, header, 5);
        for (size_t i = 0; i < l->n && st == CS_OK; i++) {
            const check_finding *x = &l->v[i];
            const char *cols[] = {x->kind, x->severity, x->explanation, x->why, x->evidence};
            st = strs_csv_row(f, cols, 5);
        }
    } else {
        fprintf(f, "%zu finding%s\n", l->n, l->n == 1 ? "" : "s");
        for (size_t i = 0; i < l->n; i++) {
            const check_finding *x = &l->v[i];
            fprintf(f, "\n[%s] %s\n  %s\n  Why: %s\n", x->severity, x->kind, x->explanation, x->why);
            const char *e = x->evidence ? x->evidence : "";
            while (*e) {
                const char *nl = strchr(e, '\n');
                size_t n = nl ? (size_t)(nl - e) : strlen(e);
                fprintf(f, "  %.*s\n", (int)n, e);
                e += n + (nl ? 1 : 0);
            }
        }
        cs_status st = targets_table(f, s, err);
        if (st != CS_OK)
            return st;
    }
    return ferror(f) ? cs_fail(err, CS_ERR_IO, "cannot write the findings") : CS_OK;
}
