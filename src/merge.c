/* merge: a shard database into the main one, in two passes.
 *
 * What a single ingest would change. Most of a document's rows depend on
 * it alone, but its site filter reads the block counts of the documents
 * stored before it: a block seen in two earlier documents of the site is
 * dropped. A shard counted only its own documents, so a page can drop
 * more chrome once the earlier shards' pages are counted too. The blocks a
 * document counts (block_hashes, its kept short blocks) do not depend on
 * the filter, so the counts a single ingest would have read can be worked
 * out from the rows alone.
 *
 * Pass 1 (plan) walks the shard's documents in their order, keeping two
 * counts for each (site, block) that the main database holds already:
 * what the shard counted before each document, and what a single ingest
 * would have (the main database's count plus the shard's documents before
 * it, copies of documents held already left out). A block whose count
 * stays on one side of two gives the same decision both ways; a document
 * with a block whose decision flips is extracted again. Blocks the main
 * database does not hold are counted alike on both sides.
 *
 * Pass 2 (copy) copies runs of documents with their rows in bulk, with new
 * ids (in the shard's order, after those held), persons matched by name,
 * aliases and site block counts added; between runs it loads each
 * document to extract again from its path and stores it like ingest, its
 * filter reading the counts of everything merged before it. */
#include "merge.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "load.h"
#include "strs.h"

enum { ACT_COPY, ACT_REDO, ACT_DUP };

typedef struct {
    long long id;
    int act;
    char *path, *sha256;
} shard_doc;

/* A (site, block) the main database counts: its count there, what the
 * shard counted so far, and what a single ingest would add to it so far. */
typedef struct {
    char *key; /* site, 0x1f, 16-hex-digit hash; NULL: empty slot */
    int held, local, extra;
} block_count;

typedef struct {
    block_count *v;
    size_t cap, n; /* cap: a power of two */
} block_table;

static block_count *block_find(block_table *t, const char *key, int add)
{
    if (add && 2 * (t->n + 1) > t->cap) {
        block_table u = {cs_xcalloc(t->cap ? 2 * t->cap : 256, sizeof *u.v), t->cap ? 2 * t->cap : 256, 0};
        for (size_t i = 0; i < t->cap; i++)
            if (t->v[i].key)
                *block_find(&u, t->v[i].key, 1) = t->v[i];
        free(t->v);
        *t = u;
    }
    if (!t->cap)
        return NULL;
    size_t h = strs_hash(key, strlen(key)) & (t->cap - 1);
    for (; t->v[h].key; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->v[h].key, key))
            return &t->v[h];
    if (!add)
        return NULL;
    t->n++;
    t->v[h].key = (char *)key; /* the caller fills the slot */
    return &t->v[h];
}

static cs_status sql_fail(sqlite3 *db, cs_error *err, const char *what)
{
    return cs_fail(err, CS_ERR_DB, "%s: %s", what, sqlite3_errmsg(db));
}

