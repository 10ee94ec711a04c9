#!/bin/sh
# Regenerates the PDFs of corpus/ from their HTML sources in
# tests/data/pdf-src/, and the PDF test fixtures of tests/data/ from
# tests/data/pdf-fixtures/, with headless Chromium; the two encrypted
# fixtures are made from a corpus PDF with qpdf (one needs a password to
# open, the other only restricts printing and copying). Run it by hand from
# the repository root after editing a source; the PDFs are committed, so the
# tests and `make run` need no converter.
set -eu
command -v chromium >/dev/null || { echo "make-corpus-pdfs: chromium is needed" >&2; exit 1; }
print() { # html pdf
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$(pwd)/$1" 2>/dev/null
    echo "$2"
}
for html in tests/data/pdf-src/*.html; do
    print "$html" "corpus/$(basename "$html" .html).pdf"
done
for html in tests/data/pdf-fixtures/*.html; do
    print "$html" "tests/data/$(basename "$html" .html).pdf"
done
if command -v qpdf >/dev/null; then
    src=corpus/northmoor-budget-monitoring-q3-2024-25.pdf
    qpdf --encrypt secret secret 256 -- "$src" tests/data/pdf-user-password.pdf
    qpdf --encrypt "" owner-only 256 --print=none --modify=none --extract=n -- "$src" tests/data/pdf-owner-password.pdf
    echo tests/data/pdf-user-password.pdf tests/data/pdf-owner-password.pdf
else
    echo "make-corpus-pdfs: qpdf not found; the encrypted fixtures are left as they are" >&2
fi
