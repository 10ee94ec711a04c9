/* numbers: turns the named groups of a figure match into a value and unit.
 * Number words are parsed by the usual accumulate-and-scale method:
 * units and tens add, "hundred" multiplies the group, "thousand" and larger
 * close the group into the total. */
#include "numbers.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const small[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                    "seventeen", "eighteen", "nineteen", NULL};
static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL};

static int word_eq(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && !strncasecmp(s, w, n);
}

#define MAX_WHOLE_DIGITS 15 /* a double holds 15 decimal digits exactly */

/* Digits with optional thousands commas and a decimal part, by a cursor.
 * A whole part longer than MAX_WHOLE_DIGITS is a code or a run of digits,
 * not a figure that a document states. */
static int parse_digits(const char *s, size_t n, double *v)
{
    size_t i = 0;
    double x = 0;
    int digits = 0;
    while (i < n && (isdigit((unsigned char)s[i]) || (s[i] == ',' && i + 3 < n + 0 && digits))) {
        if (s[i] != ',')
            x = x * 10 + (s[i] - '0'), digits++;
        i++;
    }
    if (digits > MAX_WHOLE_DIGITS)
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        double scale = 0.1;
        while (i < n && isdigit((unsigned char)s[i])) {
            x += (s[i] - '0') * scale;
            scale /= 10;
            digits++;
            i++;
        }
    }
    if (!digits || i != n)
        return 0;
    *v = x;
    return 1;
}

static int parse_words(const char *s, size_t n, double *v)
{
    double total = 0, group = 0;
    int any = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '-' || s[i] == '\t'))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '-' && s[i] != '\t')
            i++;
        if (i == b)
            break;
        const char *w = s + b;
        size_t wl = i - b;
        int matched = 0;
        for (int k = 0; small[k]; k++)
            if (word_eq(w, wl, small[k]))
                group += k, matched = 1;
        for (int k = 2; tens[k] && !matched; k++)
            if (word_eq(w, wl, tens[k]))
                group += 10 * k, matched = 1;
        if (matched) {
            any = 1;
            continue;
        }
        if (word_eq(w, wl, "a") || word_eq(w, wl, "an")) {
            group += 1;
            any = 1;
            continue;
        }
        if (word_eq(w, wl, "and"))
            continue;
        if (word_eq(w, wl, "dozen")) {
            group = (group ? group : 1) * 12;
            any = 1;
            continue;
        }
        if (word_eq(w, wl, "hundred")) {
            group = (group ? group : 1) * 100;
            any = 1;
            continue;
        }
        double scale = word_eq(w, wl, "thousand") ? 1e3 : word_eq(w, wl, "million") ? 1e6
                     : word_eq(w, wl, "billion") ? 1e9 : 0;
        if (scale) {
            total += (group ? group : 1) * scale;
            group = 0;
            any = 1;
            continue;
        }
        /* A digit group inside words: "2 million" handled by mag, but allow it. */
        double dv;
        if (parse_digits(w, wl, &dv)) {
            group += dv;
            any = 1;
            continue;
        }
        return 0;
    }
    if (!any)
        return 0;
    *v = total + group;
    return 1;
}

int numbers_parse(const char *s, size_t n, double *v)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return 0;
    if (isdigit((unsigned char)s[0]) || (s[0] == '.' && n > 1))
        return parse_digits(s, n, v);
    return parse_words(s, n, v);
}

int numbers_fraction(const char *s, size_t n, double *v)
{
    static const struct {
        const char *w;
        double d;
    } den[] = {{"half", 2}, {"halves", 2}, {"third", 3}, {"thirds", 3}, {"quarter", 4}, {"quarters", 4},
               {"fifth", 5}, {"fifths", 5}, {"sixth", 6}, {"eighth", 8}, {"tenth", 10}, {"tenths", 10}, {NULL, 0}};
    /* The last word (after a space or hyphen) is the denominator. */
    size_t e = n;
    while (e && isspace((unsigned char)s[e - 1]))
        e--;
    size_t b = e;
    while (b && s[b - 1] != ' ' && s[b - 1] != '-')
        b--;
    double d = 0;
    for (int i = 0; den[i].w; i++)
        if (word_eq(s + b, e - b, den[i].w))
            d = den[i].d;
    if (!d)
        return 0;
    double num = 1;
    size_t pe = b;
    while (pe && (s[pe - 1] == ' ' || s[pe - 1] == '-'))
        pe--;
    if (pe && !parse_words(s, pe, &num))
        return 0;
    double x = num / d;
    *v = round(x * 10000) / 10000;
    return 1;
}