static cs_status run_sql(sqlite3 *db, const char *sql, cs_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return CS_OK;
    cs_fail(err, CS_ERR_DB, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return CS_ERR_DB;
}

/* The key of a (site, block) in a block_table; malloc'd. */
static char *block_key(const char *site, const char *hash)
{
    size_t n = strlen(site);
    char *k = cs_xmalloc(n + 18);
    memcpy(k, site, n);
    k[n] = 0x1f;
    memcpy(k + n + 1, hash, 16);
    k[n + 17] = '\0';
    return k;
}

/* The shard's blocks that the main database counts already. */
static cs_status held_blocks(sqlite3 *db, block_table *t, cs_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT b.site, b.hash, m.documents FROM shard.site_blocks b JOIN main.site_blocks m"
                           " ON m.site = b.site AND m.hash = b.hash WHERE m.documents > 0",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(db, err, "cannot read site blocks");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char *k = block_key((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
        block_count *c = block_find(t, k, 1);
        c->held = sqlite3_column_int(st, 2);
        c->local = c->extra = 0;
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? CS_OK : sql_fail(db, err, "cannot read site blocks");
}

/* 1 when some block of the document (site, hashes) gets another decision
 * from a single ingest's counts than from the shard's; moves both counts
 * past the document (dup: a copy of a held document, which a single
 * ingest would not count). */
static int decision_flips(block_table *t, const char *site, const char *hashes, int dup)
{
    int flips = 0;
    for (const char *p = hashes; strlen(p) >= 16; p += 16) {
        char h[17];
        memcpy(h, p, 16);
        h[16] = '\0';
        char *k = block_key(site, h);
        block_count *c = block_find(t, k, 0);
        free(k);
        if (!c)
            continue; /* counted alike on both sides */
        flips |= (c->local >= 2) != (c->held + c->extra >= 2);
        c->local++;
        c->extra += !dup;
    }
    return flips;
}

/* Pass 1: what to do with each of the shard's documents, in their order. */
static cs_status plan(sqlite3 *db, shard_doc **out, size_t *n, cs_error *err)
{
    block_table t = {0};
    cs_status rc = held_blocks(db, &t, err);
    sqlite3_stmt *st = NULL;
    if (rc == CS_OK && sqlite3_prepare_v2(db,
                                          "SELECT d.id, d.path, d.sha256, d.block_site, d.block_hashes,"
                                          " EXISTS (SELECT 1 FROM main.documents m WHERE m.sha256 = d.sha256)"
                                          " FROM shard.documents d ORDER BY d.id",
                                          -1, &st, NULL) != SQLITE_OK)
        rc = sql_fail(db, err, "cannot read the shard's documents");
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int step = SQLITE_DONE;
    while (rc == CS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        cs_grow(out, &cap, *n + 1, sizeof **out);
        shard_doc *d = &(*out)[(*n)++];
        d->id = sqlite3_column_int64(st, 0);
        d->path = cs_xstrdup((const char *)sqlite3_column_text(st, 1));
        d->sha256 = cs_xstrdup((const char *)sqlite3_column_text(st, 2));
        const char *site = (const char *)sqlite3_column_text(st, 3), *hashes = (const char *)sqlite3_column_text(st, 4);
        int dup = sqlite3_column_int(st, 5);
        int flips = site && hashes && decision_flips(&t, site, hashes, dup);
        d->act = dup ? ACT_DUP : flips ? ACT_REDO : ACT_COPY;
    }
    if (rc == CS_OK && step != SQLITE_DONE)
        rc = sql_fail(db, err, "cannot read the shard's documents"); /* not a partial plan */
    sqlite3_finalize(st);
    for (size_t i = 0; i < t.cap; i++)
        free(t.v[i].key);
    free(t.v);
    return rc;
}

/* ---- pass 2: copying rows ------------------------------------------------ */

/* The id map a foreign key to table needs, or NULL when merge keeps none. */
static const char *map_of(const char *table)
{
    return !strcmp(table, "documents") ? "dmap" : !strcmp(table, "sentences") ? "smap" : !strcmp(table, "persons") ? "pmap" : NULL;
}

/* 1 when name is one the schema could have given: [a-z0-9_], not empty.
 * The shard is someone else's file: any other table or column name is
 * refused before it comes near SQL text. */
static int plain_name(const char *name)
{
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

/* Runs one built statement (never several: a tail is refused). */
static cs_status run_one(sqlite3 *db, const char *sql, cs_error *err)
{
    sqlite3_stmt *st;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
        return sql_fail(db, err, "cannot copy the shard's rows");
    cs_status rc = CS_OK;
    if (tail && *tail)
        rc = cs_fail(err, CS_ERR_DB, "cannot copy the shard's rows: more than one statement");
    else if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(db, err, "cannot copy the shard's rows");
    sqlite3_finalize(st);
    return rc;
}

/* How a run's ids move. In a fresh shard's run, documents and sentences
 * hold consecutive ids and none is a copy of a held one: then each new id
 * is the old one plus an offset, the number the map would give, and the
 * copies select by range instead of joining the maps row by row. */
typedef struct {
    long long first, last; /* the run's documents */
    int small;             /* a small part of the shard: its rows are read through indexes, not by scans */
    int docs, sents;       /* documents, sentences shifted by an offset (else mapped) */
    long long doff, soff;
} shift;

/* The parts of a copy's INSERT: the columns, what is selected for them,
 * the joins that map foreign keys (k counts the maps joined) and the range
 * of documents kept when no join keeps them. */
typedef struct {
    buf cols, sel, joins, where;
    int k;
    const shift *sh;
} copy_sql;

/* Selects col of the row mapped by map into q: by offset when the run's
 * ids move by one, else joined to the map (a document_id's join keeps only
 * the rows of copied documents). */
static void map_column(copy_sql *q, const char *col, const char *map)
{
    int doc = !strcmp(col, "document_id");
    const shift *sh = q->sh;
    const char *sep = q->sel.len ? ", " : "";
    if (!strcmp(map, "smap") && sh->sents) {
        buf_printf_put(&q->sel, "%sx.\"%s\" + %lld", sep, col, sh->soff);
    } else if (!strcmp(map, "dmap") && doc && sh->docs) {
        buf_printf_put(&q->sel, "%sx.\"%s\" + %lld", sep, col, sh->doff);
    } else {
        buf_printf_put(&q->sel, "%sm%d.new", sep, q->k);
        buf_printf_put(&q->joins, "%s temp.%s m%d ON m%d.old = x.\"%s\"", doc ? " JOIN" : " LEFT JOIN", map, q->k,
                       q->k, col);
        q->k++;
    }
    if (doc) /* '+': a large run scans the table in rowid order */
        buf_printf_put(&q->where, "%s%sx.\"%s\" BETWEEN %lld AND %lld", q->where.len ? " AND " : " WHERE ",
                       sh->small ? "" : "+", col, sh->first, sh->last);
}

/* Selects the new id of a row of documents or sentences into q: its own
 * id moved or mapped as its table's are. */
static void own_id(copy_sql *q, const char *table)
{
    const shift *sh = q->sh;
    int docs = !strcmp(table, "documents");
    buf_puts(&q->cols, "id");
    if (docs ? sh->docs : sh->sents) {
        buf_printf_put(&q->sel, "x.id + %lld", docs ? sh->doff : sh->soff);
    } else {
        buf_puts(&q->sel, "own.new");
        buf_printf_put(&q->joins, " JOIN temp.%s own ON own.old = x.id", docs ? "dmap" : "smap");
    }
    if (docs)
        buf_printf_put(&q->where, " WHERE x.id BETWEEN %lld AND %lld", sh->first, sh->last);
}

/* The id map of table's column col (NULL: none), from the shard's foreign
 * keys (fk, bound to table); fails when it points to a table merge keeps
 * no map of. */
static cs_status column_map(sqlite3 *db, sqlite3_stmt *fk, const char *table, const char *col, const char **map,
                            cs_error *err)
{
    *map = NULL;
    sqlite3_reset(fk);
    int step;
    while ((step = sqlite3_step(fk)) == SQLITE_ROW) {
        if (strcmp((const char *)sqlite3_column_text(fk, 0), col))
            continue;
        const char *to = (const char *)sqlite3_column_text(fk, 1);
        if (!(*map = map_of(to ? to : "")))
            return cs_fail(err, CS_ERR_DB, "cannot merge table %s: it points to %s", table, to ? to : "?");
    }
    return step == SQLITE_DONE ? CS_OK : sql_fail(db, err, "cannot read the shard's schema");
}

/* Adds the shard's columns of table to q, each foreign key joined to its
 * map; refuses names outside plain_name. */
static cs_status copy_columns(sqlite3 *db, const char *table, copy_sql *q, cs_error *err)
{
    sqlite3_stmt *fk = NULL, *ti = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_prepare_v2(db, "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?1, 'shard')", -1, &fk,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info(?1, 'shard') ORDER BY cid", -1, &ti, NULL) !=
            SQLITE_OK) {
        rc = sql_fail(db, err, "cannot read the shard's schema");
        goto done;
    }
    sqlite3_bind_text(fk, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(ti, 1, table, -1, SQLITE_STATIC);
    int step = SQLITE_DONE;
    while (rc == CS_OK && (step = sqlite3_step(ti)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(ti, 0), *map;
        if (!plain_name(col)) {
            rc = cs_fail(err, CS_ERR_DB, "cannot merge table %s: a column has an unexpected name", table);
            break;
        }
        if (sqlite3_column_int(ti, 1) == 1 && !strcmp(col, "id"))
            continue; /* the rowid: new, or mapped by the caller */
        if ((rc = column_map(db, fk, table, col, &map, err)) != CS_OK)
            break;
        buf_printf_put(&q->cols, "%s\"%s\"", q->cols.len ? ", " : "", col);
        if (map) {
            map_column(q, col, map);
        } else {
            buf_printf_put(&q->sel, "%sx.\"%s\"", q->sel.len ? ", " : "", col);
        }
    }
    if (rc == CS_OK && step != SQLITE_DONE)
        rc = sql_fail(db, err, "cannot read the shard's schema");
done:
    sqlite3_finalize(ti);
    sqlite3_finalize(fk);
    return rc;
}

/* Copies the rows of table that belong to the documents of temp.dmap, their
 * foreign keys mapped to the new ids as sh says; own: the rows' ids are
 * mapped too (documents, sentences), else they get new rowids. Columns
 * come from the schema, so that tables and columns added by later
 * migrations are copied too. */
static cs_status copy_table(sqlite3 *db, const char *table, int own, const shift *sh, cs_error *err)
{
    if (!plain_name(table))
        return cs_fail(err, CS_ERR_DB, "cannot merge a table with an unexpected name");
    copy_sql q = {.k = 0, .sh = sh};
    buf sql;
    buf_init(&q.cols, 0), buf_init(&q.sel, 0), buf_init(&q.joins, 0), buf_init(&q.where, 0), buf_init(&sql, 0);
    if (own)
        own_id(&q, table);
    cs_status rc = copy_columns(db, table, &q, err);
    /* The join on the row's own map, or on its document's, or the range of
     * its documents keeps the rows of the documents copied. */
    buf_printf_put(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM shard.\"%s\" x%s%s ORDER BY x.rowid", table,
                   buf_str(&q.cols), buf_str(&q.sel), table, buf_str(&q.joins), buf_str(&q.where));
    if (rc == CS_OK)
        rc = run_one(db, buf_str(&sql), err);
    buf_free(&q.cols), buf_free(&q.sel), buf_free(&q.joins), buf_free(&q.where), buf_free(&sql);
    return rc;
}

/* The tables besides documents and sentences whose rows belong to a
 * document (a document_id column), in the shard's schema order; NULL with
 * err filled on a read error or a table name outside plain_name. */
static char **child_tables(sqlite3 *db, size_t *n, cs_error *err)
{
    sqlite3_stmt *st;
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT m.name FROM shard.sqlite_schema m WHERE m.type = 'table'"
                           " AND m.name NOT IN ('documents', 'sentences') AND m.name NOT LIKE 'sqlite%'"
                           " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name, 'shard') WHERE name = 'document_id')"
                           " ORDER BY m.rowid",
                           -1, &st, NULL) != SQLITE_OK) {
        sql_fail(db, err, "cannot read the shard's schema");
        return NULL;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!plain_name(name)) {
            cs_fail(err, CS_ERR_DB, "the shard holds a table with an unexpected name");
            break;
        }
        cs_grow(&v, &cap, *n + 1, sizeof *v);
        v[(*n)++] = cs_xstrdup(name);
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW)
        sql_fail(db, err, "cannot read the shard's schema");
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) {
        if (!v)
            v = cs_xcalloc(1, sizeof *v); /* none: an empty list, not a failure */
        return v;
    }
    for (size_t i = 0; i < *n; i++)
        free(v[i]);
    free(v);
    *n = 0;
    return NULL;
}

/* The id maps of the documents first .. last (?1, ?2) of the shard that
 * are copied (those whose bytes the main database does not hold), their
 * sentences and the persons they name (added by name when new). Each '@'
 * is '+' for a large run (see run_for). */
static const char *const map_sql[] = {
    "DELETE FROM temp.dmap; DELETE FROM temp.smap; DELETE FROM temp.pmap;",
    "INSERT INTO temp.dmap(old, new) SELECT d.id, (SELECT coalesce(max(id), 0) FROM main.documents)"
    " + row_number() OVER (ORDER BY d.id) FROM shard.documents d WHERE d.id BETWEEN ?1 AND ?2"
    " AND NOT EXISTS (SELECT 1 FROM main.documents m WHERE m.sha256 = d.sha256)",
    "INSERT INTO temp.smap(old, new) SELECT s.id, (SELECT coalesce(max(id), 0) FROM main.sentences)"
    " + row_number() OVER (ORDER BY s.id) FROM shard.sentences s JOIN temp.dmap m ON m.old = s.document_id"
    " WHERE @s.document_id BETWEEN ?1 AND ?2",
    "INSERT OR IGNORE INTO main.persons(name) SELECT p.name FROM shard.persons p WHERE p.id IN"
    " (SELECT x.person_id FROM shard.person_mentions x JOIN temp.dmap m ON m.old = x.document_id"
    "  WHERE @x.document_id BETWEEN ?1 AND ?2 UNION"
    "  SELECT x.speaker_id FROM shard.claims x JOIN temp.dmap m ON m.old = x.document_id"
    "  WHERE @x.document_id BETWEEN ?1 AND ?2) ORDER BY p.id",
    "INSERT INTO temp.pmap(old, new) SELECT p.id, q.id FROM shard.persons p JOIN main.persons q ON q.name = p.name"
    " WHERE p.id IN (SELECT x.person_id FROM shard.person_mentions x JOIN temp.dmap m ON m.old = x.document_id"
    "  WHERE @x.document_id BETWEEN ?1 AND ?2"
    "  UNION SELECT x.speaker_id FROM shard.claims x JOIN temp.dmap m ON m.old = x.document_id"
    "  WHERE @x.document_id BETWEEN ?1 AND ?2)",
};

/* After the rows: the aliases of the copied person mentions. */
static const char *const after_sql =
    "INSERT OR IGNORE INTO main.aliases(person_id, alias) SELECT m.new, x.text FROM shard.person_mentions x"
    " JOIN temp.dmap d ON d.old = x.document_id JOIN temp.pmap m ON m.old = x.person_id"
    " WHERE @x.document_id BETWEEN ?1 AND ?2 ORDER BY x.id;";

/* The site blocks the copied documents (temp.dmap) count, each (site,
 * block) once with the number of them, in the order they first come;
 * keys in *order (*n of them), counts in t's held. */
static cs_status count_copied_blocks(sqlite3 *db, const shift *sh, block_table *t, char ***order, size_t *n,
                                     cs_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT d.block_site, d.block_hashes FROM shard.documents d JOIN temp.dmap m ON m.old = d.id"
                           " WHERE d.id BETWEEN ?1 AND ?2 AND d.block_site IS NOT NULL AND d.block_hashes IS NOT NULL"
                           " ORDER BY d.id",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(db, err, "cannot read the shard's site blocks");
    sqlite3_bind_int64(st, 1, sh->first);
    sqlite3_bind_int64(st, 2, sh->last);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *site = (const char *)sqlite3_column_text(st, 0), *hashes = (const char *)sqlite3_column_text(st, 1);
        for (size_t i = 0, len = strlen(hashes); i + 16 <= len; i += 16) {
            char h[17];
            memcpy(h, hashes + i, 16);
            h[16] = '\0';
            char *k = block_key(site, h);
            block_count *c = block_find(t, k, 1);
            if (c->key != k) {
                free(k);
            } else {
                cs_grow(order, &cap, *n + 1, sizeof **order);
                (*order)[(*n)++] = k;
            }
            c->held++;
        }
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? CS_OK : sql_fail(db, err, "cannot read the shard's site blocks");
}

/* Adds the site blocks the copied documents count to the main database's
 * counts; a block new there takes its sample from the shard, whose first
 * page holding it came first. */
static cs_status add_site_blocks(sqlite3 *db, const shift *sh, cs_error *err)
{
    block_table t = {0};
    char **order = NULL;
    size_t n = 0;
    cs_status rc = count_copied_blocks(db, sh, &t, &order, &n, err);
    sqlite3_stmt *up = NULL;
    if (rc == CS_OK && sqlite3_prepare_v2(db,
                                          "INSERT INTO main.site_blocks(site, hash, sample, documents) VALUES (?1, ?2,"
                                          " coalesce((SELECT b.sample FROM shard.site_blocks b WHERE b.site = ?1"
                                          " AND b.hash = ?2), ''), ?3) ON CONFLICT(site, hash)"
                                          " DO UPDATE SET documents = documents + excluded.documents",
                                          -1, &up, NULL) != SQLITE_OK)
        rc = sql_fail(db, err, "cannot count the site blocks");
    for (size_t i = 0; rc == CS_OK && i < n; i++) {
        const char *sep = strchr(order[i], 0x1f);
        sqlite3_bind_text(up, 1, order[i], (int)(sep - order[i]), SQLITE_STATIC);
        sqlite3_bind_text(up, 2, sep + 1, 16, SQLITE_STATIC);
        sqlite3_bind_int(up, 3, block_find(&t, order[i], 0)->held);
        if (sqlite3_step(up) != SQLITE_DONE)
            rc = sql_fail(db, err, "cannot count the site blocks");
        sqlite3_reset(up);
    }
    sqlite3_finalize(up);
    for (size_t i = 0; i < t.cap; i++)
        free(t.v[i].key);
    free(t.v);
    free(order);
    return rc;
}

/* How the ids of the run sh->first .. sh->last move (temp.dmap made): by
 * offsets when every document of the run is copied and its documents and
 * their sentences hold consecutive ids, else through the maps. */
static void run_shift(sqlite3 *db, shift *sh)
{
    sqlite3_stmt *st;
    sh->docs = sh->sents = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT d.n = ?2 - ?1 + 1 AND d.n = (SELECT count(*) FROM temp.dmap),"
                           " s.n = s.hi - s.lo + 1 OR s.n = 0,"
                           " (SELECT coalesce(max(id), 0) FROM main.documents) + 1 - ?1,"
                           " (SELECT coalesce(max(id), 0) FROM main.sentences) + 1 - coalesce(s.lo, 0)"
                           " FROM (SELECT count(*) AS n FROM shard.documents WHERE id BETWEEN ?1 AND ?2) d,"
                           " (SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM shard.sentences"
                           " WHERE document_id BETWEEN ?1 AND ?2) s",
                           -1, &st, NULL) != SQLITE_OK)
        return; /* the maps do it */
    sqlite3_bind_int64(st, 1, sh->first);
    sqlite3_bind_int64(st, 2, sh->last);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0)) {
        sh->docs = 1;
        sh->sents = sqlite3_column_int(st, 1);
        sh->doff = sqlite3_column_int64(st, 2);
        sh->soff = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
}

