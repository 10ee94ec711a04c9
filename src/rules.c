/* rules: rule files compiled once per process with PCRE2 JIT.
 *
 * A rule file is a list of directives, one a line; see rules/README.md.
 * Macros ({NAME}, {@lexicon}) are expanded before compiling; a map from each
 * expanded byte back to its file line and column lets a compile error point at
 * the source, with the line shown and a caret under the offending byte. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"
#include "strs.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

#include "buf.h"
#include "load.h"

#define MAX_LINE 65536      /* longest rule-file line */
#define MATCH_LIMIT 2000000 /* backtracking steps before a rule gives up on an input */

typedef struct {
    char *text;         /* example text, brackets removed */
    size_t sel_s, sel_e;/* the span the rule must (not) match exactly; whole text without brackets */
    int bracketed;
    int positive;
    char *expect;       /* "k=v\n" pairs */
    unsigned line;
} example;

/* Trigger classes a rule may ask for besides words. */
enum { TRIG_DIGIT = 1, TRIG_CURRENCY = 2, TRIG_PERCENT = 4 };

struct rules_rule {
    char *id, *name, *tag, *file;
    unsigned line;
    rules_kind kind;
    int priority;
    pcre2_code *re;
    int triggered;      /* has a trigger: runs only near its trigger tokens */
    int trig_classes;   /* TRIG_* */
    char **trig_words;  /* lower-case words; "word*" is a prefix; a leading '^': capitalised only */
    size_t ntrig, trigcap;
    size_t back;        /* bytes a match may start before its first trigger */
    size_t index;       /* position in rules_set.rules */
    size_t *slots;      /* indices in rules_set.trig of its trigger words */
    size_t nslots, slotcap;
    example *ex;
    size_t nex, excap;
};

typedef struct {
    char *name, *body, *file;
    unsigned line;
    int used;
} macro;

typedef struct {
    char *word;         /* lower case; NULL for an empty slot */
    size_t len;         /* strlen(word) */
    size_t *rules;      /* indices of the rules it triggers */
    size_t n, cap;
    int prefix;         /* matches any word that starts with it */
    int upper_only;     /* fires only on a capitalised word ("Ian", "Lord") */
} trigger_slot;

struct rules_set {
    rules_rule **rules;
    size_t n, cap;
    trigger_slot *trig;   /* open addressing by word */
    size_t trig_cap;
    trigger_slot **prefixes; /* the slots with prefix words */
    size_t nprefix, prefix_cap;
    size_t *class_rules[3]; /* rules triggered by digits, currency, percent */
    uint32_t first_len[2][26]; /* bit L of [u][c]: a trigger word of length L starts with 'a'+c;
                                * u = 1 for the capital-only ones */
    size_t nclass[3], class_cap[3];
    macro *macros;
    size_t nmacros, macro_cap;
    rules_list *lists;
    size_t nlists, list_cap;
    int lists_borrowed; /* lists are another set's (rules_load_with_lexicons) */
    char version[17];
    int full_scan;
};

static const char *const kind_names[RULES_NKINDS] = {"figure", "date", "person", "cue", "skip", "event"};

const char *rules_kind_name(rules_kind k)
{
    return k < RULES_NKINDS ? kind_names[k] : "?";
}
const char *rules_id(const rules_rule *r) { return r->id; }
rules_kind rules_kind_of(const rules_rule *r) { return r->kind; }
const char *rules_tag(const rules_rule *r) { return r->tag ? r->tag : ""; }
int rules_priority(const rules_rule *r) { return r->priority; }
size_t rules_count(const rules_set *rs) { return rs->n; }
void rules_set_full_scan(rules_set *rs, int on) { rs->full_scan = on; }

size_t rules_trigger_misses(rules_set *rs, const char *text, size_t len, rules_miss_fn miss, void *ctx,
                            size_t *full, size_t *trig)
{
    rules_match *a = NULL, *b = NULL;
    size_t na = 0, nb = 0, ca = 0, cb = 0, misses = 0;
    rules_set_full_scan(rs, 1);
    rules_scan(rs, text, len, &a, &na, &ca, NULL, NULL);
    rules_set_full_scan(rs, 0);
    rules_scan(rs, text, len, &b, &nb, &cb, NULL, NULL);
    for (size_t x = 0; x < na; x++) {
        int found = 0;
        for (size_t y = 0; y < nb && !found; y++)
            found = a[x].rule == b[y].rule && a[x].start == b[y].start && a[x].end == b[y].end;
        if (!found) {
            if (miss)
                miss(ctx, &a[x]);
            misses++;
        }
    }
    free(a);
    free(b);
    if (full)
        *full = na;
    if (trig)
        *trig = nb;
    return misses;
}
const char *rules_version(const rules_set *rs) { return rs->version; }

/* ---- lexicons ---------------------------------------------------------- */

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folds the character at s[i] for lookups: lower case (ASCII, and the
 * two-byte letters of European scripts: "Über" finds "über") and ’ as '.
 * Writes one or two bytes to out, returns how many; *adv gets the bytes
 * of s read. */
static size_t fold_at(const char *s, size_t n, size_t i, char *out, size_t *adv)
{
    unsigned char c = (unsigned char)s[i];
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
        *adv = 3;
        out[0] = '\'';
        return 1;
    }
    if (c >= 0xC3 && c <= 0xC5 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        utf8proc_int32_t cp = ((c & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
        utf8proc_int32_t lo = utf8proc_tolower(cp);
        *adv = 2;
        if (lo >= 0x80 && lo < 0x800) {
            out[0] = (char)(0xC0 | (lo >> 6));
            out[1] = (char)(0x80 | (lo & 0x3F));
        } else {
            out[0] = s[i], out[1] = s[i + 1];
        }
        return 2;
    }
    *adv = 1;
    out[0] = (char)tolower(c);
    return 1;
}

/* s[0..n) folded into out (cap bytes, NUL-terminated); returns the length.
 * Folding never lengthens text. */
static size_t fold_into(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0, adv;
    for (size_t i = 0; i < n && j + 2 < cap; i += adv) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* most bytes: fold_at's last case, without the call */
            out[j++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            adv = 1;
            continue;
        }
        j += fold_at(s, n, i, out + j, &adv);
    }
    out[j] = '\0';
    return j;
}

static char *fold(const char *s, size_t n)
{
    char *o = cs_xmalloc(n + 2);
    fold_into(s, n, o, n + 2);
    return o;
}

const rules_list *rules_lexicon(const rules_set *rs, const char *name)
{
    for (size_t i = 0; i < rs->nlists; i++)
        if (!strcmp(rs->lists[i].name, name))
            return &rs->lists[i];
    return NULL;
}

/* The hash index of a list: stop words are looked up for every word. */
static void index_list(rules_list *l)
{
    l->nslot = 16;
    while (l->nslot < l->n * 2 + 1)
        l->nslot *= 2;
    l->slot = cs_xcalloc(l->nslot, sizeof *l->slot);
    l->hash = cs_xcalloc(l->n + 1, sizeof *l->hash);
    for (size_t i = 0; i < l->n; i++) {
        l->hash[i] = strs_hash(l->items[i], strlen(l->items[i]));
        size_t h = l->hash[i] & (l->nslot - 1);
        while (l->slot[h])
            h = (h + 1) & (l->nslot - 1);
        l->slot[h] = i + 1;
    }
}

/* The entry of l that is the folded key k[0..n), or NULL; h is its
 * strs_hash. The full hashes settle most probes without reading an entry. */
static const char *find_folded(const rules_list *l, const char *k, size_t n, size_t h)
{
    if (l->slot) {
        for (size_t at = h & (l->nslot - 1); l->slot[at]; at = (at + 1) & (l->nslot - 1)) {
            size_t i = l->slot[at] - 1;
            if (l->hash[i] == h && !strncmp(l->items[i], k, n) && !l->items[i][n])
                return l->items[i];
        }
        return NULL;
    }
    for (size_t i = 0; i < l->n; i++) /* a list whose loading stopped short */
        if (!strncmp(l->items[i], k, n) && !l->items[i][n])
            return l->items[i];
    return NULL;
}

static int has_folded(const rules_list *l, const char *k, size_t n, size_t h)
{
    return find_folded(l, k, n, h) != NULL;
}

int rules_list_has(const rules_list *l, const char *s, size_t n)
{
    if (!l || !n || n > 255)
        return 0;
    /* Fold into a stack buffer: this is called for every word of a page. */
    char k[258];
    size_t j = fold_into(s, n, k, sizeof k);
    return has_folded(l, k, j, strs_hash(k, j));
}

const char *rules_list_value(const rules_list *l, const char *s, size_t n)
{
    if (!l || !l->values || !n || n > 255)
        return NULL;
    char k[258];
    size_t j = fold_into(s, n, k, sizeof k);
    const char *e = find_folded(l, k, j, strs_hash(k, j));
    return e ? e + strlen(e) + 1 : NULL;
}

size_t rules_list_count(const rules_list *l, const char *s, size_t n, size_t max, size_t *words)
{
    size_t in_b;
    return rules_list_count2(l, NULL, s, n, max, &in_b, words);
}