/* A %values entry's value, "UNIT" or "N UNIT" (unit-words, currency-words):
 * the unit, with in *k how many of it one word is (1 when no N). */
static const char *scaled(const char *v, double *k)
{
    *k = 1;
    if (!isdigit((unsigned char)*v))
        return v;
    char *end;
    *k = strtod(v, &end);
    while (*end == ' ')
        end++;
    return end;
}

/* The unit a unit word names in units (rules/unit-words.txt: "kilograms =
 * kg", "decade = 10 years"), and in *scale how many of that unit one of it
 * is; NULL if the word names none. */
static const char *unit_name(const rules_list *units, const char *s, size_t n, double *scale)
{
    const char *v = rules_list_value(units, s, n);
    *scale = 1;
    return v ? scaled(v, scale) : NULL;
}

/* The currency of a currency sign, or of a word in words
 * (rules/currency-words.txt: "pounds = GBP", "pence = 0.01 GBP"), with in
 * *scale how many of it one word is; NULL if s names none. */
static const char *currency(const rules_list *words, const char *s, size_t n, double *scale)
{
    *scale = 1;
    if (n >= 2 && !memcmp(s, "\xC2\xA3", 2))
        return "GBP";
    if (n >= 3 && !memcmp(s, "\xE2\x82\xAC", 3))
        return "EUR";
    if (n >= 1 && s[0] == '$')
        return "USD";
    const char *v = rules_list_value(words, s, n);
    return v ? scaled(v, scale) : NULL;
}

/* The multiple a magnitude word in mags stands for (rules/magnitude-words.txt:
 * "bn = 1e9"), or 0. */
static double magnitude(const rules_list *mags, const char *s, size_t n)
{
    const char *v = rules_list_value(mags, s, n);
    return v ? strtod(v, NULL) : 0;
}

size_t numbers_qualifier(const rules_list *lex, const char *text, size_t start)
{
    if (!lex || start < 2 || text[start - 1] != ' ')
        return start;
    size_t best = start;
    for (size_t i = 0; i < lex->n; i++) {
        size_t k = strlen(lex->items[i]);
        if (k + 1 > start)
            continue;
        size_t at = start - 1 - k;
        if (strncasecmp(text + at, lex->items[i], k) != 0)
            continue;
        if (at > 0 && (isalnum((unsigned char)text[at - 1]) || (unsigned char)text[at - 1] >= 0x80))
            continue; /* "moreover 5" */
        if (at < best)
            best = at;
    }
    return best;
}

/* 1 if the digits text[s..e) belong to a number in scientific notation:
 * "1e308 per cent" is neither 308 nor 1 per cent. text is NUL-terminated. */
static int in_exponent(const char *text, size_t s, size_t e)
{
    size_t i = s;
    if (i && (text[i - 1] == '+' || text[i - 1] == '-'))
        i--;
    if (i >= 2 && (text[i - 1] == 'e' || text[i - 1] == 'E') && isdigit((unsigned char)text[i - 2]))
        return 1; /* the exponent */
    if (text[e] != 'e' && text[e] != 'E')
        return 0;
    size_t j = e + 1;
    if (text[j] == '+' || text[j] == '-')
        j++;
    return isdigit((unsigned char)text[j]); /* the mantissa */
}

numbers_lexicons numbers_lexicons_of(const rules_set *rs)
{
    return (numbers_lexicons){rules_lexicon(rs, "approximators"), rules_lexicon(rs, "unit-words"),
                              rules_lexicon(rs, "currency-words"), rules_lexicon(rs, "magnitude-words")};
}

