/* store: SQLite persistence. Each migration is one SQL script applied in a
 * transaction that also bumps PRAGMA user_version, so a database is always at
 * a known version. Documents are keyed by the sha256 of their bytes and
 * replaced whole; children go with ON DELETE CASCADE. */
#include "store.h"
#include "rows.h"
#include "strs.h"

#include <assert.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The prepared statements of ingest, prepared on first use and kept for
 * the life of the store (preparing them per document cost more than the
 * inserts). All members are statements: store_close finalizes them in order. */
typedef struct {
    sqlite3_stmt *del, *doc, *sent, *fig, *date, *person, *person_id, *alias, *pmention, *claim, *event;
    sqlite3_stmt *sb_upsert, *sb_count, *sb_old, *sb_uncount, *current;
    sqlite3_stmt *read_begin, *read_snapshot, *read_end;
} stmts;

struct store {
    sqlite3 *db;
    stmts q;
    int prepared;
    struct commit_hook *hook; /* set by store_on_commit; owned */
};

/* PRAGMA application_id of our databases ("ClSc"), so that another
 * program's SQLite file is told apart from ours. */
#define STORE_APPLICATION_ID 0x436c5363

/* WAL frames (pages) between automatic checkpoints: rarer than SQLite's
 * 1,000, since ingest commits many small transactions. */
#define STORE_AUTOCHECKPOINT 8192

static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  path TEXT NOT NULL,\n"
    "  title TEXT, published TEXT, site TEXT, byline TEXT, canonical TEXT, lang TEXT,\n"
    "  type TEXT NOT NULL, charset TEXT,\n"
    "  chars_in INTEGER, chars_kept INTEGER, blocks_kept INTEGER, blocks_dropped INTEGER,\n"
    "  rules_version TEXT NOT NULL,\n"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),\n"
    "  text TEXT NOT NULL);\n"
    "CREATE TABLE sentences(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);\n"
    "CREATE INDEX sentences_document ON sentences(document_id);\n"
    "CREATE TABLE figures(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  value REAL NOT NULL, unit TEXT NOT NULL, of REAL, approx INTEGER NOT NULL DEFAULT 0, rule TEXT);\n"
    "CREATE INDEX figures_document ON figures(document_id);\n"
    "CREATE TABLE dates(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  date_start TEXT NOT NULL, date_end TEXT NOT NULL, granularity TEXT NOT NULL,\n"
    "  relative INTEGER NOT NULL DEFAULT 0, rule TEXT);\n"
    "CREATE INDEX dates_document ON dates(document_id);\n"
    "CREATE TABLE persons(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE person_mentions(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,\n"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  title TEXT, role TEXT, party TEXT, rule TEXT);\n"
    "CREATE INDEX person_mentions_document ON person_mentions(document_id);\n"
    "CREATE INDEX person_mentions_person ON person_mentions(person_id);\n"
    "CREATE TABLE aliases(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),\n"
    "  alias TEXT NOT NULL, UNIQUE(person_id, alias));\n"
    "CREATE TABLE claims(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  indicator TEXT NOT NULL,\n"
    "  actual_value REAL, actual_unit TEXT, target_value REAL, target_unit TEXT,\n"
    "  target_derived INTEGER NOT NULL DEFAULT 0,\n"
    "  previous_value REAL, previous_unit TEXT, gap_value REAL, gap_unit TEXT,\n"
    "  met INTEGER, period_start TEXT, period_end TEXT,\n"
    "  speaker_id INTEGER REFERENCES persons(id), rule TEXT);\n"
    "CREATE INDEX claims_document ON claims(document_id);\n"
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id');\n"
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN\n"
    "  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;\n"
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN\n"
    "  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END;\n"
    "CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN\n"
    "  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);\n"
    "  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;\n"
    "CREATE VIEW claims_view AS\n"
    "  SELECT c.id AS claim_id, d.id AS document_id, d.path AS document, d.title AS title,\n"
    "         d.published AS published, c.indicator, c.actual_value, c.actual_unit,\n"
    "         c.target_value, c.target_unit, c.target_derived, c.previous_value, c.previous_unit,\n"
    "         c.gap_value, c.gap_unit, c.met, c.period_start, c.period_end,\n"
    "         p.name AS speaker, s.text AS sentence, c.text AS evidence, c.start, c.end\n"
    "  FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "  LEFT JOIN sentences s ON s.id = c.sentence_id LEFT JOIN persons p ON p.id = c.speaker_id;\n"
    "CREATE VIEW figures_view AS\n"
    "  SELECT f.id AS figure_id, d.path AS document, d.title, d.published, f.text, f.value, f.unit,\n"
    "         f.of, f.approx, s.text AS sentence, f.rule\n"
    "  FROM figures f JOIN documents d ON d.id = f.document_id LEFT JOIN sentences s ON s.id = f.sentence_id;\n"
    "CREATE VIEW people_view AS\n"
    "  SELECT p.id AS person_id, p.name, m.title, m.role, m.party, m.text AS mention, d.path AS document,\n"
    "         d.published, s.text AS sentence\n"
    "  FROM person_mentions m JOIN persons p ON p.id = m.person_id JOIN documents d ON d.id = m.document_id\n"
    "  LEFT JOIN sentences s ON s.id = m.sentence_id;\n",
    /* 2: blocks seen per site, for site-wide boilerplate */
    "CREATE TABLE site_blocks(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  site TEXT NOT NULL, hash TEXT NOT NULL, sample TEXT NOT NULL,\n"
    "  UNIQUE(site, hash));\n"
    "CREATE TABLE document_blocks(\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  site_block_id INTEGER NOT NULL REFERENCES site_blocks(id),\n"
    "  PRIMARY KEY(document_id, site_block_id));\n"
    "CREATE INDEX document_blocks_block ON document_blocks(site_block_id);\n"
    "CREATE VIEW site_boilerplate AS\n"
    "  SELECT b.site, b.sample, count(*) AS documents FROM site_blocks b\n"
    "  JOIN document_blocks db ON db.site_block_id = b.id GROUP BY b.id HAVING count(*) >= 3;\n",
    /* 3: findings of claimscan check */
    "CREATE TABLE findings(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL, severity TEXT NOT NULL,\n"
    "  explanation TEXT NOT NULL, why TEXT NOT NULL, evidence TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE finding_sources(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,\n"
    "  claim_id INTEGER REFERENCES claims(id) ON DELETE SET NULL,\n"
    "  figure_id INTEGER REFERENCES figures(id) ON DELETE SET NULL);\n"
    "CREATE INDEX finding_sources_finding ON finding_sources(finding_id);\n"
    "CREATE VIEW findings_view AS\n"
    "  SELECT f.id AS finding_id, f.kind, f.severity, f.explanation, f.why, f.evidence,\n"
    "         group_concat(DISTINCT d.path) AS documents\n"
    "  FROM findings f LEFT JOIN finding_sources fs ON fs.finding_id = f.id\n"
    "  LEFT JOIN claims c ON c.id = fs.claim_id LEFT JOIN figures g ON g.id = fs.figure_id\n"
    "  LEFT JOIN documents d ON d.id = coalesce(c.document_id, g.document_id)\n"
    "  GROUP BY f.id;\n",
    /* 4: events for the timeline */
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  type TEXT NOT NULL, date_start TEXT, date_end TEXT, date_text TEXT, granularity TEXT,\n"
    "  since INTEGER NOT NULL DEFAULT 0, planned INTEGER NOT NULL DEFAULT 0, actor TEXT, rule TEXT);\n"
    "CREATE INDEX events_document ON events(document_id);\n"
    "CREATE VIEW events_view AS\n"
    "  SELECT e.id AS event_id, e.type, e.date_start, e.date_end, e.date_text, e.granularity, e.since, e.planned,\n"
    "         e.actor, d.path AS document, d.title, d.published, s.text AS sentence\n"
    "  FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN sentences s ON s.id = e.sentence_id;\n",
    /* 5: a document count per site block, kept by triggers, for a cheap lookup */
    "ALTER TABLE site_blocks ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;\n"
    "UPDATE site_blocks SET documents = (SELECT count(*) FROM document_blocks WHERE site_block_id = site_blocks.id);\n"
    "CREATE TRIGGER document_blocks_ai AFTER INSERT ON document_blocks BEGIN\n"
    "  UPDATE site_blocks SET documents = documents + 1 WHERE id = new.site_block_id; END;\n"
    "CREATE TRIGGER document_blocks_ad AFTER DELETE ON document_blocks BEGIN\n"
    "  UPDATE site_blocks SET documents = documents - 1 WHERE id = old.site_block_id; END;\n",
    /* 6: a claim's stated change */
    "ALTER TABLE claims ADD COLUMN change_value REAL;\n"
    "ALTER TABLE claims ADD COLUMN change_unit TEXT;\n",
    /* 7: what an event is about; the target a deadline belongs to */
    "ALTER TABLE events ADD COLUMN subject TEXT;\n"
    "ALTER TABLE events ADD COLUMN target TEXT;\n"
    "DROP VIEW events_view;\n"
    "CREATE VIEW events_view AS\n"
    "  SELECT e.id AS event_id, e.type, e.date_start, e.date_end, e.date_text, e.granularity, e.since, e.planned,\n"
    "         e.actor, e.subject, e.target, d.path AS document, d.title, d.published, s.text AS sentence\n"
    "  FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN sentences s ON s.id = e.sentence_id;\n",
    /* 8: a document's site blocks kept on its own row: one write per block
     * instead of a link row and a counter trigger */
    "ALTER TABLE documents ADD COLUMN block_site TEXT;\n"
    "ALTER TABLE documents ADD COLUMN block_hashes TEXT;\n"
    "DROP TRIGGER document_blocks_ai;\n"
    "DROP TRIGGER document_blocks_ad;\n"
    "DROP VIEW site_boilerplate;\n"
    "DROP TABLE document_blocks;\n"
    "CREATE VIEW site_boilerplate AS SELECT site, sample, documents FROM site_blocks WHERE documents >= 3;\n",
    /* 9: mentions by sentence, which check and report look up per claim and
     * per sentence (without them check scanned every figure per claim) */
    "CREATE INDEX figures_sentence ON figures(sentence_id);\n"
    "CREATE INDEX dates_sentence ON dates(sentence_id);\n"
    "CREATE INDEX person_mentions_sentence ON person_mentions(sentence_id);\n",
    /* 10: the full-text index declared with content="documents", the form
     * Datasette and sqlite-utils look for when they detect a table's index
     * (they miss content='documents'); the triggers name it and stay. */
    "DROP TABLE documents_fts;\n"
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content=\"documents\", content_rowid=\"id\");\n"
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');\n",
    /* 11: the page (1-based) of every mention, claim and event of a
     * paginated document (PDF), and the document's page count */
    "ALTER TABLE documents ADD COLUMN pages INTEGER;\n"
    "ALTER TABLE figures ADD COLUMN page INTEGER;\n"
    "ALTER TABLE dates ADD COLUMN page INTEGER;\n"
    "ALTER TABLE person_mentions ADD COLUMN page INTEGER;\n"
    "ALTER TABLE claims ADD COLUMN page INTEGER;\n"
    "ALTER TABLE events ADD COLUMN page INTEGER;\n"
    "DROP VIEW claims_view;\n"
    "CREATE VIEW claims_view AS\n"
    "  SELECT c.id AS claim_id, d.id AS document_id, d.path AS document, d.title AS title,\n"
    "         d.published AS published, c.indicator, c.actual_value, c.actual_unit,\n"
    "         c.target_value, c.target_unit, c.target_derived, c.previous_value, c.previous_unit,\n"
    "         c.gap_value, c.gap_unit, c.met, c.period_start, c.period_end,\n"
    "         p.name AS speaker, s.text AS sentence, c.text AS evidence, c.start, c.end, c.page\n"
    "  FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "  LEFT JOIN sentences s ON s.id = c.sentence_id LEFT JOIN persons p ON p.id = c.speaker_id;\n",
    /* 12: what the stored findings were computed from, so that report can
     * reuse them while the documents, the rules and check are the same */
    "CREATE TABLE check_runs(\n"
    "  documents INTEGER NOT NULL, last_document INTEGER NOT NULL,\n"
    "  rules_version TEXT NOT NULL, check_version TEXT NOT NULL,\n"
    "  checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n",
    /* 13: the foreign keys that deleting a document reaches: its sentences
     * cascade to claims and events, its claims and figures set finding
     * sources to NULL. Unindexed, each deleted row scanned the whole table:
     * replacing 20 documents of a 10,000-page archive took 9 s. */
    "CREATE INDEX claims_sentence ON claims(sentence_id);\n"
    "CREATE INDEX events_sentence ON events(sentence_id);\n"
    "CREATE INDEX finding_sources_claim ON finding_sources(claim_id);\n"
    "CREATE INDEX finding_sources_figure ON finding_sources(figure_id);\n",
    /* 14: a scorecard's floor standard and the rating a document gives a
     * claim ("amber", "inadequate") */
    "ALTER TABLE claims ADD COLUMN floor_value REAL;\n"
    "ALTER TABLE claims ADD COLUMN floor_unit TEXT;\n"
    "ALTER TABLE claims ADD COLUMN status TEXT;\n"
    "DROP VIEW claims_view;\n"
    "CREATE VIEW claims_view AS\n"
    "  SELECT c.id AS claim_id, d.id AS document_id, d.path AS document, d.title AS title,\n"
    "         d.published AS published, c.indicator, c.actual_value, c.actual_unit,\n"
    "         c.target_value, c.target_unit, c.target_derived, c.previous_value, c.previous_unit,\n"
    "         c.gap_value, c.gap_unit, c.met, c.period_start, c.period_end,\n"
    "         p.name AS speaker, s.text AS sentence, c.text AS evidence, c.start, c.end, c.page,\n"
    "         c.floor_value, c.floor_unit, c.status\n"
    "  FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "  LEFT JOIN sentences s ON s.id = c.sentence_id LEFT JOIN persons p ON p.id = c.speaker_id;\n",
};

