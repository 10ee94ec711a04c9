/* libFuzzer harness: bytes as a rule file beside the shipped macros.rules,
 * with the shipped lexicons (loaded once per process), so that mutations of
 * the seeds (the shipped rule files) keep their {MACRO} and {@lexicon}
 * references; a broken file must give an error, never a crash or a hang. A
 * set that loads is run over a text and its rules' own examples are run
 * (rules test). The same bytes are also read as a lexicon (plain or
 * %values), alone in a directory of their own. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "harness.h"
#include "rules.h"

/* Links the shipped macros into the scratch directory. */
static void link_macros(void)
{
    const char *dir = getenv("CLAIMSCAN_RULES");
    char from[4096], abs[PATH_MAX], to[4096];
    snprintf(from, sizeof from, "%s/macros.rules", dir ? dir : "rules");
    if (!realpath(from, abs) || symlink(abs, harness_path("macros.rules", to, sizeof to)))
        abort();
}

/* The bytes as the one lexicon of a directory: it is parsed, then the
 * directory fails for the lexicons it lacks. */
static void read_as_lexicon(const uint8_t *data, size_t size)
{
    static char dir[4096];
    char path[4096];
    if (!dir[0] && mkdir(harness_path("lexicon", dir, sizeof dir), 0700))
        abort();
    snprintf(path, sizeof path, "%s/fuzz.txt", dir);
    harness_write(path, data, size);
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    if (rs)
        abort(); /* the shipped lexicons are required */
}

static void quiet(void *ctx, const char *msg)
{
    (void)ctx, (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[4096];
    if (!dir[0]) {
        link_macros();
        harness_path("", dir, sizeof dir);
    }
    char path[4096];
    harness_write(harness_path("fuzz.rules", path, sizeof path), data, size);
    cs_error err;
    read_as_lexicon(data, size);
    rules_set *rs = rules_load_with_lexicons(dir, harness_rules(), &err);
    if (rs) {
        rules_match *m = NULL;
        size_t n = 0, cap = 0, total = 0;
        static const char text[] = "In March 2014 the council spent \xC2\xA3" "22.1 million, 19 out of 50.\n"
                                   "Cllr Priya Shah said 62% of pupils passed, against a target of 70 per cent.";
        rules_scan(rs, text, sizeof text - 1, &m, &n, &cap, NULL, NULL);
        n = rules_resolve(m, n);
        free(m);
        (void)rules_selftest(rs, extract_render_example, rs, quiet, NULL, &total);
        rules_free(rs);
    }
    return 0;
}
