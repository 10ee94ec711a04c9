/* meta: Datasette's metadata.json for a claimscan database, built from the
 * database's own tables and columns (sqlite_schema and table_info), so it
 * describes what the file holds at its schema version. The format is
 * Datasette's: title, source, databases.NAME.tables.TABLE.{description,
 * columns, label_column, facets, fts_table, fts_pk} and
 * databases.NAME.queries. Values whose unit varies per row (a figure, an
 * actual, a target) keep it in a unit column beside them, and their
 * description says so: Datasette's "units" key takes one unit per column. */
#include "meta.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define META_SOURCE "claimscan" /* marks a metadata.json claimscan wrote */

typedef struct {
    const char *name, *description, *label, *facets; /* facets: space-separated */
} meta_table;

static const meta_table tables[] = {
    {"documents", "One row per input document, keyed by the sha256 of its bytes; text is the cleaned main text that "
                  "every start and end offset indexes.", "title", "site type lang"},
    {"sentences", "The sentences that a figure, date, person, claim or event points to.", "text", NULL},
    {"figures", "Quantities stated in the text, normalized: value in the unit of the unit column.", "text", "unit"},
    {"dates", "Dates and periods, each an inclusive interval of days.", "text", "granularity"},
    {"persons", "Named people, one row per canonical full name.", "name", NULL},
    {"person_mentions", "Each mention of a person, with the title, role and party stated with it.", "text", "role party"},
    {"aliases", "The surface forms under which a person is mentioned (Cllr Ward for Ian Ward).", "alias", NULL},
    {"claims", "Performance claims: an indicator with its actual value, target, previous value and gap, each with its "
               "unit, whether the target was met, the period and who said it.", "indicator", "met actual_unit"},
    {"events", "Events for the timeline: ratings, improvement notices, commissioners, inspections, deadlines.", "type",
     "type planned"},
    {"findings", "What claimscan check found: claims that contradict each other or their own figures.", "explanation",
     "kind severity"},
    {"finding_sources", "The claims and figures each finding rests on.", NULL, NULL},
    {"site_blocks", "Short blocks seen per site, to drop a site's repeated header, footer and promo lines.", "sample",
     NULL},
    {"check_runs", "What the stored findings were computed from; report reuses them while it still holds.", NULL,
     NULL},
    {"claims_view", "Claims with their document, speaker and sentence.", NULL, "met actual_unit speaker"},
    {"figures_view", "Figures with their document and sentence.", NULL, "unit"},
    {"people_view", "Each mention of a person with its document and sentence.", NULL, "name role"},
    {"events_view", "Events with their document and sentence.", NULL, "type"},
    {"findings_view", "Findings with the documents they rest on.", NULL, "kind severity"},
    {"site_boilerplate", "Lines dropped as a site's boilerplate: seen in three documents of the site or more.", NULL,
     "site"},
};

/* A column's description: table NULL applies to every table without an
 * entry of its own for that column. */
typedef struct {
    const char *table, *column, *description;
} meta_column;

#define UNITS                                                                                                        \
    "GBP, USD or EUR (ISO 4217) for money; percent (21 means 21 %); fraction (0.5 for half); count; or a short unit " \
    "such as kg, tonnes, years, months, days."
/* A quantity's value column and its unit column. */
#define QTY(name, what)                                             \
    {NULL, name "_value", what " Its unit is in " name "_unit."}, { \
        NULL, name "_unit", "Unit of " name "_value: " UNITS        \
    }

