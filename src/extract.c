/* extract: the per-document pipeline and its records. */
#include "extract.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boiler.h"
#include "html.h"
#include "load.h"
#include "office.h"
#include "pdf.h"
#include "tables.h"
#include "people.h"
#include "text.h"

/* d's blocks, read by its type. A file whose "%PDF-" stands further into
 * its first kilobyte and that poppler refuses is the text it looks like (a
 * note that quotes the marker). */
/* A PDF, or bytes with "%PDF-" past their start that poppler refuses and
 * that are then read as text (*as_text set). When neither reader takes them,
 * the PDF reader's status comes with both readers' own messages. */
static cs_status parse_pdf(doc *d, const rules_set *rs, int *as_text, cs_error *err)
{
    *as_text = 0;
    cs_status st = pdf_parse(d, rs, err);
    if (st == CS_OK || d->is_pdf != DOC_PDF_MAYBE)
        return st;
    cs_error pdf, text;
    snprintf(pdf.msg, sizeof pdf.msg, "%s", err ? err->msg : "");
    if (load_as_text(d, &text) != CS_OK)
        return cs_fail(err, st, "%s; read as text: %s", pdf.msg, text.msg);
    *as_text = 1;
    return CS_OK;
}

static cs_status parse_blocks(doc *d, const rules_set *rs, cs_error *err)
{
    int as_text;
    if (d->is_pdf) {
        cs_status st = parse_pdf(d, rs, &as_text, err);
        if (st != CS_OK || !as_text)
            return st;
    }
    if (d->is_office)
        return office_parse(d, err);
    if (d->is_html)
        return html_parse(d, err);
    text_parse(d);
    return CS_OK;
}

cs_status extract_clean(doc *d, const rules_set *rs, cs_error *err)
{
    cs_status st = parse_blocks(d, rs, err);
    if (st != CS_OK)
        return st;
    boiler_classify(d, rs);
    return CS_OK;
}

/* Coordinated figures share a unit ("nine or 12 months"): each figure with
 * the next figure after it. */
static void share_units(mention_list *ms, const char *text, const rules_list *stop)
{
    mention *prev = NULL;
    for (size_t i = 0; i < ms->n; i++) {
        mention *m = &ms->v[i];
        if (m->kind != MENTION_FIGURE)
            continue;
        if (prev && prev->end <= m->start)
            numbers_coordinate(&prev->fig, prev->end, &m->fig, m->fig.start, m->end, text, stop);
        prev = m;
    }
}

/* A short block near the top that is only a date is the dateline. */
static void find_dateline(extract_result *r)
{
    doc *d = r->d;
    if (d->published)
        return;
    size_t seen = 0;
    for (size_t i = 0; i < d->nblocks && seen < 6; i++) {
        doc_block *b = &d->blocks[i];
        if (!b->keep)
            continue;
        seen++;
        if (b->chars > 40)
            continue;
        for (size_t k = 0; k < r->ms.n; k++) {
            mention *m = &r->ms.v[k];
            if (m->kind == MENTION_DATE && !m->date.relative && !strcmp(m->date.granularity, "day") &&
                m->start >= b->clean_off && m->end <= b->clean_off + b->len) {
                char iso[11];
                dates_format(&m->date.start, iso);
                doc_set_meta(&d->published, iso, 10, 0);
                return;
            }
        }
    }
}

/* The year a text without a date of its own fixes: agency stories report
 * figures "for November" in a text that names 2004. It is the latest year
 * of its dates outside sentences of forecast, plan or target (future: the
 * lexicons of such words, NULL-terminated), else the
 * earliest year it names; *out is that year's last day, so that months
 * resolve within it. Returns 0 when the text names no year. */
static int implied_anchor(const extract_result *r, const rules_list *const *future, dates_ymd *out)
{
    int past = 0, any = 0;
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind != MENTION_DATE || m->date.relative || !strcmp(m->date.granularity, "decade"))
            continue;
        int y = m->date.end.y;
        any = !any || y < any ? y : any;
        size_t si = sentence_find(r->sents, r->nsent, m->start);
        const sentence_span *s = si < r->nsent ? &r->sents[si] : NULL;
        int ahead = 0;
        for (int k = 0; s && future[k] && !ahead; k++)
            ahead = rules_list_find(future[k], r->d->text + s->start, s->end - s->start, NULL) > 0;
        if (s && !ahead && y > past)
            past = y;
    }
    if (!any)
        return 0;
    *out = (dates_ymd){past ? past : any, 12, 31};
    return 1;
}