size_t rules_list_count2(const rules_list *a, const rules_list *b, const char *s, size_t n,
                         size_t max, size_t *in_b, size_t *words)
{
    size_t w = 0, in = 0;
    char k[258];
    *in_b = 0;
    for (size_t i = 0; i < n && (!max || w < max);) {
        while (i < n && !isalpha((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
            i++;
        size_t st = i;
        while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '\'' || (unsigned char)s[i] >= 0x80))
            i++;
        if (i == st)
            continue;
        w++;
        if (i - st > 255)
            continue;
        /* Fold and hash the word once for both lists. */
        size_t j = fold_into(s + st, i - st, k, sizeof k), h = strs_hash(k, j);
        in += a && has_folded(a, k, j, h);
        *in_b += b && has_folded(b, k, j, h);
    }
    *words = w;
    return in;
}

size_t rules_list_prefix(const rules_list *l, const char *s, size_t n)
{
    if (!l || !n)
        return 0;
    /* Fold only as much as the longest entry can use (’ folds 3 bytes to 1). */
    char f[512];
    size_t lim = l->maxlen * 3 + 4 < sizeof f - 1 ? l->maxlen * 3 + 4 : sizeof f - 1;
    size_t fl = fold_into(s, n < lim ? n : lim, f, sizeof f), best = 0;
    /* One pass hashes every start of f; those that end at a word boundary
     * are looked up, and the longest found wins. */
    size_t end = fl < l->maxlen ? fl : l->maxlen, h = strs_hash(f, 0);
    for (size_t k = 1; k <= end; k++) {
        h = strs_hash_more(h, f + k - 1, 1);
        if ((k == fl || !isalnum((unsigned char)f[k])) && has_folded(l, f, k, h))
            best = k;
    }
    if (!best)
        return 0;
    /* Map the folded length back to bytes of s (’ is 3 bytes, folded to 1). */
    size_t bi = 0, fi = 0, adv;
    char tmp[2];
    while (fi < best && bi < n) {
        fi += fold_at(s, n, bi, tmp, &adv);
        bi += adv;
    }
    return bi;
}

/* Word starts: a letter or digit after a byte that is neither. */
static int word_start(const char *s, size_t i)
{
    return isalnum((unsigned char)s[i]) && (i == 0 || !isalnum((unsigned char)s[i - 1]));
}

size_t rules_list_find(const rules_list *l, const char *s, size_t n, size_t *at)
{
    for (size_t i = 0; l && i < n; i++) {
        size_t k = word_start(s, i) ? rules_list_prefix(l, s + i, n - i) : 0;
        if (k) {
            if (at)
                *at = i;
            return k;
        }
    }
    return 0;
}

int rules_list_stem(const rules_list *l, const char *s, size_t n)
{
    for (size_t i = 0; l && i < n; i++) {
        if (!word_start(s, i))
            continue;
        for (size_t e = 0; e < l->n; e++) {
            size_t k = strlen(l->items[e]);
            if (k <= n - i && !strncasecmp(s + i, l->items[e], k))
                return 1;
        }
    }
    return 0;
}

static void list_add(rules_list *l, size_t *cap, const char *s, size_t n)
{
    cs_grow(&l->items, cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = fold(s, n);
    size_t il = strlen(l->items[l->n - 1]);
    if (il > l->maxlen)
        l->maxlen = il;
}

/* Adds the line s[0..n) of a %values list, "ENTRY = VALUE": the entry
 * folded, its value as written after it in the same string. 0 when the
 * line is not of that form. */
static int list_add_value(rules_list *l, size_t *cap, const char *s, size_t n)
{
    const char *eq = NULL;
    for (size_t i = 0; i + 3 <= n && !eq; i++)
        eq = !memcmp(s + i, " = ", 3) ? s + i : NULL;
    if (!eq || eq == s || eq + 3 == s + n)
        return 0;
    size_t kl = (size_t)(eq - s), vl = n - kl - 3;
    const char *v = eq + 3;
    while (kl && s[kl - 1] == ' ')
        kl--;
    while (vl && *v == ' ')
        v++, vl--;
    if (!kl || !vl)
        return 0;
    list_add(l, cap, s, kl);
    char *e = l->items[l->n - 1];
    size_t fl = strlen(e);
    e = cs_xrealloc(e, fl + 1 + vl + 1);
    memcpy(e + fl + 1, v, vl);
    e[fl + 1 + vl] = '\0';
    l->items[l->n - 1] = e;
    return 1;
}

/* "%words PATH" in a lexicon: the words of a system word list (one a line,
 * as Debian's wbritish) that are written in lower case, letters only: its
 * common words, without its proper nouns ("holly", not "Hayley"). */
static cs_status add_common_words(rules_list *l, size_t *cap, const char *path, cs_error *err)
{
    cs_error e;
    doc *d = load_file(path, 64 << 20, &e);
    if (!d)
        return cs_fail(err, CS_ERR_RULES, "cannot read the word list %s (%s)", path, e.msg);
    for (const char *s = d->input; *s;) {
        size_t n = strcspn(s, "\n"), k = 0;
        while (k < n && s[k] >= 'a' && s[k] <= 'z')
            k++;
        if (k == n && n > 0)
            list_add(l, cap, s, n);
        s += n + (s[n] == '\n');
    }
    doc_free(d);
    return CS_OK;
}

static cs_status load_list(rules_set *rs, const char *path, const char *base, cs_error *err)
{
    cs_error e;
    doc *d = load_file(path, 16 << 20, &e);
    if (!d)
        return cs_fail(err, CS_ERR_RULES, "%s: %s", path, e.msg);
    cs_grow(&rs->lists, &rs->list_cap, rs->nlists + 1, sizeof *rs->lists);
    rules_list *l = &rs->lists[rs->nlists++];
    size_t bl = strlen(base);
    l->name = cs_xstrndup(base, bl > 4 ? bl - 4 : bl);
    l->items = NULL;
    l->n = 0;
    l->maxlen = 0;
    l->slot = NULL;
    l->hash = NULL;
    l->nslot = 0;
    l->values = 0;
    size_t cap = 0;
    unsigned line = 0;
    const char *s = d->input;
    while (*s) {
        const char *e2 = strchr(s, '\n');
        size_t n = e2 ? (size_t)(e2 - s) : strlen(s);
        size_t a = 0, b = n;
        while (a < b && isspace((unsigned char)s[a]))
            a++;
        while (b > a && isspace((unsigned char)s[b - 1]))
            b--;
        line++;
        if (b - a > 7 && !strncmp(s + a, "%words ", 7)) {
            char *wl = cs_xstrndup(s + a + 7, b - a - 7);
            cs_status st = add_common_words(l, &cap, wl, err);
            free(wl);
            if (st != CS_OK) {
                cs_error inner = *err;
                doc_free(d);
                return cs_fail(err, CS_ERR_RULES, "%s:%u: %s", path, line, inner.msg);
            }
        } else if (b - a == 7 && !strncmp(s + a, "%values", 7) && !l->n) {
            l->values = 1;
        } else if (b > a && s[a] != '#' && l->values) {
            if (!list_add_value(l, &cap, s + a, b - a)) {
                doc_free(d);
                return cs_fail(err, CS_ERR_RULES, "%s:%u: an entry of a %%values list is ENTRY = VALUE", path, line);
            }
        } else if (b > a && s[a] != '#') {
            list_add(l, &cap, s + a, b - a);
        }
        s += n + (e2 ? 1 : 0);
    }
    if (l->n)
        qsort(l->items, l->n, sizeof *l->items, cmp_cstr);
    index_list(l);
    doc_free(d);
    return CS_OK;
}

/* ---- rule files -------------------------------------------------------- */

typedef struct {
    const char *file;
    char **lines; /* the file's lines, for error display */
    size_t nlines;
} srcfile;

/* A directive's value with the source position of each byte. */
typedef struct {
    buf text;
    unsigned *line, *col;
    size_t cap;
} located;

static void loc_init(located *l)
{
    buf_init(&l->text, 0);
    l->line = l->col = NULL;
    l->cap = 0;
}

static void loc_free(located *l)
{
    buf_free(&l->text);
    free(l->line);
    free(l->col);
    loc_init(l);
}

static void loc_add(located *l, const char *s, size_t n, unsigned line, unsigned col, int same_pos)
{
    size_t at = l->text.len;
    if (buf_add(&l->text, s, n) != CS_OK)
        abort();
    size_t c1 = l->cap, c2 = l->cap;
    cs_grow(&l->line, &c1, at + n + 1, sizeof *l->line);
    cs_grow(&l->col, &c2, at + n + 1, sizeof *l->col);
    l->cap = c1;
    for (size_t i = 0; i < n; i++) {
        l->line[at + i] = line;
        l->col[at + i] = same_pos ? col : col + (unsigned)i;
    }
    l->line[at + n] = line;
    l->col[at + n] = same_pos ? col : col + (unsigned)n;
}

static cs_status pos_fail(cs_error *err, const srcfile *sf, unsigned line, unsigned col, const char *fmt, const char *what)
{
    const char *text = line >= 1 && line <= sf->nlines ? sf->lines[line - 1] : "";
    char caret[256];
    unsigned c = col > 0 ? col - 1 : 0;
    if (c > sizeof caret - 2)
        c = sizeof caret - 2;
    for (unsigned i = 0; i < c; i++)
        caret[i] = text[i] == '\t' ? '\t' : ' ';
    caret[c] = '^';
    caret[c + 1] = '\0';
    char msg[600];
    snprintf(msg, sizeof msg, fmt, what);
    return cs_fail(err, CS_ERR_RULES, "%s:%u:%u: %s\n    %.300s\n    %s", sf->file, line, col, msg, text, caret);
}

static macro *find_macro(rules_set *rs, const char *name, size_t n)
{
    for (size_t i = 0; i < rs->nmacros; i++)
        if (strlen(rs->macros[i].name) == n && !memcmp(rs->macros[i].name, name, n))
            return &rs->macros[i];
    return NULL;
}

/* Appends an alternation of a lexicon's entries, longest first, each escaped,
 * spaces as \s+ and apostrophes as either kind. */
static void add_list_alt(located *out, const rules_list *l, unsigned line, unsigned col)
{
    size_t *idx = cs_xmalloc((l->n + 1) * sizeof *idx);
    for (size_t i = 0; i < l->n; i++)
        idx[i] = i;
    for (size_t i = 1; i < l->n; i++) { /* insertion sort by length, descending */
        size_t v = idx[i], j = i;
        while (j > 0 && strlen(l->items[idx[j - 1]]) < strlen(l->items[v]))
            idx[j] = idx[j - 1], j--;
        idx[j] = v;
    }
    loc_add(out, "(?i:", 4, line, col, 1);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            loc_add(out, "|", 1, line, col, 1);
        for (const char *p = l->items[idx[i]]; *p; p++) {
            if (*p == ' ')
                loc_add(out, "\\s+", 3, line, col, 1);
            else if (*p == '\'')
                loc_add(out, "['\xE2\x80\x99]", 6, line, col, 1);
            else {
                if (strchr("\\^$.|?*+()[]{}-", *p))
                    loc_add(out, "\\", 1, line, col, 1);
                loc_add(out, p, 1, line, col, 1);
            }
        }
    }
    loc_add(out, ")", 1, line, col, 1);
    free(idx);
}

static cs_status expand(rules_set *rs, const srcfile *sf, const located *in, located *out, int depth, cs_error *err)
{
    const char *s = buf_str(&in->text);
    size_t n = in->text.len;
    for (size_t i = 0; i < n;) {
        if (s[i] == '\\' && i + 1 < n) {
            size_t k = 2;
            if ((s[i + 1] == 'p' || s[i + 1] == 'P') && i + 2 < n && s[i + 2] == '{') /* \p{Lu} */
                while (i + k < n && s[i + k - 1] != '}')
                    k++;
            for (size_t j = 0; j < k; j++)
                loc_add(out, s + i + j, 1, in->line[i + j], in->col[i + j], 0);
            i += k;
            continue;
        }
        if (s[i] == '{' && i + 1 < n && (isupper((unsigned char)s[i + 1]) || s[i + 1] == '@' || s[i + 1] == '_')) {
            size_t j = i + 1;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '@' || s[j] == '-'))
                j++;
            if (j < n && s[j] == '}') {
                const char *name = s + i + 1;
                size_t nl = j - i - 1;
                if (name[0] == '@') {
                    char key[128];
                    snprintf(key, sizeof key, "%.*s", (int)(nl - 1), name + 1);
                    const rules_list *l = rules_lexicon(rs, key);
                    if (!l || !l->n)
                        return pos_fail(err, sf, in->line[i], in->col[i], "no lexicon rules/%s.txt (or it is empty)", key);
                    add_list_alt(out, l, in->line[i], in->col[i]);
                } else {
                    macro *m = find_macro(rs, name, nl);
                    if (!m) {
                        char key[128];
                        snprintf(key, sizeof key, "%.*s", (int)nl, name);
                        return pos_fail(err, sf, in->line[i], in->col[i], "unknown macro {%s}", key);
                    }
                    if (depth > 12)
                        return pos_fail(err, sf, in->line[i], in->col[i], "%s", "macros nest too deeply (a cycle?)");
                    m->used = 1;
                    located body;
                    loc_init(&body);
                    loc_add(&body, "(?:", 3, in->line[i], in->col[i], 1);
                    loc_add(&body, m->body, strlen(m->body), in->line[i], in->col[i], 1);
                    loc_add(&body, ")", 1, in->line[i], in->col[i], 1);
                    cs_status st = expand(rs, sf, &body, out, depth + 1, err);
                    loc_free(&body);
                    if (st != CS_OK)
                        return st;
                }
                i = j + 1;
                continue;
            }
        }
        loc_add(out, s + i, 1, in->line[i], in->col[i], 0);
        i++;
    }
    return CS_OK;
}

