/* people: person mentions and their canonical names.
 *
 * A document introduces a person once in full ("Lord Norman Warner") and then
 * refers to them by title and surname, by surname alone, or (knights) by
 * title and first name. Resolution links each short form to the full name
 * introduced in the same document, so every mention carries one name. */
#include "people.h"
#include "strs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static char *dup_clean(const char *s, size_t n)
{
    /* Collapse white space; drop a trailing possessive ’s / 's. */
    buf b;
    buf_init(&b, 0);
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            sp = 1;
            continue;
        }
        if (sp && b.len)
            buf_putc(&b, ' ');
        sp = 0;
        buf_putc(&b, s[i]);
    }
    if (b.len >= 4 && !memcmp(b.ptr + b.len - 4, "\xE2\x80\x99s", 4))
        b.len -= 4, b.ptr[b.len] = '\0';
    else if (b.len >= 2 && !memcmp(b.ptr + b.len - 2, "'s", 2))
        b.len -= 2, b.ptr[b.len] = '\0';
    return buf_detach(&b);
}

static const char *party_of(const char *s)
{
    static const struct {
        const char *w, *p;
    } parties[] = {{"Labour", "Lab"}, {"Lab", "Lab"}, {"Conservative", "Con"}, {"Tory", "Con"}, {"Con", "Con"},
                   {"Liberal Democrat", "LD"}, {"Lib Dem", "LD"}, {"LD", "LD"}, {"Green", "Green"},
                   {"Independent", "Ind"}, {"Ind", "Ind"}, {"Reform", "Reform"}, {"UKIP", "UKIP"},
                   {"SNP", "SNP"}, {"Plaid", "PC"}, {NULL, NULL}};
    for (int i = 0; parties[i].w; i++) {
        const char *p = strstr(s, parties[i].w);
        size_t wl = strlen(parties[i].w);
        if (p && (p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[wl]))
            return parties[i].p;
    }
    return NULL;
}