/* Date mentions by where they end: ix[0..n) index a mention list, ends
 * ascending. A long page has thousands; "that month" looks back 300 bytes
 * among them, which a search by end finds at once. */
typedef struct {
    size_t *ix;
    size_t n, cap;
} date_ends;

/* Adds date mention i of ms (an insertion from the end: in text order it
 * costs nothing). */
static void ends_add(date_ends *e, const mention_list *ms, size_t i)
{
    cs_grow(&e->ix, &e->cap, e->n + 1, sizeof *e->ix);
    size_t k = e->n++;
    for (; k > 0 && ms->v[e->ix[k - 1]].end > ms->v[i].end; k--)
        e->ix[k] = e->ix[k - 1];
    e->ix[k] = i;
}

/* Of the dates of e that end at pos or before, within 300 bytes, the one
 * that starts last, if it starts after best's start; else best. */
static const mention *latest_date(const mention_list *ms, const date_ends *e, size_t pos, const mention *best)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ms->v[e->ix[mid]].end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k-- > 0 && pos - ms->v[e->ix[k]].end <= 300;)
        if (!best || ms->v[e->ix[k]].start > best->start)
            best = &ms->v[e->ix[k]];
    return best;
}

/* Resolves the relative dates rel[0..n) (in text order) into date mentions
 * of r: an anaphor ("that month") by the date the text last named within
 * 300 bytes before it, which may be one resolved here; else by anchor (the
 * document's date, or with implied a year, which fixes only year-level
 * dates such as "November"). */
static void resolve_relative(extract_result *r, rules_match *rel, size_t n, const dates_ymd *anchor, int dated,
                             int implied)
{
    date_ends found = {NULL, 0, 0}, made = {NULL, 0, 0};
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].kind == MENTION_DATE)
            ends_add(&found, &r->ms, i);
    for (size_t j = 0; j < n; j++) {
        rules_match *x = &rel[j];
        dates_interval iv;
        const mention *ref = latest_date(&r->ms, &made, x->start, latest_date(&r->ms, &found, x->start, NULL));
        int anchored = dated || (implied && dates_year_level(x));
        if (!dates_anaphor(x, r->d->text, ref ? &ref->date : NULL, &iv) &&
            (!anchored || !dates_normalize(x, r->d->text, anchor, &iv)))
            continue;
        mention *y = mention_push(&r->ms, MENTION_DATE, x->start, x->end);
        y->date = iv;
        y->rule = rules_id(x->rule);
        y->tag = rules_tag(x->rule);
        ends_add(&made, &r->ms, r->ms.n - 1);
    }
    free(found.ix);
    free(made.ix);
}

/* The first place in s[0..n) where w occurs, ASCII case aside, or NULL. */
static const char *find_ci(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, w, k))
            return s + i;
    return NULL;
}

/* The first absolute day date within block b, or NULL. */
static const mention *day_in_block(const extract_result *r, const doc_block *b, size_t from)
{
    for (size_t k = 0; k < r->ms.n; k++) {
        const mention *m = &r->ms.v[k];
        if (m->kind == MENTION_DATE && !m->date.relative && !strcmp(m->date.granularity, "day") &&
            m->start >= b->clean_off + from && m->end <= b->clean_off + b->len)
            return m;
    }
    return NULL;
}

/* A PDF's own date, from its first page: a date labelled (rules/date-labels
 * .txt) as the date of publication, report or meeting ("Report published:
 * 25 November 2016", "Date: 12 February 2025"); else a heading that holds a
 * date (a meeting's title, a letter's date line); else a date in the first
 * short blocks. */
