/* Hostile input and faults: each test is the reproducer of a defect that
 * was found by attacking the program (capped buffers, spans, CSV formulas,
 * write errors), kept so that the class cannot come back. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "store.h"
#include "strs.h"

/* A full capped buffer cuts, at a character boundary, and never aborts. */
Test(hostile, capped_buffer_truncates_at_a_character)
{
    buf b;
    buf_init(&b, 8);
    buf_puts(&b, "abcdef");
    buf_puts(&b, "\xC3\xA9\xC3\xA9"); /* two e-acutes: one fits in the 2 bytes left */
    cr_assert_str_eq(buf_str(&b), "abcdef\xC3\xA9");
    buf_puts(&b, "more");
    buf_printf_put(&b, "%s", "and more");
    cr_assert_eq(b.len, 8);
    cr_assert_eq(buf_add_some(&b, "x", 1), CS_ERR_TOOBIG);
    buf_free(&b);
}

/* A title, h1 and JSON-LD past their caps: the page is read (the title
 * cut), and the document after it in the same run is read too. */
Test(hostile, long_title_and_heading_are_cut_not_fatal)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && python3 -c \"import sys; w='word '*1000; "
             "sys.stdout.write('<html><head><title>'+w+'</title><script type=application/ld+json>{\\\"a\\\":\\\"'+'x'*1100000+'\\\"}"
             "</script></head><body><h1>'+'caf\\u00e9 '*2000+'</h1><p>The council spent 5 million.</p></body></html>')\" "
             "> $d/a.html && printf 'The pass rate rose to 62%%%%.\\n' > $d/b.txt && "
             "%s extract $d/a.html $d/b.txt; echo \"rc=$?\"; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "rc=0"), "exit status: %.300s", out + (strlen(out) > 300 ? strlen(out) - 300 : 0));
    cr_assert(strstr(out, "\"title\":\"word word"), "the first document's record");
    cr_assert(strstr(out, "b.txt\",\"kind\":\"document\""), "the document after it was read");
    cr_assert(strstr(out, "\"value\":62"), "and extracted");
    free(out);
}

/* Every span of every record lies inside the text, start before end: a
 * figure in brackets after its words made a clause claim end before it
 * started ([48,47]) and the stored text run past the document. */
Test(hostile, clause_claim_span_is_in_order)
{
    extract_result *r = th_extract("p.txt", "In 2023 the pass rate rose to 62% and for boys (58%) it fell.\n");
    cr_assert(r);
    size_t clauses = 0;
    for (size_t i = 0; i < r->claims.n; i++) {
        const claims_claim *c = &r->claims.v[i];
        cr_assert(c->start <= c->end && c->end <= r->d->text_len, "claim %zu: span [%zu,%zu]", i, c->start, c->end);
        if (!strcmp(c->rule, "claims:clause")) {
            clauses++;
            cr_assert(!strncmp(r->d->text + c->start, "for boys (58%", c->end - c->start) && c->end > c->start,
                      "the clause's words and figure: '%.*s'", (int)(c->end - c->start), r->d->text + c->start);
        }
    }
    cr_assert_eq(clauses, 1);
    th_free(r);
}

static char *csv_of(const char *const *cols, size_t n)
{
    char *p = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&p, &len);
    cr_assert(f);
    cr_assert_eq(strs_csv_row(f, cols, n), CS_OK);
    fclose(f);
    return p;
}

/* Formulas are neutralised with a leading apostrophe; numbers, signed or
 * with a per cent sign, stay numbers; quoting only where needed. */
Test(hostile, csv_neutralises_formulas_and_keeps_numbers)
{
    const char *const cols[] = {"=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                "\tx", "\rx", "-12", "+3.5", "-4%", "1e5", "plain", "a,b", NULL, "-", "-x"};
    char *row = csv_of(cols, sizeof cols / sizeof *cols);
    cr_assert_str_eq(row, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\tx,"
                          "\"'\rx\",-12,+3.5,-4%,1e5,plain,\"a,b\",,-,'-x\n");
    free(row);
}

/* A spreadsheet user opening claims.csv must not run a file name. */
Test(hostile, csv_from_the_database_is_neutralised, .timeout = 120)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=$(realpath %s); d=$(mktemp -d) && cd $d && "
             "printf 'The pass rate rose to 62%%%% against a target of 70%%%%.\\n' > '=1+2.txt' && "
             "$b ingest -q --db c.db '=1+2.txt' && $b claims --db c.db --format csv && "
             "$b search --db c.db --format csv pass; echo \"rc=$?\"; cd / && rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, ",'=1+2.txt,"), "claims and search neutralise the file name: %s", out);
    cr_assert(!strstr(out, ",=1+2.txt"), "no cell starts with '=': %s", out);
    cr_assert(strstr(out, "rc=0"), "%s", out);
    free(out);
}

