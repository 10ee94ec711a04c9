/* merge: shards ingested apart and merged hold the rows a single ingest of
 * all their documents writes, site boilerplate learned across shards; the
 * README's GNU parallel recipe is what builds the shards. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"

/* Writes each corpus document's clean text under the chrome of three
 * sites, as dir/docs/NNNN.html, the sites taking turns: every shard then
 * holds pages of every site, and a site's chrome repeats across shards. */
static size_t write_site_pages(const char *dir)
{
    static const char *const site[3] = {"The Test Gazette", "Riverside Weekly", "Northmoor Council"};
    static const char *const chrome[3] = {"Local news you can trust, since 1889.",
                                          "Riverside Weekly is published every Thursday.",
                                          "Northmoor City Council, Town Hall, Northmoor."};
    size_t nf = 0, n = 0;
    cs_error err;
    char **files = load_list_dir("corpus", &nf, &err);
    cr_assert(files, "%s", err.msg);
    char path[512];
    snprintf(path, sizeof path, "%s/docs", dir);
    cr_assert_eq(mkdir(path, 0777), 0);
    for (size_t i = 0; i < nf; i++) {
        doc *d = load_file(files[i], 0, &err);
        cr_assert(d, "%s", err.msg);
        cr_assert_eq(extract_clean(d, th_rules(), &err), CS_OK, "%s", err.msg);
        for (int k = 0; k < 3; k++) {
            buf b;
            buf_init(&b, 0);
            buf_printf_put(&b, "<html><head><meta property=\"og:site_name\" content=\"%s\"></head><body><article>"
                               "<p>%s</p>\n<p>",
                           site[k], chrome[k]);
            for (size_t c = 0; c < d->text_len; c++) {
                char ch = d->text[c];
                if (ch == '<' || ch == '&')
                    buf_puts(&b, ch == '<' ? "&lt;" : "&amp;");
                else if (ch == '\n')
                    buf_puts(&b, "</p>\n<p>");
                else
                    buf_put(&b, &ch, 1);
            }
            buf_printf_put(&b, "</p>\n<p>Page %zu of the %s archive.</p></article></body></html>\n", i, site[k]);
            snprintf(path, sizeof path, "%s/docs/%04zu.html", dir, n++);
            FILE *f = fopen(path, "wb");
            cr_assert(f && fwrite(b.ptr, 1, b.len, f) == b.len && fclose(f) == 0, "%s", path);
            buf_free(&b);
        }
        doc_free(d);
    }
    load_free_list(files, nf);
    return n;
}

/* The shards of the README's recipe: the sorted list of documents cut into
 * lists of ten, each packed with its documents, ingested by GNU parallel on
 * the job slots of machines.txt, then merged; and a single ingest of the
 * same list. Prints the merge's summary; compares the two databases' rows. */
static char *run_recipe(const char *dir, const char *machines)
{
    char cmd[4096], rows[1024];
    cr_assert(realpath("tests/data/rows.sql", rows));
    snprintf(cmd, sizeof cmd,
             "cd '%s' && rm -f shard-* all.db* single.db* && printf '%%s\\n' '%s' > machines.txt &&"
             " find docs -type f | sort > all.txt && split -l 10 -d -a 3 all.txt shard- &&"
             " parallel 'tar cf {}.tar -T {}' ::: shard-??? &&"
             " parallel --sshloginfile machines.txt --transferfile {}.tar --return {}.db --cleanup"
             "   'tar xf {}.tar && xargs -d \"\\n\" -a {} %s ingest -q -j 1 --db {}.db' ::: shard-??? &&"
             " %s merge --db all.db shard-???.db &&"
             " xargs -d '\\n' -a all.txt %s ingest -q --db single.db &&"
             " sqlite3 all.db < '%s' > merged.txt && sqlite3 single.db < '%s' > single.txt &&"
             " cmp merged.txt single.txt && wc -l < merged.txt",
             dir, machines, th_bin(), th_bin(), th_bin(), rows, rows);
    int status;
    char *out = th_run(cmd, &status);
    cr_assert_eq(status, 0, "the recipe failed or the databases differ (%s): %s", dir, out);
    return out;
}

