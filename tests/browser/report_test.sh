#!/usr/bin/env bash
# Loads the HTML report in a real, headless Chromium and checks what a reader
# sees: the timeline drawn, the claims, charts and people, the highlights, no
# request leaving the page; then drive.py works the page as a reader does
# (search, filter, a link followed) and saves report-*.png beside
# SCREENSHOT.png. Installs Debian's chromium when it is missing (as root);
# exits 77 (skip) when it cannot. usage: report_test.sh CLAIMSCAN SCREENSHOT.png
set -u
bin=$1 shot=$2
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser test" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; }
  fi
  command -v chromium >/dev/null 2>&1 || { echo "SKIP: chromium is missing and cannot be installed" >&2; exit 77; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" ingest -q --db "$tmp/c.db" corpus/ || exit 1
"$bin" report -q --db "$tmp/c.db" --out "$tmp/report.html" || exit 1
# No request may leave the page: no src or href to another host.
if grep -Eo '(src|href)="(https?:)?//[^"]*' "$tmp/report.html" | grep -q .; then
  echo "FAIL: the report refers to an outside address" >&2; exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
timeout 120 chromium "${flags[@]}" --dump-dom "file://$tmp/report.html" > "$tmp/dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --window-size=1200,1800 --screenshot="$shot" "file://$tmp/report.html" >/dev/null 2>&1
fail=0
check() { # what, count-at-least, pattern
  n=$(grep -o "$3" "$tmp/dom.html" | wc -l)
  if [ "$n" -lt "$2" ]; then echo "FAIL: $1 ($n found, want at least $2)" >&2; fail=1; else echo "ok: $1 ($n)"; fi
}
check "the timeline is drawn as SVG" 1 '<svg class="timeline"'
check "events are plotted on it" 3 '<g class="event"[^>]*><circle'
check "actual against target drawn per indicator" 10 '<svg class="bars"'
check "missed targets drawn red" 5 '<rect class="missed"'
check "missed targets are marked" 1 'class="missed">missed'
check "findings are shown, with their filter data" 4 'class="finding [a-z]*" data-filter="" data-kind='
check "claims are listed with their filter data" 20 'class="claim c-[a-z]*" id="claim-[0-9]*" data-filter'
check "claims link to their sentence" 20 'class="to-sentence" href="#s[0-9]*"'
check "sentences are link targets" 20 '<p id="s[0-9]*">'
check "a citation per claim" 20 'class="copy" type="button" data-cite='
check "figures are highlighted in source sentences" 20 '<mark class="figure">'
check "people and roles" 1 '<table class="people">'
check "a lane of appearances per person" 5 '<svg class="lane"'
check "the timeline's People lane holds appearances" 5 '<circle class="person"'
check "the search box" 1 '<input id="q" type="search"'
[ -s "$shot" ] && echo "ok: screenshot $shot" || { echo "FAIL: no screenshot" >&2; fail=1; }
# A reader at work: type, filter, follow a link (DevTools protocol on a pipe).
timeout 180 python3 "$(dirname "$0")/drive.py" "$tmp/report.html" "$(dirname "$shot")" "${flags[@]}" || fail=1
exit $fail
