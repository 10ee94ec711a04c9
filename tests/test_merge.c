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
static char *run_recipe(const char *dir, const char *machines, const char *parallel_opts, int *status)
{
    char cmd[8192], rows[1024];
    cr_assert(realpath("tests/data/rows.sql", rows));
    snprintf(cmd, sizeof cmd,
             "cd '%s' && rm -f shard-* all.db* single.db* && printf '%%s\\n' '%s' > machines.txt &&"
             " find docs -type f | sort > all.txt && split -l 10 -d -a 3 all.txt shard- &&"
             " parallel 'tar cf {}.tar {} -T {}' ::: shard-??? &&"
             " parallel %s --sshloginfile machines.txt --transferfile {}.tar --return {}.db --cleanup"
             "   'tar xf {}.tar && xargs -d \"\\n\" -a {} %s ingest -q -j 1 --db {}.db' ::: shard-??? &&"
             " %s merge --db all.db shard-???.db &&"
             " xargs -d '\\n' -a all.txt %s ingest -q --db single.db &&"
             " sqlite3 all.db < '%s' > merged.txt && sqlite3 single.db < '%s' > single.txt &&"
             " cmp merged.txt single.txt && wc -l < merged.txt",
             dir, machines, parallel_opts, th_bin(), th_bin(), th_bin(), rows, rows);
    return th_run(cmd, status);
}

/* Starts a private sshd for this user on a high port of 127.0.0.1, with
 * its own host key and authorized key under dir/ssh; writes the GNU
 * parallel sshlogin that reaches it into login. 0 (why printed) when no
 * sshd can run here. */
static int start_sshd(const char *dir, char *login, size_t cap)
{
    if (access("/usr/sbin/sshd", X_OK) || system("command -v ssh ssh-keygen rsync >/dev/null 2>&1")) {
        fprintf(stderr, "merge: no sshd, ssh or rsync on this machine: the recipe over ssh to 127.0.0.1 is skipped\n");
        return 0;
    }
    int port = 20000 + (int)(getpid() % 20000);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p ssh && ssh-keygen -q -t ed25519 -N '' -f ssh/host && "
             "ssh-keygen -q -t ed25519 -N '' -f ssh/user && cp ssh/user.pub ssh/authorized_keys && "
             "printf 'Port %d\\nListenAddress 127.0.0.1\\nHostKey %s/ssh/host\\n"
             "AuthorizedKeysFile %s/ssh/authorized_keys\\nPidFile %s/ssh/sshd.pid\\n"
             "PermitRootLogin prohibit-password\\nPasswordAuthentication no\\nStrictModes no\\nUsePAM no\\n' "
             "> ssh/sshd_config && { [ \"$(id -u)\" != 0 ] || mkdir -p /run/sshd; } && "
             "/usr/sbin/sshd -f '%s/ssh/sshd_config' -E '%s/ssh/sshd.log' 2>&1 && sleep 1 && "
             "ssh -p %d -i ssh/user -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes "
             "-o LogLevel=ERROR \"$(id -un)\"@127.0.0.1 true 2>&1",
             dir, port, dir, dir, dir, dir, dir, port);
    int status;
    char *out = th_run(cmd, &status);
    if (status != 0) {
        fprintf(stderr, "merge: no sshd could be started here (%s): the recipe over ssh to 127.0.0.1 is skipped\n",
                out);
        free(out);
        return 0;
    }
    free(out);
    char user[256] = "";
    out = th_run("id -un", &status);
    snprintf(user, sizeof user, "%.*s", (int)strcspn(out, "\n"), out);
    free(out);
    snprintf(login, cap,
             "2/ssh -p %d -i %s/ssh/user -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes "
             "-o LogLevel=ERROR %s@127.0.0.1",
             port, dir, user);
    return 1;
}

/* The recipe again with its jobs sent over ssh to a private sshd on this
 * machine (two job slots there), each in a work directory of its own that
 * GNU parallel removes; the merged database again equals a single ingest. */