/* Parses a quoted string at *p; returns malloc'd contents or NULL. */
static char *quoted(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '"')
        return NULL;
    s++;
    buf b;
    buf_init(&b, 0);
    while (*s && *s != '"') {
        if (*s == '\\' && s[1]) {
            if (s[1] == '[' || s[1] == ']') { /* literal bracket: keep the backslash marker */
                buf_putc(&b, '\x01');
                buf_putc(&b, s[1]);
            } else {
                buf_putc(&b, s[1]);
            }
            s += 2;
            continue;
        }
        buf_putc(&b, *s++);
    }
    if (*s != '"') {
        buf_free(&b);
        return NULL;
    }
    *p = s + 1;
    return buf_detach(&b);
}

static cs_status add_example(rules_rule *r, const char *rest, int positive, unsigned line, const srcfile *sf,
                             cs_error *err)
{
    const char *p = rest;
    char *raw = quoted(&p);
    if (!raw)
        return pos_fail(err, sf, line, 1, "%s", "an example needs its text in double quotes");
    example ex;
    memset(&ex, 0, sizeof ex);
    ex.positive = positive;
    ex.line = line;
    buf t;
    buf_init(&t, 0);
    for (const char *q = raw; *q; q++) {
        if (*q == '\x01') {
            if (q[1]) /* an escaped bracket; a stray control byte at the end is dropped */
                buf_putc(&t, *++q);
        } else if (*q == '[' && !ex.bracketed) {
            ex.sel_s = t.len;
            ex.bracketed = 1;
        } else if (*q == ']' && ex.bracketed == 1) {
            ex.sel_e = t.len;
            ex.bracketed = 2;
        } else {
            buf_putc(&t, *q);
        }
    }
    free(raw);
    if (ex.bracketed == 1) {
        buf_free(&t);
        return pos_fail(err, sf, line, 1, "%s", "an example has [ without ]");
    }
    if (!ex.bracketed) {
        ex.sel_s = 0;
        ex.sel_e = t.len;
    }
    ex.text = buf_detach(&t);
    buf e;
    buf_init(&e, 0);
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *k = p;
        while (*p && *p != '=' && *p != ' ')
            p++;
        if (*p != '=') {
            free(ex.text);
            buf_free(&e);
            return pos_fail(err, sf, line, (unsigned)(k - sf->lines[line - 1]) + 1, "%s",
                            "expected key=value after the example text");
        }
        buf_put(&e, k, (size_t)(p - k + 1));
        p++;
        if (*p == '"') {
            char *v = quoted(&p);
            if (v) {
                buf_puts(&e, v);
                free(v);
            }
        } else {
            const char *v = p;
            while (*p && *p != ' ' && *p != '\t')
                p++;
            buf_put(&e, v, (size_t)(p - v));
        }
        buf_putc(&e, '\n');
    }
    ex.expect = buf_detach(&e);
    cs_grow(&r->ex, &r->excap, r->nex + 1, sizeof *r->ex);
    r->ex[r->nex++] = ex;
    return CS_OK;
}

static void free_rule(rules_rule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nex; i++) {
        free(r->ex[i].text);
        free(r->ex[i].expect);
    }
    free(r->ex);
    for (size_t i = 0; i < r->ntrig; i++)
        free(r->trig_words[i]);
    free(r->trig_words);
    free(r->slots);
    pcre2_code_free(r->re);
    free(r->id);
    free(r->name);
    free(r->tag);
    free(r->file);
    free(r);
}

static cs_status compile_rule(rules_set *rs, rules_rule *r, const srcfile *sf, located *pat, cs_error *err)
{
    if (!pat->text.len)
        return pos_fail(err, sf, r->line, 1, "rule %s has no pattern", r->name);
    located ex;
    loc_init(&ex);
    cs_status st = expand(rs, sf, pat, &ex, 0, err);
    if (st != CS_OK) {
        loc_free(&ex);
        return st;
    }
    int code;
    PCRE2_SIZE off;
    if (getenv("CLAIMSCAN_DUMP_PATTERNS"))
        fprintf(stderr, "%s: %s\n", r->id, buf_str(&ex.text));
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_DUPNAMES | (r->triggered ? PCRE2_USE_OFFSET_LIMIT : 0);
    r->re = pcre2_compile((PCRE2_SPTR)buf_str(&ex.text), ex.text.len, opts, &code, &off, NULL);
    if (!r->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        size_t o = off < ex.text.len ? off : (ex.text.len ? ex.text.len : 0);
        unsigned line = ex.text.len ? ex.line[o] : r->line, col = ex.text.len ? ex.col[o] : 1;
        loc_free(&ex);
        return pos_fail(err, sf, line, col, "%s", (const char *)msg);
    }
    uint32_t ncap = 0;
    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
    if (ncap + 1 > RULES_MAX_GROUPS) {
        loc_free(&ex);
        return pos_fail(err, sf, r->line, 1, "rule %s has too many groups (at most 23)", r->name);
    }
    /* JIT unless CLAIMSCAN_NO_JIT is set: memory checkers cannot follow
     * JIT-generated code. Without JIT PCRE2 interprets, with the same results. */
    if (!getenv("CLAIMSCAN_NO_JIT"))
        pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
    loc_free(&ex);
    return CS_OK;
}

