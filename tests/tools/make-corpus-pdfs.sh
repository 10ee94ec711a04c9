#!/bin/sh
# Regenerates the PDFs of corpus/ from their HTML sources in
# tests/data/pdf-src/ with headless Chromium. Run it by hand from the
# repository root after editing a source; the PDFs are committed, so the
# tests and `make run` need no converter.
set -eu
src=tests/data/pdf-src
command -v chromium >/dev/null || { echo "make-corpus-pdfs: chromium is needed" >&2; exit 1; }
for html in "$src"/*.html; do
    name=$(basename "$html" .html)
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="corpus/$name.pdf" "file://$(pwd)/$html" 2>/dev/null
    echo "corpus/$name.pdf"
done