static void find_pdf_date(extract_result *r, const rules_list *labels)
{
    doc *d = r->d;
    const mention *best = NULL;
    int rank = 4;
    size_t seen = 0;
    for (size_t i = 0; i < d->nblocks && d->blocks[i].page <= 1 && seen < 12; i++) {
        const doc_block *b = &d->blocks[i];
        if (!b->keep)
            continue;
        seen++;
        const char *t = doc_block_text(d, i);
        for (size_t k = 0; labels && k < labels->n && rank > 1; k++) {
            const char *at = find_ci(t, b->len, labels->items[k]);
            const mention *m = at ? day_in_block(r, b, (size_t)(at - t)) : NULL;
            if (m)
                best = m, rank = 1;
        }
        const mention *m = day_in_block(r, b, 0);
        if (m && b->kind == DOC_BLOCK_HEADING && rank > 2)
            best = m, rank = 2;
        else if (m && b->chars <= 200 && seen <= 8 && rank > 3)
            best = m, rank = 3;
    }
    if (best) {
        char iso[11];
        dates_format(&best->date.start, iso);
        doc_set_meta(&d->published, iso, 10, 0);
    }
}

/* 0 when d is in another language: a declared lang that is not English,
 * or, undeclared, text whose first 2,000 words of prose hold few English
 * function words (about a third of English prose; under a tenth in French,
 * Spanish, German or Czech, none in Chinese or Japanese). Table rows are
 * labels and figures, with hardly a function word in any language: they
 * do not count. Short texts count as English: too few words to tell. */
static int reads_as_english(const doc *d, const rules_list *stop)
{
    if (d->lang && d->lang[0])
        return !strncasecmp(d->lang, "en", 2);
    size_t words = 0, common = 0;
    for (size_t i = 0; i < d->nblocks && words < 2000 && stop; i++) {
        const doc_block *b = &d->blocks[i];
        if (!b->keep || b->kind == DOC_BLOCK_ROW)
            continue;
        size_t w = 0;
        common += rules_list_count(stop, doc_block_text(d, i), b->len, 2000 - words, &w);
        words += w;
    }
    return !stop || words < 40 || common * 100 >= words * 15;
}

/* 1 if [start, end) lies in a text of len bytes. */
static int span_ok(size_t start, size_t end, size_t len)
{
    return start <= end && end <= len;
}

/* Every span a record or a stored row will slice the text with: start <=
 * end <= the text's length. A violation is a defect of ours, never of the
 * input; it fails the document (and stops a fuzzing build at once) rather
 * than read outside the text. */
static cs_status check_spans(const extract_result *r, cs_error *err)
{
    size_t len = r->d->text_len;
    const char *bad = NULL;
    size_t a = 0, b = 0;
    for (size_t i = 0; i < r->nsent && !bad; i++)
        if (!span_ok(a = r->sents[i].start, b = r->sents[i].end, len))
            bad = "sentence";
    for (size_t i = 0; i < r->ms.n && !bad; i++)
        if (!span_ok(a = r->ms.v[i].start, b = r->ms.v[i].end, len))
            bad = "mention";
    for (size_t i = 0; i < r->claims.n && !bad; i++)
        if (!span_ok(a = r->claims.v[i].start, b = r->claims.v[i].end, len))
            bad = "claim";
    for (size_t i = 0; i < r->events.n && !bad; i++) {
        const events_event *e = &r->events.v[i];
        if (!span_ok(a = e->start, b = e->end, len))
            bad = "event";
        else if (e->has_date && e->date_end > e->date_start && !span_ok(a = e->date_start, b = e->date_end, len))
            bad = "event date";
    }
    if (!bad)
        return CS_OK;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    abort();
#endif
    return cs_fail(err, CS_ERR_INPUT, "internal error: a %s span [%zu,%zu] lies outside the %zu bytes of text "
                   "(a defect in claimscan; please report it)", bad, a, b, len);
}

#define EXTRACT_WINDOW (64 * 1024) /* bytes of text the rules scan at a time */

/* Where the window of text[0..len) that starts at from ends: just after the
 * first line break EXTRACT_WINDOW bytes on, or at the end. */
static size_t window_end(const char *text, size_t len, size_t from)
{
    if (len - from <= EXTRACT_WINDOW)
        return len;
    const char *nl = memchr(text + from + EXTRACT_WINDOW, '\n', len - from - EXTRACT_WINDOW);
    return nl ? (size_t)(nl - text) + 1 : len;
}

/* The absolute date m as a mention. A span of months or years ("between
 * 2001 and 2011") is one record in a PDF, as the PDF gold conventions
 * have it, and a record for each end in other texts, as the article
 * conventions have it. 0 when m is no date. */