/* Every command that writes standard output fails when it cannot. */
Test(hostile, full_output_device_fails_every_command, .timeout = 300)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=%s; d=$(mktemp -d) && $b ingest -q --db $d/c.db corpus/ && "
             "for c in 'claims' 'claims --format csv' 'claims --format jsonl' 'search council' "
             "'search --format csv council' 'search --format jsonl council' 'timeline' 'timeline --format csv' "
             "'timeline --format timelinejs' 'timeline --format timelinejs-csv' 'check' 'check --format csv' "
             "'check --format jsonl'; do $b $c --db $d/c.db > /dev/full 2>$d/err; echo \"$c: rc=$? $(head -c 200 $d/err)\"; done; "
             "$b rules test > /dev/full 2>$d/err; echo \"rules test: rc=$? $(cat $d/err)\"; "
             "$b clean corpus/ > /dev/full 2>$d/err; echo \"clean: rc=$? $(cat $d/err)\"; "
             "$b --help > /dev/full 2>$d/err; echo \"help: rc=$? $(cat $d/err)\"; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    int lines = 0;
    for (char *p = out; *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (*p) {
            lines++;
            cr_expect(strstr(p, "rc=1 claimscan: writing output: No space left on device"), "%s", p);
        }
        p = nl ? nl + 1 : p + strlen(p);
    }
    cr_assert_eq(lines, 16, "every command ran");
    free(out);
}

/* Makes a database file at path with the given SQL (sqlite3 directly). */
static void craft(const char *path, const char *sql)
{
    sqlite3 *db;
    th_unlink_db(path);
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sql);
    sqlite3_close(db);
}

/* A database that is not ours, or newer, is refused before anything is
 * written into it; a negative user_version indexed the migrations out of
 * bounds. */
Test(hostile, foreign_or_newer_database_is_refused)
{
    static const struct {
        const char *sql, *says;
    } cases[] = {
        {"PRAGMA user_version = -5;", "not a claimscan database"},
        {"CREATE TABLE documents(a); PRAGMA user_version = -1;", "not a claimscan database"},
        {"CREATE TABLE t(a);", "not a claimscan database"},
        {"PRAGMA application_id = 1234; CREATE TABLE documents(a); PRAGMA user_version = 3;", "another program"},
        {"CREATE TABLE documents(a); PRAGMA user_version = 999;", "newer than this claimscan"},
        {"PRAGMA user_version = 2;", "not a claimscan database"},
    };
    char path[] = "/tmp/cs-foreign-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        craft(path, cases[i].sql);
        struct stat before, after;
        cr_assert_eq(stat(path, &before), 0);
        cs_error err;
        store *s = store_open(path, &err);
        cr_assert_null(s, "case %zu opened", i);
        cr_assert(strstr(err.msg, cases[i].says), "case %zu: %s", i, err.msg);
        cr_assert_null(store_open_readonly(path, &err), "case %zu opened read-only", i);
        cr_assert(strstr(err.msg, cases[i].says), "case %zu read-only: %s", i, err.msg);
        cr_assert_eq(stat(path, &after), 0);
        cr_assert_eq(before.st_size, after.st_size, "case %zu: the file was written", i);
    }
    /* Ours: created empty, then opened again, read-only too. */
    th_unlink_db(path);
    cs_error err;
    store *s = store_open(path, &err);
    cr_assert(s, "%s", err.msg);
    store_close(s);
    s = store_open_readonly(path, &err);
    cr_assert(s, "%s", err.msg);
    store_close(s);
    th_unlink_db(path);
}

/* Runs cmd as a user who cannot write (nobody, when the tests run as root:
 * root writes whatever the permissions say). */
