/* The CLI end to end: records against the spec on real pages, exit codes,
 * bad input, and the seed gold scores (these need ../shared). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const char *const kinds[] = {"document", "figure", "date", "person", "claim", "event"};

/* Checks one record against ../shared/spec/extract-jsonl.md. */
static void check_record(json_t *o, const char *clean, size_t clean_len, int line)
{
    cr_assert(json_is_object(o), "line %d: not an object", line);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    cr_assert(kind, "line %d: no kind", line);
    int known = 0;
    for (int i = 0; i < 6; i++)
        known |= !strcmp(kind, kinds[i]);
    cr_assert(known, "line %d: unknown kind %s", line, kind);
    cr_assert(json_is_string(json_object_get(o, "doc")), "line %d: doc", line);
    if (!strcmp(kind, "document")) {
        cr_assert(json_is_string(json_object_get(o, "sha256")));
        cr_assert(json_is_integer(json_object_get(o, "chars_in")));
        cr_assert(json_is_integer(json_object_get(o, "blocks_kept")));
        json_t *p = json_object_get(o, "published");
        cr_assert(json_is_null(p) || (json_is_string(p) && strlen(json_string_value(p)) == 10));
        return;
    }
    json_t *span = json_object_get(o, "span");
    cr_assert(json_is_array(span) && json_array_size(span) == 2, "line %d: span", line);
    json_int_t a = json_integer_value(json_array_get(span, 0)), b = json_integer_value(json_array_get(span, 1));
    cr_assert(a >= 0 && b > a && (size_t)b <= clean_len, "line %d: span out of range", line);
    const char *text = json_string_value(json_object_get(o, "text"));
    cr_assert(text && strlen(text) == (size_t)(b - a) && !memcmp(clean + a, text, (size_t)(b - a)),
              "line %d: text \"%s\" is not the cleaned text at its span", line, text ? text : "");
    const char *sent = json_string_value(json_object_get(o, "sentence"));
    cr_assert(sent && strstr(clean, sent), "line %d: sentence not in the cleaned text", line);
    cr_assert(json_is_string(json_object_get(o, "rule")), "line %d: rule", line);
    if (!strcmp(kind, "figure")) {
        cr_assert(json_is_number(json_object_get(o, "value")), "line %d: value", line);
        cr_assert(json_is_string(json_object_get(o, "unit")), "line %d: unit", line);
    } else if (!strcmp(kind, "date")) {
        cr_assert(json_is_string(json_object_get(o, "start")) && json_is_string(json_object_get(o, "end")));
        cr_assert(strcmp(json_string_value(json_object_get(o, "start")), json_string_value(json_object_get(o, "end"))) <= 0,
                  "line %d: start after end", line);
        cr_assert(json_is_string(json_object_get(o, "granularity")) && json_is_boolean(json_object_get(o, "relative")));
    } else if (!strcmp(kind, "person")) {
        cr_assert(json_is_string(json_object_get(o, "name")), "line %d: name", line);
        for (int i = 0; i < 3; i++) {
            json_t *v = json_object_get(o, (const char *[]){"title", "role", "party"}[i]);
            cr_assert(v && (json_is_null(v) || json_is_string(v)), "line %d: title/role/party", line);
        }
    } else if (!strcmp(kind, "event")) {
        cr_assert(json_is_string(json_object_get(o, "event")), "line %d: event type", line);
        json_t *d = json_object_get(o, "date");
        cr_assert(d && (json_is_null(d) || (json_is_string(json_object_get(d, "start")) &&
                                            json_is_string(json_object_get(d, "end")))),
                  "line %d: event date", line);
        cr_assert(json_is_boolean(json_object_get(o, "planned")), "line %d: planned", line);
    } else {
        cr_assert(json_is_string(json_object_get(o, "indicator")), "line %d: indicator", line);
        for (int i = 0; i < 4; i++) {
            json_t *q = json_object_get(o, (const char *[]){"actual", "target", "previous", "target_gap"}[i]);
            cr_assert(q && (json_is_null(q) || (json_is_number(json_object_get(q, "value")) &&
                                                json_is_string(json_object_get(q, "unit")))),
                      "line %d: quantities", line);
        }
        json_t *met = json_object_get(o, "met");
        cr_assert(met && (json_is_null(met) || json_is_boolean(met)), "line %d: met", line);
    }
}

