/* libFuzzer harness: bytes as a rule file next to the shipped lexicons; a
 * broken file must give an error, never a crash or a hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/claimscan-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        /* A lexicon the fuzzed rules may refer to as {@months}. */
        char p[128];
        snprintf(p, sizeof p, "%s/months.txt", dir);
        FILE *f = fopen(p, "w");
        if (!f)
            abort();
        fputs("january\nfebruary\nmarch\n", f);
        fclose(f);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/fuzz.rules", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    cs_error err;
    rules_set *rs = rules_load(dir, &err);
    if (rs) {
        rules_match *m = NULL;
        size_t n = 0, cap = 0;
        static const char text[] = "In March 2014 the council spent \xC2\xA3" "22.1 million, 19 out of 50.";
        rules_scan(rs, text, sizeof text - 1, &m, &n, &cap, NULL, NULL);
        n = rules_resolve(m, n);
        free(m);
        rules_free(rs);
    }
    return 0;
}