/* Number of space-separated tokens. */
static size_t ntokens(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* A word of text ending right before `end` (one space between, or with
 * comma set ", "): [*ws, *we). */
static int word_before(const char *text, size_t end, int comma, size_t *ws, size_t *we)
{
    if (end < 2 || text[end - 1] != ' ')
        return 0;
    size_t e = end - 1;
    if (comma) {
        if (end < 3 || text[end - 2] != ',')
            return 0;
        e--;
    }
    size_t s = e;
    while (s > 0 && (isalpha((unsigned char)text[s - 1]) || text[s - 1] == '-' || text[s - 1] == '\'' ||
                     ((unsigned char)text[s - 1] >= 0x80 && text[s - 1] != ' ')))
        s--;
    if (s == e)
        return 0;
    *ws = s;
    *we = e;
    return 1;
}

/* The office stated right before a name ("Deputy council leader Ian Ward",
 * or with comma set "The council leader, Cllr Ann Price,"): a role head
 * from role-heads (up to three words) with up to three modifiers before it
 * (role-modifiers, or capitalised words that are not stop words). Returns
 * the role's start, or `start` when there is none; *head_end gets the role's
 * end. */
static size_t role_before(const rules_set *rs, const char *text, size_t start, int comma, size_t *head_end)
{
    const rules_list *heads = rules_lexicon(rs, "role-heads"), *mods = rules_lexicon(rs, "role-modifiers"),
                     *stop = rules_lexicon(rs, "stopwords");
    size_t ws[7] = {0}, we[7] = {0}, nw = 0, end = start;
    while (nw < 7 && word_before(text, end, comma && nw == 0, &ws[nw], &we[nw])) {
        end = ws[nw];
        nw++;
    }
    /* The head: the longest run of 1-3 words found in role-heads, right
     * before the name or before a complement ("cabinet member for children's
     * services"): for/of and up to three words. */
    size_t head = 0, skip = 0;
    for (size_t c = 0; c <= 4 && !head && c < nw; c++) {
        if (c > 0) {
            const char *p = text + ws[c];
            size_t pl = we[c] - ws[c];
            if (!((pl == 3 && !strncasecmp(p, "for", 3)) || (pl == 2 && !strncasecmp(p, "of", 2))))
                continue;
            skip = c + 1; /* the complement and its preposition */
        }
        size_t base = c ? skip : 0;
        for (size_t k = nw - base < 3 ? nw - base : 3; k >= 1 && !head; k--)
            if (rules_list_has(heads, text + ws[base + k - 1], we[base] - ws[base + k - 1]))
                head = base + k;
    }
    if (!head)
        return start;
    size_t first = head - 1;
    for (size_t k = head; k < nw && k < head + 3; k++) {
        const char *w = text + ws[k];
        size_t wl = we[k] - ws[k];
        int mod = rules_list_has(mods, w, wl) ||
                  ((isupper((unsigned char)w[0]) || (unsigned char)w[0] >= 0x80) && !rules_list_has(stop, w, wl));
        if (!mod)
            break;
        first = k;
    }
    *head_end = we[0];
    return ws[first];
}

/* "The council leader, Cllr Ann Price, said": a role set off by commas
 * before the name, taken only where it opens its clause (at a sentence start,
 * or after a "the" that does), so "Speaking to the leader, John Smith said" keeps none.
 * The caller has checked the comma after the name. */
static size_t opening_apposition(const rules_set *rs, const char *text, size_t start, size_t *head_end)
{
    size_t rs0 = role_before(rs, text, start, 1, head_end);
    if (rs0 == start)
        return start;
    size_t b = rs0;
    while (b > 0 && text[b - 1] == ' ')
        b--;
    if (b == 0 || strchr(".!?:\n", text[b - 1]))
        return rs0;
    if (b >= 3 && !strncasecmp(text + b - 3, "the", 3) && (b == 3 || !isalpha((unsigned char)text[b - 4]))) {
        size_t t = b - 3;
        while (t > 0 && text[t - 1] == ' ')
            t--;
        if (t == 0 || strchr(".!?:,\n", text[t - 1]))
            return rs0;
    }
    return start;
}

/* 1 when the line holding the name [start, end) is set in Title Case, a
 * headline's: no word in lower case but short function words (small:
 * rules/title-small-words.txt), and three or more capitalised words besides
 * the name ("'Growing Pains' Star Alan Thicke Dead at 69"; not a byline,
 * "By Carl Erik Fisher"). */
static int title_case_line(const rules_list *small, const char *text, size_t start, size_t end)
{
    size_t a = start, b = end;
    while (a > 0 && text[a - 1] != '\n' && start - a < 300)
        a--;
    while (text[b] && text[b] != '\n' && b - end < 300)
        b++;
    int caps = 0;
    for (size_t i = a; i < b;) {
        while (i < b && !isalpha((unsigned char)text[i]) && (unsigned char)text[i] < 0x80)
            i++;
        size_t w = i;
        while (i < b && (isalpha((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80 || text[i] == '\''))
            i++;
        if (i == w)
            continue;
        if (isupper((unsigned char)text[w]))
            caps += w < start || w >= end;
        else if (islower((unsigned char)text[w]) && !rules_list_has(small, text + w, i - w))
            return 0;
    }
    return caps >= 3;
}

/* Is the word text[s..e) a common English word (rules/common-words.txt),
 * a stop word, a month or a weekday (rules/months.txt, weekdays.txt),
 * rather than a name? */
static int common_word(const rules_set *rs, const char *w, size_t n)
{
    if (rules_list_has(rules_lexicon(rs, "months"), w, n) || rules_list_has(rules_lexicon(rs, "weekdays"), w, n))
        return 1;
    return rules_list_has(rules_lexicon(rs, "common-words"), w, n) || rules_list_has(rules_lexicon(rs, "stopwords"), w, n);
}

/* A name found by weak context (tag "context") starts at its first word
 * that is a given name or no common word: "Unison Dave Prentis" is Dave
 * Prentis. Two words at least stay. */
static void trim_context_name(rules_match *m, const char *text, const rules_set *rs)
{
    size_t s, e;
    if (strcmp(rules_tag(m->rule), "context") || !rules_group(m, "name", &s, &e))
        return;
    for (;;) {
        size_t w = s;
        while (w < e && text[w] != ' ')
            w++;
        size_t next = w + 1;
        if (w >= e || !memchr(text + next, ' ', e - next) || !common_word(rs, text + s, w - s) ||
            rules_list_has(rules_lexicon(rs, "given-names"), text + s, w - s))
            return;
        rules_group_advance(m, "name", next);
        s = next;
    }
}

/* 1 if a name found in weak context (tag "context") has the shape of one:
 * its first word is a given name or no common English word ("Thank",
 * "Regards" are not), no later word is a stop word, and none is an office
 * ("Education Minister"). */
static int name_shaped(const rules_match *m, const char *text, const rules_set *rs)
{
    size_t s, e;
    if (strcmp(rules_tag(m->rule), "context") || !rules_group(m, "name", &s, &e))
        return 1;
    for (size_t i = s, first = 1; i < e; first = 0) {
        size_t w = i;
        while (w < e && text[w] != ' ')
            w++;
        const char *t = text + i;
        size_t tl = w - i;
        /* A given name is a name whatever else it means ("Mark", "Hazel"). */
        if (first && common_word(rs, t, tl) && !rules_list_has(rules_lexicon(rs, "given-names"), t, tl))
            return 0;
        if (!first && common_word(rs, t, tl) && rules_list_has(rules_lexicon(rs, "stopwords"), t, tl))
            return 0;
        if (rules_list_has(rules_lexicon(rs, "role-heads"), t, tl))
            return 0; /* "Education Minister" is an office */
        i = w + 1;
    }
    return 1;
}

void people_trim(rules_match *m, const char *text, const rules_set *rs)
{
    size_t s, e;
    trim_context_name(m, text, rs);
    if (!rules_group(m, "name", &s, &e))
        return;
    size_t sp[3], n = 0; /* the spaces between the name's words */
    for (size_t i = s; i < e && n < 3; i++)
        if (text[i] == ' ')
            sp[n++] = i;
    if (n != 2)
        return; /* only three-word names: "Given Middle Last" */
    const rules_list *given = rules_lexicon(rs, "given-names");
    const char *mid = text + sp[0] + 1, *last = text + sp[1] + 1;
    size_t ml = sp[1] - sp[0] - 1, ll = e - sp[1] - 1;
    const rules_list *particles = rules_lexicon(rs, "name-particles");
    int next_person = rules_list_has(given, last, ll); /* "Declan Rice Vladimir Coufal" */
    /* "Tony Perkins Blasts Rex Tillerson" */
    int headline_word = !rules_list_has(given, mid, ml) && !rules_list_has(particles, mid, ml) &&
                        title_case_line(rules_lexicon(rs, "title-small-words"), text, s, e);
    if (next_person || headline_word)
        rules_group_shorten(m, "name", sp[1]);
}

void people_span(const rules_match *m, size_t *start, size_t *end)
{
    size_t s, e, ts, te;
    *start = m->start;
    *end = m->end;
    if (rules_group(m, "name", &s, &e)) {
        *start = rules_group(m, "title", &ts, &te) && ts < s ? ts : s;
        *end = e;
    }
}

int people_normalize(const rules_match *m, const char *text, const rules_set *rs, mention_person *p)
{
    size_t s, e;
    memset(p, 0, sizeof *p);
    if (!rules_group(m, "name", &s, &e))
        return 0;
    if (!name_shaped(m, text, rs))
        return 0;
    p->name = dup_clean(text + s, e - s);
    /* Organisations and places: "Albert Square", "Queen Elizabeth Hospital". */
    const rules_list *notp = rules_lexicon(rs, "not-person-words");
    const char *last = strrchr(p->name, ' ');
    last = last ? last + 1 : p->name;
    if (rules_list_has(notp, last, strlen(last)) || rules_list_has(notp, p->name, strlen(p->name))) {
        free(p->name);
        p->name = NULL;
        return 0;
    }
    if (rules_group(m, "title", &s, &e)) {
        while (e > s && text[e - 1] == '.')
            e--;
        p->title = dup_clean(text + s, e - s);
    }
    int has_role = rules_group(m, "role", &s, &e);
    if (!has_role) {
        size_t he = 0, rs0 = role_before(rs, text, m->start, 0, &he);
        if (rs0 == m->start && text[m->end] == ',')
            rs0 = opening_apposition(rs, text, m->start, &he);
        if (rs0 != m->start)
            s = rs0, e = he, has_role = 1;
    }
    if (has_role) {
        while (e > s && (text[e - 1] == ',' || text[e - 1] == ' '))
            e--;
        p->role = dup_clean(text + s, e - s);
        /* Lower the capital a role has only from standing first in a sentence. */
        size_t b = s;
        while (b > 0 && text[b - 1] == ' ')
            b--;
        int sentence_start = b == 0 || strchr(".!?:\n\"", text[b - 1]) ||
                             ((unsigned char)text[b - 1] == 0x9C && b >= 3); /* after an opening quote */
        /* ... and only for an ordinary word ("Deputy"), not a name ("Ofsted"). */
        size_t wl = strcspn(p->role, " ");
        int ordinary = rules_list_has(rules_lexicon(rs, "role-modifiers"), p->role, wl) ||
                       rules_list_has(rules_lexicon(rs, "role-heads"), p->role, wl);
        if (sentence_start && ordinary && isupper((unsigned char)p->role[0]) && p->role[1] &&
            islower((unsigned char)p->role[1]))
            p->role[0] = (char)tolower((unsigned char)p->role[0]);
    }
    const char *party = NULL;
    if (rules_group(m, "party", &s, &e)) {
        char *raw = dup_clean(text + s, e - s);
        party = party_of(raw);
        free(raw);
    }
    if (!party && p->role)
        party = party_of(p->role);
    if (party)
        p->party = cs_xstrdup(party);
    return 1;
}

/* 1 if s[0..n) is written capitalised: an upper-case letter, then only
 * lower-case ones ("Le", not "LE" or "le"). */
static int capitalised(const char *s, size_t n)
{
    if (!n || !isupper((unsigned char)s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!islower((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The surname of full: its last word, or its last two when the one before
 * is a capitalised particle of particles (rules/surname-particles.txt:
 * "Julian Le Grand": Le Grand) that is not the first word. */
static const char *surname_of(const rules_list *particles, const char *full)
{
    const char *last = strrchr(full, ' ');
    if (!last)
        return full;
    const char *p = last;
    while (p > full && p[-1] != ' ')
        p--;
    size_t pl = (size_t)(last - p);
    return p != full && capitalised(p, pl) && rules_list_has(particles, p, pl) ? p : last + 1;
}

/* The person mentions' spans by start, with the greatest end among each
 * span and those before it: whether one overlaps [at, end) is then one
 * binary search. A long page has a million mentions, and the surnames of
 * its people thousands of occurrences each. */
typedef struct {
    size_t start, maxend;
} person_span;

static int cmp_span(const void *a, const void *b)
{
    const person_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static person_span *person_spans(const mention_list *l, size_t *n)
{
    person_span *v = cs_xcalloc(l->n + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == MENTION_PERSON)
            v[(*n)++] = (person_span){l->v[i].start, l->v[i].end};
    qsort(v, *n, sizeof *v, cmp_span);
    for (size_t i = 1; i < *n; i++)
        if (v[i].maxend < v[i - 1].maxend)
            v[i].maxend = v[i - 1].maxend;
    return v;
}

static int spans_cover(const person_span *v, size_t n, size_t at, size_t end)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && v[lo - 1].maxend > at;
}

/* A set of strings it does not own: open addressing on strs_hash. */
typedef struct {
    const char **slot;
    size_t cap, n; /* cap: a power of two, at least twice n */
} name_set;

/* Where w is in s, or the empty slot where it would go. */
static size_t set_slot(const name_set *s, const char *w)
{
    size_t h = strs_hash(w, strlen(w)) & (s->cap - 1);
    while (s->slot[h] && strcmp(s->slot[h], w))
        h = (h + 1) & (s->cap - 1);
    return h;
}

static int set_has(const name_set *s, const char *w)
{
    return s->cap && s->slot[set_slot(s, w)];
}

static void set_add(name_set *s, const char *w)
{
    if (2 * (s->n + 1) > s->cap) {
        name_set g = {cs_xcalloc(s->cap ? 2 * s->cap : 64, sizeof *g.slot), s->cap ? 2 * s->cap : 64, s->n};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                g.slot[set_slot(&g, s->slot[i])] = s->slot[i];
        free(s->slot);
        *s = g;
    }
    size_t h = set_slot(s, w);
    if (!s->slot[h])
        s->slot[h] = w, s->n++;
}

/* A surname or first name inside a known full name, for the sorted
 * tables that find a person by either in one binary search. */
typedef struct {
    const char *key; /* not NUL-terminated at len for first names */
    size_t len;
    size_t k; /* the full name's index */
} name_ref;

static int cmp_ref(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    if (!c)
        c = (x->len > y->len) - (x->len < y->len);
    return c ? c : (x->k > y->k) - (x->k < y->k);
}

static int same_key(const name_ref *a, const name_ref *b)
{
    return a->len == b->len && !memcmp(a->key, b->key, a->len);
}

/* The first entry of v[0..n) (sorted) whose key is s[0..len), or n. */
static size_t ref_find(const name_ref *v, size_t n, const char *s, size_t len)
{
    name_ref want = {s, len, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_ref(&v[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && same_key(&v[lo], &want) ? lo : n;
}

/* The people a document names in full, in order of first mention, as
 * copies (the mentions' names change as they resolve), indexed by surname
 * and by first name. */
typedef struct {
    char **full; /* owned */
    size_t n, cap;
    name_ref *by_surname, *by_first; /* n each, sorted */
} known_people;

/* The full names of l's person mentions: each once, and none that is the
 * surname of one known before ("Le Grand" of "Julian Le Grand"; particles
 * as surname_of reads them). */
static void known_collect(const mention_list *l, const rules_list *particles, known_people *kp)
{
    name_set full = {0}, sur = {0};
    memset(kp, 0, sizeof *kp);
    for (size_t i = 0; i < l->n; i++) {
        const mention *m = &l->v[i];
        if (m->kind != MENTION_PERSON || ntokens(m->person.name) < 2 || set_has(&full, m->person.name) ||
            set_has(&sur, m->person.name))
            continue;
        cs_grow(&kp->full, &kp->cap, kp->n + 1, sizeof *kp->full);
        char *c = kp->full[kp->n++] = cs_xstrdup(m->person.name);
        set_add(&full, c);
        set_add(&sur, surname_of(particles, c));
    }
    free(full.slot);
    free(sur.slot);
    kp->by_surname = cs_xcalloc(kp->n + 1, sizeof *kp->by_surname);
    kp->by_first = cs_xcalloc(kp->n + 1, sizeof *kp->by_first);
    for (size_t k = 0; k < kp->n; k++) {
        const char *sn = surname_of(particles, kp->full[k]);
        kp->by_surname[k] = (name_ref){sn, strlen(sn), k};
        kp->by_first[k] = (name_ref){kp->full[k], strcspn(kp->full[k], " "), k};
    }
    qsort(kp->by_surname, kp->n, sizeof *kp->by_surname, cmp_ref);
    qsort(kp->by_first, kp->n, sizeof *kp->by_first, cmp_ref);
}

static void known_free(known_people *kp)
{
    for (size_t k = 0; k < kp->n; k++)
        free(kp->full[k]);
    free(kp->full);
    free(kp->by_surname);
    free(kp->by_first);
}

/* The known full name that name stands for: the first known person with
 * it as surname (other than name itself), else, for one word, the first
 * with it as first name; NULL if none. */
static const char *known_canonical(const known_people *kp, const char *name)
{
    name_ref want = {name, strlen(name), 0};
    const name_ref *v = kp->by_surname;
    for (size_t i = ref_find(v, kp->n, want.key, want.len); i < kp->n && same_key(&v[i], &want); i++)
        if (strcmp(kp->full[v[i].k], name))
            return kp->full[v[i].k];
    if (ntokens(name) != 1)
        return NULL;
    size_t i = ref_find(kp->by_first, kp->n, want.key, want.len);
    return i < kp->n ? kp->full[kp->by_first[i].k] : NULL;
}

/* Adds a person mention for each bare use in text of the surname of the
 * known person full, outside the spans of existing
 * person mentions and not inside another capitalised name. */
static void add_bare_surnames(mention_list *l, const char *text, size_t len, const char *sur, const char *full,
                              const person_span *spans, size_t nspan)
{
    size_t sl = strlen(sur);
    if (sl < 3)
        return;
    for (const char *p = text; (p = strstr(p, sur)) != NULL; p += sl) {
        size_t at = (size_t)(p - text), end = at + sl;
        if (at > 0 && (isalnum((unsigned char)text[at - 1]) || (unsigned char)text[at - 1] >= 0x80))
            continue;
        if (end < len && (isalnum((unsigned char)text[end]) || text[end] == '-'))
            continue;
        /* Preceded by a capitalised word: part of another name. */
        if (at >= 2 && text[at - 1] == ' ') {
            size_t w = at - 1;
            while (w > 0 && isalpha((unsigned char)text[w - 1]))
                w--;
            if (w < at - 1 && isupper((unsigned char)text[w]))
                continue;
        }
        if (spans_cover(spans, nspan, at, end))
            continue;
        mention *m = mention_push(l, MENTION_PERSON, at, end);
        m->rule = "people:surname";
        m->person.name = cs_xstrdup(full);
    }
}

void people_resolve(mention_list *l, const char *text, size_t len, const rules_set *rs)
{
    const rules_list *particles = rules_lexicon(rs, "surname-particles");
    known_people kp;
    known_collect(l, particles, &kp);
    for (size_t i = 0; i < l->n; i++) {
        mention *m = &l->v[i];
        const char *canon = m->kind == MENTION_PERSON ? known_canonical(&kp, m->person.name) : NULL;
        if (canon) {
            free(m->person.name);
            m->person.name = cs_xstrdup(canon);
        }
    }
    /* Bare surnames of known people, outside existing person mentions: the
     * occurrences of a surname go to the first person known by it. */
    size_t nspan;
    person_span *spans = person_spans(l, &nspan);
    unsigned char *first = cs_xcalloc(kp.n + 1, 1);
    for (size_t i = 0; i < kp.n; i++)
        first[kp.by_surname[i].k] = !i || !same_key(&kp.by_surname[i - 1], &kp.by_surname[i]);
    for (size_t k = 0; k < kp.n; k++)
        if (first[k])
            add_bare_surnames(l, text, len, surname_of(particles, kp.full[k]), kp.full[k], spans, nspan);
    free(first);
    free(spans);
    known_free(&kp);
    mention_sort(l);
}

/* ---- lists of attendance ---- */

/* The end of a name at s[i..e): capitalised words, initials ("J", "J.")
 * and particles joined by single spaces, at most five tokens. */
static size_t list_name_end(const char *s, size_t i, size_t e)
{
    size_t end = i;
    for (int tokens = 0; i < e && tokens < 5; tokens++) {
        if (!isupper((unsigned char)s[i]))
            break;
        size_t j = i + 1;
        while (j < e && (isalpha((unsigned char)s[j]) || s[j] == '-' || s[j] == '\'' || s[j] == '.' ||
                         (j + 2 < e && !memcmp(s + j, "\xE2\x80\x99", 3) && (j += 2))))
            j++;
        end = j;
        if (j >= e || s[j] != ' ' || j + 1 >= e || !isupper((unsigned char)s[j + 1]))
            break;
        i = j + 1;
    }
    return end;
}

/* One entry of a list, s[a..z): [title] name [(role) | - role]. */
static void list_entry(const char *s, size_t a, size_t z, const rules_set *rs, const char *deftitle, size_t span_from,
                       const char *rule, mention_list *l)
{
    while (a < z && s[a] == ' ')
        a++;
    while (z > a && (s[z - 1] == ' ' || s[z - 1] == '.'))
        z--;
    if (a >= z || !isupper((unsigned char)s[a]))
        return;
    const rules_list *hon = rules_lexicon(rs, "honorifics");
    size_t w = a;
    while (w < z && isalpha((unsigned char)s[w]))
        w++;
    size_t name = a, ts = a, te = a;
    if (w < z && s[w] == ' ' && rules_list_has(hon, s + a, w - a))
        ts = a, te = w, name = w + 1;
    size_t ne = list_name_end(s, name, z);
    if (ne <= name + 1)
        return;
    mention_person p = {0};
    p.name = dup_clean(s + name, ne - name);
    const rules_list *notp = rules_lexicon(rs, "not-person-words");
    if (rules_list_has(notp, p.name, strlen(p.name))) {
        free(p.name);
        return;
    }
    p.title = te > ts ? dup_clean(s + ts, te - ts) : deftitle ? cs_xstrdup(deftitle) : NULL;
    size_t r = ne;
    while (r < z && (s[r] == ' ' || s[r] == '(' || s[r] == '-' || (r + 3 <= z && !memcmp(s + r, "\xE2\x80\x93", 3))))
        r += (unsigned char)s[r] == 0xE2 ? 3 : 1;
    size_t re = z;
    while (re > r && (s[re - 1] == ')' || s[re - 1] == ' '))
        re--;
    if (re > r)
        p.role = dup_clean(s + r, re - r);
    mention *m = mention_push(l, MENTION_PERSON, span_from < name ? span_from : (te > ts ? ts : name), ne);
    m->person = p;
    m->rule = rule;
}

void people_list(const rules_match *m, const char *text, const rules_set *rs, const char *rule, mention_list *l)
{
    size_t s, e, ts, te;
    if (!rules_group(m, "list", &s, &e))
        return;
    const char *deftitle = NULL;
    size_t first_from = (size_t)-1;
    if (rules_group(m, "title", &ts, &te)) {
        deftitle = "Cllr"; /* "Cllrs A, B and C": each a councillor */
        first_from = ts;
    }
    size_t a = s;
    int depth = 0;
    for (size_t i = s; i <= e; i++) {
        if (i < e && text[i] == '(')
            depth++;
        else if (i < e && text[i] == ')' && depth)
            depth--;
        int sep = i == e || (!depth && (text[i] == ',' || text[i] == ';')) ||
                  (!depth && i + 5 <= e && !memcmp(text + i, " and ", 5));
        if (!sep)
            continue;
        list_entry(text, a, i, rs, deftitle, first_from, rule, l);
        first_from = (size_t)-1;
        a = i + (i < e && text[i] == ' ' ? 5 : 1);
        if (i < e && text[i] == ' ')
            i += 4;
    }
}