static const char *as_reader(void)
{
    return geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
}

/* The reading commands work on a database the user cannot write, in a
 * directory the user cannot write (a WAL database on read-only media);
 * the writing ones say why they cannot. */
Test(hostile, read_only_database_is_read, .timeout = 120)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=$(realpath %s); r=$(realpath rules); d=$(mktemp -d) && $b ingest -q --db $d/c.db corpus/ && "
             "chmod 755 $d && chmod a-w $d/c.db $d && o=$(mktemp -d) && chmod 777 $o && "
             "for c in 'claims' 'search council' 'timeline' 'check --integrity' \"report -q --out $o/r.html\"; do "
             "CLAIMSCAN_RULES=$r %s $b $c --db $d/c.db > $o/out 2>&1; echo \"$c: rc=$? $(head -c 300 $o/out)\"; done; "
             "ls $d | tr '\\n' ' '; echo; "
             "CLAIMSCAN_RULES=$r %s $b ingest --db $d/c.db corpus/northmoor-news-article.html 2>&1; echo \"ingest: rc=$?\"; "
             "CLAIMSCAN_RULES=$r %s $b check --db $d/c.db 2>&1; echo \"check: rc=$?\"; "
             "chmod -R u+w $d; rm -rf $d $o",
             th_bin(), as_reader(), as_reader(), as_reader());
    char *out = th_run(cmd, &st);
    cr_expect(strstr(out, "claims: rc=0"), "%s", out);
    cr_expect(strstr(out, "search council: rc=0"), "%s", out);
    cr_expect(strstr(out, "timeline: rc=0"), "%s", out);
    cr_expect(strstr(out, "check --integrity: rc=0 ok"), "%s", out);
    cr_expect(strstr(out, "r.html: rc=0"), "%s", out);
    cr_expect(strstr(out, "\nc.db metadata.json \n"), "nothing was created beside the database: %s", out);
    cr_expect(strstr(out, "read-only") && strstr(out, "ingest: rc=2") && strstr(out, "check: rc=2"), "%s", out);
    cr_expect(!strstr(out, "attempt to write"), "%s", out);
    free(out);
}

/* A database with a damaged page in the middle is refused by the writing
 * commands, before they write anything; check --integrity lists the
 * damage. */
Test(hostile, corrupt_database_is_refused_for_writing, .timeout = 120)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=$(realpath %s); d=$(mktemp -d) && $b ingest -q --db $d/c.db corpus/ && "
             "python3 -c \"import os,sys; p=sys.argv[1]; n=os.path.getsize(p)//4096; f=open(p,'r+b'); "
             "f.seek(4096*(n//2)); f.write(b'\\xff'*4096)\" $d/c.db && s1=$(sha256sum < $d/c.db) && "
             "$b ingest -q --db $d/c.db corpus/northmoor-news-article.html 2>&1; echo \"ingest: rc=$?\"; "
             "$b check --db $d/c.db 2>&1 >/dev/null; echo \"check: rc=$?\"; "
             "$b check --integrity --db $d/c.db 2>&1; echo \"integrity: rc=$?\"; "
             "s2=$(sha256sum < $d/c.db); [ \"$s1\" = \"$s2\" ] && echo unchanged; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_expect(strstr(out, "the database is corrupt") && strstr(out, "nothing was written"), "%s", out);
    cr_expect(strstr(out, "ingest: rc=2") && strstr(out, "check: rc=2"), "%s", out);
    cr_expect(strstr(out, "Page ") && strstr(out, "integrity: rc=1"), "%s", out);
    cr_expect(strstr(out, "unchanged"), "the file was written: %s", out);
    free(out);
}

/* Links to "." and to a parent made 2^40 paths; each directory is now
 * listed once, whatever links lead to it. */