/* Runs extract and clean on one file and checks every record. */
static void check_file(const char *file, int *counts)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s clean '%s'", th_bin(), file);
    char *clean = th_run(cmd, &st);
    cr_assert_eq(st, 0, "clean %s failed", file);
    size_t cl = strlen(clean);
    if (cl && clean[cl - 1] == '\n')
        clean[--cl] = '\0';
    snprintf(cmd, sizeof cmd, "%s extract --format jsonl '%s'", th_bin(), file);
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "extract %s failed", file);
    int line = 0;
    for (char *p = out; *p;) {
        char *nl = strchr(p, '\n');
        cr_assert(nl, "unterminated line");
        *nl = '\0';
        line++;
        json_error_t je;
        json_t *o = json_loads(p, 0, &je);
        cr_assert(o, "%s line %d: not JSON: %s", file, line, je.text);
        check_record(o, clean, cl, line);
        const char *k = json_string_value(json_object_get(o, "kind"));
        for (int i = 0; i < 6; i++)
            counts[i] += !strcmp(k, kinds[i]);
        json_decref(o);
        p = nl + 1;
    }
    cr_assert_geq(line, 1);
    free(out);
    free(clean);
}

Test(cli, corpus_records_follow_the_spec)
{
    int counts[6] = {0};
    size_t n = 0;
    cs_error err;
    char **files = load_list_dir("corpus", &n, &err);
    cr_assert(files && n >= 6, "corpus/ needs at least 6 documents");
    for (size_t i = 0; i < n; i++)
        check_file(files[i], counts);
    load_free_list(files, n);
    for (int k = 1; k < 6; k++)
        cr_expect_gt(counts[k], 0, "no %s record in corpus/", kinds[k]);
}

Test(cli, seed_records_follow_the_spec)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared (the seeds); set CLAIMSCAN_SHARED to run it");
    int counts[6] = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/seeds", sh);
    size_t n = 0;
    cs_error err;
    char **files = load_list_dir(dir, &n, &err);
    cr_assert(files && n == 5);
    for (size_t i = 0; i < n; i++)
        check_file(files[i], counts);
    load_free_list(files, n);
    for (int k = 0; k < 6; k++)
        cr_expect_gt(counts[k], 0, "no %s record", kinds[k]);
}

/* A floor under one kind's F1 in score_extract.py's --json output. */
typedef struct {
    const char *kind;
    double f1;
} f1_floor;

/* Extracts inputs (a shell word list) into a temporary file, scores it
 * against gold with score_extract.py --json (sh: ../shared), expects each
 * kind's F1 at or above its floor and returns the scores (json_decref). */
static json_t *expect_scores(const char *sh, const char *inputs, const char *gold, const f1_floor *floor, size_t n)
{
    char cmd[8192];
    /* An extract that writes nothing says why in the failure. */
    snprintf(cmd, sizeof cmd,
             "t=$(mktemp) && %s extract --format jsonl %s > $t 2> $t.err; x=$?; "
             "if [ ! -s $t ]; then echo \"extract wrote nothing (exit $x): $(tail -c 600 $t.err)\"; "
             "rm -f $t $t.err; exit 3; fi; "
             "python3 %s/eval/score_extract.py %s $t --json; rc=$?; rm -f $t $t.err; exit $rc",
             th_bin(), inputs, sh, gold);
    int st;
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "scoring failed: %s", out);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "scorer output: %s", out);
    free(out);
    for (size_t i = 0; i < n; i++) {
        double f1 = json_real_value(json_object_get(json_object_get(o, floor[i].kind), "f1"));
        cr_expect_geq(f1, floor[i].f1, "%s F1 %.3f fell below %.2f", floor[i].kind, f1, floor[i].f1);
    }
    return o;
}

/* The baseline scores on the seed gold must not drop. */
Test(cli, seed_gold_scores_do_not_drop)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared (gold and scorer); set CLAIMSCAN_SHARED to run it");
    char in[4096], gold[4096];
    snprintf(in, sizeof in, "%s/seeds/*.txt", sh);
    snprintf(gold, sizeof gold, "%s/gold/seeds.jsonl", sh);
    static const f1_floor floor[] = {{"figure", 0.97}, {"date", 0.95}, {"person", 0.97}, {"claim", 0.92}};
    json_t *o = expect_scores(sh, in, gold, floor, sizeof floor / sizeof *floor);
    double p = json_real_value(json_object_get(json_object_get(o, "figure"), "precision"));
    cr_expect_geq(p, 0.98, "figure precision %.3f fell below 0.98", p);
    json_decref(o);
}

