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

/* The README's example queries run on a database of the corpus, each with
 * rows to show; its Datasette line names the metadata ingest writes. */
Test(datasette, readme_example_queries_run, .timeout = 120)
{
    size_t len;
    char *readme = th_read("README.md", &len);
    cr_assert(readme);
    const char *sec = strstr(readme, "## The database");
    cr_assert(sec, "README has no database section");
    char dir[] = "/tmp/cs-readme-db-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd, "%s ingest -q --db %s/claims.db corpus/ && %s check -q --db %s/claims.db > /dev/null",
             th_bin(), dir, th_bin(), dir);
    free(th_run(cmd, &st));
    cr_assert_eq(st, 0);
    int queries = 0;
    for (const char *p = strstr(sec, "\n    sqlite3 out/claims.db \""); p;
         p = strstr(p + 1, "\n    sqlite3 out/claims.db \"")) {
        const char *sql = p + strlen("\n    sqlite3 out/claims.db \"");
        const char *end = strchr(sql, '"');
        cr_assert(end);
        char q[2048];
        size_t n = 0;
        for (const char *c = sql; c < end && n + 1 < sizeof q; c++)
            q[n++] = *c == '\n' ? ' ' : *c; /* a query may run over lines */
        q[n] = '\0';
        snprintf(cmd, sizeof cmd, "sqlite3 %s/claims.db \"%s\" 2>&1", dir, q);
        char *out = th_run(cmd, &st);
        cr_expect_eq(st, 0, "README query failed: %s\n%s", q, out);
        cr_expect(out && out[0], "README query gives no rows on the corpus: %s", q);
        free(out);
        queries++;
    }
    cr_expect_geq(queries, 6, "README's example queries found: %d", queries);
    cr_expect(strstr(sec, "datasette out/claims.db --metadata out/metadata.json"), "the Datasette line");
    snprintf(cmd, sizeof cmd, "test -s %s/metadata.json", dir);
    free(th_run(cmd, &st));
    cr_expect_eq(st, 0, "ingest wrote metadata.json beside the database");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    free(th_run(cmd, &st));
    free(readme);
}
