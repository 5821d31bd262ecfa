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

#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)


#endif
