/* Rules: loading, errors with file:line:col and caret, self-tests, limits. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char dir[64];

/* A rules directory of the shipped lexicons and one t.rules of body. */
static void write_rules(const char *body)
{
    snprintf(dir, sizeof dir, "/tmp/cs-rules-XXXXXX");
    cr_assert(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "ln -s \"$PWD\"/rules/*.txt %s/", dir);
    cr_assert_eq(system(path), 0);
    snprintf(path, sizeof path, "%s/t.rules", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(body, f);
    fclose(f);
}

static int required(const char *name)
{
    for (size_t i = 0; rules_required_lexicon(i); i++)
        if (!strcmp(rules_required_lexicon(i), name))
            return 1;
    return 0;
}

/* Each name of a literal rules_lexicon(rs, "name") call in src/ is one
 * rules_load requires, and each required name has a shipped rules/NAME.txt. */
Test(rules, every_lexicon_the_code_looks_up_is_required)
{
    glob_t g;
    cr_assert_eq(glob("src/*.c", 0, NULL, &g), 0);
    size_t seen = 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        char *src = th_read(g.gl_pathv[f], NULL);
        cr_assert(src, "%s", g.gl_pathv[f]);
        for (const char *s = strstr(src, "rules_lexicon("); s; s = strstr(s + 1, "rules_lexicon(")) {
            const char *q = strpbrk(s, "\")");
            if (!q || *q != '"')
                continue;
            const char *e = strchr(q + 1, '"');
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(e - q - 1), q + 1);
            cr_expect(required(name), "%s looks up \"%s\", which rules.c does not require", g.gl_pathv[f], name);
            seen++;
        }
        free(src);
    }
    globfree(&g);
    cr_assert_geq(seen, 40);
    for (size_t i = 0; rules_required_lexicon(i); i++)
        cr_expect(rules_lexicon(th_rules(), rules_required_lexicon(i)), "no rules/%s.txt", rules_required_lexicon(i));
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static void count_fail(void *ctx, const char *msg)
{
    (void)msg;
    (*(int *)ctx)++;
}

static void count_warn(void *ctx, const char *id, const char *msg)
{
    (void)id;
    (void)msg;
    (*(int *)ctx)++;
}

Test(rules, shipped_rules_pass_their_examples)
{
    size_t total = 0;
    int reported = 0;
    size_t fails = rules_selftest(th_rules(), extract_render_example, (void *)th_rules(), count_fail, &reported, &total);
    cr_assert_eq(fails, 0, "%zu of %zu rule examples fail (run: claimscan rules test)", fails, total);
    cr_assert_geq(total, 100);
}

/* Rule files loaded against another set's lexicons compile the same
 * rules, read the same lexicons and leave that set whole when freed. */
Test(rules, a_set_can_borrow_another_sets_lexicons)
{
    write_rules("rule month\nkind date\npattern (?<month>{@months})\nmatch \"[March] 2014\"\n");
    cs_error err;
    rules_set *own = rules_load(dir, &err);
    cr_assert(own, "%s", err.msg);
    rules_set *borrowed = rules_load_with_lexicons(dir, own, &err);
    cr_assert(borrowed, "%s", err.msg);
    cr_assert_eq(rules_count(borrowed), rules_count(own));
    cr_assert_str_eq(rules_version(borrowed), rules_version(own));
    cr_assert_eq(rules_lexicon(borrowed, "common-words"), rules_lexicon(own, "common-words"));
    size_t total = 0;
    int reported = 0;
    cr_assert_eq(rules_selftest(borrowed, NULL, NULL, count_fail, &reported, &total), 0);
    cr_assert_eq(total, 1);
    rules_free(borrowed);
    cr_assert(rules_list_has(rules_lexicon(own, "months"), "March", 5));
    rules_free(own);
    cleanup();
}

Test(rules, a_bad_pattern_is_reported_with_file_line_col_and_caret)
{
    write_rules("# comment\nrule broken\nkind figure\npattern (?<num>\\d+(\n");
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    cr_assert_null(rs);
    cr_assert(strstr(err.msg, "t.rules:4:"), "message: %s", err.msg);
    cr_assert(strstr(err.msg, "missing closing parenthesis"), "message: %s", err.msg);
    cr_assert(strstr(err.msg, "^"), "no caret: %s", err.msg);
    cleanup();
}

Test(rules, unknown_macro_and_directive_are_errors)
{
    write_rules("rule a\nkind figure\npattern {NOPE}\\d\n");
    cs_error err;
    cr_assert_null(rules_load(dir, &err));
    cr_assert(strstr(err.msg, "t.rules:3:9: unknown macro {NOPE}"), "message: %s", err.msg);
    cleanup();
    write_rules("rule a\nkind figure\nfrobnicate yes\n");
    cr_assert_null(rules_load(dir, &err));
    cr_assert(strstr(err.msg, "t.rules:3:1: unknown directive"), "message: %s", err.msg);
    cleanup();
}

/* Regression (found by the rule-file fuzzer): a control byte \x01 closing
 * an example's text was read as an escape and the parser ran past it. */
Test(rules, a_control_byte_ending_an_example_is_not_an_escape)
{
    write_rules("rule a\nkind figure\npattern (?<num>\\d+)\nmatch \"12 \x01\"\n");
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    cr_assert(rs, "%s", err.msg);
    rules_free(rs);
    cleanup();
}