static void over_ssh(const char *dir)
{
    char login[1024], cmd[1024];
    if (!start_sshd(dir, login, sizeof login))
        return;
    int status;
    char *out = run_recipe(dir, login, "--wd ...", &status);
    snprintf(cmd, sizeof cmd, "kill \"$(cat '%s/ssh/sshd.pid')\"", dir);
    int killed = system(cmd);
    cr_assert_eq(status, 0, "the recipe over ssh failed or the databases differ (%s): %s", dir, out);
    cr_assert_gt(atol(out), 1000, "too few rows compared over ssh: %s", out);
    cr_assert_eq(killed, 0, "the private sshd of %s could not be stopped", dir);
    free(out);
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
    int status;
    char *out = run_recipe(dir, "3/:", "", &status);
    cr_assert_eq(status, 0, "the recipe failed or the databases differ (%s): %s", dir, out);
    cr_assert_gt(atol(out), 1000, "too few rows compared: %s", out);
    free(out);
    /* The merge had pages to extract again: their site's chrome, kept in
     * their own shard, is dropped once the earlier shards count. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && rm -f again.db* && %s merge --db again.db shard-???.db 2>&1 && "
             "sqlite3 again.db 'SELECT count(*) FROM documents'",
             dir, th_bin());
    out = th_run(cmd, &status);
    cr_assert_eq(status, 0, "%s", out);
    cr_assert(strstr(out, " extracted again") && !strstr(out, " 0 extracted again"), "%s", out);
    free(out);
    /* Over ssh to this machine as well, when an sshd can run here. */
    over_ssh(dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A fresh database's first shard is copied as a file: it then holds the
 * shard's rows but none of what copying rows leaves behind: findings of a
 * check run on the shard (check runs again on the merged database), a
 * person nothing names any more, an alias no mention uses, a site block
 * no document counts (left by re-ingests; made here by hand). */
Test(merge, first_shard_copied_whole_holds_its_rows_alone)
{
    char dir[] = "/tmp/cs-merge-whole-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[4096], rows[1024], corpus[1024];
    cr_assert(realpath("tests/data/rows.sql", rows));
    cr_assert(realpath("corpus", corpus));
    snprintf(cmd, sizeof cmd,
             "cd '%s' && %s ingest -q --db s.db '%s' && %s check --db s.db > /dev/null &&"
             " sqlite3 s.db < '%s' > s.rows && sqlite3 s.db \"INSERT INTO persons(name) VALUES ('Nobody Named');"
             " INSERT INTO aliases(person_id, alias) SELECT id, 'N. Named' FROM persons WHERE name = 'Nobody Named';"
             " INSERT INTO site_blocks(site, hash, sample, documents) VALUES ('nowhere', '0123456789abcdef', 'x', 0);"
             " SELECT count(*) > 0 FROM findings\" &&"
             " %s merge -q --db all.db s.db &&"
             " sqlite3 all.db \"SELECT count(*) FROM findings; SELECT count(*) FROM check_runs;"
             " SELECT count(*) FROM persons WHERE name = 'Nobody Named'; SELECT count(*) FROM aliases WHERE alias = 'N. Named';"
             " SELECT count(*) FROM site_blocks WHERE site = 'nowhere'\" &&"
             " sqlite3 all.db < '%s' > all.rows && cmp all.rows s.rows && echo same",
             dir, th_bin(), corpus, th_bin(), rows, th_bin(), rows);
    int status;
    char *out = th_run(cmd, &status);
    cr_assert_eq(status, 0, "%s", out);
    cr_assert(!strncmp(out, "1\n0\n0\n0\n0\n0\nsame\n", 20),
              "check's findings in the shard, then none of what copying rows leaves behind in the merged database,"
              " and the shard's rows: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A shard of another page size cannot be copied as a file into a new
 * database (SQLite refuses it in WAL mode): its rows are copied. */
Test(merge, a_shard_of_another_page_size_is_merged_by_rows)
{
    char dir[] = "/tmp/cs-merge-page-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'The council met 12 of its 20 targets in 2024.\\n' > a.txt &&"
             " %s ingest -q --db s.db a.txt &&"
             " sqlite3 s.db 'PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM; PRAGMA journal_mode = WAL'"
             " > /dev/null && %s merge -q --db all.db s.db 2>&1; echo \"exit $?\";"
             " sqlite3 all.db 'SELECT count(*) FROM documents; PRAGMA page_size'",
             dir, th_bin(), th_bin());
    int status;
    char *out = th_run(cmd, &status);
    cr_assert(strstr(out, "exit 0\n1\n4096\n"), "the shard's document, in a database of the default page size: %s", out);
    free(out);
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
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'The council met 12 of its 20 targets in 2024.\\n' > a.txt &&"
             " printf 'Our schools met 3 of their 4 targets in 2023.\\n' > b.txt &&"
             " %s ingest -q --db all.db a.txt && %s ingest -q --db evil.db b.txt &&"
             " sqlite3 evil.db 'CREATE TABLE \"x\"\")(id) SELECT 1; DROP TABLE main.claims; --\""
             " (id INTEGER PRIMARY KEY, document_id INTEGER REFERENCES documents(id));"
             " INSERT INTO \"x\"\")(id) SELECT 1; DROP TABLE main.claims; --\" VALUES (1, 1)' &&"
             " %s merge --db all.db evil.db 2>&1; echo \"exit $?\";"
             " sqlite3 all.db \"SELECT count(*) FROM documents; SELECT count(*) FROM sqlite_schema"
             " WHERE name = 'claims'\";"
             /* Into a new database, where a shard could be copied as a file. */
             " %s merge --db new.db evil.db 2>&1; echo \"exit $?\";"
             " sqlite3 new.db \"SELECT count(*) FROM documents; SELECT count(*) FROM sqlite_schema WHERE name LIKE 'x%%'\"",
             dir, th_bin(), th_bin(), th_bin(), th_bin());
    int status;
    char *out = th_run(cmd, &status);
    cr_assert(strstr(out, "evil.db: ") && strstr(out, "unexpected name"), "%s", out);
    cr_assert(strstr(out, "0 documents copied"), "a rolled-back run copied nothing: %s", out);
    cr_assert(strstr(out, "exit 1\n1\n1\n"), "one document, and the claims table, as before: %s", out);
    cr_assert(strstr(out, "exit 1\n0\n0\n"), "nothing, and no table of the shard's, in a new database: %s", out);
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
    char cmd[4096];
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