static int run(sqlite3_stmt *st);

static cs_status db_fail(store *s, cs_error *err, const char *what)
{
    return cs_fail(err, CS_ERR_DB, "%s: %s", what, sqlite3_errmsg(s->db));
}

static cs_status exec(store *s, const char *sql, cs_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cs_fail(err, CS_ERR_DB, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return CS_ERR_DB;
    }
    return CS_OK;
}

#define MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

/* The first column of the first row of sql, as an int; CS_ERR_DB when the
 * database cannot answer (not a database, corrupt, unreadable). */
static cs_status query_int(store *s, const char *sql, int *v, cs_error *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? CS_OK : db_fail(s, err, "cannot read the database");
}

/* Refuses a database that is not ours, or is newer than this program;
 * *version gets its schema version (0: new and empty) and *ours whether it
 * carries our application_id. Reads only. */
static cs_status validate(store *s, int *version, int *ours, cs_error *err)
{
    int app = 0, v = 0, objects = 0, docs = 0;
    if (query_int(s, "PRAGMA application_id", &app, err) != CS_OK ||
        query_int(s, "PRAGMA user_version", &v, err) != CS_OK ||
        query_int(s, "SELECT count(*) FROM sqlite_schema", &objects, err) != CS_OK ||
        query_int(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'documents'", &docs, err) !=
            CS_OK)
        return CS_ERR_DB;
    if (app != 0 && app != STORE_APPLICATION_ID)
        return cs_fail(err, CS_ERR_DB, "not a claimscan database (its application_id %#x is another program's)",
                       (unsigned)app);
    if (v < 0 || (v == 0 && objects > 0) || (v > 0 && !docs))
        return cs_fail(err, CS_ERR_DB, "not a claimscan database (schema version %d, %s)", v,
                       objects ? "tables of another program" : "no tables");
    if (v > MIGRATIONS)
        return cs_fail(err, CS_ERR_DB, "schema version %d is newer than this claimscan's (%d): use a newer claimscan", v,
                       MIGRATIONS);
    *version = v;
    *ours = app == STORE_APPLICATION_ID;
    return CS_OK;
}

/* Brings a validated database at version v to the current schema, one
 * transaction a migration, and marks it as ours. */
static cs_status migrate(store *s, int v, int ours, cs_error *err)
{
    char pragma[96];
    if (v == MIGRATIONS && !ours) {
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", STORE_APPLICATION_ID);
        return exec(s, pragma, err);
    }
    for (int i = v; i < MIGRATIONS; i++) {
        if (exec(s, "BEGIN IMMEDIATE", err) != CS_OK)
            return CS_ERR_DB;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d", i + 1,
                 STORE_APPLICATION_ID);
        if (exec(s, migrations[i], err) != CS_OK || exec(s, pragma, err) != CS_OK) {
            cs_error e2;
            (void)exec(s, "ROLLBACK", &e2);
            return CS_ERR_DB;
        }
        if (exec(s, "COMMIT", err) != CS_OK)
            return CS_ERR_DB;
    }
    return CS_OK;
}

/* PRAGMA quick_check: a database with a damaged page is refused before
 * anything is written into it. */
static cs_status quick_check(store *s, cs_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "the database is corrupt");
    int rc = sqlite3_step(st);
    const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    char why[256];
    snprintf(why, sizeof why, "%s", r ? r : sqlite3_errmsg(s->db));
    for (char *p = why; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' '; /* one line */
    sqlite3_finalize(st);
    if (r && !strcmp(why, "ok"))
        return CS_OK;
    return cs_fail(err, CS_ERR_DB,
                   "the database is corrupt (%s); nothing was written: restore it from a copy or ingest into a new "
                   "database ('claimscan check --integrity' lists the damage)",
                   why);
}