/* Runs the statements of sql for the run sh, ?1 and ?2 its first and last
 * documents. Each '@' becomes '+' for a run that is most of the shard,
 * which then reads a table by scanning it in rowid order; a small run
 * reads its rows through the document_id indexes instead of scanning the
 * whole table once more. */
static cs_status run_for(sqlite3 *db, const char *sql, const shift *sh, cs_error *err)
{
    buf b;
    buf_init(&b, 0);
    for (const char *p = sql; *p; p++)
        if (*p != '@')
            buf_put(&b, p, 1);
        else if (!sh->small)
            buf_puts(&b, "+");
    cs_status rc = CS_OK;
    for (const char *at = buf_str(&b); rc == CS_OK && *at;) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, at, -1, &st, &at) != SQLITE_OK) {
            rc = sql_fail(db, err, "cannot copy the shard's rows");
            break;
        }
        if (st && sqlite3_bind_parameter_count(st) >= 2) {
            sqlite3_bind_int64(st, 1, sh->first);
            sqlite3_bind_int64(st, 2, sh->last);
        }
        if (st && sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, err, "cannot copy the shard's rows");
        sqlite3_finalize(st);
    }
    buf_free(&b);
    return rc;
}

/* The truth of a one-value query, ?1 and ?2 bound to first and last when
 * it has them; 0 on an error. */