Test(merge, gnu_parallel_shards_merge_into_a_single_ingest, .timeout = 600)
{
    if (system("command -v parallel >/dev/null && command -v sqlite3 >/dev/null && command -v tar >/dev/null")) {
        cr_skip_test("GNU parallel, sqlite3 or tar is missing");
        return;
    }
    char dir[] = "/tmp/cs-merge-XXXXXX";
    cr_assert(mkdtemp(dir));
    size_t n = write_site_pages(dir);
    cr_assert_gt(n, 30);
    /* Three job slots on this machine. */
    char *out = run_recipe(dir, "3/:");
    cr_assert_gt(atol(out), 1000, "too few rows compared: %s", out);
    free(out);
    /* The merge had pages to extract again: their site's chrome, kept in
     * their own shard, is dropped once the earlier shards count. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && rm -f again.db* && %s merge --db again.db shard-???.db 2>&1 && "
             "sqlite3 again.db 'SELECT count(*) FROM documents'",
             dir, th_bin());
    int status;
    out = th_run(cmd, &status);
    cr_assert_eq(status, 0, "%s", out);
    cr_assert(strstr(out, " extracted again") && !strstr(out, " 0 extracted again"), "%s", out);
    free(out);
    /* Over ssh to this machine as well, when an sshd can run here. */
    if (system("command -v sshd >/dev/null 2>&1"))
        fprintf(stderr, "merge: no sshd on this machine: the recipe over ssh to localhost is skipped\n");
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A shard of other rules, or a file that is no database, is refused with a
 * message naming it, and leaves the database as it was. */
Test(merge, unusable_shards_are_refused_by_name)
{
    char dir[] = "/tmp/cs-merge-bad-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'The council met 12 of its 20 targets in 2024.\\n' > a.txt &&"
             " %s ingest -q --db good.db a.txt && printf 'not a database at all, just text' > bad.db &&"
             " %s merge --db all.db bad.db good.db 2>&1; echo \"exit $?\";"
             " sqlite3 all.db 'SELECT count(*) FROM documents'",
             dir, th_bin(), th_bin());
    int status;
    char *out = th_run(cmd, &status);
    cr_assert(strstr(out, "bad.db: "), "%s", out);
    cr_assert(strstr(out, "exit 1"), "%s", out);
    cr_assert(strstr(out, "\n1\n"), "the good shard is merged all the same: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A shard's table names reach SQL text: one crafted to end the statement
 * and drop a table is refused by name, nothing of that shard is copied
 * (nor counted as copied), and the database keeps its tables. */
Test(merge, a_crafted_table_name_is_refused)
{
    char dir[] = "/tmp/cs-merge-sql-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'The council met 12 of its 20 targets in 2024.\\n' > a.txt &&"
             " printf 'Our schools met 3 of their 4 targets in 2023.\\n' > b.txt &&"
             " %s ingest -q --db all.db a.txt && %s ingest -q --db evil.db b.txt &&"
             " sqlite3 evil.db 'CREATE TABLE \"x\"\")(id) SELECT 1; DROP TABLE main.claims; --\""
             " (id INTEGER PRIMARY KEY, document_id INTEGER REFERENCES documents(id));"
             " INSERT INTO \"x\"\")(id) SELECT 1; DROP TABLE main.claims; --\" VALUES (1, 1)' &&"
             " %s merge --db all.db evil.db 2>&1; echo \"exit $?\";"
             " sqlite3 all.db \"SELECT count(*) FROM documents; SELECT count(*) FROM sqlite_schema"
             " WHERE name = 'claims'\"",
             dir, th_bin(), th_bin(), th_bin());
    int status;
    char *out = th_run(cmd, &status);
    cr_assert(strstr(out, "evil.db: ") && strstr(out, "unexpected name"), "%s", out);
    cr_assert(strstr(out, "0 documents copied"), "a rolled-back run copied nothing: %s", out);
    cr_assert(strstr(out, "exit 1\n1\n1\n"), "one document, and the claims table, as before: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Merge reads a shard and writes nothing to it: its bytes and its journal
 * mode stay as they were. A shard of an older schema is refused with what
 * to do, not upgraded behind the user's back. */
Test(merge, shards_are_read_only)
{
    char dir[] = "/tmp/cs-merge-ro-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'The council met 12 of its 20 targets in 2024.\\n' > a.txt &&"
             " printf 'Our schools met 3 of their 4 targets in 2023.\\n' > b.txt &&"
             " %s ingest -q --db s1.db a.txt && %s ingest -q --db s2.db b.txt &&"
             " sqlite3 s1.db 'PRAGMA journal_mode = DELETE' >/dev/null &&"
             " sqlite3 s2.db 'PRAGMA journal_mode = DELETE; PRAGMA user_version = 1' >/dev/null &&"
             " md5sum s1.db s2.db > before && %s merge -q --db all.db s1.db s2.db 2>&1; echo \"exit $?\";"
             " md5sum -c --quiet before && echo unchanged; ls s1.db-wal s2.db-wal 2>/dev/null;"
             " sqlite3 s1.db 'PRAGMA journal_mode'; sqlite3 all.db 'SELECT count(*) FROM documents'",
             dir, th_bin(), th_bin(), th_bin());
    int status;
    char *out = th_run(cmd, &status);
    cr_assert(strstr(out, "s2.db: ") && strstr(out, "older than this claimscan's"), "%s", out);
    cr_assert(strstr(out, "exit 1\nunchanged\ndelete\n1\n"), "s1 merged, both shards untouched: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