/* Wraps err's message as "unusable database (...)" and closes s. */
static store *unusable(store *s, cs_error *err)
{
    char tmp[sizeof err->msg];
    snprintf(tmp, sizeof tmp, "%s", err->msg);
    cs_fail(err, CS_ERR_DB, "unusable database (%.900s)", tmp);
    store_close(s);
    return NULL;
}

/* 0 and err filled when path does not exist. */
static int exists(const char *path, cs_error *err)
{
    struct stat stt;
    if (stat(path, &stt) == 0)
        return 1;
    cs_fail(err, CS_ERR_DB, "no such database (run 'claimscan ingest' first)");
    return 0;
}

/* Writes path as a file: URI into u, its %, ? and # escaped, then params
 * ("" for none): a URI names every path literally, even one that starts
 * with "file:". */
static void path_uri(buf *u, const char *path, const char *params)
{
    buf_puts(u, path[0] == '/' ? "file://" : "file:"); /* file:///abs, or file:rel */
    for (const char *p = path; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#')
            buf_printf_put(u, "%%%02X", (unsigned char)*p);
        else
            buf_putc(u, *p);
    buf_puts(u, params);
}

/* The settings of a writing connection, which SQLite keeps per connection
 * (or, for the journal mode, per file), not in the schema. */
static cs_status settings(store *s, cs_error *err)
{
    if (exec(s, "PRAGMA foreign_keys = ON", err) != CS_OK || exec(s, "PRAGMA journal_mode = WAL", err) != CS_OK ||
        exec(s, "PRAGMA synchronous = NORMAL", err) != CS_OK ||
        /* A larger page cache: ingest writes many small rows per document. */
        exec(s, "PRAGMA cache_size = -16384", err) != CS_OK || exec(s, "PRAGMA temp_store = MEMORY", err) != CS_OK)
        return CS_ERR_DB;
    return CS_OK;
}

static store *open_db(const char *path, int create, cs_error *err)
{
    if (!create && !exists(path, err))
        return NULL;
    store *s = cs_xcalloc(1, sizeof *s);
    /* As a URI, so that ATTACH takes one too (a shard read-only). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | (create ? SQLITE_OPEN_CREATE : 0);
    buf u;
    buf_init(&u, 0);
    path_uri(&u, path, "");
    int rc = sqlite3_open_v2(buf_str(&u), &s->db, flags, NULL);
    buf_free(&u);
    if (rc != SQLITE_OK) {
        cs_fail(err, CS_ERR_DB, "cannot open the database: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    if (sqlite3_db_readonly(s->db, "main") == 1) {
        cs_fail(err, CS_ERR_DB, "the database is read-only (a file or medium this user cannot write)");
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    int v, ours;
    /* Nothing is written (not even the journal mode) before the file is
     * known to be ours and sound. */
    if (validate(s, &v, &ours, err) != CS_OK)
        return unusable(s, err);
    if (v > 0 && quick_check(s, err) != CS_OK) {
        store_close(s);
        return NULL;
    }
    if (settings(s, err) != CS_OK || migrate(s, v, ours, err) != CS_OK)
        return unusable(s, err);
    sqlite3_wal_autocheckpoint(s->db, STORE_AUTOCHECKPOINT);
    return s;
}

store *store_open(const char *path, cs_error *err)
{
    return open_db(path, 1, err);
}

store *store_open_existing(const char *path, cs_error *err)
{
    return open_db(path, 0, err);
}

store *store_open_memory_copy(store *from, cs_error *err)
{
    store *s = cs_xcalloc(1, sizeof *s);
    if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        cs_fail(err, CS_ERR_DB, "cannot open an in-memory database: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from->db, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    if (b)
        sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        cs_fail(err, CS_ERR_DB, "cannot copy the database: %s", sqlite3_errmsg(s->db));
        store_close(s);
        return NULL;
    }
    if (settings(s, err) != CS_OK)
        return unusable(s, err);
    return s;
}

/* A read-only connection to path; immutable opens the file as read-only
 * media (SQLite's documented way to read a WAL database whose -shm and
 * -wal files cannot be created). */
static store *open_ro(const char *path, int immutable)
{
    store *s = cs_xcalloc(1, sizeof *s);
    int rc;
    if (immutable) {
        buf u;
        buf_init(&u, 0);
        path_uri(&u, path, "?immutable=1");
        rc = sqlite3_open_v2(buf_str(&u), &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        buf_free(&u);
    } else {
        rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL);
    }
    if (rc != SQLITE_OK) {
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    return s;
}

/* A validated read-only connection to the existing path, opened as
 * read-only media when no -shm or -wal can be made beside it (*immutable
 * set); *v gets its schema version. NULL with err filled. */
static store *open_ro_validated(const char *path, int *v, int *immutable, cs_error *err)
{
    if (!exists(path, err))
        return NULL;
    store *s = open_ro(path, 0);
    int ours;
    *immutable = 0;
    cs_status st = s ? validate(s, v, &ours, err) : cs_fail(err, CS_ERR_DB, "cannot open the database");
    if (st != CS_OK && s) {
        int code = sqlite3_errcode(s->db) & 0xff;
        if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY) {
            store_close(s);
            s = open_ro(path, 1);
            *immutable = 1;
            st = s ? validate(s, v, &ours, err) : CS_ERR_DB;
        }
    }
    if (st != CS_OK)
        return s ? unusable(s, err) : NULL;
    return s;
}

char *store_readonly_uri(const char *path, cs_error *err)
{
    int v = 0, immutable;
    store *s = open_ro_validated(path, &v, &immutable, err);
    if (!s)
        return NULL;
    store_close(s);
    if (v == 0) {
        cs_fail(err, CS_ERR_DB, "an empty database, not one claimscan wrote");
        return NULL;
    }
    if (v < MIGRATIONS) {
        cs_fail(err, CS_ERR_DB,
                "schema version %d is older than this claimscan's (%d): upgrade it first (any claimscan command on "
                "it does, e.g. 'claimscan claims --db FILE')",
                v, MIGRATIONS);
        return NULL;
    }
    buf u;
    buf_init(&u, 0);
    path_uri(&u, path, immutable ? "?immutable=1" : "?mode=ro");
    return buf_detach(&u);
}

cs_status store_verify(store *s, FILE *out, size_t *problems, cs_error *err)
{
    sqlite3_stmt *st;
    *problems = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(100)", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "the database cannot be checked");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok"))
            (*problems)++;
        fprintf(out, "%s\n", r ? r : "");
    }
    cs_status res = CS_OK;
    if (rc != SQLITE_DONE) {
        (*problems)++;
        res = db_fail(s, err, "the database is corrupt");
    } else if (*problems) {
        res = cs_fail(err, CS_ERR_DB, "the database is corrupt: %zu problem%s found", *problems, *problems == 1 ? "" : "s");
    }
    sqlite3_finalize(st);
    if (ferror(out))
        return cs_fail(err, CS_ERR_IO, "cannot write the integrity check");
    return res;
}

store *store_open_readonly(const char *path, cs_error *err)
{
    int v = 0, immutable;
    store *s = open_ro_validated(path, &v, &immutable, err);
    if (s && v < MIGRATIONS) {
        /* An older schema: upgraded once through a writing connection. */
        store_close(s);
        cs_error e2;
        store *w = store_open_existing(path, &e2);
        if (!w) {
            cs_fail(err, CS_ERR_DB, "schema version %d is older than this claimscan's (%d) and cannot be upgraded: %.800s",
                    v, MIGRATIONS, e2.msg);
            return NULL;
        }
        store_close(w);
        return store_open_readonly(path, err);
    }
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    sqlite3_stmt **all = (sqlite3_stmt **)&s->q;
    for (size_t i = 0; i < sizeof s->q / sizeof *all; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(s->db);
    free(s->hook);
    free(s);
}

static cs_status prepare(store *s, cs_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM documents WHERE sha256 = ?1",
        "INSERT INTO documents(sha256, path, title, published, site, byline, canonical, lang, type, charset,"
        " chars_in, chars_kept, blocks_kept, blocks_dropped, rules_version, text, block_site, block_hashes, pages)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,NULLIF(?19,0))",
        "INSERT INTO sentences(document_id, seq, start, end, text) VALUES (?1,?2,?3,?4,?5)",
        "INSERT INTO figures(document_id, sentence_id, start, end, text, value, unit, of, approx, rule, page)"
        " VALUES (?1,NULLIF(?2,0),?3,?4,?5,?6,?7,?8,?9,?10,NULLIF(?11,0))",
        "INSERT INTO dates(document_id, sentence_id, start, end, text, date_start, date_end, granularity, relative, rule,"
        " page) VALUES (?1,NULLIF(?2,0),?3,?4,?5,?6,?7,?8,?9,?10,NULLIF(?11,0))",
        "INSERT OR IGNORE INTO persons(name) VALUES (?1)",
        "SELECT id FROM persons WHERE name = ?1",
        "INSERT OR IGNORE INTO aliases(person_id, alias) VALUES (?1, ?2)",
        "INSERT INTO person_mentions(document_id, sentence_id, person_id, start, end, text, title, role, party, rule,"
        " page) VALUES (?1,NULLIF(?2,0),?3,?4,?5,?6,?7,?8,?9,?10,NULLIF(?11,0))",
        "INSERT INTO claims(document_id, sentence_id, start, end, text, indicator, actual_value, actual_unit,"
        " target_value, target_unit, target_derived, previous_value, previous_unit, gap_value, gap_unit, met,"
        " period_start, period_end, speaker_id, rule, change_value, change_unit, page, floor_value, floor_unit, status)"
        " VALUES (?1,NULLIF(?2,0),?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,NULLIF(?23,0),"
        "?24,?25,NULLIF(?26,''))",
        "INSERT INTO events(document_id, sentence_id, start, end, text, type, date_start, date_end,"
        " date_text, granularity, since, planned, actor, rule, subject, target, page)"
        " VALUES (?1,NULLIF(?2,0),?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,NULLIF(?17,0))",
        "INSERT INTO site_blocks(site, hash, sample, documents) VALUES (?1, ?2, ?3, 1)"
        " ON CONFLICT(site, hash) DO UPDATE SET documents = documents + 1",
        "SELECT documents FROM site_blocks WHERE site = ?1 AND hash = ?2",
        "SELECT block_site, block_hashes FROM documents WHERE sha256 = ?1",
        "UPDATE site_blocks SET documents = documents - 1 WHERE site = ?1 AND hash = ?2",
        "SELECT rules_version = ?2 FROM documents WHERE sha256 = ?1",
        "BEGIN",
        "PRAGMA schema_version",
        "COMMIT",
    };
    if (s->prepared)
        return CS_OK;
    sqlite3_stmt **all = (sqlite3_stmt **)&s->q;
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &all[i], NULL) != SQLITE_OK)
            return db_fail(s, err, "cannot prepare a statement");
    s->prepared = 1;
    return CS_OK;
}

