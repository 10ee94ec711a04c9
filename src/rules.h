/* rules: rule files (rules/NAME.rules) and lexicons (rules/NAME.txt): parsing,
 * macros, PCRE2 compile with JIT, matching, overlap resolution, self-tests.
 * The format is documented in rules/README.md. */
#ifndef RULES_H
#define RULES_H

#include <stddef.h>
#include <stdint.h>

#include "cs.h"

typedef enum {
    RULES_FIGURE,
    RULES_DATE,
    RULES_PERSON,
    RULES_CUE,   /* claim vocabulary: target, gap, met, change */
    RULES_SKIP,  /* text that is neither figure nor date (phone numbers, ...) */
    RULES_EVENT, /* intervention vocabulary: the tag is the event type */
    RULES_NKINDS
} rules_kind;

#define RULES_MAX_GROUPS 24

typedef struct rules_rule rules_rule;
typedef struct rules_set rules_set;

/* A plain list from rules/NAME.txt: one lower-cased entry a line. In a
 * list that opens with "%values", each line is "ENTRY = VALUE". */
typedef struct {
    char *name;
    char **items; /* sorted; in a %values list each is "entry\0value" */
    size_t n;
    size_t maxlen; /* bytes of the longest entry */
    size_t *slot;  /* open-addressing index of items (item + 1; 0 empty) */
    size_t *hash;  /* strs_hash of each item, checked before its text */
    size_t nslot;  /* a power of two */
    int values;    /* 1: a %values list */
} rules_list;

/* A match: a large page has hundreds of thousands, so the group spans are
 * 32-bit offsets from at (rules_group gives them as text offsets). */
typedef struct {
    size_t start, end;                  /* byte span in the scanned text */
    const rules_rule *rule;
    size_t at;                          /* the offset group spans count from */
    uint32_t ov[2 * RULES_MAX_GROUPS];  /* group spans from at; UINT32_MAX when unset */
    int ngroups;
} rules_match;

/* Loads every *.rules and *.txt file of dir. Returns NULL with err filled as
 * "file:line:col: message" plus the line and a caret on a broken file, or
 * naming a lexicon the modules need that dir lacks. Free with rules_free. */
rules_set *rules_load(const char *dir, cs_error *err);
/* The same, but the lexicons are those of the loaded set lexicons, which
 * must outlive the result, instead of dir's *.txt files (still part of the
 * version): rule files loaded one after another, as in a test of rule
 * files, without reading the word lists each time. */
rules_set *rules_load_with_lexicons(const char *dir, const rules_set *lexicons, cs_error *err);
void rules_free(rules_set *rs);
size_t rules_count(const rules_set *rs);
/* A short fingerprint of the loaded rule text (hex), stored with documents
 * so that a change of rules re-processes them. */
const char *rules_version(const rules_set *rs);

/* The i-th name of the lexicons rules_load requires, or NULL past the end. */
const char *rules_required_lexicon(size_t i);
/* The lexicon rules/NAME.txt, or NULL when there is none. */
const rules_list *rules_lexicon(const rules_set *rs, const char *name);
/* 1 if s[0..n) equals an entry (ASCII case-insensitive). */
int rules_list_has(const rules_list *l, const char *s, size_t n);
/* The value of the entry s[0..n) equals in a %values list, as written in
 * the file (case kept; owned by the rules set), or NULL. */
const char *rules_list_value(const rules_list *l, const char *s, size_t n);
/* How many of the first max words of s[0..n) (0: all) are in l; *words gets
 * how many words were read. A word is a run of letters, apostrophes and
 * non-ASCII bytes. */
size_t rules_list_count(const rules_list *l, const char *s, size_t n, size_t max, size_t *words);
/* rules_list_count for two lists in one pass (b may be NULL): the count in a
 * is returned, the count in b goes to *in_b. */
size_t rules_list_count2(const rules_list *a, const rules_list *b, const char *s, size_t n,
                         size_t max, size_t *in_b, size_t *words);
/* Length of the longest entry that s[0..n) starts with at a word boundary
 * (ASCII case-insensitive, ’ and ' alike), or 0. */