Test(rules, catastrophic_pattern_is_skipped_not_hung)
{
    write_rules("rule slow\nkind figure\npattern (?<num>(?:a+)+)\\d\nmatch \"aa1\"\n");
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    cr_assert(rs, "%s", err.msg);
    char text[20001];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    rules_match *m = NULL;
    size_t n = 0, cap = 0;
    int warned = 0;
    rules_scan(rs, text, strlen(text), &m, &n, &cap, count_warn, &warned);
    cr_assert_eq(n, 0);
    cr_assert_eq(warned, 1, "the rule should report its match limit");
    free(m);
    rules_free(rs);
    cleanup();
}

Test(rules, longest_match_wins_then_priority)
{
    extract_result *r = th_extract("t.txt", "It spent at least \xC2\xA3" "120 million in 2014-15.");
    cr_assert(r);
    const mention *f = th_first(r, MENTION_FIGURE);
    cr_assert(f);
    cr_assert_eq(f->end - f->start, strlen("at least \xC2\xA3" "120 million"));
    const mention *d = th_first(r, MENTION_DATE);
    cr_assert(d);
    cr_assert_str_eq(d->date.granularity, "financial_year");
    int figures = 0;
    for (size_t i = 0; i < r->ms.n; i++)
        figures += r->ms.v[i].kind == MENTION_FIGURE;
    cr_assert_eq(figures, 1, "no figure inside the financial year");
    th_free(r);
}

/* The trigger prefilter must find exactly what a full scan finds. */
typedef struct {
    const char *path, *text;
} miss_ctx;

static void log_miss(void *ctx, const rules_match *m)
{
    const miss_ctx *c = ctx;
    cr_log_error("%s: %s \"%.*s\" found only by the full scan", c->path, rules_id(m->rule), (int)(m->end - m->start),
                 c->text + m->start);
}

static size_t contract_misses(const char *path)
{
    cs_error err;
    doc *d = load_file(path, LOAD_DEFAULT_MAX, &err);
    if (!d)
        return 0;
    rules_set *rs = (rules_set *)th_rules();
    cr_assert_eq(extract_clean(d, rs, &err), CS_OK);
    miss_ctx c = {path, d->text};
    size_t na, nb;
    size_t misses = rules_trigger_misses(rs, d->text, d->text_len, log_miss, &c, &na, &nb);
    cr_expect_eq(na, nb, "%s: %zu matches by full scan, %zu by triggers", path, na, nb);
    doc_free(d);
    return misses;
}

static size_t contract_dir(const char *dir, const char *only_suffix)
{
    size_t n = 0, misses = 0;
    cs_error err;
    char **files = load_list_dir(dir, &n, &err);
    for (size_t i = 0; files && i < n; i++)
        if (!only_suffix || strstr(files[i], only_suffix))
            misses += contract_misses(files[i]);
    load_free_list(files, n);
    return misses;
}

Test(rules, triggers_agree_with_a_full_scan)
{
    cr_expect_eq(contract_dir("corpus", NULL), 0);
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("corpus checked; the seeds and Readability pages need ../shared");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/seeds", sh);
    cr_expect_eq(contract_dir(dir, NULL), 0);
    snprintf(dir, sizeof dir, "%s/bench/readability-pages", sh);
    cr_expect_eq(contract_dir(dir, "source.html"), 0);
}

/* Lexicon search inside text: whole words for find, word starts for stem. */
Test(rules, lexicon_find_and_stem)
{
    const rules_list *l = rules_lexicon(th_rules(), "status-missed");
    cr_assert(l);
    size_t at = 99;
    cr_expect_eq(rules_list_find(l, "Status: Not met", 15, &at), 7);
    cr_expect_eq(at, 8);
    cr_expect_eq(rules_list_find(l, "Green", 5, NULL), 0, "the r of Green is no whole word");
    const rules_list *stems = rules_lexicon(th_rules(), "lower-is-better");
    cr_expect(rules_list_stem(stems, "Waiting times", 13));
    cr_expect(!rules_list_stem(stems, "Times waiting", 5));
    cr_expect(!rules_list_stem(NULL, "waiting", 7));
}

/* A %values list gives each entry's value as written (case kept); a line
 * of it without " = " is an error naming the file and line. */
Test(rules, lexicon_values)
{
    const rules_list *u = rules_lexicon(th_rules(), "unit-words");
    cr_assert(u && u->values);
    cr_expect_str_eq(rules_list_value(u, "Kilograms", 9), "kg");
    cr_expect_str_eq(rules_list_value(u, "kB", 2), "KB");
    cr_expect_str_eq(rules_list_value(u, "decade", 6), "10 years");
    cr_expect_str_eq(rules_list_value(rules_lexicon(th_rules(), "currency-words"), "Pence", 5), "0.01 GBP");
    cr_expect_str_eq(rules_list_value(rules_lexicon(th_rules(), "magnitude-words"), "BN", 2), "1e9");
    cr_expect_null(rules_list_value(u, "decades of", 10));
    cr_expect(rules_list_has(u, "per 1,000", 9), "the entry is the part before \" = \"");
    cr_expect_null(rules_list_value(rules_lexicon(th_rules(), "status-missed"), "missed", 6));
    write_rules("rule a\nkind figure\npattern \\d+\n");
    char path[128];
    snprintf(path, sizeof path, "%s/odd-units.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("# units\n%values\nkg = kg\nstone\n", f);
    fclose(f);
    cs_error err;
    cr_assert_null(rules_load(dir, &err));
    cr_expect(strstr(err.msg, "odd-units.txt:4: an entry of a %values list is ENTRY = VALUE"), "message: %s", err.msg);
    cleanup();
}
