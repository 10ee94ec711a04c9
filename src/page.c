/* page: the parts of the HTML report a reader works with. Everything is
 * inline (style, script, SVG) so the page opens offline and sends no
 * request; the script only shows and hides what the page holds. The filter
 * bar counts the claims and findings (data-filter) it shows, and narrows
 * the charts, people and events (data-narrow) by the same data: a list
 * (documents, people, indicators) must hold the value picked; met and
 * finding kind apply where the element has them. Claims a
 * document states twice (a table row and the prose that repeats it: the
 * same actual, unit and target) are shown once. */
#include "page.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dates.h"

const char *const page_css =
    ".bar{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:8px 20px;"
    "display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:14px}"
    ".bar input[type=search]{flex:1 1 260px;padding:5px 8px;font-size:15px}.bar select{max-width:220px}"
    ".bar button{padding:4px 10px;border:1px solid #bbb;background:#f5f5f5;border-radius:3px;cursor:pointer}"
    ".bar button[aria-pressed=true]{background:#1f4e8c;color:#fff;border-color:#1f4e8c}#count{color:#555}"
    ".claim{background:#fff;border-left:5px solid #999;padding:6px 12px;margin:8px 0}"
    ".claim.c-missed{border-color:#b00020}.claim.c-met{border-color:#0a7d32}"
    ".claim blockquote{margin:4px 0;color:#333}.links{font-size:13px;color:#555}"
    ".links a,.finding a{margin-right:10px}.copy{font-size:12px;padding:1px 8px;cursor:pointer}"
    ".sentences p{scroll-margin-top:120px}svg.timeline circle.person{fill:#33a02c;stroke:#fff}.sentences p:target{background:#ffe08a;outline:2px solid #e0a800}"
    ".chart{display:flex;align-items:center;gap:10px;margin:3px 0}.chart .ind{flex:0 0 340px;font-size:14px}"
    "svg.bars rect.met{fill:#0a7d32}svg.bars rect.missed{fill:#b00020}svg.bars rect.unknown{fill:#8a8a8a}"
    "svg.bars line.target{stroke:#111;stroke-width:2}svg.bars text{font-size:11px;fill:#111}"
    "svg.lane{background:#fafafa;border:1px solid #e5e5e5}svg.lane circle{fill:#33a02c}"
    "svg.lane line{stroke:#ccc}[hidden]{display:none!important}";

const char *const page_script =
    "(function(){"
    "var $=function(s){return document.querySelector(s)};"
    "var all=function(s){return Array.prototype.slice.call(document.querySelectorAll(s))};"
    "var q=$('#q'),fdoc=$('#f-doc'),fper=$('#f-person'),find=$('#f-ind'),fkind=$('#f-kind'),count=$('#count'),met='';"
    "function has(list,v){return ('|'+(list||'')+'|').indexOf('|'+v+'|')>=0}"
    "function apply(){"
    " var t=q.value.toLowerCase().trim(),words=t?t.split(/\\s+/):[],n=0,total=0;"
    " all('[data-filter],[data-narrow]').forEach(function(el){"
    "  var d=el.dataset,text=(d.text||'').toLowerCase(),ok=true;"
    "  words.forEach(function(w){if(text.indexOf(w)<0)ok=false});"
    "  if(fdoc.value&&!has(d.docs,fdoc.value))ok=false;"
    "  if(fper.value&&!has(d.people,fper.value))ok=false;"
    "  if(find.value&&!has(d.indicators,find.value))ok=false;"
    "  if(met&&d.met!==undefined&&!has(d.met,met))ok=false;"
    "  if(fkind.value&&d.kind!==undefined&&d.kind!==fkind.value)ok=false;"
    "  el.toggleAttribute('hidden',!ok);if(d.filter!==undefined){total++;if(ok)n++;}"
    " });"
    " all('.chart-doc').forEach(function(g){g.toggleAttribute('hidden',!g.querySelector('.chart:not([hidden])'))});"
    " count.textContent=n+' of '+total+' claims and findings shown';"
    "}"
    "[q,fdoc,fper,find,fkind].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply)});"
    "all('button[data-met]').forEach(function(b){b.addEventListener('click',function(){"
    " met=b.dataset.met;all('button[data-met]').forEach(function(o){o.setAttribute('aria-pressed',o===b?'true':'false')});"
    " apply()})});"
    "all('button.copy').forEach(function(b){b.addEventListener('click',function(){"
    " var t=b.dataset.cite;function done(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy citation'},1500)}"
    " function fallback(){var a=document.createElement('textarea');a.value=t;document.body.appendChild(a);a.select();"
    "  try{document.execCommand('copy')}catch(e){}document.body.removeChild(a);done()}"
    " if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(t).then(done,fallback);"
    " else fallback()})});"
    "apply();"
    "})();";

