/*
 * sqlite_sql.h - SQL fragments shared by the fixed statements and the
 * article list variants, private to the SQLite backend (the column lists
 * both dialects share are in fields.h).
 */
#ifndef NS_STORE_SQLITE_SQL_H
#define NS_STORE_SQLITE_SQL_H

#include "store/fields.h"

/* Visible: published or scheduled, and due, so scheduled articles go live
 * by themselves when their time comes; newest-first lists walk the index
 * articles(published_at) backwards from :now (the unary + keeps the
 * planner off the status index, which would need a sort). */
#define SQL_VISIBLE "+a.status IN ('published','scheduled') AND a.published_at <= :now"

/* Bounds of the related-articles walk (ST_RELATED_SHARED). */
#define SQL_RELATED_TAGS "16"
#define SQL_RELATED_PER_TAG "64"

/* The visible articles matching :match (an FTS5 query, sqlite_search.c),
 * :exclude aside, newest id first, at most :cap, with more columns after
 * their id (FTS5 walks its lists backwards: no sort). The index drives:
 * a lookup per match in an index holding what visibility needs, as
 * the table's row would be read past its body (overflow pages). */
#define SQL_SEARCH_MATCHES(cols) \
    "SELECT a.id" cols " FROM search_fts CROSS JOIN articles a INDEXED BY articles_visible" \
    " ON a.id = search_fts.rowid" \
    " WHERE search_fts MATCH :match AND " SQL_VISIBLE " AND a.id <> :exclude" \
    " ORDER BY search_fts.rowid DESC LIMIT :cap"

/* A match's score, higher is better: bm25 (negated, as SQLite's is lower
 * for better) with a title worth 10 body words and a lead 4, times a
 * recency boost of up to 25% that halves in about six weeks
 * (1 + 0.25 * exp(-age / 60 days)). Mild on purpose: a much better match
 * from last year still outranks a passing mention from today, and
 * between close matches the newer wins. */
#define SQL_SEARCH_SCORE \
    "-bm25(search_fts, 10.0, 4.0, 1.0) * (1.0 + 0.25 * exp(-max(:now - a.published_at, 0)" \
    " / 5184000.0))"

#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)


#endif
