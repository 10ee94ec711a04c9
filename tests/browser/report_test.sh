#!/usr/bin/env bash
# Loads the HTML report in a real, headless Chromium and checks what a reader
# sees: the timeline drawn, the tables, the highlights, no request leaving the
# page. Installs Debian's chromium when it is missing (as root); exits 77
# (skip) when it cannot. usage: report_test.sh CLAIMSCAN SCREENSHOT.png
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
check "events are plotted on it" 3 '<g class="event"><circle'
check "the stated-against-actual tables" 2 '<table class="targets">'
check "missed targets are marked" 1 'class="missed">missed'
check "findings are shown" 4 'class="finding '
check "figures are highlighted in source sentences" 20 '<mark class="figure">'
check "people and roles" 1 '<table class="people">'
[ -s "$shot" ] && echo "ok: screenshot $shot" || { echo "FAIL: no screenshot" >&2; fail=1; }
exit $fail