static void free_src(srcfile *sf)
{
    for (size_t i = 0; i < sf->nlines; i++)
        free(sf->lines[i]);
    free(sf->lines);
}

/* Splits a file into lines (without newlines). */
static void split_lines(const char *s, srcfile *sf)
{
    size_t cap = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        size_t m = n;
        if (m && s[m - 1] == '\r')
            m--;
        cs_grow(&sf->lines, &cap, sf->nlines + 1, sizeof *sf->lines);
        sf->lines[sf->nlines++] = cs_xstrndup(s, m);
        s += n + (e ? 1 : 0);
    }
}

/* Pass 1 collects macros (they are global); pass 2 builds rules. */
/* The state of one pass over one rule file. Pass 1 reads the macros, pass 2
 * the rules; an indented line continues the directive before it. */
typedef struct {
    rules_set *rs;
    const srcfile *sf;
    int pass;
    const char *base;  /* the file's base name, the prefix of rule ids */
    rules_rule *r;     /* the rule being read; owned until pushed */
    located pat;       /* its pattern */
    located *cont;     /* pattern that a continuation line extends */
    macro *mcont;      /* macro that a continuation line extends */
    cs_error *err;
} parser;

/* A line that starts with white space: a continuation, a comment or blank. */
static cs_status continuation_line(parser *p, const char *line, unsigned lno)
{
    size_t a = 0;
    while (line[a] == ' ' || line[a] == '\t')
        a++;
    if (!line[a] || line[a] == '#')
        return CS_OK;
    if (p->pass == 2 && p->cont)
        loc_add(p->cont, line + a, strlen(line + a), lno, (unsigned)a + 1, 0);
    else if (p->pass == 1 && p->mcont) {
        macro *m = p->mcont;
        size_t ol = strlen(m->body), nl = strlen(line + a);
        m->body = cs_xrealloc(m->body, ol + nl + 1);
        memcpy(m->body + ol, line + a, nl + 1);
    } else if (p->pass == 2)
        return pos_fail(p->err, p->sf, lno, (unsigned)a + 1, "%s", "an indented line continues only a pattern or a define");
    return CS_OK;
}

/* "define NAME body": recorded in pass 1, skipped in pass 2. */
static cs_status define_line(parser *p, const char *rest, unsigned lno, unsigned rcol)
{
    if (p->pass != 1)
        return CS_OK;
    const char *nm = rest;
    while (*rest && *rest != ' ' && *rest != '\t')
        rest++;
    size_t nl = (size_t)(rest - nm);
    while (*rest == ' ' || *rest == '\t')
        rest++;
    for (size_t i = 0; i < nl; i++)
        if (!(isupper((unsigned char)nm[i]) || isdigit((unsigned char)nm[i]) || nm[i] == '_'))
            nl = 0;
    if (!nl)
        return pos_fail(p->err, p->sf, lno, rcol, "%s", "a macro name is upper case, digits and _");
    if (find_macro(p->rs, nm, nl))
        return pos_fail(p->err, p->sf, lno, rcol, "%s", "macro defined twice");
    rules_set *rs = p->rs;
    cs_grow(&rs->macros, &rs->macro_cap, rs->nmacros + 1, sizeof *rs->macros);
    macro *m = &rs->macros[rs->nmacros++];
    m->name = cs_xstrndup(nm, nl);
    m->body = cs_xstrdup(rest);
    m->file = cs_xstrdup(p->sf->file);
    m->line = lno;
    m->used = 0;
    p->mcont = m;
    return CS_OK;
}

/* Compiles the rule being read, if any, and adds it to the set. */
static cs_status finish_rule(parser *p)
{
    cs_status st = CS_OK;
    if (p->r) {
        st = compile_rule(p->rs, p->r, p->sf, &p->pat, p->err);
        if (st != CS_OK)
            return st;
        rules_set *rs = p->rs;
        cs_grow(&rs->rules, &rs->cap, rs->n + 1, sizeof *rs->rules);
        rs->rules[rs->n++] = p->r;
        p->r = NULL;
    }
    loc_free(&p->pat);
    return st;
}

/* "rule NAME": ends the rule before and starts a new one. */
static cs_status rule_line(parser *p, const char *rest, unsigned lno, unsigned rcol)
{
    cs_status st = finish_rule(p);
    if (st != CS_OK)
        return st;
    if (!*rest)
        return pos_fail(p->err, p->sf, lno, rcol, "%s", "a rule needs a name");
    rules_rule *r = cs_xcalloc(1, sizeof *r);
    r->name = cs_xstrdup(rest);
    size_t idl = strlen(p->base) + strlen(rest) + 2;
    r->id = cs_xmalloc(idl);
    snprintf(r->id, idl, "%s:%s", p->base, rest);
    r->file = cs_xstrdup(p->sf->file);
    r->line = lno;
    r->kind = RULES_NKINDS;
    r->priority = 0;
    r->back = 40;
    p->r = r;
    for (size_t i = 0; i < p->rs->n; i++)
        if (!strcmp(p->rs->rules[i]->id, r->id))
            st = pos_fail(p->err, p->sf, lno, rcol, "rule %s is defined twice", rest);
    return st;
}

static void add_trigger(rules_rule *r, char *word)
{
    cs_grow(&r->trig_words, &r->trigcap, r->ntrig + 1, sizeof *r->trig_words);
    r->trig_words[r->ntrig++] = word;
}

/* "@list" or "^@list" (capitalised only): every entry of the lexicon. A
 * multi-word entry triggers on its last word ("the rt hon": "hon"), the
 * rarest; `back` must cover the words before it. */
static cs_status lexicon_trigger(parser *p, const char *w, size_t wl, unsigned lno, unsigned col)
{
    int upper = *w == '^';
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(wl - 1 - (size_t)upper), w + 1 + upper);
    const rules_list *l = rules_lexicon(p->rs, key);
    if (!l)
        return pos_fail(p->err, p->sf, lno, col, "no lexicon rules/%s.txt", key);
    for (size_t i = 0; i < l->n; i++) {
        const char *lw = strrchr(l->items[i], ' ');
        lw = lw ? lw + 1 : l->items[i];
        size_t ll = strlen(lw);
        char *tw = cs_xmalloc(ll + 2);
        snprintf(tw, ll + 2, "%s%s", upper ? "^" : "", lw);
        add_trigger(p->r, tw);
    }
    return CS_OK;
}

/* One word of a "trigger" line. */
static cs_status trigger_word(parser *p, const char *w, size_t wl, unsigned lno, unsigned col)
{
    rules_rule *r = p->r;
    if (wl == 6 && !strncmp(w, "#digit", 6))
        r->trig_classes |= TRIG_DIGIT;
    else if (wl == 9 && !strncmp(w, "#currency", 9))
        r->trig_classes |= TRIG_CURRENCY;
    else if (wl == 1 && *w == '%')
        r->trig_classes |= TRIG_PERCENT;
    else if (*w == '@' || (*w == '^' && wl > 1 && w[1] == '@'))
        return lexicon_trigger(p, w, wl, lno, col);
    else {
        for (size_t i = 0; i < wl; i++)
            if (!isalpha((unsigned char)w[i]) && !(w[i] == '*' && i == wl - 1) && w[i] != '\'')
                return pos_fail(p->err, p->sf, lno, col, "%s",
                                "a trigger is a word, word*, @lexicon, ^@lexicon, #digit, #currency or %");
        add_trigger(r, fold(w, wl));
    }
    return CS_OK;
}

/* "trigger WORD...": the rule runs only near these tokens. */
static cs_status trigger_line(parser *p, const char *line, const char *rest, unsigned lno)
{
    p->r->triggered = 1;
    const char *s = rest;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *w = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (s == w)
            break;
        cs_status st = trigger_word(p, w, (size_t)(s - w), lno, (unsigned)(w - line) + 1);
        if (st != CS_OK)
            return st;
    }
    return CS_OK;
}

/* Reads a whole number into *v; reports msg unless it lies in [lo, hi]. */
static cs_status bounded_number(parser *p, const char *rest, long lo, long hi, long *v, unsigned lno, unsigned rcol,
                                const char *msg)
{
    char *end;
    *v = strtol(rest, &end, 10);
    if (end == rest || *end || *v < lo || *v > hi)
        return pos_fail(p->err, p->sf, lno, rcol, "%s", msg);
    return CS_OK;
}

/* A directive of the rule being read: kind, priority, trigger, back, tag,
 * pattern, match, nomatch. */