#define SITE_BLOCK_MAX 160 /* longer blocks are prose, never site chrome */

/* A hash of a block's text with case, white space and digits folded, so
 * "Published 12 March" and "Published 3 June" are the same line. */
static uint64_t block_key(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    int digits = 0, space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            if (digits)
                continue;
            c = '#', digits = 1;
        } else {
            digits = 0;
        }
        if (c == ' ' || c == '\t') {
            if (space)
                continue;
            space = 1;
        } else {
            space = 0;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

/* A block key as stored: 16 hex digits. */
static void key_hex(uint64_t k, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)k);
}

int store_site_key(const doc *d, char *out, size_t cap)
{
    out[0] = '\0';
    if (d->site && d->site[0]) {
        snprintf(out, cap, "%s", d->site);
        return 1;
    }
    const char *u = d->canonical;
    if (u && strstr(u, "://")) {
        const char *h = strstr(u, "://") + 3;
        size_t n = strcspn(h, "/:?#");
        snprintf(out, cap, "%.*s", (int)n, h);
        return n > 0;
    }
    return 0; /* a directory is not a site */
}

/* 1 when d's block i counts under its site once d is stored: short, not a
 * table row, kept by the classifier or dropped as a site repeat. */
static int counts_for_site(const doc *d, size_t i)
{
    const doc_block *b = &d->blocks[i];
    int want = b->keep || (b->why && !strcmp(b->why, "repeated across the site"));
    return want && b->chars <= SITE_BLOCK_MAX && b->kind != DOC_BLOCK_ROW;
}

/* The keys of d's blocks no longer than SITE_BLOCK_MAX (0 for the others),
 * each block hashed once. */
static uint64_t *short_block_keys(const doc *d)
{
    uint64_t *k = cs_xcalloc(d->nblocks + 1, sizeof *k);
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].chars <= SITE_BLOCK_MAX)
            k[i] = block_key(doc_block_text(d, i), d->blocks[i].len);
    return k;
}

/* The index of the first of d's blocks (n of them) with key k, or n. */
static size_t first_with(const uint64_t *keys, size_t n, const doc *d, uint64_t k)
{
    size_t i = 0;
    while (i < n && (keys[i] != k || d->blocks[i].chars > SITE_BLOCK_MAX))
        i++;
    return i;
}

/* The blocks of d that count under its site, one per distinct key in the
 * order they come: their indexes, *n of them. keys from short_block_keys. */
static size_t *site_blocks(const doc *d, const uint64_t *keys, size_t *n)
{
    size_t *at = cs_xcalloc(d->nblocks + 1, sizeof *at);
    *n = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        if (!counts_for_site(d, i))
            continue;
        size_t k = 0;
        while (k < *n && keys[at[k]] != keys[i])
            k++;
        if (k == *n)
            at[(*n)++] = i;
    }
    return at;
}

/* 1 if the 16-hex-digit hash h is in the concatenated list (NULL: none). */
static int in_hashes(const char *list, const char *h)
{
    for (const char *p = list; p && strlen(p) >= 16; p += 16)
        if (!memcmp(p, h, 16))
            return 1;
    return 0;
}

static int key_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *store_site_keys(const doc *d, size_t *n)
{
    uint64_t *keys = short_block_keys(d);
    size_t *at = site_blocks(d, keys, n);
    uint64_t *out = cs_xcalloc(*n + 1, sizeof *out);
    for (size_t i = 0; i < *n; i++)
        out[i] = keys[at[i]];
    qsort(out, *n, sizeof *out, key_order);
    free(at);
    free(keys);
    return out;
}

/* The hashes the stored copy of these bytes counts under site (malloc'd),
 * or NULL when no copy counts any there. */
static char *stored_hashes(store *s, const char *sha256, const char *site)
{
    char *list = NULL;
    sqlite3_stmt *st = s->q.sb_old;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 1) && sqlite3_column_text(st, 0) &&
        !strcmp((const char *)sqlite3_column_text(st, 0), site))
        list = cs_xstrdup((const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    return list;
}

int store_stored_site(store *s, const char *sha256, char **site)
{
    cs_error err;
    *site = NULL;
    if (prepare(s, &err) != CS_OK)
        return -1;
    sqlite3_stmt *st = s->q.sb_old;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) && sqlite3_column_text(st, 1))
        *site = cs_xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Adds sign to delta[i] for each key of list (a stored hash list) that is
 * p's key i. */
static void count_list(const char *list, const store_pending *p, int sign, int *delta)
{
    size_t n = list ? strlen(list) / 16 : 0;
    for (size_t i = 0; i < n; i++) {
        char hex[17];
        memcpy(hex, list + 16 * i, 16);
        hex[16] = '\0';
        uint64_t k = strtoull(hex, NULL, 16);
        const uint64_t *at = bsearch(&k, p->keys, p->n, sizeof k, key_order);
        if (at)
            delta[at - p->keys] += sign;
    }
}

/* What the pending documents change in the counts of p's keys: their own
 * blocks, less those of the stored copies they replace (read in s). */
static int *pending_delta(store *s, const store_pending *p, const char *site)
{
    int *delta = cs_xcalloc(p->n + 1, sizeof *delta);
    for (size_t i = 0; i < p->n; i++)
        delta[i] = p->add[i];
    for (size_t i = 0; i < p->nreplaced; i++) {
        char *old = stored_hashes(s, p->replaced[i], site);
        count_list(old, p, -1, delta);
        free(old);
    }
    return delta;
}

/* The documents of site that have stored block k (hex the same), by s's
 * counts and what p and d's own earlier copy (own) change in them. */
static int site_count(store *s, const char *site, uint64_t k, const char *own, const store_pending *p,
                      const int *delta)
{
    char hex[17];
    key_hex(k, hex);
    sqlite3_stmt *st = s->q.sb_count;
    sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
    int count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    count -= in_hashes(own, hex); /* a re-ingested document must not count its own earlier copy */
    const uint64_t *at = p ? bsearch(&k, p->keys, p->n, sizeof k, key_order) : NULL;
    return count + (at ? delta[at - p->keys] : 0);
}

void store_block_filter_pending(store *s, doc *d, const store_pending *p)
{
    char site[256];
    cs_error err;
    if (!store_site_key(d, site, sizeof site) || prepare(s, &err) != CS_OK)
        return; /* no site to learn from, or a database that cannot answer */
    int *delta = p ? pending_delta(s, p, site) : NULL;
    char *own = stored_hashes(s, d->sha256, site);
    uint64_t *keys = short_block_keys(d);
    size_t *repeat = cs_xcalloc(d->nblocks + 1, sizeof *repeat), nrep = 0, kept = 0, dropped = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        doc_block *b = &d->blocks[i];
        if (!b->keep)
            continue;
        kept += b->chars;
        if (b->chars > SITE_BLOCK_MAX || b->kind == DOC_BLOCK_ROW)
            continue; /* table rows repeat by design: a report's header row is not chrome */
        if (site_count(s, site, keys[i], own, p, delta) >= 2) {
            repeat[nrep++] = i;
            dropped += b->chars;
        }
    }
    free(keys);
    free(own);
    free(delta);
    /* A document that is mostly repeats is a copy of another, not chrome:
     * leave it whole rather than empty it. */
    if (dropped * 2 <= kept)
        for (size_t k = 0; k < nrep; k++) {
            d->blocks[repeat[k]].keep = 0;
            d->blocks[repeat[k]].why = "repeated across the site";
        }
    free(repeat);
}