/* The scores on the PDF gold (pages of four real public-sector PDFs) must
 * not drop; every matched record sits on its page. */
Test(cli, pdf_gold_scores_do_not_drop)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared (public PDFs, gold and scorer); set CLAIMSCAN_SHARED to run it");
    char in[4096], gold[4096];
    snprintf(in, sizeof in, "%s/bench/public-pdfs/*.pdf", sh);
    snprintf(gold, sizeof gold, "%s/gold/public-pdfs.jsonl", sh);
    static const f1_floor floor[] = {{"figure", 0.97}, {"date", 0.95}, {"person", 0.90}, {"claim", 0.62}};
    json_t *o = expect_scores(sh, in, gold, floor, sizeof floor / sizeof *floor);
    json_t *pg = json_object_get(o, "page");
    cr_expect_geq(json_real_value(json_object_get(pg, "accuracy")), 0.98, "records on the wrong page");
    json_decref(o);
}

Test(cli, exit_codes_and_messages)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd, "%s extract /nonexistent.html corpus/ 2>&1 >/dev/null", th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 1, "a missing input with good ones is exit 1");
    cr_assert(strstr(out, "claimscan: /nonexistent.html: No such file"), "stderr: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s extract 2>&1", th_bin());
    free(th_run(cmd, &st));
    cr_assert_eq(st, 2);
    snprintf(cmd, sizeof cmd, "%s frobnicate x 2>&1", th_bin());
    free(th_run(cmd, &st));
    cr_assert_eq(st, 2);
    snprintf(cmd, sizeof cmd, "%s --version", th_bin());
    out = th_run(cmd, &st);
    cr_assert_eq(st, 0);
    cr_assert(!strncmp(out, "claimscan ", 10));
    free(out);
    snprintf(cmd, sizeof cmd, "head -c 3000 %s | %s extract --format jsonl - 2>&1", th_bin(), th_bin());
    out = th_run(cmd, &st);
    cr_assert_eq(st, 1, "binary on stdin is refused");
    cr_assert(strstr(out, "claimscan: -: binary data"), "stderr: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "printf 'Only 15 out of 41 targets were met.' | %s extract --format tsv -", th_bin());
    out = th_run(cmd, &st);
    cr_assert_eq(st, 0);
    cr_assert(!strncmp(out, "doc\tkind\tpage\tspan_start\tspan_end\ttext\tvalue\tunit\t", 48), "tsv header: %s", out);
    /* Standard input's path "-" is no formula: no spreadsheet guard. */
    cr_assert(strstr(out, "\n-\tfigure\t\t5\t17\t15 out of 41\t15\tcount\t41\t"), "tsv: %s", out);
    free(out);
}

Test(cli, an_unusable_declared_charset_is_a_warning_naming_the_input)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "printf '<html><head><meta charset=\"utf-7\"></head><body><p>Only 15 of 41 targets were met.</p></body></html>' "
             "> /tmp/cs-utf7.html && %s clean /tmp/cs-utf7.html 2>&1",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "a warning is no failure");
    cr_assert(strstr(out, "claimscan: /tmp/cs-utf7.html: warning: the declared charset 'utf-7' is not supported"),
              "output: %s", out);
    cr_assert(strstr(out, "Only 15 of 41 targets were met."), "the page is still read: %s", out);
    free(out);
    unlink("/tmp/cs-utf7.html");
}

Test(cli, broken_rules_directory_is_a_clear_error)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && printf 'rule x\\nkind figure\\npattern ([a-\\n' > $d/bad.rules && "
             "%s extract --rules $d corpus/ 2>&1; echo \"rc=$?\"; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "bad.rules:3:"), "stderr: %s", out);
    cr_assert(strstr(out, "rc=2"), "exit: %s", out);
    free(out);
}

/* A lexicon the code needs, missing, is named and stops the run; it is not
 * read as an empty list that finds nothing. */