static int push_date(extract_result *r, const rules_match *m)
{
    dates_interval iv[2];
    size_t span[4];
    if (!r->d->is_pdf && dates_range_ends(m, r->d->text, iv, span)) {
        mention *x = mention_push(&r->ms, MENTION_DATE, span[0], span[1]);
        x->date = iv[0];
        x->rule = rules_id(m->rule);
        x->tag = rules_tag(m->rule);
        mention_push(&r->ms, MENTION_DATE, span[2], span[3])->date = iv[1];
        return 1;
    }
    if (!dates_normalize(m, r->d->text, NULL, &iv[0]))
        return 0;
    mention_push(&r->ms, MENTION_DATE, m->start, m->end)->date = iv[0];
    return 1;
}

/* Turns the resolved matches m[0..n) into mentions of r; relative dates
 * wait in *rel (copies) for the document's date. */
static void take_matches(extract_result *r, const rules_set *rs, rules_match *m, size_t n, rules_match **rel,
                         size_t *nrel, size_t *relcap)
{
    const doc *d = r->d;
    numbers_lexicons lex = numbers_lexicons_of(rs);
    for (size_t i = 0; i < n; i++) {
        rules_kind k = rules_kind_of(m[i].rule);
        mention tmp;
        memset(&tmp, 0, sizeof tmp);
        if (k == RULES_FIGURE) {
            if (!numbers_normalize(&m[i], d->text, &lex, &tmp.fig))
                continue;
            mention *x = mention_push(&r->ms, MENTION_FIGURE, tmp.fig.start, m[i].end);
            x->fig = tmp.fig;
        } else if (k == RULES_DATE) {
            if (dates_is_relative(&m[i])) {
                cs_grow(rel, relcap, *nrel + 1, sizeof **rel);
                (*rel)[(*nrel)++] = m[i];
                continue;
            }
            if (!push_date(r, &m[i]))
                continue;
        } else if (k == RULES_PERSON && rules_tag(m[i].rule) && !strcmp(rules_tag(m[i].rule), "list")) {
            people_list(&m[i], d->text, rs, rules_id(m[i].rule), &r->ms);
            continue;
        } else if (k == RULES_PERSON) {
            people_trim(&m[i], d->text, rs);
            if (!people_normalize(&m[i], d->text, rs, &tmp.person))
                continue;
            size_t ps, pe;
            people_span(&m[i], &ps, &pe);
            mention *x = mention_push(&r->ms, MENTION_PERSON, ps, pe);
            x->person = tmp.person;
        } else if (k == RULES_CUE) {
            mention_push(&r->ms, MENTION_CUE, m[i].start, m[i].end);
        } else if (k == RULES_EVENT) {
            mention_push(&r->ms, MENTION_EVENT, m[i].start, m[i].end);
        } else {
            continue;
        }
        r->ms.v[r->ms.n - 1].rule = rules_id(m[i].rule);
        r->ms.v[r->ms.n - 1].tag = rules_tag(m[i].rule);
    }
}

/* The document's own date (a PDF's labelled date, a dateline, the page's
 * metadata), then the relative dates rel[0..nrel) anchored on it, or on the
 * year an undated text reports on. */
static void date_document(extract_result *r, const rules_set *rs, rules_match *rel, size_t nrel)
{
    doc *d = r->d;
    if (d->is_pdf)
        find_pdf_date(r, rules_lexicon(rs, "date-labels"));
    find_dateline(r);
    if (!d->published && d->meta_date)
        doc_set_meta(&d->published, d->meta_date, strlen(d->meta_date), 0);
    dates_ymd anchor;
    int dated = d->published && dates_parse_iso(d->published, &anchor);
    const rules_list *future[] = {rules_lexicon(rs, "forecast-words"), rules_lexicon(rs, "pledge-words"),
                                  rules_lexicon(rs, "deadline-words"), NULL};
    int implied = !dated && implied_anchor(r, future, &anchor);
    resolve_relative(r, rel, nrel, &anchor, dated, implied);
}

/* Claims and events, read with English phrasing only (elsewhere they are
 * noise, while figures, dates and names still hold); a deadline belongs to
 * the target stated in its sentence. */