void store_block_filter(void *ctx, doc *d)
{
    store_block_filter_pending(ctx, d, NULL);
}

/* Steps a statement that returns at most a row; 1 when it ran. */
static int step_once(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

cs_status store_read_begin(store *s, cs_error *err)
{
    if (prepare(s, err) != CS_OK)
        return CS_ERR_DB;
    if (!step_once(s->q.read_begin))
        return db_fail(s, err, "cannot begin a read");
    /* The snapshot is taken at the first read, not at BEGIN. */
    if (!step_once(s->q.read_snapshot)) {
        store_read_end(s);
        return db_fail(s, err, "cannot read the database");
    }
    return CS_OK;
}

void store_read_end(store *s)
{
    (void)step_once(s->q.read_end);
}

/* Uncounts the site blocks of the stored copy of these bytes, if any. */
static cs_status forget_site_blocks(store *s, const char *sha256, cs_error *err)
{
    sqlite3_bind_text(s->q.sb_old, 1, sha256, -1, SQLITE_STATIC);
    char *site = NULL, *list = NULL;
    if (sqlite3_step(s->q.sb_old) == SQLITE_ROW && sqlite3_column_text(s->q.sb_old, 0) &&
        sqlite3_column_text(s->q.sb_old, 1)) {
        site = cs_xstrdup((const char *)sqlite3_column_text(s->q.sb_old, 0));
        list = cs_xstrdup((const char *)sqlite3_column_text(s->q.sb_old, 1));
    }
    sqlite3_reset(s->q.sb_old);
    cs_status rc = CS_OK;
    for (const char *p = list; p && strlen(p) >= 16 && rc == CS_OK; p += 16) {
        sqlite3_bind_text(s->q.sb_uncount, 1, site, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->q.sb_uncount, 2, p, 16, SQLITE_STATIC);
        if (!run(s->q.sb_uncount))
            rc = db_fail(s, err, "cannot update site blocks");
    }
    free(site);
    free(list);
    return rc;
}

/* Counts the document's short blocks under its site: those the classifier
 * kept and those dropped as site repeats (chrome already dropped need not
 * be learned), each once. *uniq gets the list stored on the document's row. */
static cs_status put_site_blocks(store *s, const doc *d, const char *site, buf *uniq, cs_error *err)
{
    uint64_t *keys = short_block_keys(d);
    size_t n, *at = site_blocks(d, keys, &n);
    cs_status rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        char h[17];
        key_hex(keys[at[i]], h);
        buf_put(uniq, h, 16);
        size_t k = first_with(keys, d->nblocks, d, keys[at[i]]); /* the sample: the first such line */
        sqlite3_stmt *up = s->q.sb_upsert;
        sqlite3_bind_text(up, 1, site, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, h, 16, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, doc_block_text(d, k), (int)d->blocks[k].len, SQLITE_STATIC);
        if (!run(up))
            rc = db_fail(s, err, "cannot record site blocks");
    }
    free(at);
    free(keys);
    return rc;
}

/* A second connection to s's database file; NULL for an in-memory one. */
static store *open_peer(store *s, int flags)
{
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!path || !path[0])
        return NULL; /* an in-memory or temporary database has no second door */
    store *r = cs_xcalloc(1, sizeof *r);
    if (sqlite3_open_v2(path, &r->db, flags, NULL) != SQLITE_OK) {
        store_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r->db, 5000);
    return r;
}

store *store_open_reader(store *s)
{
    return open_peer(s, SQLITE_OPEN_READONLY);
}

store *store_open_checkpointer(store *s)
{
    store *c = open_peer(s, SQLITE_OPEN_READWRITE);
    cs_error err;
    /* A connection finds the WAL only when it first reads. */
    if (c && exec(c, "SELECT count(*) FROM sqlite_schema", &err) != CS_OK) {
        store_close(c);
        return NULL;
    }
    if (c)
        sqlite3_wal_autocheckpoint(c->db, 0);
    return c;
}

struct commit_hook {
    store_commit_fn fn;
    void *ctx;
};

static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db, (void)name;
    struct commit_hook *h = arg;
    h->fn(h->ctx, frames);
    return SQLITE_OK;
}

void store_on_commit(store *s, store_commit_fn fn, void *ctx)
{
    free(s->hook);
    s->hook = NULL;
    if (!fn) {
        sqlite3_wal_autocheckpoint(s->db, STORE_AUTOCHECKPOINT);
        return;
    }
    s->hook = cs_xmalloc(sizeof *s->hook);
    s->hook->fn = fn;
    s->hook->ctx = ctx;
    sqlite3_wal_hook(s->db, on_wal_commit, s->hook); /* replaces the automatic checkpoints */
}

void store_checkpoint(store *s)
{
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

struct sqlite3 *store_db(store *s)
{
    return s->db;
}

int store_is_current(store *s, const char *sha256, const char *rules_version)
{
    cs_error err;
    if (prepare(s, &err) != CS_OK)
        return -1;
    sqlite3_stmt *st = s->q.current;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rules_version, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? (sqlite3_column_int(st, 0) ? 1 : 2) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}



static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Spans were checked where the records were built (extract_document). */
static void bind_span(sqlite3_stmt *st, int i, const char *text, size_t a, size_t b)
{
    assert(a <= b && b - a <= INT_MAX);
    sqlite3_bind_text(st, i, text + a, (int)(b - a), SQLITE_TRANSIENT);
}

static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* The id of the person of that name, added when new; -1 on an error.
 * Most mentions name someone known: one lookup finds them. */
static long long person_id(store *s, stmts *q, const char *name)
{
    sqlite3_bind_text(q->person_id, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q->person_id);
    long long id = rc == SQLITE_ROW ? sqlite3_column_int64(q->person_id, 0) : -1;
    sqlite3_reset(q->person_id);
    if (rc != SQLITE_DONE)
        return id;
    sqlite3_bind_text(q->person, 1, name, -1, SQLITE_STATIC);
    if (!run(q->person) || sqlite3_changes(s->db) != 1)
        return -1;
    return sqlite3_last_insert_rowid(s->db);
}

/* Binds an interval's first and last day, as YYYY-MM-DD, to columns i and i + 1. */
static void bind_interval(sqlite3_stmt *st, int i, const dates_interval *iv)
{
    char a[11], b[11];
    dates_format(&iv->start, a);
    dates_format(&iv->end, b);
    sqlite3_bind_text(st, i, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i + 1, b, -1, SQLITE_TRANSIENT);
}

static void bind_qty(sqlite3_stmt *st, int i, const claims_qty *qq)
{
    if (qq->set) {
        sqlite3_bind_double(st, i, qq->value);
        sqlite3_bind_text(st, i + 1, qq->unit, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, i);
        sqlite3_bind_null(st, i + 1);
    }
}

/* The document's own row, after its stored copy (rows and site counts) is
 * gone; *doc_id gets its id. */
static cs_status put_document(store *s, stmts *q, const doc *d, const char *rules_version, long long *doc_id,
                              cs_error *err)
{
    cs_status fr = forget_site_blocks(s, d->sha256, err);
    if (fr != CS_OK)
        return fr;
    sqlite3_bind_text(q->del, 1, d->sha256, -1, SQLITE_STATIC);
    if (!run(q->del))
        return db_fail(s, err, "cannot replace the document");
    char site[256];
    int known = store_site_key(d, site, sizeof site);
    buf blocks;
    buf_init(&blocks, 0);
    if (known && (fr = put_site_blocks(s, d, site, &blocks, err)) != CS_OK) {
        buf_free(&blocks);
        return fr;
    }
    sqlite3_stmt *st = q->doc;
    sqlite3_bind_text(st, 1, d->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->path, -1, SQLITE_STATIC);
    bind_text(st, 3, d->title);
    bind_text(st, 4, d->published);
    bind_text(st, 5, d->site);
    bind_text(st, 6, d->byline);
    bind_text(st, 7, d->canonical);
    bind_text(st, 8, d->lang);
    sqlite3_bind_text(st, 9, d->type, -1, SQLITE_STATIC);
    bind_text(st, 10, d->charset);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)d->chars_in);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)d->chars_kept);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)d->blocks_kept);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)d->blocks_dropped);
    sqlite3_bind_text(st, 15, rules_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 16, d->text, (int)d->text_len, SQLITE_STATIC);
    if (known) {
        sqlite3_bind_text(st, 17, site, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 18, buf_str(&blocks), (int)blocks.len, SQLITE_STATIC);
    }
    sqlite3_bind_int(st, 19, d->pages);
    int stored = run(st);
    buf_free(&blocks);
    if (!stored)
        return db_fail(s, err, "cannot store the document");
    *doc_id = sqlite3_last_insert_rowid(s->db);
    return CS_OK;
}