static cs_status rule_directive(parser *p, const char *line, size_t kl, const char *rest, unsigned lno,
                                unsigned rcol)
{
    rules_rule *r = p->r;
    cs_status st = CS_OK;
    long v;
#define IS(k) (kl == strlen(k) && !strncmp(line, k, kl))
    if (IS("kind")) {
        r->kind = RULES_NKINDS;
        for (int k = 0; k < RULES_NKINDS; k++)
            if (!strcmp(rest, kind_names[k]))
                r->kind = (rules_kind)k;
        if (r->kind == RULES_NKINDS)
            st = pos_fail(p->err, p->sf, lno, rcol, "unknown kind '%s' (figure, date, person, cue, skip, event)", rest);
    } else if (IS("priority")) {
        st = bounded_number(p, rest, -1000, 1000, &v, lno, rcol, "priority is a whole number from -1000 to 1000");
        r->priority = (int)v;
    } else if (IS("trigger")) {
        st = trigger_line(p, line, rest, lno);
    } else if (IS("back")) {
        st = bounded_number(p, rest, 0, 400, &v, lno, rcol, "back is a number of bytes from 0 to 400");
        r->back = (size_t)v;
    } else if (IS("tag")) {
        free(r->tag);
        r->tag = cs_xstrdup(rest);
    } else if (IS("pattern")) {
        loc_free(&p->pat);
        loc_add(&p->pat, rest, strlen(rest), lno, rcol, 0);
        p->cont = &p->pat;
        if (r->kind == RULES_NKINDS)
            st = pos_fail(p->err, p->sf, r->line, 1, "rule %s needs a kind before its pattern", r->name);
    } else if (IS("match") || IS("nomatch")) {
        st = add_example(r, rest, IS("match"), lno, p->sf, p->err);
    } else {
        st = pos_fail(p->err, p->sf, lno, 1, "%s",
                      "unknown directive (define, rule, kind, priority, tag, trigger, back, pattern, match, nomatch)");
    }
#undef IS
    return st;
}

/* One line that starts in column 1. */
static cs_status directive_line(parser *p, const char *line, unsigned lno)
{
    p->cont = NULL;
    p->mcont = NULL;
    if (!line[0] || line[0] == '#')
        return CS_OK;
    const char *sp = line;
    while (*sp && *sp != ' ' && *sp != '\t')
        sp++;
    size_t kl = (size_t)(sp - line);
    const char *rest = sp;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    unsigned rcol = (unsigned)(rest - line) + 1;
    if (kl == 6 && !strncmp(line, "define", 6))
        return define_line(p, rest, lno, rcol);
    if (p->pass == 1)
        return CS_OK;
    if (kl == 4 && !strncmp(line, "rule", 4))
        return rule_line(p, rest, lno, rcol);
    if (!p->r)
        return pos_fail(p->err, p->sf, lno, 1, "%s", "a directive before the first 'rule'");
    return rule_directive(p, line, kl, rest, lno, rcol);
}

static cs_status parse_file(rules_set *rs, const srcfile *sf, int pass, cs_error *err)
{
    parser p = {.rs = rs, .sf = sf, .pass = pass, .err = err};
    loc_init(&p.pat);
    const char *slash = strrchr(sf->file, '/');
    p.base = slash ? slash + 1 : sf->file;
    cs_status st = CS_OK;
    for (size_t li = 0; li < sf->nlines && st == CS_OK; li++) {
        const char *line = sf->lines[li];
        unsigned lno = (unsigned)li + 1;
        if (strlen(line) >= MAX_LINE)
            st = pos_fail(err, sf, lno, 1, "%s", "line too long");
        else if (line[0] == ' ' || line[0] == '\t')
            st = continuation_line(&p, line, lno);
        else
            st = directive_line(&p, line, lno);
    }
    if (st == CS_OK)
        st = finish_rule(&p);
    free_rule(p.r);
    loc_free(&p.pat);
    return st;
}

static size_t word_hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static trigger_slot *slot_for(rules_set *rs, const char *w, size_t n, int create)
{
    if (!rs->trig_cap)
        return NULL;
    size_t i = word_hash(w, n) & (rs->trig_cap - 1);
    while (rs->trig[i].word) {
        if (rs->trig[i].len == n && !memcmp(rs->trig[i].word, w, n))
            return &rs->trig[i];
        i = (i + 1) & (rs->trig_cap - 1);
    }
    if (!create)
        return NULL;
    rs->trig[i].word = cs_xstrndup(w, n);
    rs->trig[i].len = n;
    return &rs->trig[i];
}

static void add_rule_to(size_t **list, size_t *n, size_t *cap, size_t rule)
{
    if (*n && (*list)[*n - 1] == rule)
        return;
    cs_grow(list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = rule;
}

/* The word -> rules index used by one pass over a text. */
static void build_triggers(rules_set *rs)
{
    size_t words = 0;
    for (size_t i = 0; i < rs->n; i++) {
        rs->rules[i]->index = i;
        words += rs->rules[i]->ntrig;
    }
    rs->trig_cap = 64;
    while (rs->trig_cap < words * 2 + 16)
        rs->trig_cap *= 2;
    rs->trig = cs_xcalloc(rs->trig_cap, sizeof *rs->trig);
    for (size_t i = 0; i < rs->n; i++) {
        rules_rule *r = rs->rules[i];
        for (int c = 0; c < 3; c++)
            if (r->trig_classes & (1 << c))
                add_rule_to(&rs->class_rules[c], &rs->nclass[c], &rs->class_cap[c], i);
        for (size_t k = 0; k < r->ntrig; k++) {
            const char *tw = r->trig_words[k];
            int upper = tw[0] == '^';
            tw += upper;
            size_t wl = strlen(tw);
            int prefix = wl && tw[wl - 1] == '*';
            size_t tl = prefix ? wl - 1 : wl;
            trigger_slot *s = slot_for(rs, tw, tl, 1);
            if (!s->n)
                s->upper_only = upper;
            else if (!upper)
                s->upper_only = 0; /* another rule wants it in any case */
            unsigned char c0 = (unsigned char)tw[0];
            if (c0 >= 'a' && c0 <= 'z')
                rs->first_len[upper][c0 - 'a'] |= prefix ? ~(uint32_t)0 << (tl < 31 ? tl : 31) : 1u << (tl < 31 ? tl : 31);
            if (prefix && !s->prefix) {
                s->prefix = 1;
                cs_grow(&rs->prefixes, &rs->prefix_cap, rs->nprefix + 1, sizeof *rs->prefixes);
                rs->prefixes[rs->nprefix++] = s;
            }
            add_rule_to(&s->rules, &s->n, &s->cap, i);
            add_rule_to(&r->slots, &r->nslots, &r->slotcap, (size_t)(s - rs->trig));
        }
    }
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* The lexicons the modules look up by name (rules_lexicon calls in src/):
 * a rules directory without one of them is an error, not a silent empty
 * list. Keep in step with the code; tests/test_rules.c checks that. */
static const char *const required_lexicons[] = {
    "abbreviations", "amount-allocate", "amount-need", "amount-spend", "approx-above", "approx-below",
    "approx-near", "approximators", "bodies", "boiler-article", "boiler-lines", "boiler-negative",
    "boiler-position", "boiler-positive", "boiler-prose", "boiler-sections", "boiler-taxonomy", "caption-scale",
    "claim-units", "column-actual", "column-previous", "column-status", "column-target", "common-words",
    "comparison-words", "context-words", "currency-words", "date-labels", "deadline-words", "duration-units",
    "event-clause-breaks", "forecast-words", "given-names", "honorifics", "indicator-lead", "indicator-trail",
    "inspected-end", "inspected-lead", "inspectorates", "judgement-grades", "label-actual", "label-floor",
    "lower-is-better", "magnitude-words", "months", "name-particles", "not-person-words", "performance-words",
    "planned-words", "pledge-words", "rating-context", "reporting-verbs", "role-heads", "role-modifiers",
    "scale-billion", "scale-million", "scale-thousand", "speech-verbs", "spending-words", "statement-breaks",
    "statistics-words", "status-met", "status-missed", "status-partial", "stem-generic", "stopwords",
    "subject-breaks", "subject-generic", "surname-particles", "target-nouns", "target-plurals", "targets-hit",
    "targets-missed", "title-not-title", "title-small-words", "unit-words", "weekdays",
};

const char *rules_required_lexicon(size_t i)
{
    return i < sizeof required_lexicons / sizeof *required_lexicons ? required_lexicons[i] : NULL;
}

static cs_status check_required(const rules_set *rs, const char *dir, cs_error *err)
{
    for (size_t i = 0; rules_required_lexicon(i); i++)
        if (!rules_lexicon(rs, required_lexicons[i]))
            return cs_fail(err, CS_ERR_RULES, "%s/%s.txt: no such lexicon, and the extraction needs it", dir,
                           required_lexicons[i]);
    return CS_OK;
}

rules_set *rules_load(const char *dir, cs_error *err)
{
    return rules_load_with_lexicons(dir, NULL, err);
}

rules_set *rules_load_with_lexicons(const char *dir, const rules_set *lexicons, cs_error *err)
{
    size_t nf = 0;
    cs_error e;
    char **files = load_list_dir(dir, &nf, &e);
    if (!files) {
        cs_fail(err, CS_ERR_RULES, "%s: cannot read the rules directory: %s", dir, e.msg);
        return NULL;
    }
    rules_set *rs = cs_xcalloc(1, sizeof *rs);
    cs_status st = CS_OK;
    size_t nrulefiles = 0;
    if (lexicons) {
        rs->lists = lexicons->lists;
        rs->nlists = lexicons->nlists;
        rs->lists_borrowed = 1;
    }
    for (size_t i = 0; i < nf && st == CS_OK && !lexicons; i++) {
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        if (ends_with(files[i], ".txt"))
            st = load_list(rs, files[i], base, err);
    }
    srcfile *srcs = cs_xcalloc(nf + 1, sizeof *srcs);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    for (size_t i = 0; i < nf && st == CS_OK; i++) {
        if (!ends_with(files[i], ".rules") && !ends_with(files[i], ".txt"))
            continue;
        doc *d = load_file(files[i], 16 << 20, &e);
        if (!d) {
            st = cs_fail(err, CS_ERR_RULES, "%s: %s", files[i], e.msg);
            break;
        }
        EVP_DigestUpdate(md, d->input, d->input_len);
        if (ends_with(files[i], ".rules")) {
            srcs[nrulefiles].file = files[i];
            split_lines(d->input, &srcs[nrulefiles]);
            nrulefiles++;
        }
        doc_free(d);
    }
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    EVP_DigestFinal_ex(md, h, &hl);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < 8; i++)
        snprintf(rs->version + 2 * i, 3, "%02x", h[i]);
    for (int pass = 1; pass <= 2; pass++)
        for (size_t i = 0; i < nrulefiles && st == CS_OK; i++)
            st = parse_file(rs, &srcs[i], pass, err);
    if (st == CS_OK && nrulefiles == 0)
        st = cs_fail(err, CS_ERR_RULES, "%s: no .rules files", dir);
    if (st == CS_OK)
        st = check_required(rs, dir, err);
    if (st == CS_OK)
        build_triggers(rs);
    for (size_t i = 0; i < nrulefiles; i++)
        free_src(&srcs[i]);
    free(srcs);
    load_free_list(files, nf);
    if (st != CS_OK) {
        rules_free(rs);
        return NULL;
    }
    return rs;
}

void rules_free(rules_set *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        free_rule(rs->rules[i]);
    free(rs->rules);
    for (size_t i = 0; i < rs->nmacros; i++) {
        free(rs->macros[i].name);
        free(rs->macros[i].body);
        free(rs->macros[i].file);
    }
    free(rs->macros);
    for (size_t i = 0; i < rs->nlists && !rs->lists_borrowed; i++) {
        for (size_t j = 0; j < rs->lists[i].n; j++)
            free(rs->lists[i].items[j]);
        free(rs->lists[i].items);
        free(rs->lists[i].slot);
        free(rs->lists[i].hash);
        free(rs->lists[i].name);
    }
    if (!rs->lists_borrowed)
        free(rs->lists);
    for (size_t i = 0; i < rs->trig_cap; i++) {
        free(rs->trig[i].word);
        free(rs->trig[i].rules);
    }
    free(rs->trig);
    free(rs->prefixes);
    for (int c = 0; c < 3; c++)
        free(rs->class_rules[c]);
    free(rs);
}

/* ---- matching ---------------------------------------------------------- */

typedef struct {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
} matcher;

static void matcher_init(matcher *m)
{
    m->md = pcre2_match_data_create(RULES_MAX_GROUPS, NULL);
    m->mc = pcre2_match_context_create(NULL);
    m->js = NULL; /* JIT runs on the machine stack until a pattern needs more */
    if (!m->md || !m->mc) {
        fprintf(stderr, "claimscan: out of memory creating a matcher\n");
        abort();
    }
    pcre2_set_match_limit(m->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mc, 10000);
}

static void matcher_free(matcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    if (m->js)
        pcre2_jit_stack_free(m->js);
}

/* pcre2_match, retried once with a large JIT stack if the default is short. */
static int run_match(const rules_rule *r, matcher *mt, const char *text, size_t len, size_t start)
{
    int rc = pcre2_match(r->re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK, mt->md, mt->mc);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !mt->js) {
        mt->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
        if (!mt->js) {
            fprintf(stderr, "claimscan: out of memory creating a JIT stack\n");
            abort();
        }
        pcre2_jit_stack_assign(mt->mc, NULL, mt->js);
        rc = pcre2_match(r->re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK, mt->md, mt->mc);
    }
    return rc;
}