static int holds(sqlite3 *db, const char *sql, long long first, long long last)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_bind_parameter_count(st) >= 2) {
        sqlite3_bind_int64(st, 1, first);
        sqlite3_bind_int64(st, 2, last);
    }
    int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

/* Copies the shard's documents first .. last (ids) not held already, with
 * their rows, in one transaction. */
static cs_status copy_run(sqlite3 *db, long long first, long long last, cs_error *err)
{
    cs_status rc = run_sql(db, "BEGIN IMMEDIATE", err);
    shift sh = {first, last, 0, 0, 0, 0, 0};
    sh.small = holds(db, "SELECT (?2 - ?1 + 1) * 4 < count(*) FROM shard.documents", first, last); /* under a quarter */
    for (size_t i = 0; rc == CS_OK && i < sizeof map_sql / sizeof *map_sql; i++) {
        if (i == 2)
            run_shift(db, &sh);
        if (i == 2 && sh.sents)
            continue; /* the sentences' ids move by one offset: no map */
        rc = run_for(db, map_sql[i], &sh, err);
    }
    if (rc == CS_OK)
        rc = copy_table(db, "documents", 1, &sh, err);
    if (rc == CS_OK)
        rc = copy_table(db, "sentences", 1, &sh, err);
    size_t nt = 0;
    char **tables = NULL;
    if (rc == CS_OK && !(tables = child_tables(db, &nt, err)))
        rc = CS_ERR_DB;
    for (size_t i = 0; i < nt; i++) {
        if (rc == CS_OK && strcmp(tables[i], "document_blocks"))
            rc = copy_table(db, tables[i], 0, &sh, err);
        free(tables[i]);
    }
    free(tables);
    if (rc == CS_OK)
        rc = run_for(db, after_sql, &sh, err);
    if (rc == CS_OK)
        rc = add_site_blocks(db, &sh, err);
    cs_error e2;
    if (rc == CS_OK)
        return run_sql(db, "COMMIT", err);
    (void)run_sql(db, "ROLLBACK", &e2);
    return rc;
}