/* Only the sentences something points to are stored: provenance needs
 * them, and the full text is searchable through documents_fts. *sid gets
 * each sentence's id (0: not stored; malloc'd, the caller frees). */
static cs_status put_sentences(store *s, stmts *q, const extract_result *r, long long doc_id, long long **sid,
                               cs_error *err)
{
    char *used = cs_xcalloc(r->nsent + 1, 1);
    for (size_t i = 0; i < r->ms.n; i++)
        if (r->ms.v[i].sentence < r->nsent && r->ms.v[i].kind != MENTION_CUE && r->ms.v[i].kind != MENTION_EVENT)
            used[r->ms.v[i].sentence] = 1;
    for (size_t i = 0; i < r->claims.n; i++)
        if (r->claims.v[i].sentence < r->nsent)
            used[r->claims.v[i].sentence] = 1;
    for (size_t i = 0; i < r->events.n; i++)
        if (r->events.v[i].sentence < r->nsent)
            used[r->events.v[i].sentence] = 1;
    *sid = cs_xcalloc(r->nsent + 1, sizeof **sid);
    cs_status rc = CS_OK;
    for (size_t i = 0; i < r->nsent && rc == CS_OK; i++) {
        if (!used[i])
            continue;
        sqlite3_stmt *st = q->sent;
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)r->sents[i].start);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)r->sents[i].end);
        bind_span(st, 5, r->d->text, r->sents[i].start, r->sents[i].end);
        if (!run(st))
            rc = db_fail(s, err, "cannot store a sentence");
        else
            (*sid)[i] = sqlite3_last_insert_rowid(s->db);
    }
    free(used);
    return rc;
}

/* Where the rows of one document go: its id, its text, and the ids of
 * its stored sentences. */
typedef struct {
    long long doc_id;
    const doc *d;
    const long long *sid;
    size_t nsent;
} put_ctx;

static long long sentence_id(const put_ctx *p, size_t idx)
{
    return idx < p->nsent ? p->sid[idx] : 0;
}

/* Binds the columns every mention row starts with: document, sentence,
 * start, end and the span's text. */
static void bind_place(sqlite3_stmt *st, const put_ctx *p, size_t sentence, size_t start, size_t end)
{
    sqlite3_bind_int64(st, 1, p->doc_id);
    sqlite3_bind_int64(st, 2, sentence_id(p, sentence));
    sqlite3_bind_int64(st, 3, (sqlite3_int64)start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)end);
    bind_span(st, 5, p->d->text, start, end);
}

/* A person mention: the person (by name), the alias it was named by, and
 * the mention. 1 when stored. */
static int put_person(store *s, stmts *q, const put_ctx *p, const mention *m)
{
    long long pid = person_id(s, q, m->person.name);
    if (pid <= 0)
        return 0;
    sqlite3_stmt *st = q->alias;
    sqlite3_bind_int64(st, 1, pid);
    bind_span(st, 2, p->d->text, m->start, m->end);
    if (!run(st))
        return 0;
    st = q->pmention;
    sqlite3_bind_int64(st, 1, p->doc_id);
    sqlite3_bind_int64(st, 2, sentence_id(p, m->sentence));
    sqlite3_bind_int64(st, 3, pid);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)m->start);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)m->end);
    bind_span(st, 6, p->d->text, m->start, m->end);
    bind_text(st, 7, m->person.title);
    bind_text(st, 8, m->person.role);
    bind_text(st, 9, m->person.party);
    bind_text(st, 10, m->rule);
    sqlite3_bind_int(st, 11, doc_page_at(p->d, m->start));
    return run(st);
}

/* One mention's row: a figure, a date or a person (others have none). 1
 * when stored or nothing to store. */
static int put_mention(store *s, stmts *q, const put_ctx *p, const mention *m)
{
    sqlite3_stmt *st;
    if (m->kind == MENTION_FIGURE) {
        st = q->fig;
        bind_place(st, p, m->sentence, m->start, m->end);
        sqlite3_bind_double(st, 6, m->fig.value);
        sqlite3_bind_text(st, 7, m->fig.unit, -1, SQLITE_STATIC);
        if (m->fig.has_of)
            sqlite3_bind_double(st, 8, m->fig.of);
        sqlite3_bind_int(st, 9, m->fig.approx);
    } else if (m->kind == MENTION_DATE) {
        st = q->date;
        bind_place(st, p, m->sentence, m->start, m->end);
        bind_interval(st, 6, &m->date);
        sqlite3_bind_text(st, 8, m->date.granularity, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 9, m->date.relative);
    } else if (m->kind == MENTION_PERSON && m->person.name) {
        return put_person(s, q, p, m);
    } else {
        return 1;
    }
    bind_text(st, 10, m->rule);
    sqlite3_bind_int(st, 11, doc_page_at(p->d, m->start));
    return run(st);
}

static int put_claim(store *s, stmts *q, const put_ctx *p, const claims_claim *c)
{
    sqlite3_stmt *st = q->claim;
    bind_place(st, p, c->sentence, c->start, c->end);
    bind_text(st, 6, c->indicator ? c->indicator : "");
    bind_qty(st, 7, &c->actual);
    bind_qty(st, 9, &c->target);
    sqlite3_bind_int(st, 11, c->target_derived);
    bind_qty(st, 12, &c->previous);
    bind_qty(st, 14, &c->gap);
    if (c->met >= 0)
        sqlite3_bind_int(st, 16, c->met);
    if (c->has_period)
        bind_interval(st, 17, &c->period);
    if (c->speaker) {
        long long pid = person_id(s, q, c->speaker);
        if (pid > 0)
            sqlite3_bind_int64(st, 19, pid);
    }
    bind_text(st, 20, c->rule);
    bind_qty(st, 21, &c->change);
    sqlite3_bind_int(st, 23, doc_page_at(p->d, c->start));
    bind_qty(st, 24, &c->floor);
    bind_text(st, 26, c->status);
    return run(st);
}