static void record(const rules_rule *r, matcher *mt, int rc, rules_match **out, size_t *n, size_t *cap)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mt->md);
    int ngroups = rc > 0 && rc < RULES_MAX_GROUPS ? rc : RULES_MAX_GROUPS;
    size_t at = ov[0], last = ov[1];
    for (int g = 1; g < ngroups; g++) /* a group in a lookbehind starts before the match */
        if (ov[2 * g] != PCRE2_UNSET) {
            at = ov[2 * g] < at ? ov[2 * g] : at;
            last = ov[2 * g + 1] > last ? ov[2 * g + 1] : last;
        }
    if (last - at >= UINT32_MAX)
        return; /* a span of 4 GiB within one line: not a mention */
    cs_grow(out, cap, *n + 1, sizeof **out);
    rules_match *m = &(*out)[(*n)++];
    m->start = ov[0];
    m->end = ov[1];
    m->rule = r;
    m->at = at;
    m->ngroups = ngroups;
    for (int g = 0; g < RULES_MAX_GROUPS; g++) {
        int set = g < ngroups && ov[2 * g] != PCRE2_UNSET;
        m->ov[2 * g] = set ? (uint32_t)(ov[2 * g] - at) : UINT32_MAX;
        m->ov[2 * g + 1] = set ? (uint32_t)(ov[2 * g + 1] - at) : UINT32_MAX;
    }
}

/* Trigger positions of one text: one list per trigger word (slot) and per
 * class, shared by every rule that uses it. */
typedef struct {
    size_t **pos; /* pos[slot], then the 3 classes at pos[trig_cap + c] */
    size_t *n, *cap;
    size_t nlists;
    size_t *merged; /* scratch for rules with several sources */
    size_t mcap;
} triggers;

static void trig_add(triggers *t, size_t list, size_t at)
{
    cs_grow(&t->pos[list], &t->cap[list], t->n[list] + 1, sizeof **t->pos);
    t->pos[list][t->n[list]++] = at;
}

/* One pass over the text: words, digit runs, currency signs and per cent
 * signs; each word is looked up once in the trigger index. */