/* A chunk: large enough that writes are few, small beside the page. */
#define PAGE_CHUNK (256 * 1024)

void page_flush(page_out *o, int all)
{
    if (o->b.len < (all ? 1 : PAGE_CHUNK))
        return;
    for (size_t done = 0; !o->error && done < o->b.len;) {
        ssize_t k = write(o->fd, o->b.ptr + done, o->b.len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            o->error = k < 0 ? errno : EIO;
        else
            done += (size_t)k;
    }
    buf_reset(&o->b);
}

void page_esc(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s);
        }
    }
}

void page_attr(buf *b, const char *name, const char *value)
{
    buf_printf_put(b, " %s=\"", name);
    page_esc(b, value);
    buf_putc(b, '"');
}

static const char *text_at(store_cursor *c, int i)
{
    return store_cursor_text(c, i);
}

/* ---- links to the source file ---------------------------------------- */

/* The absolute, symlink-free form of path when it exists, else path joined
 * to the working directory. Writes into out (PATH_MAX bytes). */
static void absolute(const char *path, char *out)
{
    if (realpath(path, out))
        return;
    char cwd[PATH_MAX];
    size_t n = 0;
    if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
        n = strlen(cwd);
        memcpy(out, cwd, n);
        out[n++] = '/';
    }
    size_t k = strlen(path);
    if (n + k >= PATH_MAX)
        k = PATH_MAX - 1 - n; /* a path past PATH_MAX cannot be opened anyway */
    memcpy(out + n, path, k);
    out[n + k] = '\0';
}

/* Appends s with the bytes a URL path cannot hold as %XX. */
static void url_path(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("/-._~", c))
            buf_putc(b, (char)c);
        else
            buf_printf_put(b, "%%%02X", c);
    }
}

void page_source_href(buf *b, const char *report_path, const char *doc_path, int page)
{
    char dir[PATH_MAX], docabs[PATH_MAX], tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", report_path);
    char *slash = strrchr(tmp, '/');
    if (slash)
        *slash = '\0';
    absolute(slash ? (tmp[0] ? tmp : "/") : ".", dir);
    absolute(doc_path, docabs);
    /* The common leading directories, then one ../ per directory of the
     * report's that the document's path does not share. */
    size_t common = 0;
    for (size_t i = 0; dir[i] && dir[i] == docabs[i]; i++)
        if (dir[i + 1] == '\0' ? docabs[i + 1] == '/' : dir[i] == '/')
            common = dir[i + 1] == '\0' ? i + 1 : i;
    if (!strcmp(dir, "/"))
        common = 0;
    for (const char *p = dir + common; *p; p++)
        if (*p == '/')
            buf_puts(b, "../");
    url_path(b, docabs + common + (docabs[common] == '/'));
    if (page > 0)
        buf_printf_put(b, "#page=%d", page);
}

/* ---- the filter bar -------------------------------------------------- */