static int put_event(stmts *q, const put_ctx *p, const events_event *e)
{
    sqlite3_stmt *ev = q->event;
    bind_place(ev, p, e->sentence, e->start, e->end);
    sqlite3_bind_text(ev, 6, e->type, -1, SQLITE_TRANSIENT);
    if (e->has_date) {
        bind_interval(ev, 7, &e->date);
        if (e->date_end > e->date_start)
            bind_span(ev, 9, p->d->text, e->date_start, e->date_end);
        sqlite3_bind_text(ev, 10, e->date.granularity, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(ev, 11, e->since);
    sqlite3_bind_int(ev, 12, e->planned);
    bind_text(ev, 13, e->actor);
    bind_text(ev, 14, e->rule);
    bind_text(ev, 15, e->subject);
    bind_text(ev, 16, e->target);
    sqlite3_bind_int(ev, 17, doc_page_at(p->d, e->start));
    return run(ev);
}

/* Every row of r's document, inside store_put's transaction. */
static cs_status put_rows(store *s, stmts *q, const extract_result *r, const char *rules_version, cs_error *err)
{
    long long doc_id = 0, *sid = NULL;
    cs_status rc = put_document(s, q, r->d, rules_version, &doc_id, err);
    if (rc == CS_OK)
        rc = put_sentences(s, q, r, doc_id, &sid, err);
    put_ctx p = {doc_id, r->d, sid, r->nsent};
    for (size_t i = 0; rc == CS_OK && i < r->ms.n; i++)
        if (!put_mention(s, q, &p, &r->ms.v[i]))
            rc = db_fail(s, err, "cannot store a mention");
    for (size_t i = 0; rc == CS_OK && i < r->claims.n; i++)
        if (!put_claim(s, q, &p, &r->claims.v[i]))
            rc = db_fail(s, err, "cannot store a claim");
    for (size_t i = 0; rc == CS_OK && i < r->events.n; i++)
        if (!put_event(q, &p, &r->events.v[i]))
            rc = db_fail(s, err, "cannot store an event");
    free(sid);
    return rc;
}

cs_status store_put(store *s, const extract_result *r, const char *rules_version, cs_error *err)
{
    cs_status rc = prepare(s, err);
    if (rc != CS_OK)
        return rc;
    /* Inside a batch no savepoint: FTS5 writes its pending terms to the
     * index at every savepoint, which undid the batch's gain. */
    if (store_in_batch(s))
        return put_rows(s, &s->q, r, rules_version, err);
    if ((rc = exec(s, "BEGIN IMMEDIATE", err)) == CS_OK) {
        rc = put_rows(s, &s->q, r, rules_version, err);
        cs_error e2;
        if (rc == CS_OK)
            rc = exec(s, "COMMIT", err);
        else
            (void)exec(s, "ROLLBACK", &e2);
    }
    return rc;
}

cs_status store_begin(store *s, cs_error *err)
{
    return exec(s, "BEGIN IMMEDIATE", err);
}

int store_in_batch(store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

cs_status store_commit(store *s, cs_error *err)
{
    if (!store_in_batch(s))
        return cs_fail(err, CS_ERR_DB, "the batch was rolled back by a failure before");
    cs_status rc = exec(s, "COMMIT", err);
    if (rc != CS_OK)
        store_rollback(s);
    return rc;
}

void store_rollback(store *s)
{
    cs_error err;
    if (store_in_batch(s))
        (void)exec(s, "ROLLBACK", &err);
}

cs_status store_count(store *s, store_counts *c, cs_error *err)
{
    store_cursor *q = store_cursor_open(s,
                                        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences),"
                                        " (SELECT count(*) FROM figures), (SELECT count(*) FROM dates),"
                                        " (SELECT count(DISTINCT person_id) FROM person_mentions),"
                                        " (SELECT count(*) FROM claims)",
                                        "the counts", err);
    if (!q)
        return CS_ERR_DB;
    memset(c, 0, sizeof *c);
    if (store_cursor_next(q)) {
        c->documents = store_cursor_int(q, 0);
        c->sentences = store_cursor_int(q, 1);
        c->figures = store_cursor_int(q, 2);
        c->dates = store_cursor_int(q, 3);
        c->persons = store_cursor_int(q, 4);
        c->claims = store_cursor_int(q, 5);
        while (store_cursor_next(q))
            ;
    }
    return store_cursor_close(q, CS_OK, err);
}


static const char *qty_text(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        out[0] = '\0';
        return out;
    }
    const char *unit = (const char *)sqlite3_column_text(st, col + 1);
    double v = sqlite3_column_double(st, col);
    if (unit && !strcmp(unit, "percent"))
        snprintf(out, cap, "%.10g%%", v);
    else if (unit && !strcmp(unit, "GBP"))
        snprintf(out, cap, "£%.10g", v);
    else
        snprintf(out, cap, "%.10g %s", v, unit && strcmp(unit, "count") ? unit : "");
    size_t n = strlen(out);
    while (n && out[n - 1] == ' ')
        out[--n] = '\0';
    return out;
}

/* The columns of claims' CSV and TSV; their JSON Lines records carry the
 * same values, each quantity as {value, unit}. */
static const rows_col claim_columns[] = {
    {"claim_id", "claim_id", NULL},
    {"document", "doc", NULL},
    {"published", "published", NULL},
    {"indicator", "indicator", NULL},
    {"actual_value", "actual.value", NULL},
    {"actual_unit", "actual.unit", NULL},
    {"target_value", "target.value", NULL},
    {"target_unit", "target.unit", NULL},
    {"target_derived", "target_derived", NULL},
    {"previous_value", "previous.value", NULL},
    {"previous_unit", "previous.unit", NULL},
    {"gap_value", "target_gap.value", NULL},
    {"gap_unit", "target_gap.unit", NULL},
    {"change_value", "change.value", NULL},
    {"change_unit", "change.unit", NULL},
    {"floor_value", "floor.value", NULL},
    {"floor_unit", "floor.unit", NULL},
    {"status", "status", NULL},
    {"met", "met", NULL},
    {"period_start", "period.start", NULL},
    {"period_end", "period.end", NULL},
    {"speaker", "speaker", NULL},
    {"title", "title", NULL},
    {"page", "page", NULL},
    {"sentence", "sentence", NULL},
};

/* {value, unit} from columns i and i + 1, or null. */
static json_t *qty_json(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json_null();
    const char *u = (const char *)sqlite3_column_text(st, i + 1);
    return json_pack("{s:o,s:s}", "value", extract_number(sqlite3_column_double(st, i)), "unit", u ? u : "");
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? json_string(t) : json_null();
}

/* One row of the claims query as a record. */
static json_t *claim_record(sqlite3_stmt *st)
{
    json_t *o = json_pack("{s:I,s:o,s:o,s:o}", "claim_id", (json_int_t)sqlite3_column_int64(st, 17), "doc",
                          text_or_null(st, 0), "published", text_or_null(st, 1), "indicator", text_or_null(st, 2));
    if (sqlite3_column_type(st, 21) != SQLITE_NULL)
        json_object_set_new(o, "page", json_integer(sqlite3_column_int(st, 21)));
    json_object_set_new(o, "actual", qty_json(st, 3));
    json_object_set_new(o, "target", qty_json(st, 5));
    json_object_set_new(o, "target_derived", json_boolean(sqlite3_column_int(st, 14)));
    json_object_set_new(o, "previous", qty_json(st, 7));
    json_object_set_new(o, "target_gap", qty_json(st, 9));
    json_object_set_new(o, "change", qty_json(st, 18));
    json_object_set_new(o, "floor", qty_json(st, 22));
    json_object_set_new(o, "status", text_or_null(st, 24));
    json_object_set_new(o, "met", sqlite3_column_type(st, 11) == SQLITE_NULL ? json_null()
                                                                               : json_boolean(sqlite3_column_int(st, 11)));
    json_object_set_new(o, "period", sqlite3_column_type(st, 15) == SQLITE_NULL
                                         ? json_null()
                                         : json_pack("{s:o,s:o}", "start", text_or_null(st, 15), "end",
                                                     text_or_null(st, 16)));
    json_object_set_new(o, "speaker", text_or_null(st, 12));
    json_object_set_new(o, "title", text_or_null(st, 20));
    json_object_set_new(o, "sentence", text_or_null(st, 13));
    return o;
}


const store_marks store_plain_marks = {{"", ""}, {"", ""}, {"", ""}, {"[", "]"}};

/* Writes s (NULL as empty), escaped for a terminal, then after: the
 * table formats show document text and file names. */
static void show(FILE *out, const char *s, const char *after)
{
    if (strs_show(out, s, s ? strlen(s) : 0) == CS_OK)
        fputs(after, out); /* else the caller finds the stream failed */
}

/* The figures line of a claims row: actual, target, previous, gap,
 * floor, the stated status, met or missed, the speaker. */
static void claim_values(FILE *out, sqlite3_stmt *st, const store_marks *m)
{
    static const struct {
        int col;
        const char *label;
    } qs[] = {{5, "target"}, {7, "previous"}, {9, "gap"}, {22, "floor"}};
    char v[64];
    qty_text(st, 3, v, sizeof v);
    fprintf(out, "\n    actual %s", v[0] ? v : "-");
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        qty_text(st, qs[i].col, v, sizeof v);
        if (v[0])
            fprintf(out, "  %s %s%s", qs[i].label, v, qs[i].col == 5 && sqlite3_column_int(st, 14) ? " (derived)" : "");
    }
    const char *status = (const char *)sqlite3_column_text(st, 24), *spk = (const char *)sqlite3_column_text(st, 12);
    if (status) {
        fputs("  status ", out);
        show(out, status, "");
    }
    int met = sqlite3_column_int(st, 11);
    if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        fprintf(out, "  %s%s%s", met ? m->met[0] : m->missed[0], met ? "met" : "missed", met ? m->met[1] : m->missed[1]);
    if (spk) {
        fputs("  said by ", out);
        show(out, spk, "");
    }
}

/* One row of the claims query, for reading, stressed with m. */
static void claim_table_row(FILE *out, sqlite3_stmt *st, const store_marks *m)
{
    const char *docp = (const char *)sqlite3_column_text(st, 0);
    const char *pub = (const char *)sqlite3_column_text(st, 1);
    const char *ind = (const char *)sqlite3_column_text(st, 2);
    const char *sen = (const char *)sqlite3_column_text(st, 13);
    show(out, docp, "");
    if (sqlite3_column_type(st, 21) != SQLITE_NULL)
        fprintf(out, ", p. %d", sqlite3_column_int(st, 21));
    fputs("  ", out);
    show(out, pub ? pub : "-", "  ");
    fputs(m->strong[0], out);
    show(out, ind, m->strong[1]);
    claim_values(out, st, m);
    fputs("\n    \"", out);
    show(out, sen, "\"\n");
}

cs_status store_list_claims(store *s, const store_query *q, const char *format, FILE *out, size_t *found,
                            cs_error *err)
{
    const char *sql = "SELECT v.document, v.published, v.indicator, v.actual_value, v.actual_unit, v.target_value,"
                      " v.target_unit, v.previous_value, v.previous_unit, v.gap_value, v.gap_unit, v.met, v.speaker,"
                      " v.sentence, v.target_derived, v.period_start, v.period_end, v.claim_id, c.change_value,"
                      " c.change_unit, v.title, v.page, v.floor_value, v.floor_unit, v.status"
                      " FROM claims_view v JOIN claims c ON c.id = v.claim_id"
                      " WHERE (?1 IS NULL OR v.indicator LIKE '%' || ?1 || '%')"
                      " AND (?2 IS NULL OR v.speaker LIKE '%' || ?2 || '%')"
                      " AND (?3 IS NULL OR v.document LIKE '%' || ?3 || '%')"
                      " AND (?4 IS NULL OR (?4 = 'yes' AND v.met = 1) OR (?4 = 'no' AND v.met = 0)"
                      "      OR (?4 = 'unknown' AND v.met IS NULL))"
                      " ORDER BY v.published, v.document, v.start";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "cannot query claims");
    bind_text(st, 1, q->indicator);
    bind_text(st, 2, q->speaker);
    bind_text(st, 3, q->doc);
    bind_text(st, 4, q->met);
    int fmt = rows_format_of(format);
    size_t ncols = sizeof claim_columns / sizeof *claim_columns;
    if (fmt >= 0)
        rows_header(out, (rows_format)fmt, claim_columns, ncols);
    int rc = SQLITE_DONE;
    size_t rows = 0;
    while (!ferror(out) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fmt < 0) {
            claim_table_row(out, st, q->marks ? q->marks : &store_plain_marks);
        } else {
            json_t *o = claim_record(st);
            rows_put(out, (rows_format)fmt, claim_columns, ncols, o);
            json_decref(o);
        }
        rows++;
    }
    sqlite3_finalize(st);
    *found = rows;
    if (ferror(out))
        return cs_fail(err, CS_ERR_IO, "cannot write the claims");
    if (rc != SQLITE_DONE)
        return db_fail(s, err, "cannot read claims");
    return CS_OK;
}