Test(cli, a_missing_lexicon_is_a_clear_error)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && cp rules/* $d/ && rm $d/claim-units.txt && "
             "%s extract --rules $d corpus/ 2>&1; echo \"rc=$?\"; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "claim-units.txt"), "stderr: %s", out);
    cr_assert(strstr(out, "rc=2"), "exit: %s", out);
    cr_assert_null(strstr(out, "\"kind\":"), "nothing should be extracted: %s", out);
    free(out);
}

Test(cli, ingest_twice_is_a_no_op_and_claims_lists)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && %s ingest --db $d/c.db corpus/ 2>&1 && %s ingest --db $d/c.db corpus/ 2>&1 && "
             "%s claims --db $d/c.db --format csv | head -3; rm -rf $d",
             th_bin(), th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_assert(strstr(out, "0 ingested"), "second ingest should change nothing: %s", out);
    cr_assert(strstr(out, "claim_id,document,published,indicator"), "csv: %s", out);
    free(out);
}

/* kill -9 in the middle of an ingest leaves only whole documents, and a
 * second run completes the corpus. */
Test(cli, killed_ingest_leaves_whole_documents_and_resumes)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "set -e; d=$(mktemp -d); mkdir $d/in; "
             "for i in $(seq 1 150); do for f in corpus/*; do b=$(basename \"$f\"); "
             "{ cat \"$f\"; printf '\\n<!-- %%s -->\\n' $i; } > \"$d/in/$i-$b\"; done; done; "
             "%s ingest -q --db $d/c.db $d/in & pid=$!; sleep 1.5; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; "
             "sqlite3 $d/c.db 'PRAGMA integrity_check; "
             "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = d.id);'; "
             "%s ingest -q --db $d/c.db $d/in; "
             "sqlite3 $d/c.db 'SELECT count(*) FROM documents;'; ls $d/in | wc -l; rm -rf $d",
             th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "script failed: %s", out);
    char integrity[32];
    int orphans = -1, stored = -1, files = -2;
    cr_assert_eq(sscanf(out, "%31s %d %d %d", integrity, &orphans, &stored, &files), 4, "output: %s", out);
    cr_expect_str_eq(integrity, "ok");
    cr_expect_eq(orphans, 0, "a document without its sentences was left behind");
    cr_expect_eq(stored, files, "the second run must complete the corpus (%d of %d)", stored, files);
    free(out);
}

/* Recognizers-Text English cases that fit our task (the selection rule is
 * in tests/tools/recognizers_eval.py): the pass rate must not drop. */
Test(cli, recognizers_specs_pass_rate)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared/bench/recognizers-specs; set CLAIMSCAN_SHARED to run it");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "python3 tests/tools/recognizers_eval.py %s %s/bench/recognizers-specs --json", th_bin(), sh);
    int st;
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "evaluator failed: %s", out);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "evaluator output: %s", out);
    double rate = json_real_value(json_object_get(o, "rate"));
    json_int_t total = json_integer_value(json_object_get(o, "total"));
    cr_expect_geq(total, 150, "the selection shrank to %lld cases", (long long)total);
    cr_expect_geq(rate, 0.90, "pass rate %.3f fell below 0.90", rate);
    json_decref(o);
    free(out);
}

/* The generalization gold: three corpus documents kept out of the first
 * tuning (tests/data/README.md). Needs only the shared scorer. */
Test(cli, generalization_gold_scores_do_not_drop)
{
    const char *sh = th_shared();
    if (!sh)
        cr_skip_test("needs ../shared/eval/score_extract.py; set CLAIMSCAN_SHARED to run it");
    static const f1_floor floor[] = {{"figure", 0.97}, {"date", 0.95}, {"person", 0.97}, {"claim", 0.83}};
    json_decref(expect_scores(sh,
                              "corpus/northmoor-budget-statement.html corpus/northmoor-ofsted-inspection-summary.txt "
                              "corpus/minister-speech-local-government.html",
                              "tests/data/generalization.jsonl", floor, sizeof floor / sizeof *floor));
}

/* A promo line repeated on every page of a site is learned during ingest:
 * from the third document on it is boilerplate and its figure is not kept. */