static const meta_column columns[] = {
    {NULL, "id", "Row id."},
    {NULL, "document_id", "The document (documents.id)."},
    {NULL, "sentence_id", "The sentence it comes from (sentences.id)."},
    {NULL, "person_id", "The person (persons.id)."},
    {NULL, "start", "Byte offset where the text starts in the document's cleaned text (documents.text)."},
    {NULL, "end", "Byte offset just past the text's end in the document's cleaned text."},
    {NULL, "page", "The 1-based page of the source file on which it starts (PDF); empty for HTML and text."},
    {NULL, "text", "The exact text matched in the cleaned text."},
    {NULL, "rule", "The rule that fired: file.rules:rule-name."},
    {NULL, "document", "The document's path as given to claimscan ingest."},
    {NULL, "title", "The document's title."},
    {NULL, "published", "The document's publication date (YYYY-MM-DD), when known."},
    {NULL, "sentence", "The whole sentence the record comes from."},
    {NULL, "date_start", "First day of the interval (YYYY-MM-DD)."},
    {NULL, "date_end", "Last day of the interval, inclusive (YYYY-MM-DD)."},
    {NULL, "granularity", "day, month, quarter, year or financial_year (UK: 1 April to 31 March)."},
    {NULL, "value", "The normalized number (22.6 per cent is 22.6, \xC2\xA3" "22.1 million is 22100000). Its unit is in unit."},
    {NULL, "unit", "The unit of value: " UNITS},
    {NULL, "name", "The person's canonical full name, without honorific."},
    {NULL, "role", "The office or position stated with the name."},
    {NULL, "party", "Party abbreviation when given (Lab, Con, LD)."},
    {NULL, "indicator", "The measure, as written."},
    QTY("actual", "The outcome stated."),
    QTY("target", "The target stated (or derived from actual and gap)."),
    QTY("previous", "The earlier value stated (fell from 22.6 per cent)."),
    QTY("gap", "The stated distance to target (missed by 1,898)."),
    QTY("change", "The stated change (down six per cent)."),
    QTY("floor", "A scorecard's floor standard, the level below which a measure is failing (Floor: 75%)."),
    {NULL, "status", "The rating the document gives, lower case: amber, red, green, inadequate, good."},
    {NULL, "target_derived", "1 when the target is computed from actual and gap (counts and physical units only)."},
    {NULL, "met", "1 target met, 0 missed, empty when the text does not say."},
    {NULL, "period_start", "First day of the period the claim is about (YYYY-MM-DD)."},
    {NULL, "period_end", "Last day of that period, inclusive."},
    {NULL, "speaker", "Who made the claim, when it is quoted or attributed."},
    {NULL, "speaker_id", "Who made the claim (persons.id), when it is quoted or attributed."},
    {NULL, "evidence", "The text the record rests on."},
    {NULL, "kind", "share-vs-count, parts-vs-whole, gap-arithmetic, change-arithmetic, met-contradicted, "
                   "impossible-value, amount-revised, figure-differs or speaker-contradicted."},
    {NULL, "severity", "high, medium or low."},
    {NULL, "explanation", "The finding in plain English."},
    {NULL, "why", "How the claims were matched or the arithmetic done."},
    {NULL, "site", "The site's name (or its host)."},
    {NULL, "sample", "The block's text as first seen."},
    {NULL, "documents", "How many documents hold it."},
    {NULL, "claim_id", "The claim (claims.id)."},
    {NULL, "figure_id", "The figure (figures.id)."},
    {NULL, "event_id", "The event (events.id)."},
    {NULL, "finding_id", "The finding (findings.id)."},
    {NULL, "type", "The event's type: rated-inadequate, improvement-notice, commissioner-appointed, inspection, "
                   "deadline..."},
    {NULL, "date_text", "The date as written."},
    {NULL, "since", "1 when the text says since (a state that began then)."},
    {NULL, "planned", "1 when the event lies ahead (will, is due to)."},
    {NULL, "actor", "Who the event is about or by (a commissioner's name, Ofsted)."},
    {NULL, "subject", "What the event is about."},
    {NULL, "target", "The target a deadline belongs to."},
    {NULL, "of", "The whole in 19 out of 50 (value 19, of 50)."},
    {NULL, "approx", "1 for about, nearly, more than, at least."},
    {NULL, "relative", "1 when anchored on the document's date (last month, a year ago)."},
    {NULL, "mention", "The name as written in this mention."},
    {"documents", "sha256", "sha256 of the input's raw bytes: the document's key."},
    {"documents", "path", "The path as given to claimscan ingest."},
    {"documents", "title", "The document's title."},
    {"documents", "byline", "The author as the page gives it."},
    {"documents", "canonical", "The page's canonical URL."},
    {"documents", "lang", "The language declared or detected (en)."},
    {"documents", "type", "The input's format: html, text, pdf, docx, odt, ods, xlsx, csv or tsv."},
    {"documents", "charset", "The character set the input was read in."},
    {"documents", "chars_in", "Characters of text before cleaning."},
    {"documents", "chars_kept", "Characters of main text kept."},
    {"documents", "blocks_kept", "Blocks (paragraphs, headings, rows) kept as main text."},
    {"documents", "blocks_dropped", "Blocks dropped as boilerplate."},
    {"documents", "rules_version", "A hash of the rules the document was extracted with."},
    {"documents", "ingested_at", "When it was stored (UTC)."},
    {"documents", "text", "The cleaned main text; start and end offsets index it."},
    {"documents", "block_site", "The site its short blocks were counted under."},
    {"documents", "block_hashes", "Hashes of its short blocks, for the site's boilerplate."},
    {"documents", "pages", "The page count (PDF)."},
    {"sentences", "seq", "The sentence's position in the document (0 first)."},
    {"sentences", "text", "The sentence."},
    {"person_mentions", "title", "The honorific of this mention (Cllr, Lord, Dr), if any."},
    {"people_view", "title", "The honorific of this mention (Cllr, Lord, Dr), if any."},
    {"aliases", "alias", "A surface form of the person's name."},
    {"persons", "name", "The canonical full name, without honorific."},
    {"findings", "evidence", "One line per source: document, date, speaker, sentence."},
    {"findings", "created_at", "When claimscan check found it (UTC)."},
    {"findings_view", "documents", "The paths of the documents it rests on."},
    {"findings_view", "evidence", "One line per source: document, date, speaker, sentence."},
    {"events", "text", "The words that told of the event."},
    {"claims", "text", "The text the claim rests on."},
    {"site_blocks", "hash", "A hash of the block's text with case, spacing and digits folded."},
    {"site_blocks", "documents", "How many documents of the site hold the block."},
    {"check_runs", "documents", "How many documents the database held when check ran."},
    {"check_runs", "last_document", "The highest document id then (a new or replaced document moves it)."},
    {"check_runs", "rules_version", "A hash of the rules check ran with."},
    {"check_runs", "check_version", "The version of the checks' logic."},
    {"check_runs", "checked_at", "When check ran (UTC)."},
};

