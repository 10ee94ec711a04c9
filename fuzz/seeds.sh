#!/bin/sh
# Writes the seed corpus of one harness into DIR, from corpus/ and
# tests/data: each seed gets the leading byte that makes the harness read it
# as what it is (plain text as text, a spreadsheet as a spreadsheet), not
# one byte for all.
#
# usage: fuzz/seeds.sh HARNESS DIR CLAIMSCAN
set -eu
h=$1 dir=$2 bin=$3
mkdir -p "$dir"

# seed NAME BYTE FILE...: BYTE (octal, for printf) then the files' bytes.
seed() {
    name=$1 byte=$2
    shift 2
    { printf "\\$byte"; cat "$@"; } > "$dir/$name"
}

case $h in
extract) # even: HTML, odd: plain text
    for f in corpus/*.html tests/data/office/*.html tests/data/pdf-fixtures/*.html; do seed "$(basename "$f")" 000 "$f"; done
    for f in corpus/*.txt tests/data/*.cases tests/data/office/*.csv; do seed "$(basename "$f")" 001 "$f"; done ;;
rules)
    cp rules/*.rules "$dir/"
    cp rules/unit-words.txt rules/stopwords.txt "$dir/" ;; # lexicons: %values and plain
pdf)
    cp corpus/*.pdf tests/data/*.pdf "$dir/" ;;
office) # see fuzz/fuzz_office.c for the leading byte
    for f in corpus/*.docx corpus/*.xlsx tests/data/office/*.odt tests/data/office/*.ods tests/data/office/*.docx; do
        seed "raw-$(basename "$f")" 000 "$f"; done
    seed scorecard.csv 001 tests/data/office/scorecard.csv
    if command -v unzip > /dev/null; then
        d=corpus/northmoor-housing-performance-q3.docx x=corpus/northmoor-corporate-scorecard-q3.xlsx
        { printf '\003'; unzip -p $d word/document.xml; } > "$dir/document.xml"
        { printf '\004'; unzip -p $d word/styles.xml; } > "$dir/styles.xml"
        { printf '\005'; unzip -p tests/data/office/cabinet-report.odt content.xml; } > "$dir/odt-content.xml"
        { printf '\006'; unzip -p tests/data/office/scorecard.ods content.xml; } > "$dir/ods-content.xml"
        { printf '\007'; unzip -p $x xl/worksheets/sheet1.xml; } > "$dir/sheet1.xml"
        { printf '\010'; unzip -p $x xl/sharedStrings.xml; } > "$dir/sharedStrings.xml"
        { printf '\011'; unzip -p $x xl/styles.xml; } > "$dir/xl-styles.xml"
    fi ;;
load) # extension (see fuzz/fuzz_load.c), then the cap: 0 the default, 1 64 bytes
    for f in corpus/* tests/data/office/scorecard.csv; do
        case $f in *.html) e=000 ;; *.txt) e=001 ;; *.pdf) e=002 ;; *.docx) e=003 ;; *.csv) e=004 ;; *.xlsx) e=006 ;; *) e=007 ;; esac
        { printf "\\$e\\000"; cat "$f"; } > "$dir/$(basename "$f")"
        { printf "\\$e\\001"; head -c 200 "$f"; } > "$dir/capped-$(basename "$f")"
    done ;;
walk) # pairs: 0 mkdir, 1 file, 2 link (target in the high bits), 3 up
    printf '\000\000\001\000\002\000\002\004\003\000\001\005' > "$dir/loops"
    printf '\000\000\000\001\000\002\002\010\002\030\001\001\003\000\002\034' > "$dir/deep"
    printf '\000\200\001\000\003\000\002\014\002\020\001\004' > "$dir/hidden" ;;
rows) # fields split at 0x1F; byte 0: bit 0 TSV, bit 1 also a JSON record
    printf '\000=SUM(A1:A9)\037-12\037+3.5\037@cmd\037-\037plain, "quoted" text' > "$dir/formulas.csv"
    printf '\001tab\there\037line\nbreak\037back\\slash\037\r=1+1' > "$dir/escapes.tsv"
    printf '\002-4%%\037caf\303\251\037\037last' > "$dir/record.csv"
    printf '\003\tlead\037x' > "$dir/record.tsv" ;;
store) # database files: this schema, empty, foreign, an unknown version
    t=$(mktemp -d)
    "$bin" ingest -q --db "$t/claims.db" corpus/northmoor-plain-article.txt corpus/northmoor-news-article.html
    sqlite3 "$t/claims.db" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE' > /dev/null
    cp "$t/claims.db" "$dir/claims.db"
    cp "$t/claims.db" "$t/old.db" && sqlite3 "$t/old.db" 'PRAGMA user_version = 1' && cp "$t/old.db" "$dir/old.db"
    cp "$t/claims.db" "$t/neg.db" && sqlite3 "$t/neg.db" 'PRAGMA user_version = -7' && cp "$t/neg.db" "$dir/negative.db"
    sqlite3 "$t/foreign.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)' && cp "$t/foreign.db" "$dir/foreign.db"
    : > "$dir/empty.db"
    rm -rf "$t" ;;
pipeline) # bit k of byte 0: document k is plain text; documents split at \f\f
    seed news.html 000 corpus/northmoor-news-article.html
    seed plain.txt 001 corpus/northmoor-plain-article.txt
    { printf '\002'; cat corpus/northmoor-leisure-centre-2023.html; printf '\f\f'; cat corpus/northmoor-housing-targets-article.txt;
      printf '\f\f'; cat corpus/northmoor-leisure-centre-2024.html; } > "$dir/three" ;;
cli) # arguments split at NUL
    for a in 'extract\0--max-size\0001000\0-j\0002\0x.html' 'ingest\0-q\0--db\0a.db\0--rules=rules\0dir' \
             'check\0--integrity\0--db' 'check\0--format=csv\0--color\0always' 'timeline\0--format\0timelinejs-csv' \
             'search\0--limit\0x\0words' 'claims\0--indicator\0rate\0--met\0no\0--speaker=Shah' 'help\0report' \
             'report\0--out\0r.html\0-qh' 'clean\0--explain\0-j0' 'rules\0test\0--rules' 'merge\0--db\0all.db\0s1.db'; do
        printf "$a" > "$dir/$(printf '%s' "$a" | cut -c1-12 | tr -c 'a-z' '_')"
    done ;;
*) echo "seeds: no harness $h" >&2; exit 2 ;;
esac