Test(cli, ingest_learns_site_boilerplate)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "set -e; d=$(mktemp -d); i=0; for w in library bus housing parks; do i=$((i+1)); "
             "printf 'The Daily Ledger | Homepage\\nCouncil backs the %%s plan\\n\\nThe council approved the %%s "
             "plan after a long debate in the chamber, with %%s0 members voting in favour.\\n\\nSupport local journalism "
             "from just \\302\\2431 a week and get every story first.\\n' $w $w $i > $d/p$i.txt; done; "
             "%s ingest -q --db $d/c.db $d/p1.txt $d/p2.txt $d/p3.txt $d/p4.txt; "
             "sqlite3 $d/c.db \"SELECT count(*) FROM figures WHERE unit = 'GBP' AND value = 1; "
             "SELECT count(*) FROM site_boilerplate WHERE sample LIKE 'Support local journalism%%'; "
             "SELECT count(*) FROM figures WHERE unit = 'count' AND text LIKE '%%0';\"; rm -rf $d",
             th_bin());
    char *out = th_run(cmd, &st);
    cr_assert_eq(st, 0, "script failed: %s", out);
    int promo = -1, learned = -1, members = -1;
    cr_assert_eq(sscanf(out, "%d %d %d", &promo, &learned, &members), 3, "output: %s", out);
    cr_expect_eq(promo, 2, "the promo's figure must be kept only in the first two documents");
    cr_expect_eq(learned, 1, "the promo line is listed as site boilerplate");
    cr_expect_eq(members, 4, "the articles themselves are kept");
    free(out);
}

/* A 50 MB page is processed (or refused with a clear message under a lower
 * limit); never a crash or a hang. */
Test(cli, huge_page_is_processed_or_refused_clearly, .timeout = 600)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd,
             "set -e; d=$(mktemp -d); { printf '<html><body><article>'; "
             "yes '<p>The council spent \\302\\24312.5m on 4,000 repairs in 2023-24, officials said.</p>' | head -c 52428800; "
             "printf '</article></body></html>'; } > $d/big.html; "
             "%s clean $d/big.html | wc -c; set +e; %s clean --max-size 1000000 $d/big.html 2>&1 >/dev/null; echo \"rc=$?\"; rm -rf $d",
             th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    long chars = 0;
    cr_assert_eq(sscanf(out, "%ld", &chars), 1, "output: %s", out);
    cr_expect_gt(chars, 40000000, "the text of a 50 MB page should come through (%ld bytes)", chars);
    cr_expect(strstr(out, "file too large") && strstr(out, "rc=1"), "a lower --max-size is a clear error: %s", out);
    free(out);
}

/* The HTML report in a real browser (headless Chromium); skipped with a
 * message when Chromium cannot be had. */
Test(cli, report_renders_in_a_real_browser, .timeout = 900)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "tests/browser/report_test.sh %s out/report.png 2>&1; echo \"rc=$?\"", th_bin());
    int st;
    char *out = th_run(cmd, &st);
    if (strstr(out, "rc=77")) {
        cr_log_warn("%s", out);
        free(out);
        cr_skip_test("chromium is not available here");
    }
    cr_expect(strstr(out, "rc=0"), "browser test failed:\n%s", out);
    free(out);
}

/* A database locked by another writer: the input fails with a clear message
 * after the busy timeout, the run goes on and exits 1; a full output device
 * is an error too, never a silent loss. */
Test(cli, locked_database_and_full_output_are_clear_errors, .timeout = 120)
{
    char cmd[4096];
    int st;
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d); %s ingest -q --db $d/c.db corpus/northmoor-press-release.html && "
             "python3 -c \"import sqlite3,subprocess,sys; c=sqlite3.connect('$d/c.db', isolation_level=None); "
             "c.execute('BEGIN EXCLUSIVE'); r=subprocess.run([sys.argv[1],'ingest','-q','--db','$d/c.db',"
             "'corpus/northmoor-budget-statement.html'],capture_output=True,text=True); "
             "print('rc=%%d' %% r.returncode); print(r.stderr)\" %s; "
             "%s extract corpus/ > /dev/full 2>$d/err; echo \"full=$?\"; cat $d/err; rm -rf $d",
             th_bin(), th_bin(), th_bin());
    char *out = th_run(cmd, &st);
    cr_expect(strstr(out, "rc=1"), "a locked database fails that input with exit 1: %s", out);
    cr_expect(strstr(out, "northmoor-budget-statement.html: database is locked"), "message: %s", out);
    cr_expect(strstr(out, "full=1"), "writing to a full device must fail: %s", out);
    cr_expect(strstr(out, "writing output"), "message: %s", out);
    free(out);
}

/* The manual keeps up with the program: every command of --help has its
 * synopsis line and its entry in doc/claimscan.1. */
