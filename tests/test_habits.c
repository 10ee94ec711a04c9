/* The CLI's habits, those of ripgrep, jq and sqlite-utils: help per
 * command, unknown commands, standard input, exit codes, listings with a
 * header and fixed columns, --quiet, --color and progress lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* 1 if needle occurs in hay[0..n). */
static int has(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return 1;
    return 0;
}

static const char *const commands[] = {"extract", "clean", "ingest", "merge", "claims", "check",
                                       "timeline", "report", "search", "rules", "help"};

/* Runs a shell snippet in which $B is the binary, $R the repository and
 * the working directory a fresh one (removed after); returns its output,
 * stderr included. */
static char *sh(const char *script, int *status)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "B=%s; R=$PWD; d=$(mktemp -d); cd $d; (%s) 2>&1; rc=$?; cd /; rm -rf $d; exit $rc", th_bin(),
             script);
    char *out = th_run(cmd, status);
    cr_assert(out);
    return out;
}

/* Makes $d/in with a small document holding a claim against a target. */
#define SAMPLE                                                                                                   \
    "mkdir in && printf 'Satisfaction survey\\n\\nResident satisfaction rose to 21%% against a target of 25%%, "   \
    "said Cllr Ann Lee. Repairs done on time rose to 95%% against a target of 90%%.\\n' > in/a.txt; "

Test(habits, help_command_and_dash_dash_help_give_options_and_two_examples)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char cmd[1024];
        int st1, st2;
        snprintf(cmd, sizeof cmd, "%s help %s", th_bin(), commands[i]);
        char *a = th_run(cmd, &st1);
        snprintf(cmd, sizeof cmd, "%s %s --help", th_bin(), commands[i]);
        char *b = th_run(cmd, &st2);
        cr_assert(a && b);
        cr_expect_eq(st1, 0, "help %s", commands[i]);
        cr_expect_eq(st2, 0, "%s --help", commands[i]);
        cr_expect_str_eq(a, b, "help %s and %s --help differ", commands[i], commands[i]);
        char want[64];
        snprintf(want, sizeof want, "usage: claimscan %s ", commands[i]);
        cr_expect(!strncmp(a, want, strlen(want)), "%s", a);
        const char *ex = strstr(a, "\nExamples:\n");
        cr_assert(ex && strstr(a, "\nOptions:\n"), "%s", a);
        int n = 0;
        for (const char *p = ex + 11; (p = strstr(p, "  ")) && !strncmp(p, "  ", 2); p = strchr(p, '\n'))
            n += strstr(p, "claimscan ") != NULL && (strchr(p, '\n') == NULL || strstr(p, "claimscan ") < strchr(p, '\n'));
        cr_expect_eq(n, 2, "two examples for %s:\n%s", commands[i], a);
        free(a);
        free(b);
    }
    char cmd[512];
    int st;
    snprintf(cmd, sizeof cmd, "%s help extract; %s help claims", th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    const char *claims = strstr(out, "usage: claimscan claims");
    cr_assert(claims);
    cr_expect(strstr(out, "--format FORMAT       jsonl, csv, tsv") && strstr(out, "--max-size"), "%s", out);
    cr_expect(!has(out, (size_t)(claims - out), "--db"), "extract's help lists only its options: %s", out);
    cr_expect(strstr(claims, "--met yes|no|unknown") && strstr(claims, "--db PATH"), "%s", claims);
    free(out);
}

Test(habits, an_unknown_command_is_named_with_the_list)
{
    int st;
    char *out = sh("$B bogus; echo rc=$?; $B help bogus; echo rc=$?", &st);
    cr_expect(strstr(out, "claimscan: unknown command 'bogus'; the commands are: extract, clean, ingest, merge, claims"),
              "%s", out);
    cr_expect(!strstr(out, "no input"), "%s", out);
    cr_expect(strstr(out, "rc=2") && strstr(strstr(out, "rc=2") + 1, "rc=2"), "%s", out);
    free(out);
}

Test(habits, an_option_of_another_command_is_a_usage_error)
{
    int st;
    char *out = sh("$B extract --db x.db in; echo rc=$?; $B claims --frobnicate; echo rc=$?; ls", &st);
    cr_expect(strstr(out, "claimscan: extract: --db does not apply to this command (claimscan help extract)\nrc=2"),
              "%s", out);
    cr_expect(strstr(out, "claimscan: claims: unknown option '--frobnicate'") && strstr(out, "rc=2"), "%s", out);
    cr_expect(!strstr(out, "x.db"), "%s", out);
    free(out);
}

Test(habits, standard_input_is_read_when_no_file_is_named_and_it_is_not_a_terminal)
{
    int st;
    char *out = sh("printf 'Only 15 out of 41 targets were met.' | $B extract; echo rc=$?; "
                   "$B extract; echo rc=$?; "
                   "printf 'The depot handled 1,200 parcels on Monday.' | $B ingest -q --db c.db; echo rc=$?; "
                   "sqlite3 c.db 'SELECT path, count(*) FROM documents'",
                   &st);
    cr_expect(strstr(out, "{\"doc\":\"-\",\"kind\":\"document\"") && strstr(out, "\"kind\":\"claim\""), "%s", out);
    const char *second = strstr(out, "rc=0\n");
    cr_assert(second, "piped extract exits 0: %s", out);
    cr_expect(strstr(second, "claimscan: extract: no input (give files, directories or - for standard input)\nrc=2"),
              "with /dev/null as standard input there is nothing to read: %s", out);
    cr_expect(strstr(out, "rc=0\n-|1"), "ingest reads the pipe too: %s", out);
    free(out);
}