Test(hostile, directory_walk_survives_symlink_loops, .timeout = 30)
{
    char dir[] = "/tmp/cs-loop-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd %s && mkdir -p a/b && echo one > a/b/x.txt && echo two > y.txt && ln -s . a/l1 && ln -s .. a/b/l2 && "
             "ln -s ../.. a/b/l3 && ln -s a z && ln -s y.txt w.txt",
             dir);
    cr_assert_eq(system(cmd), 0);
    size_t n = 0;
    cs_error err;
    char **list = load_list_dir(dir, &n, &err);
    cr_assert(list);
    cr_assert_eq(n, 3, "a/b/x.txt, w.txt and y.txt once each, not %zu files", n);
    cr_assert(strstr(list[0], "/a/b/x.txt") && strstr(list[1], "/w.txt") && strstr(list[2], "/y.txt"));
    load_free_list(list, n);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A file name with a line break and escape sequences cannot forge a
 * diagnostic line or drive the terminal; nor can a document's text reach
 * the terminal raw through search, claims, check or clean --explain. */
Test(hostile, control_characters_never_reach_the_terminal, .timeout = 60)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=$(realpath %s); d=$(mktemp -d) && cd $d && mkdir in && "
             "printf 'The council spent \\033[31m5 million\\033[0m on roads, against a target of 4 million.\\n' > "
             "\"in/$(printf 'a\\nclaimscan: fake\\033[2J.txt')\" && "
             "printf '\\001\\002\\003\\004' > \"in/$(printf 'b\\nclaimscan: forged.txt')\" && "
             "{ $b extract in; $b ingest -q --db c.db in; $b search --db c.db council; $b claims --db c.db; "
             "$b clean --explain in; $b check --db c.db; } > out 2> err; "
             "python3 -c \"import sys; o=open('out','rb').read(); e=open('err','rb').read(); "
             "print('esc-out', o.count(b'\\x1b')); print('esc-err', e.count(b'\\x1b')); "
             "print('lines', all(l.startswith(b'claimscan: ') for l in e.splitlines())); "
             "print('named', e.count(b'b\\\\\\\\nclaimscan: forged.txt'))\"; cd / && rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_expect(strstr(out, "esc-out 0\n"), "no escape byte on standard output: %s", out);
    cr_expect(strstr(out, "esc-err 0\n"), "no escape byte on standard error: %s", out);
    cr_expect(strstr(out, "lines True\n"), "every diagnostic line is one: %s", out);
    cr_expect(strstr(out, "named 3\n"), "the binary file is named, escaped, by extract, ingest and clean: %s", out);
    free(out);
}

/* The report is written whole or not at all: a write that fails (here the
 * file size limit) leaves the previous report as it was and no temporary
 * file behind. */
Test(hostile, failed_report_write_keeps_the_old_report, .timeout = 120)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "b=$(realpath %s); d=$(mktemp -d) && $b ingest -q --db $d/c.db corpus/ && echo old > $d/r.html && "
             "sqlite3 $d/c.db 'PRAGMA journal_mode = DELETE' > /dev/null && "
             "(trap '' XFSZ; ulimit -f 4; $b report -q --db $d/c.db --out $d/r.html 2>&1); echo \"rc=$?\"; "
             "cat $d/r.html; ls $d | tr '\\n' ' '; echo; $b report -q --db $d/c.db --out $d/r.html; "
             "echo \"again=$?\"; head -c 15 $d/r.html; echo; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "r.html: cannot write the report: File too large\nrc=1\nold\n"),
              "the failed write says so and keeps the old file: %s", out);
    cr_assert(strstr(out, "c.db metadata.json r.html \n"), "no temporary file is left: %s", out);
    cr_assert(strstr(out, "again=0\n<!DOCTYPE html>"), "a later run writes it: %s", out);
    free(out);
}

/* One element with 100,000 attributes took the parser 21 s (each attribute
 * compared with all before it); past the first few dozen they are blanked
 * out, and the element's text and the text after it are read as before. */
Test(hostile, element_with_100000_attributes_is_read, .timeout = 60)
{
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<html><body><article><p class=\"lead\"");
    for (int i = 0; i < 100000; i++)
        buf_printf_put(&b, i % 3 ? " data-a%d=\"%d > %d\"" : " a%d=%d", i, i, i + 1);
    buf_puts(&b, ">Spending rose to 22.1 per cent in 2023.</p>\n"
                 "<p>The council said 14 out of 40 indicators were on target.</p></article></body></html>");
    extract_result *r = th_extract("attrs.html", buf_str(&b));
    buf_free(&b);
    cr_assert(r);
    cr_assert(strstr(r->d->text, "Spending rose to 22.1 per cent in 2023."), "text: %.200s", r->d->text);
    cr_assert(strstr(r->d->text, "14 out of 40 indicators"), "the element after it: %.200s", r->d->text);
    cr_assert(!strstr(r->d->text, "data-a"), "no attribute leaks into the text");
    const mention *f = th_first(r, MENTION_FIGURE);
    cr_assert(f && f->fig.value == 22.1 && !strcmp(f->fig.unit, "percent"));
    th_free(r);
}

