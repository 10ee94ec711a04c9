#!/bin/sh
# bench-scale: generated archives of each size through the CLI as a user
# runs it: ingest with -j 1 and -j 2 (documents/s, peak memory; the two
# databases must hold the same rows), the database's size, then check,
# timeline and report (seconds, per document, peak memory). Then, up to
# MERGE_MAX documents (default 25000), the archive's sorted list cut in four
# shards, each ingested with -j 2, merged, and the merged database compared
# with the single ingest: the merge's time against the shards' ingest.
# Whole-process figures from /usr/bin/time; one run each, so compare them
# back to back.
#
# usage: bench/scale.sh CLAIMSCAN BENCH WORKDIR SIZE...
set -eu
bin=$1 bench=$2 work=$3
shift 3
mkdir -p "$work"

# Runs a command, keeping its output in $work/out; sets secs and mb.
timed() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
        echo "bench-scale: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
    read -r secs kb < "$work/time"
    mb=$(( kb / 1024 ))
}

calc() { awk "BEGIN { print $* }"; }

# Four shards of archive $1 ($2 documents), ingested and merged; the merged
# database must hold the rows of the single ingest $3.
merge_shards() {
    rm -f "$work"/shard-* "$work"/merged.db*
    find "$1" -type f | LC_ALL=C sort > "$work/shard-list"
    split -n l/4 -d -a 1 "$work/shard-list" "$work/shard-"
    total=0 peak=0
    for k in 0 1 2 3; do
        timed xargs -d '\n' -a "$work/shard-$k" "$bin" ingest -q -j 2 --db "$work/shard-$k.db"
        total=$(calc "$total + $secs")
        [ "$mb" -gt "$peak" ] && peak=$mb
    done
    printf '  4 shards     %8.1f s  ingest -j 2, peak %4d MB\n' "$total" "$peak"
    timed "$bin" merge -q --db "$work/merged.db" "$work"/shard-?.db
    printf '  merge        %8.1f s  %.1f%% of the shards'"'"' ingest, peak %4d MB\n' "$secs" "$(calc "100 * $secs / $total")" "$mb"
    if [ "$(rows "$work/merged.db")" = "$(rows "$3")" ]; then
        echo "  the merged database holds the rows of the single ingest"
    else
        echo "  DIFFERENT ROWS between the merged shards and the single ingest" >&2; exit 1
    fi
    rm -f "$work"/shard-* "$work"/merged.db*
}

# The rows of a database, ids and timestamps aside, in a stable order.
rows() {
    sqlite3 "$1" "SELECT sha256, text, blocks_kept, block_hashes FROM documents ORDER BY sha256;
                  SELECT site, hash, sample, documents FROM site_blocks ORDER BY site, hash;
                  SELECT d.sha256, c.start, c.indicator, c.actual_value, c.target_value, c.met, p.name
                    FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN persons p ON p.id = c.speaker_id
                    ORDER BY 1, 2;
                  SELECT count(*) FROM figures; SELECT count(*) FROM person_mentions; SELECT count(*) FROM events;" | md5sum
}

for n in "$@"; do
    dir="$work/archive-$n"
    if [ ! -d "$dir" ]; then "$bench" gen "$dir" "$n"; fi
    echo "== $n documents (generated: $(ls "$dir" | wc -l) places)"
    for j in 1 2; do
        db="$work/scale-$n-j$j.db"
        rm -f "$db" "$db-wal" "$db-shm"
        timed "$bin" ingest -q -j "$j" --db "$db" "$dir"
        printf '  ingest -j %s   %8.1f s  %7.0f docs/s  peak %4d MB\n' "$j" "$secs" "$(calc "$n / $secs")" "$mb"
        eval "ingest_$j=$secs"
    done
    printf '  ingest -j 2 against -j 1: %.2fx as fast\n' "$(calc "$ingest_1 / $ingest_2")"
    if [ "$(rows "$work/scale-$n-j1.db")" = "$(rows "$work/scale-$n-j2.db")" ]; then
        echo "  the -j 1 and -j 2 databases hold the same rows"
    else
        echo "  DIFFERENT ROWS between -j 1 and -j 2" >&2; exit 1
    fi
    db="$work/scale-$n-j2.db"
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    printf '  database      %8.1f MB\n' "$(calc "$(stat -c %s "$db") / 1048576")"
    for cmd in check timeline report; do
        if [ "$cmd" = report ]; then timed "$bin" report -q --db "$db" --out "$work/report-$n.html"
        else timed "$bin" "$cmd" --db "$db"; fi
        printf '  %-12s %8.2f s  %6.3f ms/doc  peak %4d MB\n' "$cmd" "$secs" "$(calc "$secs * 1000 / $n")" "$mb"
    done
    if [ "$n" -le "${MERGE_MAX:-25000}" ]; then merge_shards "$dir" "$n" "$db"; fi
done