/* Loads the document again and stores it as ingest would, its filter
 * reading the counts of everything merged before it. */
static cs_status redo(store *s, const rules_set *rs, const shard_doc *sd, cs_error *err)
{
    doc *d = load_file(sd->path, LOAD_DEFAULT_MAX, err);
    if (!d)
        return CS_ERR_IO;
    cs_status rc = CS_OK;
    if (strcmp(load_sha256(d), sd->sha256)) {
        rc = cs_fail(err, CS_ERR_INPUT, "it has changed since the shard was ingested");
    } else {
        extract_result r;
        extract_opts xo = {NULL, NULL, store_block_filter, s};
        rc = extract_document(d, rs, &r, &xo, err);
        if (rc == CS_OK)
            rc = store_put(s, &r, rules_version(rs), err);
        extract_result_free(&r);
    }
    doc_free(d);
    return rc;
}

/* The integer a PRAGMA statement returns; -1 when it cannot be read. */
static int pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* Attaches the shard read-only: nothing is written to it, its schema and
 * journal mode stay as they are. Fails when it is not a claimscan database
 * of this schema or holds documents of other rules. */
static cs_status attach(sqlite3 *db, const char *path, const char *rv, cs_error *err)
{
    char *uri = store_readonly_uri(path, err);
    if (!uri)
        return CS_ERR_DB;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS shard", -1, &st, NULL) != SQLITE_OK) {
        free(uri);
        return sql_fail(db, err, "cannot attach");
    }
    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    free(uri);
    if (!ok)
        return sql_fail(db, err, "cannot open the shard");
    /* The shard is read through once from end to end: mapped, its pages
     * cost no read call and no copy each (a tenth of a merge's time). */
    cs_error e3;
    (void)run_sql(db, "PRAGMA shard.mmap_size = 2147418112", &e3);
    /* A copy appends to some twenty tables and indexes at once: with the
     * default cache their pages spill to the WAL and are read back. */
    (void)run_sql(db, "PRAGMA main.cache_size = -65536", &e3);
    /* PRAGMA user_version as a table names no schema: ask each by statement. */
    int theirs = pragma_int(db, "PRAGMA shard.user_version"), ours = pragma_int(db, "PRAGMA main.user_version");
    const char *q = "SELECT count(*) FROM shard.documents WHERE rules_version <> ?1";
    cs_status rc = CS_OK;
    if (theirs != ours)
        rc = cs_fail(err, CS_ERR_DB, "schema version %d, not %d (open it once with this claimscan)", theirs, ours);
    else if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        rc = cs_fail(err, CS_ERR_DB, "not a claimscan database");
    else {
        sqlite3_bind_text(st, 1, rv, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = sql_fail(db, err, "cannot read the shard");
        else if (sqlite3_column_int64(st, 0))
            rc = cs_fail(err, CS_ERR_DB, "%lld documents were ingested with other rules (ingest them again with these)",
                         (long long)sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
    }
    if (rc != CS_OK) {
        cs_error e2;
        (void)run_sql(db, "DETACH DATABASE shard", &e2);
    }
    return rc;
}

/* Pass 2: runs of copied documents in bulk, the documents to redo in turn. */
static cs_status copy_all(store *s, const rules_set *rs, const shard_doc *v, size_t n, merge_totals *t,
                          merge_warn_fn warn, void *ctx, cs_error *err)
{
    sqlite3 *db = store_db(s);
    cs_status rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK;) {
        size_t j = i;
        while (j < n && v[j].act != ACT_REDO)
            j++;
        if (j > i)
            rc = copy_run(db, v[i].id, v[j - 1].id, err);
        for (size_t k = i; rc == CS_OK && k < j; k++) /* a run rolled back copied nothing */
            t->copied += v[k].act == ACT_COPY, t->duplicates += v[k].act == ACT_DUP;
        if (rc != CS_OK || j == n)
            break;
        cs_error why;
        if (redo(s, rs, &v[j], &why) == CS_OK) {
            t->redone++;
        } else {
            if (warn)
                warn(ctx, v[j].path, why.msg);
            t->failed++;
            rc = copy_run(db, v[j].id, v[j].id, err); /* as the shard holds it: the best there is */
        }
        i = j + 1;
    }
    return rc;
}