/* The trigger positions of text[from..len), absolute. */
static void collect_triggers(const rules_set *rs, const char *text, size_t from, size_t len, triggers *t)
{
    t->nlists = rs->trig_cap + 3;
    t->pos = cs_xcalloc(t->nlists, sizeof *t->pos);
    t->n = cs_xcalloc(t->nlists, sizeof *t->n);
    t->cap = cs_xcalloc(t->nlists, sizeof *t->cap);
    t->merged = NULL;
    t->mcap = 0;
    const size_t digit = rs->trig_cap, currency = rs->trig_cap + 1, percent = rs->trig_cap + 2;
    char w[48];
    for (size_t i = from; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (c >= '0' && c <= '9') {
            trig_add(t, digit, i); /* every run of digits: "1.8" holds two */
            while (i < len && text[i] >= '0' && text[i] <= '9')
                i++;
            continue;
        }
        if (c == '%') {
            trig_add(t, percent, i++);
            continue;
        }
        if (c == '$' || (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] == 0xA3) ||
            (c == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x82 && (unsigned char)text[i + 2] == 0xAC)) {
            trig_add(t, currency, i);
            i += c == '$' ? 1 : c == 0xC2 ? 2 : 3;
            continue;
        }
        if ((unsigned)((c | 32) - 'a') >= 26) {
            i++;
            continue;
        }
        size_t j = i, k = 0;
        int cap = c >= 'A' && c <= 'Z';
        while (j < len && (unsigned)(((unsigned char)text[j] | 32) - 'a') < 26) {
            if (k < sizeof w)
                w[k++] = (char)(text[j] | 32); /* ASCII letters: | 32 lowers them */
            j++;
        }
        /* Most words cannot be triggers: test first letter and length first. */
        uint32_t lens = rs->first_len[0][w[0] - 'a'] | (cap ? rs->first_len[1][w[0] - 'a'] : 0);
        if (k < sizeof w && (lens >> (k < 31 ? k : 31) & 1)) {
            trigger_slot *s = slot_for((rules_set *)rs, w, k, 0);
            if (s && (cap || !s->upper_only))
                trig_add(t, (size_t)(s - rs->trig), i);
            for (size_t p = 0; p < rs->nprefix; p++) {
                const trigger_slot *ps = rs->prefixes[p];
                if (ps->len < k && !memcmp(w, ps->word, ps->len))
                    trig_add(t, (size_t)(ps - rs->trig), i);
            }
        }
        i = j;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The ascending trigger positions of rule r in t. */
static const size_t *rule_positions(const rules_set *rs, const rules_rule *r, triggers *t, size_t *n)
{
    size_t lists[64], nl = 0, total = 0;
    for (int c = 0; c < 3; c++)
        if ((r->trig_classes & (1 << c)) && t->n[rs->trig_cap + (size_t)c] && nl < 64)
            lists[nl++] = rs->trig_cap + (size_t)c, total += t->n[rs->trig_cap + (size_t)c];
    for (size_t k = 0; k < r->nslots; k++)
        if (t->n[r->slots[k]]) {
            if (nl == 64) { /* many sources: fall back to merging all of them */
                nl = 0;
                total = 0;
                for (int c = 0; c < 3; c++)
                    if (r->trig_classes & (1 << c))
                        total += t->n[rs->trig_cap + (size_t)c];
                for (size_t q = 0; q < r->nslots; q++)
                    total += t->n[r->slots[q]];
                cs_grow(&t->merged, &t->mcap, total + 1, sizeof *t->merged);
                size_t m = 0;
                for (int c = 0; c < 3; c++)
                    if (r->trig_classes & (1 << c))
                        for (size_t q = 0; q < t->n[rs->trig_cap + (size_t)c]; q++)
                            t->merged[m++] = t->pos[rs->trig_cap + (size_t)c][q];
                for (size_t q = 0; q < r->nslots; q++)
                    for (size_t z = 0; z < t->n[r->slots[q]]; z++)
                        t->merged[m++] = t->pos[r->slots[q]][z];
                qsort(t->merged, m, sizeof *t->merged, cmp_size);
                *n = m;
                return t->merged;
            }
            lists[nl++] = r->slots[k];
            total += t->n[r->slots[k]];
        }
    if (nl == 0) {
        *n = 0;
        return NULL;
    }
    if (nl == 1) {
        *n = t->n[lists[0]];
        return t->pos[lists[0]];
    }
    cs_grow(&t->merged, &t->mcap, total + 1, sizeof *t->merged);
    size_t m = 0;
    for (size_t l = 0; l < nl; l++)
        for (size_t q = 0; q < t->n[lists[l]]; q++)
            t->merged[m++] = t->pos[lists[l]][q];
    qsort(t->merged, m, sizeof *t->merged, cmp_size);
    *n = m;
    return t->merged;
}

static void free_triggers(triggers *t)
{
    for (size_t i = 0; i < t->nlists; i++)
        free(t->pos[i]);
    free(t->pos);
    free(t->n);
    free(t->cap);
    free(t->merged);
}

/* Segment ends: no match crosses a newline (block and row breaks) or a tab
 * (table cells). bounds holds the offsets of those characters, ascending. */
typedef struct {
    size_t *at;
    size_t n;
} segments;

static void find_segments(const char *text, size_t from, size_t len, segments *sg)
{
    size_t cap = 0;
    sg->at = NULL;
    sg->n = 0;
    /* From the line break before from: matches start at from at the least. */
    for (size_t i = from ? from - 1 : 0; i < len; i++)
        if (text[i] == '\n' || text[i] == '\t') {
            cs_grow(&sg->at, &cap, sg->n + 1, sizeof *sg->at);
            sg->at[sg->n++] = i;
        }
}

/* Index of the first boundary at or after p: the segment holding p runs
 * from the boundary before it (or the text start) to that boundary. */
static size_t segment_index(const segments *sg, size_t p)
{
    size_t lo = 0, hi = sg->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sg->at[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Runs a triggered rule only where a match can start: from `back` bytes
 * before each trigger up to the trigger itself (PCRE2's offset limit), so
 * the rest of the text costs nothing. Same matches as a full scan, given
 * the contract that every match holds a trigger within `back` of its start. */
static int scan_triggered(const rules_rule *r, matcher *mt, const char *text, size_t len, const segments *sg,
                          const size_t *pos, size_t npos, rules_match **out, size_t *n, size_t *cap)
{
    size_t prev_end = 0;
    int rc = 0;
    for (size_t k = 0; k < npos; k++) {
        size_t p = pos[k];
        if (p < prev_end)
            continue;
        size_t start = p > r->back ? p - r->back : 0;
        if (start < prev_end)
            start = prev_end;
        while (start > 0 && start < len && ((unsigned char)text[start] & 0xC0) == 0x80)
            start--; /* a character boundary */
        size_t seg = segment_index(sg, p);
        size_t seg_start = seg ? sg->at[seg - 1] + 1 : 0, seg_end = seg < sg->n ? sg->at[seg] : len;
        if (start < seg_start)
            start = seg_start;
        pcre2_set_offset_limit(mt->mc, p);
        rc = run_match(r, mt, text, seg_end, start);
        if (rc == PCRE2_ERROR_NOMATCH) {
            rc = 0;
            continue;
        }
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mt->md);
        if (ov[1] > ov[0]) {
            record(r, mt, rc, out, n, cap);
            prev_end = ov[1];
        }
        rc = 0;
    }
    pcre2_set_offset_limit(mt->mc, PCRE2_UNSET);
    return rc < 0 ? rc : 0;
}

/* Runs one rule over every segment of text; returns a PCRE2 error code
 * (<-1) if it gave up. */
static int scan_rule(const rules_rule *r, matcher *mt, const char *text, size_t from, size_t len,
                     const segments *sg, rules_match **out, size_t *n, size_t *cap)
{
    size_t off = from, seg = 0;
    while (off <= len) {
        while (seg < sg->n && sg->at[seg] < off)
            seg++;
        size_t end = seg < sg->n ? sg->at[seg] : len;
        int rc = run_match(r, mt, text, end, off);
        if (rc == PCRE2_ERROR_NOMATCH) {
            if (end >= len)
                return 0;
            off = end + 1; /* the next segment */
            continue;
        }
        if (rc < 0)
            return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mt->md);
        if (ov[1] > ov[0]) {
            record(r, mt, rc, out, n, cap);
            off = ov[1];
        } else {
            off = ov[1] + 1;
            while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
                off++;
        }
    }
    return 0;
}

void rules_scan(const rules_set *rs, const char *text, size_t len, rules_match **out, size_t *n, size_t *cap,
                rules_warn_fn warn, void *warn_ctx)
{
    rules_scan_range(rs, text, 0, len, out, n, cap, warn, warn_ctx);
}

void rules_scan_range(const rules_set *rs, const char *text, size_t from, size_t len, rules_match **out, size_t *n,
                      size_t *cap, rules_warn_fn warn, void *warn_ctx)
{
    matcher mt;
    matcher_init(&mt);
    int profile = getenv("CLAIMSCAN_PROFILE_RULES") != NULL; /* read each time: threads scan at once */
    struct timespec c0, c1;
    if (profile)
        clock_gettime(CLOCK_MONOTONIC, &c0);
    triggers tg;
    collect_triggers(rs, text, from, len, &tg);
    segments sg;
    find_segments(text, from, len, &sg);
    if (profile) {
        clock_gettime(CLOCK_MONOTONIC, &c1);
        fprintf(stderr, "PROFILE (triggers+segments) %.0f\n",
                (double)(c1.tv_sec - c0.tv_sec) * 1e9 + (double)(c1.tv_nsec - c0.tv_nsec));
    }
    for (size_t i = 0; i < rs->n; i++) {
        size_t before = *n;
        struct timespec t0, t1;
        if (profile)
            clock_gettime(CLOCK_MONOTONIC, &t0);
        const rules_rule *r = rs->rules[i];
        int rc;
        if (r->triggered && !rs->full_scan) {
            size_t np;
            const size_t *pos = rule_positions(rs, r, &tg, &np);
            rc = scan_triggered(r, &mt, text, len, &sg, pos, np, out, n, cap);
        } else {
            rc = scan_rule(r, &mt, text, from, len, &sg, out, n, cap);
        }
        if (profile) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            fprintf(stderr, "PROFILE %s %.0f\n", rs->rules[i]->id,
                    (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec));
        }
        if (rc < 0) {
            *n = before; /* a rule that gave up contributes nothing for this input */
            if (warn) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(rc, msg, sizeof msg);
                warn(warn_ctx, rs->rules[i]->id, (const char *)msg);
            }
        }
    }
    free_triggers(&tg);
    free(sg.at);
    matcher_free(&mt);
}

/* The index of the first set group called name, or -1. */
static int group_index(const rules_match *m, const char *name)
{
    /* Scan the name table: with duplicate names the first set group wins. */
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR e = table + (size_t)i * size;
        int g = (e[0] << 8) | e[1];
        if (!strcmp((const char *)e + 2, name) && g < RULES_MAX_GROUPS && m->ov[2 * g] != UINT32_MAX)
            return g;
    }
    return -1;
}

int rules_group(const rules_match *m, const char *name, size_t *start, size_t *end)
{
    int g = group_index(m, name);
    if (g < 0)
        return 0;
    *start = m->at + m->ov[2 * g];
    *end = m->at + m->ov[2 * g + 1];
    return 1;
}

void rules_group_shorten(rules_match *m, const char *name, size_t end)
{
    int g = group_index(m, name);
    if (g < 0 || end < m->at + m->ov[2 * g] || end >= m->at + m->ov[2 * g + 1])
        return;
    if (m->end == m->at + m->ov[2 * g + 1])
        m->end = end;
    m->ov[2 * g + 1] = (uint32_t)(end - m->at);
}

void rules_group_advance(rules_match *m, const char *name, size_t start)
{
    int g = group_index(m, name);
    if (g < 0 || start <= m->at + m->ov[2 * g] || start >= m->at + m->ov[2 * g + 1])
        return;
    if (m->start == m->at + m->ov[2 * g])
        m->start = start;
    m->ov[2 * g] = (uint32_t)(start - m->at);
}