size_t rules_list_prefix(const rules_list *l, const char *s, size_t n);
/* The first entry that occurs in s[0..n) as whole words: its length (0 if
 * none) and, in *at (may be NULL), its offset. */
size_t rules_list_find(const rules_list *l, const char *s, size_t n, size_t *at);
/* 1 if a word of s[0..n) begins with an entry (the entries are stems:
 * "vacanc" holds for "vacancies"). */
int rules_list_stem(const rules_list *l, const char *s, size_t n);

/* Called for a rule that hit its match limit on some input (it is skipped
 * for that input); ctx is the caller's. */
typedef void (*rules_warn_fn)(void *ctx, const char *rule_id, const char *msg);

/* Runs every rule over text[0..len) (valid UTF-8) and appends all matches to
 * *out (grown with cs_grow; the caller frees *out). Matches overlap. */
void rules_scan(const rules_set *rs, const char *text, size_t len, rules_match **out, size_t *n, size_t *cap,
                rules_warn_fn warn, void *warn_ctx);
/* The same for the matches that start in text[from..len), with offsets in
 * text. No match crosses a line break, so scans of consecutive ranges that
 * each start after one find the matches of one scan of the whole. */
void rules_scan_range(const rules_set *rs, const char *text, size_t from, size_t len, rules_match **out, size_t *n,
                      size_t *cap, rules_warn_fn warn, void *warn_ctx);

/* With on set, rules_scan ignores triggers and runs every rule over the whole
 * text: the reference that the trigger prefilter must agree with. */
void rules_set_full_scan(rules_set *rs, int on);

/* Called for a match of the full scan that the trigger path missed. */
typedef void (*rules_miss_fn)(void *ctx, const rules_match *m);

/* Scans text both ways (full scan, then triggers) and passes each match
 * only the full scan found to miss (may be NULL); returns their count and,
 * in *full and *trig, the number of matches each way. Leaves rs as it was
 * found (trigger path). */
size_t rules_trigger_misses(rules_set *rs, const char *text, size_t len, rules_miss_fn miss, void *ctx,
                            size_t *full, size_t *trig);

/* Keeps, among matches whose kinds share a layer (figure, date, skip: one
 * layer; persons another), a set without overlaps (cues all stay): the longest match wins, then
 * the higher priority, then the earlier start. Sorts by start. Returns the
 * new count. */
size_t rules_resolve(rules_match *m, size_t n);

/* Accessors. */
const char *rules_id(const rules_rule *r);       /* "file.rules:name" */
rules_kind rules_kind_of(const rules_rule *r);
const char *rules_tag(const rules_rule *r);      /* the rule's tag, or "" */
int rules_priority(const rules_rule *r);
const char *rules_kind_name(rules_kind k);
/* Span of the named group in m; 0 if the group is unset or unknown. */
int rules_group(const rules_match *m, const char *name, size_t *start, size_t *end);
/* Ends group name of m earlier, at end (inside the group); the match ends
 * there too when it ended with the group. */
void rules_group_shorten(rules_match *m, const char *name, size_t end);
/* Starts group name of m later, at start (inside the group); the match
 * starts there too when it started with the group. */
void rules_group_advance(rules_match *m, const char *name, size_t start);

/* Example self-tests. For each example the normalizer renders the matched
 * span as "key=value" pairs into out (one pair a line); the test compares the
 * example's expected pairs with them. report is called for each failure with
 * a "file:line: message" text. Returns the number of failures; *total gets
 * the number of examples. */
typedef void (*rules_norm_fn)(void *ctx, const rules_match *m, const char *text, size_t len, char *out,
                              size_t outcap);
typedef void (*rules_report_fn)(void *ctx, const char *msg);
size_t rules_selftest(const rules_set *rs, rules_norm_fn norm, void *norm_ctx, rules_report_fn report,
                      void *report_ctx, size_t *total);

/* Lint findings beyond compile errors (which rules_load reports): rules
 * without examples, unused macros. Returns the number of findings. */
size_t rules_lint(const rules_set *rs, rules_report_fn report, void *ctx);

#endif