static void read_statements(extract_result *r, const rules_set *rs)
{
    doc *d = r->d;
    if (reads_as_english(d, rules_lexicon(rs, "stopwords"))) {
        claims_build(d->text, r->sents, r->nsent, &r->ms, rs, &r->claims);
        dates_ymd when;
        events_build(d->text, r->sents, r->nsent, &r->ms, rs,
                     d->published && dates_parse_iso(d->published, &when) ? &when : NULL, &r->events);
    }
    for (size_t i = 0; i < r->events.n; i++) {
        events_event *e = &r->events.v[i];
        for (size_t k = 0; k < r->claims.n && !strcmp(e->type, "deadline") && !e->target; k++)
            if (r->claims.v[k].sentence == e->sentence && r->claims.v[k].indicator)
                e->target = cs_xstrdup(r->claims.v[k].indicator);
    }
}

cs_status extract_document(doc *d, const rules_set *rs, extract_result *r, const extract_opts *opts,
                           cs_error *err)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    load_sha256(d);
    cs_status st = extract_clean(d, rs, err);
    if (st != CS_OK)
        return st;
    doc_drop_input(d);
    rules_warn_fn warn = opts ? opts->warn : NULL;
    void *warn_ctx = opts ? opts->warn_ctx : NULL;
    if (opts && opts->filter) {
        opts->filter(opts->filter_ctx, d);
        doc_build_text(d);
    }
    r->sents = sentence_split(d->text, d->text_len, rules_lexicon(rs, "abbreviations"), &r->nsent);

    /* The rules run window by window: no match crosses a line, and a large
     * page's raw matches (hundreds of bytes each) never sit in memory all at
     * once. Relative dates wait for the document's date. */
    rules_match *m = NULL, *rel = NULL;
    size_t cap = 0, nrel = 0, relcap = 0;
    for (size_t from = 0, to; from < d->text_len; from = to) {
        to = window_end(d->text, d->text_len, from);
        size_t n = 0;
        rules_scan_range(rs, d->text, from, to, &m, &n, &cap, warn, warn_ctx);
        take_matches(r, rs, m, rules_resolve(m, n), &rel, &nrel, &relcap);
    }
    free(m);
    mention_sort(&r->ms);
    tables_apply(d, rs, &r->ms);
    share_units(&r->ms, d->text, rules_lexicon(rs, "stopwords"));
    date_document(r, rs, rel, nrel);
    free(rel);
    people_resolve(&r->ms, d->text, d->text_len, rs);
    for (size_t i = 0; i < r->ms.n; i++)
        r->ms.v[i].sentence = sentence_find(r->sents, r->nsent, r->ms.v[i].start);
    read_statements(r, rs);
    st = check_spans(r, err);
    if (st != CS_OK)
        extract_result_free(r);
    return st;
}

void extract_result_free(extract_result *r)
{
    free(r->sents);
    mention_list_free(&r->ms);
    claims_list_free(&r->claims);
    events_list_free(&r->events);
    memset(r, 0, sizeof *r);
}

json_t *extract_number(double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(round(v * 1e10) / 1e10);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *strn(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    return j ? j : json_string("");
}

json_t *extract_document_json(const doc *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "doc", json_string(d->path));
    json_object_set_new(o, "kind", json_string("document"));
    json_object_set_new(o, "title", str_or_null(d->title));
    json_object_set_new(o, "published", str_or_null(d->published));
    json_object_set_new(o, "site", str_or_null(d->site));
    json_object_set_new(o, "chars_in", json_integer((json_int_t)d->chars_in));
    json_object_set_new(o, "chars_kept", json_integer((json_int_t)d->chars_kept));
    json_object_set_new(o, "blocks_kept", json_integer((json_int_t)d->blocks_kept));
    json_object_set_new(o, "blocks_dropped", json_integer((json_int_t)d->blocks_dropped));
    json_object_set_new(o, "sha256", json_string(d->sha256));
    json_object_set_new(o, "type", json_string(d->type));
    if (d->is_pdf)
        json_object_set_new(o, "pages", json_integer(d->pages));
    json_object_set_new(o, "charset", str_or_null(d->charset));
    json_object_set_new(o, "byline", str_or_null(d->byline));
    json_object_set_new(o, "canonical", str_or_null(d->canonical));
    json_object_set_new(o, "lang", str_or_null(d->lang));
    return o;
}