/* ---- a fresh database's first shard: the file ----------------------------- */

/* 1 when the main database holds nothing yet, every document of the shard
 * is to be copied (v, n: the plan) and the shard's schema is the main
 * database's to the letter: the shard is then what the main database
 * becomes, but for what copying rows leaves behind. A shard is someone
 * else's file: a table, trigger or view of its own would come along with
 * the file, so any difference in the schema means copying rows. */
static int whole_copy_fits(sqlite3 *db, const shard_doc *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].act != ACT_COPY)
            return 0;
    return holds(db,
                 "SELECT NOT EXISTS (SELECT 1 FROM main.documents) AND NOT EXISTS (SELECT 1 FROM main.persons)"
                 " AND NOT EXISTS (SELECT 1 FROM main.aliases) AND NOT EXISTS (SELECT 1 FROM main.site_blocks)"
                 " AND NOT EXISTS (SELECT 1 FROM main.findings)"
                 " AND NOT EXISTS (SELECT type, name, tbl_name, sql FROM shard.sqlite_schema"
                 "  EXCEPT SELECT type, name, tbl_name, sql FROM main.sqlite_schema)"
                 " AND NOT EXISTS (SELECT type, name, tbl_name, sql FROM main.sqlite_schema"
                 "  EXCEPT SELECT type, name, tbl_name, sql FROM shard.sqlite_schema)"
                 /* SQLite copies no file of another page size into a WAL database */
                 " AND (SELECT page_size FROM pragma_page_size('shard')) = (SELECT page_size FROM pragma_page_size('main'))",
                 0, 0);
}