static int cmp_match(const void *a, const void *b)
{
    const rules_match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(rules_id(x->rule), rules_id(y->rule));
}

/* A large page is scanned window by window (no match crosses a line): the
 * windows, each starting after a line break, find exactly the matches of
 * one scan of the whole text, group spans included. */
Test(hostile, scan_by_windows_finds_what_one_scan_finds)
{
    size_t len;
    char *one = th_read("corpus/northmoor-plain-article.txt", &len);
    cr_assert(one && len > 100);
    buf b;
    buf_init(&b, 0);
    while (b.len < 100000)
        cr_assert_eq(buf_add(&b, one, len), CS_OK);
    free(one);
    const char *text = buf_str(&b);
    rules_match *all = NULL, *win = NULL;
    size_t na = 0, nw = 0, ca = 0, cw = 0;
    rules_scan(th_rules(), text, b.len, &all, &na, &ca, NULL, NULL);
    for (size_t from = 0, to; from < b.len; from = to) {
        const char *nl = from + 997 < b.len ? memchr(text + from + 997, '\n', b.len - from - 997) : NULL;
        to = nl ? (size_t)(nl - text) + 1 : b.len; /* after the first line break ~1 KB on */
        rules_scan_range(th_rules(), text, from, to, &win, &nw, &cw, NULL, NULL);
    }
    cr_assert(na > 1000, "matches: %zu", na);
    cr_assert_eq(na, nw);
    qsort(all, na, sizeof *all, cmp_match);
    qsort(win, nw, sizeof *win, cmp_match);
    for (size_t i = 0; i < na; i++) {
        cr_assert(!cmp_match(&all[i], &win[i]), "match %zu: [%zu,%zu) against [%zu,%zu)", i, all[i].start,
                  all[i].end, win[i].start, win[i].end);
        cr_assert(all[i].at == win[i].at && !memcmp(all[i].ov, win[i].ov, sizeof all[i].ov), "groups of match %zu", i);
    }
    free(all);
    free(win);
    buf_free(&b);
}

/* The figures of r as "text=value unit;" in text order. */
static char *figures_of(const extract_result *r)
{
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < r->ms.n; i++) {
        const mention *m = &r->ms.v[i];
        if (m->kind == MENTION_FIGURE)
            buf_printf_put(&b, "%.*s=%.15g %s;", (int)(m->end - m->start), r->d->text + m->start, m->fig.value,
                           m->fig.unit);
    }
    return buf_detach(&b);
}

/* "1e308 per cent" was read as 308 per cent: a number in scientific
 * notation, or a whole part longer than a double holds, is no figure;
 * the same figures written plainly still are. */
Test(hostile, exponents_and_overlong_digit_runs_are_no_figures)
{
    static const char *const none[] = {
        "Spending rose by 1e308 per cent last year.",   "The rate was 2.5E+10% at the end of March.",
        "A fall of 3e-5 per cent was recorded.",        "It cost 1e9 pounds.",
        "The figure was 99999999999999999999999 per cent.", "Reference 1234567890123456 was 40 per cent.",
    };
    static const char *const want[] = {"", "", "", "", "", "40 per cent=40 percent;"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        extract_result *r = th_extract("e.txt", none[i]);
        cr_assert(r);
        char *got = figures_of(r);
        cr_expect_str_eq(got, want[i], "%s", none[i]);
        free(got);
        th_free(r);
    }
    extract_result *r = th_extract("p.txt", "Spending rose by 308 per cent, to 123456789012345 pounds, and e5 rose 5%.");
    char *got = figures_of(r);
    cr_expect_str_eq(got, "308 per cent=308 percent;123456789012345 pounds=123456789012345 GBP;5%=5 percent;");
    free(got);
    th_free(r);
}