static const struct {
    const char *name, *title, *description, *sql;
} queries[] = {
    {"targets_missed", "Targets missed", "Claims whose target was missed, with actual, target and gap.",
     "SELECT published, document, indicator, actual_value, actual_unit, target_value, target_unit, gap_value, "
     "gap_unit, speaker, sentence FROM claims_view WHERE met = 0 ORDER BY published, document, start"},
    {"claims_by_speaker", "Claims by speaker", "Who made how many claims, how many met or missed their target.",
     "SELECT speaker, count(*) AS claims, sum(met = 1) AS met, sum(met = 0) AS missed, count(DISTINCT document) AS "
     "documents, min(published) AS first, max(published) AS last FROM claims_view WHERE speaker IS NOT NULL GROUP BY "
     "speaker ORDER BY claims DESC, speaker"},
    {"revised_amounts", "Revised amounts",
     "Amounts (a cost, a budget, a sum needed) stated differently across documents, as claimscan check found them.",
     "SELECT finding_id, explanation, evidence, documents FROM findings_view WHERE kind = 'amount-revised' ORDER BY "
     "finding_id"},
};

static const char *column_description(const char *table, const char *column)
{
    const char *generic = NULL;
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) {
        if (strcmp(columns[i].column, column))
            continue;
        if (!columns[i].table)
            generic = columns[i].description;
        else if (!strcmp(columns[i].table, table))
            return columns[i].description;
    }
    return generic;
}

void meta_path(const char *db_path, char *out, size_t cap)
{
    const char *slash = strrchr(db_path, '/');
    if (slash)
        snprintf(out, cap, "%.*s/metadata.json", (int)(slash - db_path), db_path);
    else
        snprintf(out, cap, "metadata.json");
}

/* The database's name in Datasette: the file name without its extension. */
static void db_name(const char *db_path, char *out, size_t cap)
{
    const char *base = strrchr(db_path, '/');
    base = base ? base + 1 : db_path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(out, cap, "%.*s", (int)n, base);
}

/* The columns of table (or view) name, described, from cols' rows (the
 * table's column names). */