/* What copying rows leaves behind and the shard file holds: its findings
 * (check runs on the merged database), persons no mention or claim names,
 * aliases no mention uses, site blocks no document counts. */
static const char *const whole_copy_sql =
    "DELETE FROM main.finding_sources; DELETE FROM main.findings; DELETE FROM main.check_runs;"
    "DELETE FROM main.aliases WHERE NOT EXISTS (SELECT 1 FROM main.person_mentions m"
    " WHERE m.person_id = aliases.person_id AND m.text = aliases.alias);"
    "DELETE FROM main.persons WHERE id NOT IN (SELECT person_id FROM main.person_mentions)"
    " AND id NOT IN (SELECT speaker_id FROM main.claims WHERE speaker_id IS NOT NULL);"
    "DELETE FROM main.site_blocks WHERE documents <= 0;";

/* Copies the shard's file over the empty main database, page by page, with
 * SQLite's backup: a tenth of the time of copying its rows. The shard must
 * be detached. */
static cs_status copy_file(sqlite3 *db, const char *path, cs_error *err)
{
    char *uri = store_readonly_uri(path, err);
    if (!uri)
        return CS_ERR_DB;
    sqlite3 *src = NULL;
    cs_status rc = CS_OK;
    if (sqlite3_open_v2(uri, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        rc = cs_fail(err, CS_ERR_DB, "cannot open the shard: %s", sqlite3_errmsg(src));
    } else {
        sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
        if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE) {
            sqlite3_backup_finish(b);
            rc = sql_fail(db, err, "cannot copy the shard");
        } else if (sqlite3_backup_finish(b) != SQLITE_OK) {
            rc = sql_fail(db, err, "cannot copy the shard");
        }
    }
    sqlite3_close(src);
    free(uri);
    if (rc == CS_OK)
        rc = run_sql(db, whole_copy_sql, err);
    return rc;
}

