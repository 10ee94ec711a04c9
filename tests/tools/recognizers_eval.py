#!/usr/bin/env python3
"""Pass rate of claimscan on the Recognizers-Text English specs that fit its task.

usage: recognizers_eval.py CLAIMSCAN SPECS_DIR [--json] [--failures]

Selection rule (a case is kept only if every expected entity fits, the .NET
reference build supports it, and it is not NotSupportedByDesign):
  * Number__English__NumberModel: entities of subtype integer or decimal
    written in digits (1,234.5, -3) standing alone (not part of an address,
    phone number, code or numeric date: no digit joined to it by . / - + or a
    letter), or as an English number word from two to ninety-nine
    ("twenty-six"; "one" is left out: it is mostly not a quantity); negative
    cases (no entity) are kept.
  * Number__English__PercentModel: entities written as a number (digits or
    words, optionally after "minus") followed by %, per cent or percent.
  * NumberWithUnit__English__CurrencyModel: entities whose unit is Pound,
    Dollar or Euro written with a symbol or "pounds/dollars/euros".
  * DateTime__English__DateExtractor/DateParser and EnglishOthers DateParser:
    entities of type date whose text holds a day, a month name and a
    four-digit year (day-first or unambiguous month-name forms).
A case passes when, for each expected entity, claimscan emits a record of the
matching kind whose text overlaps the expected text and whose value equals
the expected value (numbers, per cent, money with currency) or whose start
date equals the expected date (extractor cases, which carry no value, are
checked on the extent alone); a negative number case passes when claimscan
emits no figure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
for i, t in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split()):
    WORDS[t] = 20 + 10 * i
MONTH = r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f)


def supported(case):
    return "dotnet" not in (case.get("NotSupported") or "") and not case.get("NotSupportedByDesign")


def number_word(t):
    t = t.lower()
    if t in WORDS:
        return WORDS[t] >= 2
    parts = re.split(r"[- ]", t)
    return len(parts) == 2 and parts[0] in WORDS and WORDS[parts[0]] >= 20 and parts[1] in WORDS and WORDS[parts[1]] < 10


def standalone_violation(inp, r):
    """True when the number is glued to more digits or letters (192.168.1.2, SCP-173, 5/17/2018)."""
    s, e = r["Start"], r["End"] + 1
    before, after = inp[max(0, s - 2):s], inp[e:e + 2]
    return bool(re.search(r"[\d\w][./+-]$|[A-Za-z]$", before) or re.match(r"^[./+-]\d|^[A-Za-z]", after))


def select(specs):
    cases = []
    for c in load(os.path.join(specs, "Number__English__NumberModel.json")):
        if not supported(c):
            continue
        inp = c["Input"]
        ok = all(r.get("Resolution", {}).get("subtype") in ("integer", "decimal") and
                 (re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?", r["Text"]) or number_word(r["Text"]))
                 and not standalone_violation(inp, r) for r in c["Results"])
        if ok:
            cases.append(("number", c))
    pct = re.compile(r"(?i)(minus\s+)?([\d.,]+|[a-z]+(-[a-z]+)?)\s?(%|per ?cent|percent)")
    for c in load(os.path.join(specs, "Number__English__PercentModel.json")):
        if supported(c) and c["Results"] and all(pct.fullmatch(r["Text"]) for r in c["Results"]):
            cases.append(("percent", c))
    for c in load(os.path.join(specs, "NumberWithUnit__English__CurrencyModel.json")):
        if supported(c) and c["Results"] and all(r.get("Resolution", {}).get("unit") in ("Pound", "Dollar", "Euro")
                                                 and r.get("Resolution", {}).get("value") not in (None, "null")
                                                 for r in c["Results"]):
            cases.append(("currency", c))
    for name in ("DateTime__English__DateExtractor.json", "DateTime__English__DateParser.json",
                 "DateTime__EnglishOthers__DateParser.json"):
        for c in load(os.path.join(specs, name)):
            if not supported(c) or not c["Results"]:
                continue
            if all(r.get("Type") == "date" and re.search(MONTH, r["Text"]) and re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", r["Text"])
                   and re.search(r"\b(19|20)\d\d\b", r["Text"]) for r in c["Results"]):
                cases.append(("date", c))
    return cases


def expected_date(r):
    v = r.get("Value") or {}
    d = (v.get("FutureResolution") or {}).get("date") or (v.get("PastResolution") or {}).get("date")
    if d:
        return d[:10]
    m = re.search(r"((19|20)\d\d)-(\d\d)-(\d\d)", v.get("Timex", ""))
    return m.group(0) if m else None


def run(claimscan, cases):
    with tempfile.TemporaryDirectory() as tmp:
        for i, (kind, c) in enumerate(cases):
            ref = (c.get("Context") or {}).get("ReferenceDateTime", "2016-11-07T00:00:00")[:10]
            body = c["Input"].replace("&", "&amp;").replace("<", "&lt;")
            with open(os.path.join(tmp, f"{i:05d}.html"), "w", encoding="utf-8") as f:
                f.write(f'<html><head><meta property="article:published_time" content="{ref}"></head>'
                        f"<body><p>{body}</p></body></html>")
        out = subprocess.run([claimscan, "extract", "--format", "jsonl", tmp], capture_output=True, text=True)
        recs = {}
        for line in out.stdout.splitlines():
            r = json.loads(line)
            recs.setdefault(os.path.basename(r["doc"]), []).append(r)
    return recs


def overlaps(a, b):
    a, b = a.lower(), b.lower()
    return a in b or b in a


def check(kind, c, recs):
    figs = [r for r in recs if r["kind"] == "figure"]
    dates = [r for r in recs if r["kind"] == "date"]
    if kind == "number" and not c["Results"]:
        return not figs
    for e in c["Results"]:
        if kind == "date":
            want = expected_date(e)  # extractor cases carry no value: the extent alone is checked
            if not any(overlaps(d["text"], e["Text"]) and (want is None or d["start"] == want) for d in dates):
                return False
            continue
        res = e.get("Resolution") or {}
        try:
            want = float(str(res.get("value")).replace(",", "").rstrip("%"))
        except ValueError:
            return False  # no value to compare (e.g. a bare currency word)
        unit = {"number": None, "percent": "percent",
                "currency": {"Pound": "GBP", "Dollar": "USD", "Euro": "EUR"}.get(res.get("unit"))}[kind]
        def same(v):
            return v is not None and abs(v - want) <= 1e-6 * max(1, abs(want))
        # "12 out of 10" is one figure with value 12 and of 10.
        if not any(overlaps(f["text"], e["Text"]) and (same(f["value"]) or same(f.get("of"))) and
                   (unit is None or f["unit"] == unit) for f in figs):
            return False
    return True


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cases = select(argv[1])
    recs = run(argv[0], cases)
    by_kind, failures = {}, []
    for i, (kind, c) in enumerate(cases):
        ok = check(kind, c, recs.get(f"{i:05d}.html", []))
        t = by_kind.setdefault(kind, [0, 0])
        t[0] += ok
        t[1] += 1
        if not ok:
            failures.append((kind, c["Input"], [r["Text"] for r in c["Results"]]))
    passed = sum(t[0] for t in by_kind.values())
    total = sum(t[1] for t in by_kind.values())
    summary = {"passed": passed, "total": total, "rate": passed / total if total else 0,
               "by_kind": {k: {"passed": v[0], "total": v[1]} for k, v in by_kind.items()}}
    if "--json" in argv:
        print(json.dumps(summary))
    else:
        for k, v in sorted(by_kind.items()):
            print(f"{k:9} {v[0]:4}/{v[1]:<4} {v[0] / v[1]:.3f}")
        print(f"{'all':9} {passed:4}/{total:<4} {summary['rate']:.3f}")
    if "--failures" in argv:
        for f in failures:
            print("FAIL", *f, sep="\t")


if __name__ == "__main__":
    main(sys.argv[1:])