static json_t *table_columns(store_cursor *cols, const char *name)
{
    json_t *o = json_object();
    store_cursor_bind_text(cols, 1, name);
    while (store_cursor_next(cols)) {
        const char *c = store_cursor_text(cols, 0);
        const char *d = column_description(name, c);
        if (d)
            json_object_set_new(o, c, json_string(d));
    }
    return o;
}

static json_t *facet_list(const char *facets)
{
    json_t *a = json_array();
    for (const char *p = facets; p && *p;) {
        size_t n = strcspn(p, " ");
        json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ' ');
    }
    return a;
}

/* The entry of one table or view, its columns read through cols. */
static json_t *table_entry(store_cursor *cols, const meta_table *t)
{
    json_t *o = json_pack("{s:s,s:o}", "description", t->description, "columns", table_columns(cols, t->name));
    if (t->label)
        json_object_set_new(o, "label_column", json_string(t->label));
    if (t->facets)
        json_object_set_new(o, "facets", facet_list(t->facets));
    if (!strcmp(t->name, "documents")) {
        json_object_set_new(o, "fts_table", json_string("documents_fts"));
        json_object_set_new(o, "fts_pk", json_string("id"));
    }
    return o;
}

/* 1 if the table or view of has (its query bound to name) exists. */
static int has_table(store_cursor *has, const char *name)
{
    store_cursor_bind_text(has, 1, name);
    return store_cursor_next(has);
}

/* The databases.NAME entry for s; NULL (err filled) when s cannot be read. */
static json_t *database_entry(store *s, cs_error *err)
{
    store_cursor *has = store_cursor_open(s, "SELECT 1 FROM sqlite_schema WHERE name = ?1 AND type IN ('table', 'view')",
                                          "the tables", err);
    store_cursor *cols = has ? store_cursor_open(s, "SELECT name FROM pragma_table_info(?1)", "the columns", err) : NULL;
    json_t *o = NULL;
    if (cols) {
        json_t *tabs = json_object(), *qs = json_object();
        for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
            if (has_table(has, tables[i].name))
                json_object_set_new(tabs, tables[i].name, table_entry(cols, &tables[i]));
        for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
            json_object_set_new(qs, queries[i].name,
                                json_pack("{s:s,s:s,s:s}", "title", queries[i].title, "description",
                                          queries[i].description, "sql", queries[i].sql));
        o = json_pack("{s:o,s:o}", "tables", tabs, "queries", qs);
    }
    cs_status st = store_cursor_close(cols, cols ? CS_OK : CS_ERR_DB, err);
    if (store_cursor_close(has, st, err) != CS_OK) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The metadata already at path, to keep its other databases: a new object
 * when there is none; NULL (err filled) when the file is not claimscan's. */
static json_t *existing(const char *path, cs_error *err)
{
    if (access(path, F_OK) != 0)
        return json_pack("{s:s,s:s,s:s,s:{}}", "title", "claimscan", "description",
                         "Figures, dates, officials, claims and events extracted from council and press documents.",
                         "source", META_SOURCE, "databases");
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    const char *src = json_string_value(json_object_get(root, "source"));
    if (!root || !src || strcmp(src, META_SOURCE) || !json_is_object(json_object_get(root, "databases"))) {
        json_decref(root);
        cs_fail(err, CS_ERR_INPUT, "%s: not written by claimscan; left as it is", path);
        return NULL;
    }
    return root;
}

cs_status meta_write(store *s, const char *db_path, cs_error *err)
{
    char path[4096], tmp[4200], name[256];
    meta_path(db_path, path, sizeof path);
    db_name(db_path, name, sizeof name);
    json_t *entry = database_entry(s, err);
    if (!entry)
        return CS_ERR_DB;
    json_t *root = existing(path, err);
    if (!root) {
        json_decref(entry);
        return CS_ERR_INPUT;
    }
    json_object_set_new(json_object_get(root, "databases"), name, entry);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int bad = json_dump_file(root, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || rename(tmp, path) != 0;
    json_decref(root);
    if (bad) {
        unlink(tmp);
        return cs_fail(err, CS_ERR_IO, "%s: cannot write the Datasette metadata", path);
    }
    return CS_OK;
}
