/* The database as Datasette and sqlite-utils read it: the full-text index
 * detected, foreign keys, and the metadata.json written beside it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* sqlite-utils itself answers (tests/tools/datasette_check.py, run by the
 * interpreter named on the sqlite-utils script's first line). */
Test(datasette, sqlite_utils_detects_fts_and_metadata_matches_the_database, .timeout = 300)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "command -v sqlite-utils >/dev/null || { echo SKIP; exit 0; }; "
             "py=$(sed -n '1s/^#!//p' \"$(command -v sqlite-utils)\"); d=$(mktemp -d); "
             "%s ingest -q --db $d/claims.db corpus/ && %s check --db $d/claims.db >/dev/null && "
             "$py tests/tools/datasette_check.py $d/claims.db 2>&1; echo \"rc=$?\"; rm -rf $d",
             th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(out);
    if (!strncmp(out, "SKIP", 4)) {
        free(out);
        cr_skip_test("sqlite-utils is not installed (make deps installs it)");
    }
    cr_log_info("%s", out);
    cr_expect(strstr(out, "detect_fts('documents') = 'documents_fts'"), "sqlite-utils' answer:\n%s", out);
    cr_expect(!strstr(out, "FAIL") && strstr(out, "rc=0"), "%s", out);
    free(out);
}

/* A metadata.json claimscan did not write is left alone, with a warning;
 * a second database in the same directory gets its own entry. */
Test(datasette, metadata_keeps_other_databases_and_foreign_files)
{
    char cmd[4096];
    int st;
    const char *b = th_bin();
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d); %s ingest -q --db $d/a.db corpus/northmoor-press-release.html && "
             "%s ingest -q --db $d/b.db corpus/northmoor-press-release.html && "
             "python3 -c \"import json,sys; m=json.load(open(sys.argv[1])); print(sorted(m['databases']))\" $d/metadata.json; "
             "printf '{\"title\": \"mine\"}' > $d/metadata.json; "
             "%s ingest -q --db $d/a.db corpus/northmoor-news-article.html 2>&1; echo \"rc=$?\"; cat $d/metadata.json; "
             "rm -rf $d",
             b, b, b);
    char *out = th_run(cmd, &st);
    cr_assert(out);
    cr_expect(strstr(out, "['a', 'b']"), "both databases are described: %s", out);
    cr_expect(strstr(out, "metadata.json: not written by claimscan; left as it is"), "warning: %s", out);
    cr_expect(strstr(out, "rc=0"), "the ingest itself succeeded: %s", out);
    cr_expect(strstr(out, "{\"title\": \"mine\"}"), "the user's file is untouched: %s", out);
    free(out);
}
