#!/bin/sh
# bench-page: the cost of one large page. From the cleaned text of corpus/
# it writes one plain-text and one HTML document of each size (MiB), its
# paragraphs drawn in a seeded random order with their figures varied, and
# a page whose one element carries 100,000 attributes; each goes through
# `extract -j 1` once, with its time, peak memory (/usr/bin/time) and both
# per input megabyte, so that time and memory can be seen to grow linearly
# (cpu is user + system time: on a busy machine wall time says little).
#
# usage: bench/page-cost.sh CLAIMSCAN WORKDIR SIZE_MB...
set -eu
bin=$1 work=$2
shift 2
mkdir -p "$work"

"$bin" clean -q corpus/ > "$work/pool.txt"

# gen KIND MB FILE: paragraphs of the pool, shuffled, their digits varied.
gen() {
    awk -v kind="$1" -v want=$(( $2 * 1048576 )) -v seed="$2" '
        length($0) > 20 { p[n++] = $0 }
        function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
        # Each run of digits keeps its first digit and length, the rest drawn.
        function vary(s,   out, d, i) {
            out = ""
            while (match(s, /[0-9]+/)) {
                d = substr(s, RSTART, 1)
                for (i = 1; i < RLENGTH; i++) d = d int(rand() * 10)
                out = out substr(s, 1, RSTART - 1) d
                s = substr(s, RSTART + RLENGTH)
            }
            return out s
        }
        END {
            srand(seed)
            if (kind == "html") {
                head = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council performance</title></head>\n<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><main><article>\n"
                printf "%s", head; size = length(head)
            }
            for (k = 0; size < want; k++) {
                s = vary(p[int(rand() * n)])
                if (kind == "html") {
                    if (k % 40 == 0) s = "<h2 class=\"section\">" esc(s) "</h2>"
                    else if (k % 17 == 0) s = "<ul><li>" esc(s) "</li><li>" esc(vary(p[int(rand() * n)])) "</li></ul>"
                    else s = "<p class=\"para\" id=\"p" k "\">" esc(s) "</p>"
                }
                print s "\n"; size += length(s) + 2
            }
            if (kind == "html") print "</article></main><footer>Northmoor City Council</footer></body></html>"
        }' "$work/pool.txt" > "$3"
}

run() {
    bytes=$(stat -c %s "$2")
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" extract -q -j 1 "$2" > "$work/out" 2> "$work/err" || {
        echo "bench-page: failed: $2" >&2; cat "$work/err" >&2; exit 1; }
    read -r secs user sys kb < "$work/time"
    cpu=$(awk "BEGIN { print $user + $sys }")
    printf '  %-10s %6.1f MB  %7.2f s wall  %7.2f s cpu  %5.2f cpu s/MB  peak %5d MB  %5.1fx the input  %7d records\n' \
        "$1" "$(awk "BEGIN { print $bytes / 1048576 }")" "$secs" "$cpu" "$(awk "BEGIN { print $cpu * 1048576 / $bytes }")" \
        $(( kb / 1024 )) "$(awk "BEGIN { print $kb * 1024 / $bytes }")" "$(wc -l < "$work/out")"
}

for mb in "$@"; do
    echo "== $mb MiB"
    for kind in txt html; do
        f="$work/page-$mb.$kind"
        [ -s "$f" ] || gen "$kind" "$mb" "$f"
        run "$kind" "$f"
    done
done

f="$work/attributes.html"
[ -s "$f" ] || awk 'BEGIN { printf "<html><body><p"; for (i = 0; i < 100000; i++) printf " a%d=\"%d\"", i, i;
                           print ">Spending rose to 22.1 per cent in 2023.</p></body></html>" }' > "$f"
echo "== one element with 100,000 attributes"
run "attributes" "$f"
