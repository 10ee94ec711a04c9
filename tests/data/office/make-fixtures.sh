#!/bin/sh
# Regenerates the office fixtures from their sources here: the cabinet
# report (cabinet-report.html) as DOCX and ODT, the scorecard workbook
# (scorecard.fods: a scorecard, a budget sheet and a hidden sheet) as XLSX,
# ODS and CSV, all written by LibreOffice (Debian: libreoffice-writer-nogui,
# libreoffice-calc-nogui); and bomb.docx, a DOCX whose document.xml
# inflates to 300 MiB. The outputs are committed: tests and `make run` need
# no converter. Run from anywhere: sh tests/data/office/make-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/../../../corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# lo FORMAT FILE: converts FILE into $tmp (a private profile: no clash with a running office).
lo() { soffice --headless "-env:UserInstallation=file://$tmp/profile" --convert-to "$1" --outdir "$tmp" "$2" >/dev/null 2>&1; }
cd "$here"
lo 'docx:MS Word 2007 XML' cabinet-report.html
lo odt cabinet-report.html
lo xlsx scorecard.fods
lo ods scorecard.fods
# The first sheet as CSV: comma, double quotes, UTF-8, en-GB (day-first dates).
lo 'csv:Text - txt - csv (StarCalc):44,34,76,1,,2057' scorecard.fods
cp "$tmp/cabinet-report.odt" "$tmp/scorecard.ods" "$tmp/scorecard.csv" .
cp "$tmp/cabinet-report.docx" "$corpus/northmoor-housing-performance-q3.docx"
cp "$tmp/scorecard.xlsx" "$corpus/northmoor-corporate-scorecard-q3.xlsx"
python3 - "$here/bomb.docx" <<'PY'
import sys, zipfile
ns = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    with z.open('word/document.xml', 'w', force_zip64=True) as f:
        f.write(('<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>' % ns).encode())
        block = b' ' * (1 << 20)
        for _ in range(300):
            f.write(block)
        f.write(b'</w:t></w:r></w:p></w:body></w:document>')
PY
