#!/bin/sh
# Runs libFuzzer harnesses over their seeds: each for SECONDS, JOBS at a
# time, with its own length and time limits; prints each one's last status
# line (executions, cov, ft) and fails when one found a crash, a timeout or
# an out-of-memory (its input is then in DIR/NAME-crashes).
#
# usage: fuzz/run.sh DIR SECONDS JOBS HARNESS...
set -eu
dir=$1 secs=$2 jobs=$3
shift 3

one() {
    h=$1
    case $h in
    rules) len=8192 ;; walk) len=256 ;; rows|cli) len=4096 ;; store) len=262144 ;; pdf|office) len=131072 ;; *) len=65536 ;;
    esac
    case $h in pdf|pipeline|store) to=20 ;; *) to=10 ;; esac
    mkdir -p "$dir/$h-work" "$dir/$h-crashes"
    if "$dir/fuzz_$h" -max_total_time="$secs" -max_len=$len -timeout=$to -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/$h-crashes/" "$dir/$h-work" "$dir/$h-seeds" > "$dir/$h.log" 2>&1; then
        printf '%-9s %s\n' "$h" "$(grep -E '^#[0-9]+' "$dir/$h.log" | tail -1 | sed 's/ *exec\/s.*//')"
    else
        printf '%-9s FAILED (%s)\n' "$h" "$(grep -m1 -E 'ERROR: |timeout|out-of-memory' "$dir/$h.log" || echo see log)"
        tail -30 "$dir/$h.log" >&2
        return 1
    fi
}

if [ "$jobs" -le 1 ]; then
    rc=0
    for h in "$@"; do one "$h" || rc=1; done
    exit $rc
fi
# JOBS at a time: each harness in the background, waiting for one slot.
rc=0 pids=""
for h in "$@"; do
    one "$h" & pids="$pids $!"
    set -- $pids
    if [ $# -ge "$jobs" ]; then wait "$1" || rc=1; shift; pids="$*"; fi
done
for p in $pids; do wait "$p" || rc=1; done
exit $rc
