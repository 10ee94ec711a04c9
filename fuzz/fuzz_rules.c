/* libFuzzer harness: bytes as a rule file beside the shipped macros.rules
 * and lexicons, so that mutations of the seeds (the shipped rule files)
 * keep their {MACRO} and {@lexicon} references; a broken file must give an
 * error, never a crash or a hang. A set that loads is run over a text and
 * its rules' own examples are run (rules test). */
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "harness.h"
#include "rules.h"

/* Links the shipped lexicons and macros into the scratch directory. */
static void link_shipped(void)
{
    const char *dir = getenv("CLAIMSCAN_RULES");
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/*.txt", dir ? dir : "rules");
    glob_t g;
    if (glob(pat, 0, NULL, &g) != 0)
        abort();
    snprintf(pat, sizeof pat, "%s/macros.rules", dir ? dir : "rules");
    if (glob(pat, GLOB_APPEND, NULL, &g) != 0)
        abort();
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char abs[PATH_MAX], to[4096];
        const char *base = strrchr(g.gl_pathv[i], '/');
        if (!realpath(g.gl_pathv[i], abs) || symlink(abs, harness_path(base ? base + 1 : g.gl_pathv[i], to, sizeof to)))
            abort();
    }
    globfree(&g);
}

static void quiet(void *ctx, const char *msg)
{
    (void)ctx, (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[4096];
    if (!dir[0]) {
        link_shipped();
        harness_path("", dir, sizeof dir);
    }
    char path[4096];
    harness_write(harness_path("fuzz.rules", path, sizeof path), data, size);
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
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