/* Pass 2 for a fresh database's first shard: its file. */
static cs_status copy_whole(sqlite3 *db, const char *path, size_t n, merge_totals *t, cs_error *err)
{
    cs_error e2;
    (void)run_sql(db, "DETACH DATABASE shard", &e2);
    cs_status rc = copy_file(db, path, err);
    if (rc == CS_OK)
        t->copied += n;
    return rc;
}

cs_status merge_shard(store *s, const rules_set *rs, const char *path, merge_totals *t, merge_warn_fn warn, void *ctx,
                      cs_error *err)
{
    sqlite3 *db = store_db(s);
    cs_status rc = attach(db, path, rules_version(rs), err);
    if (rc != CS_OK)
        return rc;
    shard_doc *v = NULL;
    size_t n = 0;
    rc = run_sql(db, "CREATE TEMP TABLE IF NOT EXISTS dmap(old INTEGER PRIMARY KEY, new INTEGER);"
                     "CREATE TEMP TABLE IF NOT EXISTS smap(old INTEGER PRIMARY KEY, new INTEGER);"
                     "CREATE TEMP TABLE IF NOT EXISTS pmap(old INTEGER PRIMARY KEY, new INTEGER);",
                 err);
    if (rc == CS_OK)
        rc = plan(db, &v, &n, err);
    int whole = rc == CS_OK && whole_copy_fits(db, v, n);
    if (whole)
        rc = copy_whole(db, path, n, t, err);
    else if (rc == CS_OK)
        rc = copy_all(s, rs, v, n, t, warn, ctx, err);
    for (size_t i = 0; i < n; i++)
        free(v[i].path), free(v[i].sha256);
    free(v);
    cs_error e2;
    if (!whole)
        (void)run_sql(db, "DETACH DATABASE shard", &e2);
    return rc;
}