/* Options of a select from a query's rows (value, label). */
static cs_status options_from(page_out *o, store *s, const char *sql, const char *what, cs_error *err)
{
    store_cursor *c = store_cursor_open(s, sql, what, err);
    if (!c)
        return CS_ERR_DB;
    buf *b = &o->b;
    while (store_cursor_next(c)) {
        page_flush(o, 0);
        buf_puts(b, "<option value=\"");
        page_esc(b, text_at(c, 0));
        buf_puts(b, "\">");
        page_esc(b, text_at(c, 1));
        buf_puts(b, "</option>");
    }
    return store_cursor_close(c, CS_OK, err);
}

/* The options of the finding kinds, each once, in the order they first
 * come: each finding is looked up among the kinds seen so far (a handful),
 * not among the findings before it. */
static void finding_kinds(buf *b, const check_list *findings)
{
    const char **kinds = NULL;
    size_t nkinds = 0, cap = 0;
    for (size_t i = 0; findings && i < findings->n; i++) {
        const char *kind = findings->v[i].kind;
        size_t k = 0;
        while (k < nkinds && strcmp(kinds[k], kind))
            k++;
        if (k < nkinds)
            continue;
        cs_grow(&kinds, &cap, nkinds + 1, sizeof *kinds);
        kinds[nkinds++] = kind;
        buf_puts(b, "<option>");
        page_esc(b, kind);
        buf_puts(b, "</option>");
    }
    free(kinds);
}

cs_status page_toolbar(page_out *o, store *s, const check_list *findings, cs_error *err)
{
    buf *b = &o->b;
    buf_puts(b, "<div class=\"bar\" role=\"search\"><input id=\"q\" type=\"search\" "
                "placeholder=\"Search claims and findings\" aria-label=\"Search claims and findings\">"
                "<select id=\"f-doc\" aria-label=\"Document\"><option value=\"\">All documents</option>");
    cs_status st = options_from(o, s,
                                "SELECT path, coalesce(title, path) || coalesce(' (' || published || ')', '') FROM"
                                " documents WHERE id IN (SELECT document_id FROM claims) ORDER BY published, path",
                                "the documents for the filters", err);
    buf_puts(b, "</select><select id=\"f-person\" aria-label=\"Person\"><option value=\"\">All people</option>");
    if (st == CS_OK)
        st = options_from(o, s, "SELECT name, name FROM persons ORDER BY name", "the people for the filters", err);
    buf_puts(b, "</select><select id=\"f-ind\" aria-label=\"Indicator\"><option value=\"\">All indicators</option>");
    if (st == CS_OK)
        st = options_from(o, s, "SELECT DISTINCT lower(indicator), lower(indicator) FROM claims ORDER BY 1",
                          "the indicators for the filters", err);
    buf_puts(b, "</select><span role=\"group\" aria-label=\"Target\">"
                "<button type=\"button\" data-met=\"\" aria-pressed=\"true\">All</button>"
                "<button type=\"button\" data-met=\"met\" aria-pressed=\"false\">Met</button>"
                "<button type=\"button\" data-met=\"missed\" aria-pressed=\"false\">Missed</button>"
                "<button type=\"button\" data-met=\"unknown\" aria-pressed=\"false\">Unknown</button></span>"
                "<select id=\"f-kind\" aria-label=\"Finding kind\"><option value=\"\">All finding kinds</option>");
    finding_kinds(b, findings);
    buf_puts(b, "</select><span id=\"count\"></span></div>");
    return st;
}

/* ---- claims ------------------------------------------------------------ */

/* Each claim once: a document's claims with the same actual, unit and
 * target are one, the one that says met or missed first. */
#define CLAIMS_ONCE                                                                                                   \
    "SELECT c.id, c.sentence_id, d.path, d.title, d.published, c.indicator, c.actual_value, c.actual_unit,"          \
    " c.target_value, c.target_unit, c.met, p.name, s.text, c.page, c.target_derived, c.floor_value, c.floor_unit,"  \
    " c.status FROM"                                                                                                  \
    " (SELECT c.*, row_number() OVER (PARTITION BY c.document_id, coalesce(c.actual_value, -c.id), c.actual_unit,"    \
    "   c.target_value ORDER BY c.met IS NULL, c.id) AS nth FROM claims c) c"                                          \
    " JOIN documents d ON d.id = c.document_id LEFT JOIN sentences s ON s.id = c.sentence_id"                        \
    " LEFT JOIN persons p ON p.id = c.speaker_id WHERE c.nth = 1"