Test(cli, every_command_is_in_the_manual)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s --help 2>&1", th_bin());
    int st;
    char *help = th_run(cmd, &st);
    size_t len;
    char *man = th_read("doc/claimscan.1", &len);
    cr_assert(help && man);
    const char *p = strstr(help, "Commands:");
    cr_assert(p, "help: %s", help);
    int seen = 0;
    for (p = strchr(p, '\n'); p && strncmp(p + 1, "Options:", 8); p = strchr(p + 1, '\n')) {
        if (strncmp(p + 1, "  ", 2) || p[3] == ' ')
            continue; /* not a command line (a blank or continuation line) */
        char name[32];
        if (sscanf(p + 3, "%31[a-z]", name) != 1)
            continue;
        char want[64];
        snprintf(want, sizeof want, ".B claimscan %s\n", name);
        cr_assert(strstr(man, want), "doc/claimscan.1 has no synopsis for '%s'", name);
        snprintf(want, sizeof want, ".B %s", name);
        cr_assert(strstr(man, want), "doc/claimscan.1 has no entry for '%s'", name);
        seen++;
    }
    cr_assert_geq(seen, 8, "commands read from --help: %d", seen);
    free(help);
    free(man);
}

/* Full-text search: words, a phrase, text that is not query syntax, a
 * limit, and the usage errors. */
Test(cli, search_finds_documents_with_marked_snippets)
{
    char cmd[4096];
    int st;
    const char *b = th_bin();
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && %s ingest -q --db $d/c.db corpus/ && "
             "echo '== words' && %s search --db $d/c.db improvement notice && "
             "echo '== phrase' && %s search --db $d/c.db --format jsonl '\"improvement notice\"' && "
             "echo '== apostrophe' && %s search --db $d/c.db --format csv \"children's services\" && "
             "echo '== limit' && %s search --db $d/c.db --limit 1 --format jsonl council | wc -l && "
             "echo '== none' && %s search --db $d/c.db zzyzx 2>&1; echo rc=$?; "
             "echo \"== errors\"; %s search --db $d/c.db 2>&1; echo rc=$?; "
             "%s search --db $d/c.db --format xml council 2>&1; echo rc=$?; "
             "%s search --db $d/none.db council 2>&1; echo rc=$?; rm -rf $d",
             b, b, b, b, b, b, b, b, b);
    char *out = th_run(cmd, &st);
    cr_assert(out);
    const char *words = strstr(out, "== words"), *phrase = strstr(out, "== phrase"), *apos = strstr(out, "== apostrophe"),
               *limit = strstr(out, "== limit"), *none = strstr(out, "== none"), *errs = strstr(out, "== errors");
    cr_assert(words && phrase && apos && limit && none && errs, "output: %s", out);
    cr_assert(strstr(words, "1. corpus/northmoor-news-article.html") && strstr(words, "[improvement] [notice]"),
              "words: %s", out);
    cr_assert(strstr(phrase, "\"snippet\":\"") && strstr(phrase, "[improvement notice]"), "phrase: %s", out);
    cr_assert(strstr(apos, "document_id,document,title,published,claims,snippet\n") &&
                  strstr(apos, "corpus/northmoor-children-scorecard-q3.html"),
              "an apostrophe is text, not syntax: %s", out);
    cr_assert(!strncmp(limit, "== limit\n1\n", 11), "--limit 1: %s", out);
    cr_assert(strstr(none, "no documents match\nrc=1"), "nothing found is exit 1, as grep: %s", out);
    cr_assert(strstr(errs, "no query") && strstr(errs, "unknown format 'xml'") && strstr(errs, "none.db"),
              "errors: %s", out);
    const char *rc = errs;
    for (int k = 0; k < 3; k++) {
        rc = strstr(rc, "rc=");
        cr_assert(rc && rc[3] == '2', "usage errors exit 2: %s", out);
        rc += 3;
    }
    free(out);
}

/* The report is a page for reading: past 200 documents its sources section
 * keeps those holding claims and says how many more the database has. */
Test(cli, report_sources_are_capped_for_a_large_archive)
{
    char cmd[2048];
    int st;
    const char *b = th_bin();
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && mkdir $d/in && i=0 && while [ $i -lt 205 ]; do "
             "printf 'Note %%d\\n\\nThe depot handled %%d parcels on Monday.\\n' $i $((i + 1000)) > $d/in/n$i.txt; "
             "i=$((i + 1)); done && printf 'Repairs\\n\\nRepairs on time rose to 87 per cent against a target of 90 "
             "per cent.\\n' > $d/in/zz-claim.txt && %s ingest -q --db $d/c.db $d/in && "
             "%s report -q --db $d/c.db --out $d/r.html && grep -o '<p class=\"more\">[^<]*' $d/r.html && "
             "grep -c 'Repairs on time' $d/r.html; rm -rf $d",
             b, b);
    char *out = th_run(cmd, &st);
    cr_assert(out);
    cr_expect(strstr(out, "200 of 206 documents shown, those with claims first"), "output: %s", out);
    cr_expect(!strstr(out, "\n0\n"), "the document with a claim is among those shown: %s", out);
    free(out);
}