Test(habits, inputs_without_documents_warn_exit_1_and_create_no_database)
{
    int st;
    char *out = sh("mkdir empty; $B extract empty; echo rc=$?; $B ingest --db e.db empty; echo rc=$?; "
                   "$B ingest --db m.db nowhere/; echo rc=$?; ls",
                   &st);
    cr_expect(strstr(out, "claimscan: warning: empty: holds no document\nrc=1"), "extract: %s", out);
    cr_expect(strstr(out, "claimscan: warning: empty: holds no document\nrc=1\nclaimscan: nowhere/: No such file or "
                          "directory\nrc=1"),
              "ingest: %s", out);
    cr_expect(!strstr(out, ".db"), "no database was created: %s", out);
    free(out);
}

/* Every listing, in CSV and TSV: a header row, and as many fields in each
 * record as in the header (python's csv module counts). */
Test(habits, listings_have_a_header_and_the_same_columns_for_every_record, .timeout = 240)
{
    int st;
    char *out = sh("$B ingest -q --db c.db $R/corpus/ && $B check -q --db c.db >/dev/null && "
                   "for f in csv tsv; do for c in claims check timeline 'search council' \"extract $R/corpus/\"; do "
                   "$B $c --db c.db --format $f > out.$f 2>/dev/null || $B $c --format $f > out.$f; "
                   "python3 -c \"import csv,sys; d=',' if sys.argv[1]=='csv' else '\\t'; "
                   "rows=list(csv.reader(open(sys.argv[2], newline=''), delimiter=d, quoting=csv.QUOTE_MINIMAL if d==',' "
                   "else csv.QUOTE_NONE)); w={len(r) for r in rows}; "
                   "print(sys.argv[1], sys.argv[3], 'rows', len(rows), 'widths', sorted(w), 'header', rows[0][0])\" "
                   "$f out.$f \"${c%% *}\"; done; done",
                   &st);
    cr_assert_eq(st, 0, "%s", out);
    const char *want[] = {"claims", "check", "timeline", "search", "extract"};
    for (int f = 0; f < 2; f++)
        for (int i = 0; i < 5; i++) {
            char key[64];
            snprintf(key, sizeof key, "%s %s rows ", f ? "tsv" : "csv", want[i]);
            const char *line = strstr(out, key);
            cr_assert(line, "no %s listing: %s", key, out);
            int rows = 0;
            char widths[64];
            cr_assert_eq(sscanf(line + strlen(key), "%d widths %63[^h]", &rows, widths), 2, "%s", line);
            cr_expect_gt(rows, 2, "%s: header and records", key);
            cr_expect(!strchr(widths, ','), "%s: every record as wide as the header, widths %s", key, widths);
        }
    free(out);
}

/* 21% is 21 with the unit percent, in a column of its own, not 21.0. */
Test(habits, units_have_their_own_column)
{
    int st;
    char *out = sh(SAMPLE "$B ingest -q --db c.db in && $B claims --db c.db --format csv | "
                          "python3 -c \"import csv,sys; [print(r['indicator'], '|', r['actual_value'], r['actual_unit'], "
                          "r['target_value'], r['target_unit'], r['met']) for r in csv.DictReader(sys.stdin)]\"; "
                          "$B extract --format tsv in/a.txt | cut -f2,7,8 | grep -c '^figure.21.percent$'",
                   &st);
    cr_expect(strstr(out, "| 21 percent 25 percent"), "%s", out);
    cr_expect(strstr(out, "| 95 percent 90 percent"), "%s", out);
    cr_expect(strstr(out, "\n1\n"), "extract's figure 21 percent: %s", out);
    free(out);
}

/* extract's TSV: the header, the document record and claims, each line as
 * wide as the header. */
Test(habits, extract_tsv_holds_the_document_record_and_claims)
{
    int st;
    char *out = sh(SAMPLE "$B extract --format tsv in/a.txt > x.tsv; head -1 x.tsv | cut -f1-3; "
                          "cut -f2 x.tsv | sort | uniq -c | sed 's/^ *//'; "
                          "echo \"widths $(awk -F'\\t' '{print NF}' x.tsv | sort -u | wc -l)\"",
                   &st);
    cr_expect(!strncmp(out, "doc\tkind\tpage\n", 14), "%s", out);
    cr_expect(strstr(out, "\n1 document\n") && strstr(out, "\n2 claim\n") && strstr(out, " figure\n"), "%s", out);
    cr_expect(strstr(out, "\nwidths 1\n"), "one width (fields per line) for every line: %s", out);
    free(out);
}