/* A full-text query from plain words: each word a quoted string, so that
 * apostrophes, hyphens and colons are text, not query syntax. */
static char *words_query(const char *q)
{
    buf b;
    buf_init(&b, 0);
    for (const char *p = q; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        buf_putc(&b, b.len ? ' ' : '"');
        if (b.len > 1)
            buf_putc(&b, '"');
        for (; *p && *p != ' ' && *p != '\t'; p++) {
            if (*p == '"')
                buf_putc(&b, '"');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '"');
    }
    return buf_detach(&b);
}

/* s with each run of white space that holds a line break made one space
 * (a snippet may cross blocks); malloc'd, NULL for NULL. */
static char *one_line(const char *s)
{
    if (!s)
        return NULL;
    char *o = cs_xstrdup(s), *w = o;
    for (const char *p = s; *p;) {
        size_t k = strspn(p, " \t\r\n");
        if (k && memchr(p, '\n', k)) {
            if (w != o)
                *w++ = ' ';
            p += k;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return o;
}

static const rows_col search_columns[] = {
    {"document_id", "document_id", NULL}, {"document", "doc", NULL}, {"title", "title", NULL},
    {"published", "published", NULL},     {"claims", "claims", NULL}, {"snippet", "snippet", NULL},
};

/* Steps st, bound to query; when query is not FTS5 syntax, rebinds it to
 * *plain, the same words as text (freed by the caller). */
static int search_step(sqlite3_stmt *st, const char *query, char **plain)
{
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ERROR)
        return rc;
    /* Not the query language (an apostrophe, a colon...): the words as text. */
    sqlite3_reset(st);
    *plain = words_query(query);
    sqlite3_bind_text(st, 1, *plain, -1, SQLITE_STATIC);
    return sqlite3_step(st);
}

#define MARK_OPEN "\xEE\x80\x80"  /* U+E000 */
#define MARK_CLOSE "\xEE\x80\x81" /* U+E001 */

/* Writes a snippet escaped for a terminal, its matches (between MARK_OPEN
 * and MARK_CLOSE) marked by m, then a line break. */
static void show_marked(FILE *out, const char *snip, const store_marks *m)
{
    buf b;
    buf_init(&b, 0);
    strs_safe(&b, snip ? snip : "", snip ? strlen(snip) : 0, STRS_ESCAPE_ALL);
    for (const char *p = buf_str(&b); *p;) {
        int open = !strncmp(p, MARK_OPEN, 3), close = !strncmp(p, MARK_CLOSE, 3);
        if (open || close) {
            fputs(m->match[open ? 0 : 1], out);
            p += 3;
        } else {
            fputc(*p++, out);
        }
    }
    fputc('\n', out);
    buf_free(&b);
}

cs_status store_search(store *s, const store_search_query *q, FILE *out, size_t *found, cs_error *err)
{
    const char *sql = "SELECT d.id, d.path, d.title, d.published,"
                      " snippet(documents_fts, 1, ?3, ?4, '\xE2\x80\xA6', 24),"
                      " (SELECT count(*) FROM claims c WHERE c.document_id = d.id)"
                      " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
                      " WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "cannot search");
    int fmt = rows_format_of(q->format);
    size_t ncols = sizeof search_columns / sizeof *search_columns, rows = 0;
    sqlite3_bind_int64(st, 2, q->limit ? (sqlite3_int64)q->limit : -1);
    /* The table marks matches after escaping the text, so its markers are
     * two private-use characters until then. */
    const store_marks *m = q->marks ? q->marks : &store_plain_marks;
    sqlite3_bind_text(st, 3, fmt < 0 ? MARK_OPEN : m->match[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, fmt < 0 ? MARK_CLOSE : m->match[1], -1, SQLITE_STATIC);
    char *plain = NULL;
    int rc = search_step(st, q->query, &plain);
    if (fmt >= 0 && (rc == SQLITE_ROW || rc == SQLITE_DONE))
        rows_header(out, (rows_format)fmt, search_columns, ncols);
    for (; rc == SQLITE_ROW && !ferror(out); rc = sqlite3_step(st)) {
        long long id = sqlite3_column_int64(st, 0), nclaims = sqlite3_column_int64(st, 5);
        const char *path = (const char *)sqlite3_column_text(st, 1), *title = (const char *)sqlite3_column_text(st, 2),
                   *pub = (const char *)sqlite3_column_text(st, 3);
        char *snip = one_line((const char *)sqlite3_column_text(st, 4));
        rows++;
        if (fmt < 0) {
            fprintf(out, "%zu. ", rows);
            show(out, path, "  ");
            show(out, pub ? pub : "-", "  ");
            show(out, title ? title : "-", "");
            fprintf(out, "  (%lld claim%s)\n    ", nclaims, nclaims == 1 ? "" : "s");
            show_marked(out, snip, m);
        } else {
            json_t *o = json_pack("{s:I,s:s,s:s?,s:s?,s:I,s:s?}", "document_id", (json_int_t)id, "doc", path, "title",
                                  title, "published", pub, "claims", (json_int_t)nclaims, "snippet", snip);
            rows_put(out, (rows_format)fmt, search_columns, ncols, o);
            json_decref(o);
        }
        free(snip);
    }
    cs_status result = CS_OK;
    if (ferror(out))
        result = cs_fail(err, CS_ERR_IO, "cannot write the search results");
    else if (rc != SQLITE_DONE)
        result = cs_fail(err, CS_ERR_USAGE, "cannot search for '%s': %s", q->query, sqlite3_errmsg(s->db));
    *found = rows;
    sqlite3_finalize(st);
    free(plain);
    return result;
}

/* ---- reading row by row ------------------------------------------------ */

struct store_cursor {
    store *s;
    sqlite3_stmt *st;
    const char *what; /* static: what it reads, for messages */
    char *failed;     /* the first failed step's message (malloc'd); NULL while none failed */
};

/* The database's file name, for messages ("" for one in memory). */
static const char *db_file(store *s)
{
    const char *f = sqlite3_db_filename(s->db, "main");
    return f && *f ? f : ":memory:";
}

store_cursor *store_cursor_open(store *s, const char *sql, const char *what, cs_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK || !st || !sqlite3_stmt_readonly(st)) {
        cs_fail(err, CS_ERR_DB, "%s: cannot read %s: %s", db_file(s), what,
                st ? "the query writes" : sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return NULL;
    }
    store_cursor *c = cs_xcalloc(1, sizeof *c);
    c->s = s, c->st = st, c->what = what;
    return c;
}

void store_cursor_bind_int(store_cursor *c, int i, long long v)
{
    sqlite3_reset(c->st);
    sqlite3_bind_int64(c->st, i, v);
}

void store_cursor_bind_text(store_cursor *c, int i, const char *v)
{
    sqlite3_reset(c->st);
    if (v)
        sqlite3_bind_text(c->st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(c->st, i);
}

int store_cursor_next(store_cursor *c)
{
    if (c->failed)
        return 0;
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE)
        c->failed = cs_xstrdup(sqlite3_errmsg(c->s->db));
    sqlite3_reset(c->st);
    return 0;
}

const char *store_cursor_text(store_cursor *c, int i)
{
    return (const char *)sqlite3_column_text(c->st, i);
}

long long store_cursor_int(store_cursor *c, int i)
{
    return sqlite3_column_int64(c->st, i);
}

double store_cursor_real(store_cursor *c, int i)
{
    return sqlite3_column_double(c->st, i);
}

int store_cursor_null(store_cursor *c, int i)
{
    return sqlite3_column_type(c->st, i) == SQLITE_NULL;
}

cs_status store_cursor_close(store_cursor *c, cs_status st, cs_error *err)
{
    if (!c)
        return st;
    if (st == CS_OK && c->failed)
        st = cs_fail(err, CS_ERR_DB, "%s: cannot read %s: %s", db_file(c->s), c->what, c->failed);
    sqlite3_finalize(c->st);
    free(c->failed);
    free(c);
    return st;
}
