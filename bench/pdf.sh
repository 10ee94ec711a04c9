#!/bin/sh
# PDF speed and memory (make bench): `claimscan clean` of the PDFs in DIR
# against `pdftotext` of the same files, one after the other, ROUNDS times
# (the machine drifts: each round's ratio is timed back to back), with the
# median times and the median ratio; then the peak memory of `clean` on a
# PDF of 500 pages or more made by pdfunite from the same files.
# usage: bench/pdf.sh CLAIMSCAN DIR ROUNDS WORKDIR
set -eu
bin=$1 dir=$2 rounds=$3 work=$4
mkdir -p "$work"
secs() { # command... : wall seconds of one run
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.4f\n", $2 - $1}'
}
poppler() { for f in "$dir"/*.pdf; do pdftotext "$f" - >/dev/null 2>&1 || true; done; }
ours() { "$bin" clean -j 1 "$dir"/*.pdf; }
: >"$work/pdf-times"
i=0
while [ "$i" -lt "$rounds" ]; do
    a=$(secs ours)
    b=$(secs poppler)
    echo "$a $b" >>"$work/pdf-times"
    i=$((i + 1))
done
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(cut -d' ' -f1 "$work/pdf-times" | median)
mb=$(cut -d' ' -f2 "$work/pdf-times" | median)
mr=$(awk '{print $1 / $2}' "$work/pdf-times" | median)
n=$(ls "$dir"/*.pdf | wc -l)
echo "pdf clean: $n PDFs, $rounds rounds: claimscan clean ${ma}s, pdftotext ${mb}s (medians); ratio ${mr}x (median of back-to-back pairs)"

# A long PDF: the files over and over until 500 pages.
big="$work/pdf-500.pdf"
set --
pages=0
while [ "$pages" -lt 500 ]; do
    for f in "$dir"/*.pdf; do
        set -- "$@" "$f"
        pages=$((pages + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')))
    done
done
pdfunite "$@" "$big" 2>/dev/null
kb=$(/usr/bin/time -f %M "$bin" clean "$big" 2>&1 >/dev/null | tail -n 1)
pkb=$(/usr/bin/time -f %M pdftotext "$big" - 2>&1 >/dev/null | tail -n 1)
secs_big=$(secs "$bin" clean "$big")
echo "pdf memory: $pages pages: claimscan clean peak ${kb} KiB (pdftotext ${pkb} KiB), ${secs_big}s"
