"""Asks sqlite-utils (the detection Datasette runs) about a claimscan
database, and checks the metadata.json beside it against the database.

usage: python3 datasette_check.py DB
Run it with the interpreter that has sqlite_utils (the one named on the
first line of the sqlite-utils script). Prints one line per check, "ok: ..."
or "FAIL: ...", and exits 1 when a check failed."""
import json
import os
import sqlite3
import sys

import sqlite_utils

failed = False


def check(what, good, detail=""):
    global failed
    print(("ok: " if good else "FAIL: ") + what + (f" ({detail})" if detail else ""))
    failed |= not good


def main(path):
    db = sqlite_utils.Database(path)
    fts = db["documents"].detect_fts()
    print(f"sqlite-utils detect_fts('documents') = {fts!r}")
    check("sqlite-utils detects the full-text index of documents", fts == "documents_fts", repr(fts))
    hits = list(db["documents"].search("commissioner", columns=["title"]))
    check("sqlite-utils searches documents through it", len(hits) >= 1, f"{len(hits)} hits")

    links = {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys}
    for want in [("document_id", "documents"), ("sentence_id", "sentences"), ("speaker_id", "persons")]:
        check(f"claims.{want[0]} is a foreign key to {want[1]} (a link in Datasette)", want in links)
    for table in ["figures", "dates", "person_mentions", "events"]:
        fks = {fk.other_table for fk in db[table].foreign_keys}
        check(f"{table} links to documents and sentences", {"documents", "sentences"} <= fks, str(fks))

    meta_path = os.path.join(os.path.dirname(path) or ".", "metadata.json")
    check("metadata.json is written beside the database", os.path.exists(meta_path))
    meta = json.load(open(meta_path))
    name = os.path.splitext(os.path.basename(path))[0]
    entry = meta.get("databases", {}).get(name)
    check(f"metadata.json describes database '{name}'", entry is not None)
    if entry is None:
        return
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'documents_fts%'"
        " AND name NOT LIKE 'sqlite_%'")]
    tables = entry["tables"]
    for t in names:
        check(f"table {t} is described", t in tables and tables[t].get("description"))
        if t not in tables:
            continue
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
        missing = [c for c in cols if c not in tables[t].get("columns", {})]
        check(f"every column of {t} is described", not missing, ", ".join(missing))
        label = tables[t].get("label_column")
        if label:
            check(f"{t}'s label column {label} exists", label in cols)
        for f in tables[t].get("facets", []):
            check(f"{t}'s facet {f} is a column", f in cols)
    check("claims' value columns name their unit column", "actual_unit" in tables["claims"]["columns"]["actual_value"])
    check("documents' full-text index is named", tables["documents"].get("fts_table") == "documents_fts")
    queries = entry.get("queries", {})
    for q in ["targets_missed", "claims_by_speaker", "revised_amounts"]:
        check(f"canned query {q} is there", q in queries)
        if q in queries:
            try:
                rows = con.execute(queries[q]["sql"]).fetchall()
                check(f"canned query {q} runs", True, f"{len(rows)} rows")
            except sqlite3.Error as e:
                check(f"canned query {q} runs", False, str(e))
    missed = con.execute(queries["targets_missed"]["sql"]).fetchall()
    check("targets_missed lists the missed targets", len(missed) == con.execute(
        "SELECT count(*) FROM claims WHERE met = 0").fetchone()[0] and len(missed) > 0, f"{len(missed)} rows")
    revised = con.execute(queries["revised_amounts"]["sql"]).fetchall()
    check("revised_amounts lists check's amount-revised findings", len(revised) == con.execute(
        "SELECT count(*) FROM findings WHERE kind = 'amount-revised'").fetchone()[0] and len(revised) > 0,
        f"{len(revised)} rows")


main(sys.argv[1])
sys.exit(1 if failed else 0)