Test(habits, quiet_silences_progress_and_summaries)
{
    int st;
    char *out = sh(SAMPLE "$B ingest -q --db c.db in; echo \"== q rc=$?\"; $B ingest --db d.db in; "
                          "$B report -q --db c.db --out r.html; echo \"== report rc=$?\"; "
                          "$B search -q --db c.db zzyzx; echo \"== search rc=$?\"",
                   &st);
    cr_expect(!strncmp(out, "== q rc=0\n", 10), "ingest -q says nothing: %s", out);
    cr_expect(strstr(out, "d.db: 1 ingested"), "without -q a summary: %s", out);
    cr_expect(strstr(out, "\n== report rc=0\n== search rc=1\n"), "report and search are quiet: %s", out);
    free(out);
}

Test(habits, color_always_never_and_auto)
{
    int st;
    char *out = sh(SAMPLE "$B ingest -q --db c.db in; "
                          "echo '== always'; $B claims --db c.db --color=always; $B search --db c.db --color always "
                          "satisfaction; echo '== never'; $B claims --db c.db --color=never; "
                          "$B search --db c.db --color=always --format csv satisfaction; "
                          "$B claims --db c.db --color=always --format jsonl; "
                          "echo '== auto'; $B claims --db c.db; NO_COLOR=1 script -qec '$B claims --db c.db' /dev/null; "
                          "echo '== bad'; $B claims --db c.db --color=sometimes; echo rc=$?",
                   &st);
    const char *always = strstr(out, "== always"), *never = strstr(out, "== never"), *bad = strstr(out, "== bad");
    cr_assert(always && never && bad, "%s", out);
    cr_expect(has(always, (size_t)(never - always), "\033[31mmissed\033[0m") &&
                  has(always, (size_t)(never - always), "\033[32mmet\033[0m"),
              "met and missed in colour: %s", out);
    cr_expect(has(always, (size_t)(never - always), "\033[1;31mSatisfaction\033[0m"), "search matches: %s", out);
    cr_expect(!memchr(never, '\033', (size_t)(bad - never)),
              "never, csv and jsonl even with always, and auto off a terminal or with NO_COLOR: %s", out);
    cr_expect(has(never, (size_t)(bad - never), "[Satisfaction]"), "csv marks matches in brackets: %s", out);
    cr_expect(strstr(bad, "--color takes auto, always or never\nrc=2"), "%s", out);
    free(out);
}

/* A progress line on a terminal (script(1) gives the command one), none
 * when standard error is a file: ingest, check and merge. */
Test(habits, progress_line_on_a_terminal_only)
{
    int st;
    char *out = sh("command -v script >/dev/null || { echo SKIP; exit 0; }; " SAMPLE
                   "cp in/a.txt in/b.txt; printf 'x\\n' >> in/b.txt; "
                   "script -qec \"$B ingest --db c.db in; $B check --db c.db; "
                   "$B merge --db m.db c.db; $B merge --db m.db c.db\" /dev/null > tty.out; "
                   "$B ingest --db d.db in 2> file.err; $B check --db d.db > /dev/null 2>> file.err; "
                   "$B merge --db n.db d.db 2>> file.err; "
                   "grep -c \"$(printf '\\r')\\[2/2\\] in/b.txt\" tty.out; grep -c '\\[check 6/6\\]' tty.out; "
                   "grep -c \"$(printf '\\r')\\[merge 1/1\\] c.db\" tty.out; "
                   "grep -c \"$(printf '\\r')\" file.err; grep -c 'n.db: 2 documents copied' file.err",
                   &st);
    if (!strncmp(out, "SKIP", 4)) {
        free(out);
        cr_skip_test("script(1) is missing: no terminal to test on");
    }
    int ingest = -1, check = -1, merge = -1, file = -1, merged = -1;
    cr_assert_eq(sscanf(out, "%d %d %d %d %d", &ingest, &check, &merge, &file, &merged), 5, "%s", out);
    cr_expect_eq(ingest, 1, "ingest's progress line on a terminal: %s", out);
    cr_expect_eq(check, 1, "check's progress line on a terminal: %s", out);
    cr_expect_eq(merge, 2, "merge's progress line on a terminal, each run: %s", out);
    cr_expect_eq(file, 0, "no progress line into a file: %s", out);
    cr_expect_eq(merged, 1, "the merge into a file did run: %s", out);
    free(out);
}

/* The manual lists every column of extract's CSV and TSV. */
Test(habits, the_manual_lists_extract_columns)
{
    size_t len, n;
    char *man = th_read("doc/claimscan.1", &len);
    cr_assert(man);
    const char *sec = strstr(man, ".SH OUTPUT FORMATS");
    cr_assert(sec, "doc/claimscan.1 has no OUTPUT FORMATS section");
    const rows_col *cols = extract_columns(&n);
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(cols[i].name);
        const char *p = sec;
        while ((p = strstr(p + 1, cols[i].name)) && !((p[-1] == ' ' || p[-1] == '\n') && (p[k] == ',' || p[k] == ' ')))
            ;
        cr_expect(p != NULL, "the manual misses column %s", cols[i].name);
    }
    free(man);
}