static int layer(rules_kind k)
{
    return k == RULES_PERSON ? 1 : (k == RULES_CUE || k == RULES_EVENT) ? 2 : 0;
}

/* Sorting 230-byte matches moves a lot of memory: sort pointers. */
static int cmp_pref(const void *a, const void *b)
{
    const rules_match *x = *(const rules_match *const *)a, *y = *(const rules_match *const *)b;
    int lx = layer(x->rule->kind), ly = layer(y->rule->kind);
    if (lx != ly)
        return lx - ly;
    size_t nx = x->end - x->start, ny = y->end - y->start;
    if (nx != ny)
        return nx > ny ? -1 : 1;
    if (x->rule->priority != y->rule->priority)
        return y->rule->priority - x->rule->priority;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_start(const void *a, const void *b)
{
    const rules_match *x = *(const rules_match *const *)a, *y = *(const rules_match *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return layer(x->rule->kind) - layer(y->rule->kind);
}

size_t rules_resolve(rules_match *m, size_t n)
{
    if (!n)
        return 0;
    rules_match **p = cs_xmalloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = &m[i];
    qsort(p, n, sizeof *p, cmp_pref);
    size_t minstart = (size_t)-1, maxend = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].end > maxend)
            maxend = m[i].end;
        if (m[i].start < minstart)
            minstart = m[i].start;
    }
    /* One occupancy bit per byte and layer, from the first match on: linear
     * in the span the matches cover, not in their offsets. */
    size_t words = (maxend - minstart) / 64 + 1;
    unsigned long long *occ = cs_xcalloc(3 * words, sizeof *occ);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        rules_match *x = p[i];
        if (x->rule->kind != RULES_CUE && x->rule->kind != RULES_EVENT) { /* vocabulary may overlap */
            unsigned long long *o = occ + (size_t)layer(x->rule->kind) * words;
            int clash = 0;
            for (size_t b = x->start - minstart; b < x->end - minstart && !clash; b++)
                clash = (o[b / 64] >> (b % 64)) & 1;
            if (clash)
                continue;
            for (size_t b = x->start - minstart; b < x->end - minstart; b++)
                o[b / 64] |= 1ULL << (b % 64);
        }
        p[k++] = x;
    }
    free(occ);
    qsort(p, k, sizeof *p, cmp_start);
    /* Gather the kept matches in order; copies go through a scratch array
     * because a kept match may sit where an earlier one must go. */
    rules_match *tmp = cs_xmalloc((k ? k : 1) * sizeof *tmp);
    for (size_t i = 0; i < k; i++)
        tmp[i] = *p[i];
    memcpy(m, tmp, k * sizeof *m);
    free(tmp);
    free(p);
    return k;
}

/* ---- self-tests and lint ----------------------------------------------- */

/* Runs rule r alone over its example's text, as a scan would (through its
 * triggers when it has them): the matches into *ms, their count in *n.
 * Returns the scan's status (< 0: the match limit was hit). */
static int example_scan(const rules_set *rs, const rules_rule *r, const example *ex, matcher *mt, rules_match **ms,
                        size_t *n, size_t *cap)
{
    size_t tl = strlen(ex->text);
    int rc;
    segments sg;
    find_segments(ex->text, 0, tl, &sg);
    *n = 0;
    if (r->triggered) {
        triggers tg;
        collect_triggers(rs, ex->text, 0, tl, &tg);
        size_t np;
        const size_t *pos = rule_positions(rs, r, &tg, &np);
        rc = scan_triggered(r, mt, ex->text, tl, &sg, pos, np, ms, n, cap);
        free_triggers(&tg);
    } else {
        rc = scan_rule(r, mt, ex->text, 0, tl, &sg, ms, n, cap);
    }
    free(sg.at);
    return rc;
}

/* Whether the matches ms[0..n) of example ex agree with it: a match of its
 * exact span when it must match (*hit gets it), none when it must not.
 * Returns 0, or 1 with msg saying how they differ. */
static int example_span_fails(const rules_rule *r, const example *ex, int rc, const rules_match *ms, size_t n,
                              const rules_match **hit, char *msg, size_t cap)
{
    const rules_match *any = NULL;
    *hit = NULL;
    for (size_t k = 0; k < n; k++) {
        if (ms[k].start == ex->sel_s && ms[k].end == ex->sel_e)
            *hit = &ms[k];
        if (ms[k].start < ex->sel_e && ms[k].end > ex->sel_s)
            any = &ms[k];
    }
    int sel = (int)(ex->sel_e - ex->sel_s);
    if (rc < 0)
        snprintf(msg, cap, "%s:%u: %s: the match limit was hit on \"%s\"", r->file, ex->line, r->id, ex->text);
    else if (ex->positive && !*hit && any)
        snprintf(msg, cap, "%s:%u: %s: expected to match \"%.*s\" but matched \"%.*s\"", r->file, ex->line, r->id,
                 sel, ex->text + ex->sel_s, (int)(any->end - any->start), ex->text + any->start);
    else if (ex->positive && !*hit)
        snprintf(msg, cap, "%s:%u: %s: expected to match \"%.*s\" but did not match", r->file, ex->line, r->id, sel,
                 ex->text + ex->sel_s);
    else if (!ex->positive && (ex->bracketed ? *hit != NULL : n > 0)) {
        const rules_match *bad = *hit ? *hit : &ms[0];
        snprintf(msg, cap, "%s:%u: %s: must not match, but matched \"%.*s\"", r->file, ex->line, r->id,
                 (int)(bad->end - bad->start), ex->text + bad->start);
    } else
        return 0;
    return 1;
}

/* 1 if the line p[0..len) is one of the lines of out. */
static int has_line(const char *out, const char *p, size_t len)
{
    for (const char *q = out; *q;) {
        const char *qn = strchr(q, '\n');
        size_t ql = qn ? (size_t)(qn - q) : strlen(q);
        if (ql == len && !memcmp(q, p, len))
            return 1;
        q += ql + (qn ? 1 : 0);
    }
    return 0;
}

/* Whether the normalized values of match hit (norm's "key=value" lines)
 * hold every key=value line the example expects. Returns 0, or 1 with msg
 * naming the first one missing and what norm gave. */
static int example_values_fail(const rules_rule *r, const example *ex, const rules_match *hit, rules_norm_fn norm,
                               void *norm_ctx, char *msg, size_t cap)
{
    char out[2048];
    out[0] = '\0';
    norm(norm_ctx, hit, ex->text, strlen(ex->text), out, sizeof out);
    for (const char *p = ex->expect; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = (size_t)(nl - p);
        if (!has_line(out, p, len)) {
            char got[1024];
            size_t g = 0;
            for (const char *q = out; *q && g + 2 < sizeof got; q++)
                got[g++] = *q == '\n' ? ' ' : *q;
            got[g] = '\0';
            snprintf(msg, cap, "%s:%u: %s: \"%s\": expected %.*s, got: %s", r->file, ex->line, r->id, ex->text,
                     (int)len, p, got[0] ? got : "(nothing)");
            return 1;
        }
        p = nl + 1;
    }
    return 0;
}

size_t rules_selftest(const rules_set *rs, rules_norm_fn norm, void *norm_ctx, rules_report_fn report,
                      void *report_ctx, size_t *total)
{
    size_t fails = 0;
    *total = 0;
    matcher mt;
    matcher_init(&mt);
    rules_match *ms = NULL;
    size_t cap = 0;
    char msg[2048];
    for (size_t i = 0; i < rs->n; i++) {
        const rules_rule *r = rs->rules[i];
        for (size_t e = 0; e < r->nex; e++) {
            const example *ex = &r->ex[e];
            const rules_match *hit;
            size_t n;
            (*total)++;
            int rc = example_scan(rs, r, ex, &mt, &ms, &n, &cap);
            int failed = example_span_fails(r, ex, rc, ms, n, &hit, msg, sizeof msg) ||
                         (ex->positive && ex->expect[0] && norm &&
                          example_values_fail(r, ex, hit, norm, norm_ctx, msg, sizeof msg));
            if (failed) {
                report(report_ctx, msg);
                fails++;
            }
        }
    }
    free(ms);
    matcher_free(&mt);
    return fails;
}

size_t rules_lint(const rules_set *rs, rules_report_fn report, void *ctx)
{
    size_t n = 0;
    char msg[1024];
    for (size_t i = 0; i < rs->n; i++) {
        const rules_rule *r = rs->rules[i];
        int pos = 0;
        for (size_t e = 0; e < r->nex; e++)
            pos += r->ex[e].positive;
        if (!pos) {
            snprintf(msg, sizeof msg, "%s:%u:1: rule %s has no match example", r->file, r->line, r->name);
            report(ctx, msg);
            n++;
        }
    }
    for (size_t i = 0; i < rs->nmacros; i++)
        if (!rs->macros[i].used) {
            snprintf(msg, sizeof msg, "%s:%u:1: macro %s is never used", rs->macros[i].file, rs->macros[i].line,
                     rs->macros[i].name);
            report(ctx, msg);
            n++;
        }
    return n;
}