static void common(json_t *o, const extract_result *r, const char *kind, size_t s, size_t e, size_t sent,
                   const char *rule)
{
    const doc *d = r->d;
    json_object_set_new(o, "doc", json_string(d->path));
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "text", strn(d->text + s, e - s));
    json_object_set_new(o, "span", json_pack("[II]", (json_int_t)s, (json_int_t)e));
    if (sent < r->nsent)
        json_object_set_new(o, "sentence", strn(d->text + r->sents[sent].start, r->sents[sent].end - r->sents[sent].start));
    else
        json_object_set_new(o, "sentence", json_string(""));
    json_object_set_new(o, "rule", json_string(rule ? rule : ""));
    if (d->pages)
        json_object_set_new(o, "page", json_integer(doc_page_at(d, s)));
}

static json_t *date_obj(const dates_interval *iv)
{
    char a[11], b[11];
    dates_format(&iv->start, a);
    dates_format(&iv->end, b);
    return json_pack("{ssss}", "start", a, "end", b);
}

json_t *extract_mention_json(const extract_result *r, const mention *m)
{
    json_t *o = json_object();
    if (m->kind == MENTION_FIGURE) {
        common(o, r, "figure", m->start, m->end, m->sentence, m->rule);
        json_object_set_new(o, "value", extract_number(m->fig.value));
        json_object_set_new(o, "unit", json_string(m->fig.unit));
        if (m->fig.has_of)
            json_object_set_new(o, "of", extract_number(m->fig.of));
        if (m->fig.approx)
            json_object_set_new(o, "approx", json_true());
        if (m->fig.scale)
            json_object_set_new(o, "scale", extract_number(m->fig.scale));
        if (m->fig.has_to)
            json_object_set_new(o, "to", extract_number(m->fig.to));
        /* A rate: "£10.00 per head", "£50m a year". */
        static const struct {
            const char *w, *per;
        } rates[] = {{" per head", "head"}, {" a head", "head"}, {" per person", "person"}, {" per household", "household"},
                     {" per pupil", "pupil"}, {" a year", "year"}, {" per year", "year"}, {" per annum", "year"},
                     {" a month", "month"}, {" per month", "month"}, {" a week", "week"}, {" per week", "week"},
                     {" a day", "day"}, {" per day", "day"}, {" an hour", "hour"}, {" per hour", "hour"}, {NULL, NULL}};
        for (int k = 0; rates[k].w; k++) {
            size_t rl = strlen(rates[k].w);
            const char *t = r->d->text + m->end;
            if (m->end + rl <= r->d->text_len && !strncasecmp(t, rates[k].w, rl) && !isalpha((unsigned char)t[rl])) {
                json_object_set_new(o, "per", json_string(rates[k].per));
                break;
            }
        }
    } else if (m->kind == MENTION_DATE) {
        common(o, r, "date", m->start, m->end, m->sentence, m->rule);
        json_t *iv = date_obj(&m->date);
        json_object_update(o, iv);
        json_decref(iv);
        json_object_set_new(o, "granularity", json_string(m->date.granularity));
        json_object_set_new(o, "relative", json_boolean(m->date.relative));
        /* "by February 2010" is a deadline, "since 2009" a start. */
        static const char *const markers[] = {"by", "since", "until", "till", "from", "before", "after", NULL};
        for (int k = 0; markers[k]; k++) {
            size_t ml = strlen(markers[k]);
            const char *t = r->d->text;
            if (m->start > ml && t[m->start - 1] == ' ' && !strncasecmp(t + m->start - 1 - ml, markers[k], ml) &&
                (m->start == ml + 1 || !isalpha((unsigned char)t[m->start - 2 - ml]))) {
                json_object_set_new(o, "marker", json_string(markers[k]));
                break;
            }
        }
    } else if (m->kind == MENTION_PERSON) {
        common(o, r, "person", m->start, m->end, m->sentence, m->rule);
        json_object_set_new(o, "name", str_or_null(m->person.name));
        json_object_set_new(o, "title", str_or_null(m->person.title));
        json_object_set_new(o, "role", str_or_null(m->person.role));
        json_object_set_new(o, "party", str_or_null(m->person.party));
    } else {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *qty(const claims_qty *q)
{
    if (!q->set)
        return json_null();
    return json_pack("{s:o,s:s}", "value", extract_number(q->value), "unit", q->unit);
}

json_t *extract_claim_json(const extract_result *r, const claims_claim *c)
{
    json_t *o = json_object();
    common(o, r, "claim", c->start, c->end, c->sentence, c->rule);
    json_object_set_new(o, "indicator", json_string(c->indicator ? c->indicator : ""));
    json_object_set_new(o, "actual", qty(&c->actual));
    json_object_set_new(o, "target", qty(&c->target));
    json_object_set_new(o, "previous", qty(&c->previous));
    json_object_set_new(o, "target_gap", qty(&c->gap));
    if (c->change.set)
        json_object_set_new(o, "change", qty(&c->change));
    if (c->floor.set)
        json_object_set_new(o, "floor", qty(&c->floor));
    if (c->status[0])
        json_object_set_new(o, "status", json_string(c->status));
    json_object_set_new(o, "met", c->met < 0 ? json_null() : json_boolean(c->met));
    json_object_set_new(o, "period", c->has_period ? date_obj(&c->period) : json_null());
    json_object_set_new(o, "speaker", str_or_null(c->speaker));
    if (c->target_derived)
        json_object_set_new(o, "target_derived", json_true());
    return o;
}

json_t *extract_event_json(const extract_result *r, const events_event *e)
{
    json_t *o = json_object();
    common(o, r, "event", e->start, e->end, e->sentence, e->rule);
    json_object_set_new(o, "event", json_string(e->type));
    json_object_set_new(o, "date", e->has_date ? date_obj(&e->date) : json_null());
    json_object_set_new(o, "date_text", e->has_date && e->date_end > e->date_start
                                            ? strn(r->d->text + e->date_start, e->date_end - e->date_start)
                                            : json_null());
    json_object_set_new(o, "granularity", e->has_date ? json_string(e->date.granularity) : json_null());
    json_object_set_new(o, "since", json_boolean(e->since));
    json_object_set_new(o, "planned", json_boolean(e->planned));
    json_object_set_new(o, "actor", str_or_null(e->actor));
    json_object_set_new(o, "subject", str_or_null(e->subject));
    if (e->target)
        json_object_set_new(o, "target", json_string(e->target));
    return o;
}

/* The columns of extract's CSV and TSV: the same for every record, each
 * filled for the kinds it applies to (the manual lists them). */
static const rows_col columns[] = {
    {"doc", "doc", NULL},
    {"kind", "kind", NULL},
    {"page", "page", NULL},
    {"span_start", "span.0", NULL},
    {"span_end", "span.1", NULL},
    {"text", "text", NULL},
    {"value", "value", "figure"},
    {"unit", "unit", "figure"},
    {"of", "of", "figure"},
    {"approx", "approx", "figure"},
    {"date_start", "start", "date"},
    {"date_end", "end", "date"},
    {"granularity", "granularity", "date event"},
    {"relative", "relative", "date"},
    {"name", "name", "person"},
    {"honorific", "title", "person"},
    {"role", "role", "person"},
    {"party", "party", "person"},
    {"indicator", "indicator", "claim"},
    {"actual_value", "actual.value", "claim"},
    {"actual_unit", "actual.unit", "claim"},
    {"target_value", "target.value", "claim"},
    {"target_unit", "target.unit", "claim"},
    {"target_derived", "target_derived", "claim"},
    {"previous_value", "previous.value", "claim"},
    {"previous_unit", "previous.unit", "claim"},
    {"gap_value", "target_gap.value", "claim"},
    {"gap_unit", "target_gap.unit", "claim"},
    {"change_value", "change.value", "claim"},
    {"change_unit", "change.unit", "claim"},
    {"met", "met", "claim"},
    {"period_start", "period.start", "claim"},
    {"period_end", "period.end", "claim"},
    {"speaker", "speaker", "claim"},
    {"floor_value", "floor.value", "claim"},
    {"floor_unit", "floor.unit", "claim"},
    {"status", "status", "claim"},
    {"event", "event", "event"},
    {"event_start", "date.start", "event"},
    {"event_end", "date.end", "event"},
    {"planned", "planned", "event"},
    {"since", "since", "event"},
    {"actor", "actor", "event"},
    {"title", "title", "document"},
    {"published", "published", "document"},
    {"site", "site", "document"},
    {"type", "type", "document"},
    {"pages", "pages", "document"},
    {"chars_in", "chars_in", "document"},
    {"chars_kept", "chars_kept", "document"},
    {"blocks_kept", "blocks_kept", "document"},
    {"blocks_dropped", "blocks_dropped", "document"},
    {"sha256", "sha256", "document"},
    {"sentence", "sentence", NULL},
    {"rule", "rule", NULL},
};

const rows_col *extract_columns(size_t *n)
{
    *n = sizeof columns / sizeof *columns;
    return columns;
}

static void put(FILE *f, rows_format fmt, json_t *o)
{
    if (o)
        rows_put(f, fmt, columns, sizeof columns / sizeof *columns, o);
    json_decref(o);
}

cs_status extract_write(FILE *f, rows_format fmt, const extract_result *r)
{
    put(f, fmt, extract_document_json(r->d));
    size_t ci = 0, ei = 0;
    for (size_t i = 0; i <= r->ms.n && !ferror(f); i++) {
        size_t at = i < r->ms.n ? r->ms.v[i].start : (size_t)-1;
        while (ci < r->claims.n && r->claims.v[ci].start <= at)
            put(f, fmt, extract_claim_json(r, &r->claims.v[ci++]));
        while (ei < r->events.n && r->events.v[ei].start <= at)
            put(f, fmt, extract_event_json(r, &r->events.v[ei++]));
        if (i < r->ms.n)
            put(f, fmt, extract_mention_json(r, &r->ms.v[i]));
    }
    return rows_status(f);
}

cs_status extract_write_jsonl(FILE *f, const extract_result *r)
{
    return extract_write(f, ROWS_JSONL, r);
}

void extract_render_example(void *ctx, const rules_match *m, const char *text, size_t len, char *out, size_t cap)
{
    const rules_set *rs = ctx;
    (void)len;
    buf b;
    buf_init(&b, 0);
    mention x;
    memset(&x, 0, sizeof x);
    dates_ymd anchor;
    dates_parse_iso(EXTRACT_TEST_ANCHOR, &anchor);
    numbers_lexicons lex = numbers_lexicons_of(rs);
    switch (rules_kind_of(m->rule)) {
    case RULES_FIGURE:
        if (numbers_normalize(m, text, &lex, &x.fig)) {
            char v[64];
            snprintf(v, sizeof v, "%.10g", x.fig.value);
            buf_puts(&b, "value=");
            buf_puts(&b, v);
            buf_puts(&b, "\nunit=");
            buf_puts(&b, x.fig.unit);
            buf_puts(&b, x.fig.approx ? "\napprox=true\n" : "\napprox=false\n");
            if (x.fig.has_of) {
                snprintf(v, sizeof v, "of=%.10g\n", x.fig.of);
                buf_puts(&b, v);
            }
        }
        break;
    case RULES_DATE:
        if (dates_normalize(m, text, &anchor, &x.date)) {
            char s1[11], s2[11];
            dates_format(&x.date.start, s1);
            dates_format(&x.date.end, s2);
            buf_puts(&b, "start=");
            buf_puts(&b, s1);
            buf_puts(&b, "\nend=");
            buf_puts(&b, s2);
            buf_puts(&b, "\ngranularity=");
            buf_puts(&b, x.date.granularity);
            buf_puts(&b, x.date.relative ? "\nrelative=true\n" : "\nrelative=false\n");
        }
        break;
    case RULES_PERSON: {
        rules_match trimmed = *m;
        people_trim(&trimmed, text, rs);
        if (people_normalize(&trimmed, text, rs, &x.person)) {
            const char *keys[] = {"name", "title", "role", "party"};
            const char *vals[] = {x.person.name, x.person.title, x.person.role, x.person.party};
            for (int i = 0; i < 4; i++) {
                buf_puts(&b, keys[i]);
                buf_putc(&b, '=');
                buf_puts(&b, vals[i] ? vals[i] : "null");
                buf_putc(&b, '\n');
            }
            free(x.person.name);
            free(x.person.title);
            free(x.person.role);
            free(x.person.party);
        }
        break;
    }
    case RULES_EVENT:
    default:
        buf_puts(&b, "tag=");
        buf_puts(&b, rules_tag(m->rule));
        buf_putc(&b, '\n');
        break;
    }
    snprintf(out, cap, "%s", buf_str(&b));
    buf_free(&b);
}