/* claims --met picks met, missed or unknown claims; a bad value is a usage
 * error. */
Test(cli, claims_filter_by_met)
{
    char cmd[2048];
    int st;
    const char *b = th_bin();
    snprintf(cmd, sizeof cmd,
             "d=$(mktemp -d) && %s ingest -q --db $d/c.db corpus/ && echo '== no' && "
             "%s claims --db $d/c.db --met no --format jsonl && echo '== yes' && "
             "%s claims --db $d/c.db --met yes --format jsonl && echo '== bad' && "
             "%s claims --db $d/c.db --met maybe 2>&1; echo rc=$?; rm -rf $d",
             b, b, b, b);
    char *out = th_run(cmd, &st);
    cr_assert(out);
    const char *no = strstr(out, "== no\n"), *yes = strstr(out, "== yes\n"), *bad = strstr(out, "== bad\n");
    cr_assert(no && yes && bad, "output: %s", out);
    int missed = 0, met = 0;
    for (const char *p = no; p < yes && (p = strstr(p, "\"met\":")) && p < yes; p++) {
        cr_expect(!strncmp(p, "\"met\":false", 11), "a --met no row: %.40s", p);
        missed++;
    }
    for (const char *p = yes; p < bad && (p = strstr(p, "\"met\":")) && p < bad; p++) {
        cr_expect(!strncmp(p, "\"met\":true", 10), "a --met yes row: %.40s", p);
        met++;
    }
    cr_expect_geq(missed, 3);
    cr_expect_geq(met, 2);
    cr_expect(strstr(bad, "--met takes yes, no or unknown") && strstr(bad, "rc=2"), "bad: %s", bad);
    free(out);
}

/* The README's worked example is what the program prints. */
Test(cli, readme_worked_example_is_current)
{
    size_t len;
    char *readme = th_read("README.md", &len);
    cr_assert(readme);
    const char *ex = strstr(readme, "## A worked example");
    cr_assert(ex, "README has no worked example");
    const char *sent = strstr(ex, "\n    ");
    const char *fence = strstr(ex, "```\n");
    cr_assert(sent && fence);
    sent += 5;
    const char *end = strchr(sent, '\n');
    const char *body = fence + 4, *close = strstr(body, "```");
    cr_assert(end && close);
    char dir[] = "/tmp/cs-readme-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[64], cmd[256];
    snprintf(path, sizeof path, "%s/example.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "%.*s\n", (int)(end - sent), sent);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd %s && %s extract example.txt | tail -n +2", dir, th_bin());
    int st;
    char *out = th_run(cmd, &st);
    cr_assert(out);
    cr_expect_eq(strlen(out), (size_t)(close - body), "the README shows other records than the program prints:\n%s",
                 out);
    cr_expect(!strncmp(out, body, (size_t)(close - body)), "the README's example differs from:\n%s", out);
    free(out);
    /* The PDF example that follows: its command, then its record. */
    const char *pdf = strstr(close, "\n    claimscan extract corpus/");
    cr_assert(pdf, "README has no PDF example");
    pdf += 5;
    const char *pend = strchr(pdf, '\n'), *pfence = pend ? strstr(pend, "```\n") : NULL;
    cr_assert(pend && pfence);
    const char *pbody = pfence + 4, *pclose = strstr(pbody, "```");
    cr_assert(pclose);
    char pcmd[512];
    snprintf(pcmd, sizeof pcmd, "%s%.*s", th_bin(), (int)(pend - pdf - 9), pdf + 9);
    out = th_run(pcmd, &st);
    cr_assert(out);
    cr_expect(strlen(out) == (size_t)(pclose - pbody) && !strncmp(out, pbody, (size_t)(pclose - pbody)),
              "the README's PDF example differs from:\n%s", out);
    cr_expect(strstr(out, "\"page\":1"), "the PDF record has its page");
    free(out);
    free(readme);
    unlink(path);
    rmdir(dir);
}
