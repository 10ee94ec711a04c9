/* numbers: figures: digits and words, magnitudes, money, per cent,
 * fractions, "X out of Y", units, approximations. */
#ifndef NUMBERS_H
#define NUMBERS_H

#include <stddef.h>

#include "rules.h"

typedef struct {
    double value;
    const char *unit; /* static or owned by the rules set: "GBP", "percent", "fraction", "count", "kg", "years", ... */
    int has_of;
    double of;        /* the whole in "19 out of 50" */
    int approx;       /* about, nearly, more than, at least, ... */
    int has_to;
    double to;        /* the upper end of a range: "between 5 and 10", "5-10%" */
    size_t start;     /* start of the figure's span, a qualifier before it included */
    double scale;     /* the table's money scale applied to a cell (1e3 for "£000", 1e6 for "£m"), else 0 */
} numbers_figure;

/* The lexicons figures are read with (see numbers_lexicons_of). */
typedef struct {
    const rules_list *approx;     /* approximators: "more than", "nearly" */
    const rules_list *units;      /* unit-words: the unit a unit word names */
    const rules_list *currencies; /* currency-words: the currency a word names ("pounds") */
    const rules_list *mags;       /* magnitude-words: the multiple a word stands for ("bn") */
} numbers_lexicons;

/* The lexicons of rs that numbers_normalize reads. */
numbers_lexicons numbers_lexicons_of(const rules_set *rs);

/* Normalizes a figure match from its named groups (approx, cur, num, mag,
 * pct, frac, of, unit, pence, neg, to, cents). A qualifier from lex->approx
 * ("more than", "nearly") right before the match makes it approximate and
 * joins its span (out->start); lex->units names the unit of a unit word,
 * lex->currencies a currency word's and lex->mags a magnitude word's.
 * Returns 0 if the text is not a figure after all. */
int numbers_normalize(const rules_match *m, const char *text, const numbers_lexicons *lex, numbers_figure *out);

/* Coordinated numbers share a unit: "seven and eight-year-olds", "nine or
 * 12 months", "from four months to seven", "the ages of 14 and 19". a ends at
 * a_end, b spans [b_start, b_end) of text, after a; a bare count on either
 * side takes the other's duration, age or multiplier unit; b only when no
 * word follows it but one of stop (rules/stopwords.txt). Returns 1 if a
 * unit was shared. */
int numbers_coordinate(numbers_figure *a, size_t a_end, numbers_figure *b, size_t b_start, size_t b_end,
                       const char *text, const rules_list *stop);

/* Start of a qualifier from lex that ends right before text[start] (one
 * space between), or start itself when there is none. */
size_t numbers_qualifier(const rules_list *lex, const char *text, size_t start);

/* Parses a number written in digits ("1,898", "22.1") or words
 * ("twenty-six", "a dozen", "one hundred and five") from s[0..n).
 * Returns 1 and sets *v on success. */
int numbers_parse(const char *s, size_t n, double *v);

/* The value of a fraction phrase ("half", "two-thirds", "a quarter"),
 * rounded to 4 decimals; 0 if it is not one. */
int numbers_fraction(const char *s, size_t n, double *v);

#endif