/* A quantity as read: 21%, £85000000, 310, 512 kg. */
static void qty(buf *b, store_cursor *c, int i)
{
    double v = store_cursor_real(c, i);
    const char *u = text_at(c, i + 1);
    if (u && !strcmp(u, "percent"))
        buf_printf_put(b, "%.10g%%", v);
    else if (u && !strcmp(u, "GBP"))
        buf_printf_put(b, "\xC2\xA3%.10g", v);
    else if (u && !strcmp(u, "fraction"))
        buf_printf_put(b, "%.3g%%", v * 100);
    else
        buf_printf_put(b, "%.10g%s%s", v, u && strcmp(u, "count") ? " " : "", u && strcmp(u, "count") ? u : "");
}

static const char *met_word(store_cursor *c, int i)
{
    return store_cursor_null(c, i) ? "unknown" : store_cursor_int(c, i) ? "met" : "missed";
}

/* The page number of column i, 0 when none. */
static int page_of(store_cursor *c, int i)
{
    return store_cursor_null(c, i) ? 0 : (int)store_cursor_int(c, i);
}

/* The people of a claim: its speaker and those named in its sentence,
 * separated by |. */
static void claim_people(buf *b, store_cursor *names, store_cursor *c)
{
    if (text_at(c, 11))
        page_esc(b, text_at(c, 11));
    store_cursor_bind_int(names, 1, store_cursor_int(c, 1));
    while (store_cursor_next(names)) {
        buf_putc(b, '|');
        page_esc(b, text_at(names, 0));
    }
}

/* "Title (2024-01-30), p. 4: “sentence” [path]" */
static void citation(buf *b, store_cursor *c)
{
    buf t;
    buf_init(&t, 0);
    buf_puts(&t, text_at(c, 3) ? text_at(c, 3) : text_at(c, 2));
    buf_printf_put(&t, " (%s)", text_at(c, 4) ? text_at(c, 4) : "undated");
    if (page_of(c, 13))
        buf_printf_put(&t, ", p. %d", page_of(c, 13));
    buf_puts(&t, ": \xE2\x80\x9C");
    buf_puts(&t, text_at(c, 12) ? text_at(c, 12) : "");
    buf_puts(&t, "\xE2\x80\x9D [");
    buf_puts(&t, text_at(c, 2));
    buf_putc(&t, ']');
    page_esc(b, buf_str(&t));
    buf_free(&t);
}