int numbers_normalize(const rules_match *m, const char *text, const numbers_lexicons *lex, numbers_figure *out)
{
    size_t s, e;
    memset(out, 0, sizeof *out);
    out->unit = "count";
    out->start = numbers_qualifier(lex->approx, text, m->start);
    out->approx = rules_group(m, "approx", &s, &e) || out->start != m->start;
    size_t ms, me;
    if (rules_group(m, "frac", &s, &e)) {
        /* "two-thirds"; "a quarter point" (a unit), "half a billion" (a magnitude) */
        if (!numbers_fraction(text + s, e - s, &out->value))
            return 0;
        double k = 1;
        const char *u = rules_group(m, "unit", &ms, &me) ? unit_name(lex->units, text + ms, me - ms, &k) : NULL;
        double mag = rules_group(m, "mag", &ms, &me) ? magnitude(lex->mags, text + ms, me - ms) : 0;
        out->unit = u ? u : mag ? "count" : "fraction";
        out->value = round(out->value * k * (mag ? mag : 1) * 1e6) / 1e6;
        if (mag && rules_group(m, "cur", &ms, &me) && (u = currency(lex->currencies, text + ms, me - ms, &k)) != NULL)
            out->unit = u;
        return 1;
    }
    if (rules_group(m, "num", &s, &e)) {
        if (in_exponent(text, s, e) || !numbers_parse(text + s, e - s, &out->value))
            return 0;
    } else if (rules_group(m, "unit", &s, &e)) {
        out->value = 1; /* "the past decade", "twice" */
    } else {
        return 0;
    }
    if (rules_group(m, "mag", &ms, &me)) {
        double k = magnitude(lex->mags, text + ms, me - ms);
        if (k)
            out->value *= k;
    }
    double scale = 1;
    const char *cur = NULL;
    if (rules_group(m, "cur", &ms, &me))
        cur = currency(lex->currencies, text + ms, me - ms, &scale);
    if (rules_group(m, "pence", &ms, &me))
        cur = "GBP", scale = 0.01;
    if (cur) {
        out->unit = cur;
        out->value *= scale;
    } else if (rules_group(m, "pct", &ms, &me)) {
        out->unit = "percent";
    } else if (rules_group(m, "unit", &ms, &me)) {
        double k = 1;
        const char *u = unit_name(lex->units, text + ms, me - ms, &k);
        out->unit = u ? u : "count";
        out->value *= k;
    } else if (rules_tag(m->rule)[0]) {
        /* The rule's tag names the unit its context implies ("over-65s": years). */
        double k = 1;
        const char *tag = rules_tag(m->rule), *u = unit_name(lex->units, tag, strlen(tag), &k);
        out->unit = u ? u : "count";
        out->value *= k;
    }
    if (rules_group(m, "to", &ms, &me)) {
        if (!numbers_parse(text + ms, me - ms, &out->to))
            return 0;
        out->has_to = 1;
        size_t gs, ge;
        if (rules_group(m, "mag", &gs, &ge) && magnitude(lex->mags, text + gs, ge - gs))
            out->to *= magnitude(lex->mags, text + gs, ge - gs);
    }
    double cents;
    if (rules_group(m, "cents", &ms, &me) && numbers_parse(text + ms, me - ms, &cents) && cents < 100)
        out->value += cents / 100; /* "15 dollars 50" */
    if (rules_group(m, "neg", &ms, &me))
        out->value = -out->value; /* -3, minus five per cent */
    if (rules_group(m, "of", &ms, &me)) {
        if (!numbers_parse(text + ms, me - ms, &out->of))
            return 0;
        out->has_of = 1;
    }
    /* Round away binary noise from decimal scaling: 22.1 * 1e6. */
    out->value = round(out->value * 1e6) / 1e6;
    return 1;
}

/* Units that a bare number coordinated with one shares. */
static int shareable(const char *u)
{
    static const char *const units[] = {"years", "months", "weeks", "days", "hours", "minutes", "times", "degrees",
                                        NULL};
    for (int i = 0; units[i]; i++)
        if (!strcmp(u, units[i]))
            return 1;
    return 0;
}

int numbers_coordinate(numbers_figure *a, size_t a_end, numbers_figure *b, size_t b_start, size_t b_end,
                       const char *text, const rules_list *stop)
{
    static const char *const links[] = {" and ", " or ", " to ", "-", "\xE2\x80\x93", " - ", " \xE2\x80\x93 ", NULL};
    int linked = 0;
    for (int i = 0; links[i] && !linked; i++)
        linked = b_start - a_end == strlen(links[i]) && !strncmp(text + a_end, links[i], b_start - a_end);
    if (!linked)
        return 0;
    int a_bare = !strcmp(a->unit, "count") && !a->has_of, b_bare = !strcmp(b->unit, "count") && !b->has_of;
    if (a_bare && shareable(b->unit)) {
        a->unit = b->unit; /* "seven and eight-year-olds" */
        return 1;
    }
    /* "from four months to seven,", "aged 11 to 16 were": the bare number
     * ends its phrase, no noun of its own follows (only a stop word, if a
     * word): "two years and 300 people" shares nothing. */
    size_t after = b_end, w;
    while (text[after] == ' ')
        after++;
    for (w = after; isalpha((unsigned char)text[w]);)
        w++;
    if (b_bare && shareable(a->unit) &&
        (!islower((unsigned char)text[after]) || rules_list_has(stop, text + after, w - after))) {
        b->unit = a->unit;
        return 1;
    }
    return 0;
}
