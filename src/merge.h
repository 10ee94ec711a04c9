/* merge: shard databases into one, as a single ingest of all their
 * documents, shard after shard, would have built it. */
#ifndef MERGE_H
#define MERGE_H

#include "store.h"

typedef struct {
    size_t copied;     /* documents whose rows were copied as the shard holds them */
    size_t redone;     /* documents extracted again: their site's boilerplate changed */
    size_t duplicates; /* documents the database held already */
    size_t failed;     /* documents to extract again that could not be: copied as they were */
} merge_totals;

/* Hears of a document that could not be extracted again (ctx, its path,
 * why); its shard rows are copied instead. */
typedef void (*merge_warn_fn)(void *ctx, const char *path, const char *msg);

/* Adds the documents of the shard database at path to s, after those s
 * holds, in the shard's order. Site boilerplate is learned across shards:
 * a document whose site filter would drop other blocks once the earlier
 * shards' pages are counted is loaded again from its path and extracted
 * with rs. The shard is read only (never migrated nor written). Each run
 * of copied documents is one transaction. Fails (s unchanged by this
 * shard) when the shard is not a claimscan database of this schema, holds
 * a table or column of a name outside [a-z0-9_], or was ingested with
 * other rules. *t (added to) counts the documents of the runs committed. */
cs_status merge_shard(store *s, const rules_set *rs, const char *path, merge_totals *t, merge_warn_fn warn,
                      void *ctx, cs_error *err) CS_WUR;

#endif