/* The indicator lower-cased (ASCII), as the indicator filter's values. */
static void lower_esc(buf *b, const char *s)
{
    buf h;
    buf_init(&h, 0);
    buf_puts(&h, s);
    for (char *p = h.ptr; p && *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    page_esc(b, buf_str(&h));
    buf_free(&h);
}

/* The filter data of a claim's row: met, document, people, indicator and
 * the words searched. */
static void claim_attrs(buf *b, store_cursor *c, store_cursor *names)
{
    page_attr(b, "data-met", met_word(c, 10));
    page_attr(b, "data-docs", text_at(c, 2));
    buf_puts(b, " data-people=\"");
    claim_people(b, names, c);
    buf_puts(b, "\" data-indicators=\"");
    lower_esc(b, text_at(c, 5));
    buf_puts(b, "\" data-text=\"");
    page_esc(b, text_at(c, 5));
    buf_putc(b, ' ');
    page_esc(b, text_at(c, 12));
    buf_putc(b, ' ');
    page_esc(b, text_at(c, 11));
    buf_putc(b, '"');
}

static void claim_html(buf *b, store_cursor *c, store_cursor *names, const char *report_path)
{
    const char *met = met_word(c, 10);
    buf_printf_put(b, "<div class=\"claim c-%s\" id=\"claim-%lld\" data-filter", met, store_cursor_int(c, 0));
    claim_attrs(b, c, names);
    buf_puts(b, "><div><strong>");
    page_esc(b, text_at(c, 5));
    buf_puts(b, "</strong>");
    if (!store_cursor_null(c, 6)) {
        buf_puts(b, " &middot; actual ");
        qty(b, c, 6);
    }
    if (!store_cursor_null(c, 8)) {
        buf_puts(b, " &middot; target ");
        qty(b, c, 8);
        buf_puts(b, store_cursor_int(c, 14) ? " (derived)" : "");
    }
    if (!store_cursor_null(c, 15)) {
        buf_puts(b, " &middot; floor ");
        qty(b, c, 15);
    }
    if (text_at(c, 17)) {
        buf_puts(b, " &middot; rated ");
        page_esc(b, text_at(c, 17));
    }
    if (strcmp(met, "unknown"))
        buf_printf_put(b, " &middot; <span class=\"%s\">%s</span>", met, met);
    if (text_at(c, 11)) {
        buf_puts(b, " &middot; said by ");
        page_esc(b, text_at(c, 11));
    }
    buf_puts(b, "</div><blockquote>\xE2\x80\x9C");
    page_esc(b, text_at(c, 12));
    buf_puts(b, "\xE2\x80\x9D</blockquote><div class=\"links\"><cite>");
    page_esc(b, text_at(c, 3) ? text_at(c, 3) : text_at(c, 2));
    buf_puts(b, ", ");
    page_esc(b, text_at(c, 4) ? text_at(c, 4) : "undated");
    if (page_of(c, 13))
        buf_printf_put(b, ", p. %d", page_of(c, 13));
    buf_puts(b, "</cite> ");
    if (!store_cursor_null(c, 1))
        buf_printf_put(b, "<a class=\"to-sentence\" href=\"#s%lld\">sentence in the sources</a>", store_cursor_int(c, 1));
    if (strcmp(text_at(c, 2), "-")) {
        buf_puts(b, "<a class=\"to-source\" href=\"");
        page_source_href(b, report_path, text_at(c, 2), page_of(c, 13));
        buf_puts(b, "\">source file</a>");
    }
    buf_puts(b, "<button class=\"copy\" type=\"button\" data-cite=\"");
    citation(b, c);
    buf_puts(b, "\">Copy citation</button></div></div>");
}

/* The people named in a sentence (parameter 1), for claim_people. */
#define SENTENCE_PEOPLE                                                                                              \
    "SELECT DISTINCT p.name FROM person_mentions m JOIN persons p ON p.id = m.person_id WHERE m.sentence_id = ?1"

cs_status page_claims(page_out *o, store *s, const char *report_path, cs_error *err)
{
    buf *b = &o->b;
    store_cursor *c = store_cursor_open(s, CLAIMS_ONCE " ORDER BY d.published, d.path, c.start", "claims", err);
    store_cursor *names = c ? store_cursor_open(s, SENTENCE_PEOPLE, "the people of the claims", err) : NULL;
    cs_status st = names ? CS_OK : CS_ERR_DB;
    buf_puts(b, "<h2 id=\"claims\">Claims</h2>");
    while (st == CS_OK && store_cursor_next(c)) {
        claim_html(b, c, names, report_path);
        page_flush(o, 0);
    }
    st = store_cursor_close(names, st, err);
    return store_cursor_close(c, st, err);
}

/* ---- actual against target -------------------------------------------- */

/* One indicator: a bar for the actual, a line at the target. */
static void bar_svg(buf *b, store_cursor *c)
{
    double a = store_cursor_real(c, 6), t = store_cursor_real(c, 8);
    double top = (a > t ? a : t) * 1.1;
    if (top <= 0)
        top = 1;
    const int W = 300;
    double aw = a > 0 ? (double)W * a / top : 0, tx = (double)W * t / top;
    buf_printf_put(b, "<svg class=\"bars\" width=\"%d\" height=\"26\" viewBox=\"0 0 %d 26\" role=\"img\" "
                      "aria-label=\"actual against target\"><rect class=\"%s\" x=\"0\" y=\"6\" width=\"%.1f\" "
                      "height=\"14\"><title>actual ",
                   W + 10, W + 10, met_word(c, 10), aw);
    qty(b, c, 6);
    buf_printf_put(b, "</title></rect><line class=\"target\" x1=\"%.1f\" y1=\"1\" x2=\"%.1f\" y2=\"25\"><title>target ",
                   tx, tx);
    qty(b, c, 8);
    buf_puts(b, "</title></line></svg>");
}

/* One indicator's row: its name linking to the claim, the bars, the
 * figures; with the claim's filter data, so the filter bar narrows it
 * along with the claims (it is not counted: the claim is). */
static void chart_row(buf *b, store_cursor *c, store_cursor *names)
{
    buf_puts(b, "<div class=\"chart\" data-narrow");
    claim_attrs(b, c, names);
    buf_printf_put(b, "><a class=\"ind\" href=\"#claim-%lld\">", store_cursor_int(c, 0));
    page_esc(b, text_at(c, 5));
    buf_puts(b, "</a>");
    bar_svg(b, c);
    buf_puts(b, "<span>");
    qty(b, c, 6);
    buf_puts(b, " against ");
    qty(b, c, 8);
    const char *met = met_word(c, 10);
    if (strcmp(met, "unknown"))
        buf_printf_put(b, " <span class=\"%s\">%s</span>", met, met);
    buf_puts(b, "</span></div>");
}

cs_status page_charts(page_out *o, store *s, cs_error *err)
{
    buf *b = &o->b;
    store_cursor *c = store_cursor_open(s,
                                        CLAIMS_ONCE " AND c.actual_value IS NOT NULL AND c.target_value IS NOT NULL"
                                                    " AND c.actual_unit IS c.target_unit"
                                                    " ORDER BY d.published, d.path, c.start",
                                        "claims with targets", err);
    store_cursor *names = c ? store_cursor_open(s, SENTENCE_PEOPLE, "the people of the claims", err) : NULL;
    cs_status st = names ? CS_OK : CS_ERR_DB;
    buf_puts(b, "<h2 id=\"targets\">Stated against actual</h2><p class=\"note\">Each indicator once per document: the "
                "bar is the actual, the line the target; red where the target was missed, green where met.</p>");
    char *last = NULL;
    while (st == CS_OK && store_cursor_next(c)) {
        const char *docp = text_at(c, 2);
        if (!last || strcmp(last, docp)) {
            buf_puts(b, last ? "</div>" : "");
            free(last);
            last = cs_xstrdup(docp);
            buf_puts(b, "<div class=\"chart-doc\"><h3>");
            page_esc(b, text_at(c, 3) ? text_at(c, 3) : docp);
            buf_puts(b, " <cite>");
            page_esc(b, text_at(c, 4) ? text_at(c, 4) : "undated");
            buf_puts(b, "</cite></h3>");
        }
        chart_row(b, c, names);
        page_flush(o, 0);
    }
    buf_puts(b, last ? "</div>" : "");
    free(last);
    st = store_cursor_close(names, st, err);
    return store_cursor_close(c, st, err);
}

/* ---- people ------------------------------------------------------------ */

/* A person's appearances, one dot per document at its date (undated ones
 * at the right end), each linked to the first sentence naming them. */
static void lane_svg(buf *b, store_cursor *ap, long first, long last)
{
    const int W = 320;
    buf_printf_put(b, "<svg class=\"lane\" width=\"%d\" height=\"22\" viewBox=\"0 0 %d 22\" role=\"img\" "
                      "aria-label=\"appearances\"><line x1=\"6\" y1=\"11\" x2=\"%d\" y2=\"11\"/>",
                   W, W, W - 6);
    while (store_cursor_next(ap)) {
        const char *pub = text_at(ap, 0);
        long day;
        if (!dates_iso_day(pub, &day))
            pub = NULL;
        double x = pub && last > first ? 6 + (double)(W - 24) * (double)(day - first) / (double)(last - first)
                   : pub ? 6 : W - 8;
        buf_printf_put(b, "<a href=\"#s%lld\"><circle cx=\"%.1f\" cy=\"11\" r=\"5\"><title>", store_cursor_int(ap, 2),
                       x);
        page_esc(b, text_at(ap, 1));
        buf_puts(b, ", ");
        page_esc(b, pub ? pub : "undated");
        buf_puts(b, "</title></circle></a>");
    }
    buf_puts(b, "</svg>");
}

/* The first and last day of the documents that name someone; 0 and 0 when
 * none is dated. */
static cs_status people_range(store *s, long *first, long *last, cs_error *err)
{
    store_cursor *c = store_cursor_open(s, "SELECT min(published), max(published) FROM documents WHERE id IN"
                                           " (SELECT document_id FROM person_mentions)",
                                        "the dates of the people's documents", err);
    if (!c)
        return CS_ERR_DB;
    *first = *last = 0;
    if (store_cursor_next(c) &&
        (!dates_iso_day(text_at(c, 0), first) || !dates_iso_day(text_at(c, 1), last)))
        *first = *last = 0;
    while (store_cursor_next(c))
        ;
    return store_cursor_close(c, CS_OK, err);
}

/* Each person with their roles, parties and counts, and the filter data of
 * their row: the documents naming them, and the indicators and met states
 * of the claims they made or are named in (lists separated by |). One pass
 * over the links, not a query per person. */
#define PEOPLE                                                                                                        \
    "WITH links(person_id, claim_id) AS (SELECT speaker_id, id FROM claims WHERE speaker_id IS NOT NULL"              \
    "  UNION SELECT m.person_id, c.id FROM claims c JOIN person_mentions m ON m.sentence_id = c.sentence_id),"          \
    " inds AS (SELECT person_id, group_concat(v, '|') AS v FROM (SELECT DISTINCT l.person_id, lower(c.indicator) AS v"  \
    "  FROM links l JOIN claims c ON c.id = l.claim_id) GROUP BY person_id),"                                           \
    " mets AS (SELECT person_id, group_concat(v, '|') AS v FROM (SELECT DISTINCT l.person_id, CASE WHEN c.met IS NULL"  \
    "  THEN 'unknown' WHEN c.met THEN 'met' ELSE 'missed' END AS v FROM links l JOIN claims c ON c.id = l.claim_id)"   \
    "  GROUP BY person_id),"                                                                                            \
    " docs AS (SELECT person_id, group_concat(v, '|') AS v FROM (SELECT DISTINCT m.person_id, d.path AS v"             \
    "  FROM person_mentions m JOIN documents d ON d.id = m.document_id) GROUP BY person_id),"                           \
    " people AS (SELECT p.id, p.name, group_concat(DISTINCT m.role) AS roles, group_concat(DISTINCT m.party) AS parties," \
    "  count(*) AS n, count(DISTINCT m.document_id) AS ndocs FROM person_mentions m JOIN persons p"                     \
    "  ON p.id = m.person_id GROUP BY p.id)"                                                                            \
    "SELECT x.id, x.name, x.roles, x.parties, x.n, x.ndocs, docs.v, inds.v, mets.v FROM people x"                      \
    " LEFT JOIN docs ON docs.person_id = x.id LEFT JOIN inds ON inds.person_id = x.id"                                 \
    " LEFT JOIN mets ON mets.person_id = x.id ORDER BY x.n DESC, x.name"

/* A person's row: the filter bar narrows it as it does the claims. */
static void person_row(buf *b, store_cursor *c, store_cursor *ap, long first, long last)
{
    buf_puts(b, "<tr data-narrow");
    page_attr(b, "data-people", text_at(c, 1));
    page_attr(b, "data-docs", text_at(c, 6));
    page_attr(b, "data-indicators", text_at(c, 7));
    page_attr(b, "data-met", text_at(c, 8));
    buf_puts(b, " data-text=\"");
    for (int i = 1; i <= 3; i++) {
        page_esc(b, text_at(c, i));
        buf_putc(b, ' ');
    }
    buf_puts(b, "\"><td>");
    page_esc(b, text_at(c, 1));
    buf_puts(b, "</td><td>");
    page_esc(b, text_at(c, 2));
    buf_puts(b, "</td><td>");
    page_esc(b, text_at(c, 3));
    buf_printf_put(b, "</td><td>%lld</td><td>%lld</td><td>", store_cursor_int(c, 4), store_cursor_int(c, 5));
    store_cursor_bind_int(ap, 1, store_cursor_int(c, 0));
    lane_svg(b, ap, first, last);
    buf_puts(b, "</td></tr>");
}

cs_status page_people(page_out *o, store *s, cs_error *err)
{
    buf *b = &o->b;
    long first, last;
    cs_status st = people_range(s, &first, &last, err);
    if (st != CS_OK)
        return st;
    store_cursor *c = store_cursor_open(s, PEOPLE, "people", err);
    store_cursor *ap = c ? store_cursor_open(s,
                                             "SELECT d.published, coalesce(d.title, d.path), min(m.sentence_id)"
                                             " FROM person_mentions m JOIN documents d ON d.id = m.document_id"
                                             " WHERE m.person_id = ?1 GROUP BY d.id ORDER BY d.published",
                                             "the people's appearances", err)
                         : NULL;
    st = ap ? CS_OK : CS_ERR_DB;
    buf_puts(b, "<h2 id=\"people\">People and roles</h2><table class=\"people\"><tr><th>Name</th><th>Roles</th>"
                "<th>Party</th><th>Mentions</th><th>Documents</th><th>Appearances</th></tr>");
    while (st == CS_OK && store_cursor_next(c)) {
        person_row(b, c, ap, first, last);
        page_flush(o, 0);
    }
    buf_puts(b, "</table>");
    st = store_cursor_close(ap, st, err);
    return store_cursor_close(c, st, err);
}

/* ---- findings ---------------------------------------------------------- */

cs_status page_finding_links(buf *b, store *s, const check_finding *f, int attrs, cs_error *err)
{
    store_cursor *c = store_cursor_open(s,
                                        "SELECT c.sentence_id, d.path, coalesce(d.title, d.path), c.page, p.name,"
                                        " lower(c.indicator) FROM claims c JOIN documents d ON d.id = c.document_id"
                                        " LEFT JOIN persons p ON p.id = c.speaker_id WHERE c.id = ?1",
                                        "the claims of a finding", err);
    if (!c)
        return CS_ERR_DB;
    for (int pass = 0; pass < (attrs ? 3 : 1); pass++) {
        if (attrs)
            buf_puts(b, pass == 0 ? " data-docs=\"" : pass == 1 ? " data-people=\"" : " data-indicators=\"");
        for (size_t k = 0; k < f->nclaims; k++) {
            store_cursor_bind_int(c, 1, f->claims[k]);
            if (!store_cursor_next(c))
                continue;
            if (attrs) {
                if (k)
                    buf_putc(b, '|');
                page_esc(b, text_at(c, pass == 0 ? 1 : pass == 1 ? 4 : 5));
            } else if (!store_cursor_null(c, 0)) {
                buf_printf_put(b, "<a class=\"to-sentence\" href=\"#s%lld\">sentence in ", store_cursor_int(c, 0));
                page_esc(b, text_at(c, 2));
                buf_puts(b, "</a>");
            }
        }
        if (attrs)
            buf_putc(b, '"');
    }
    return store_cursor_close(c, CS_OK, err);
}
