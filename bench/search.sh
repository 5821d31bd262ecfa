#!/usr/bin/env bash
# Search benchmarks (docs/PERFORMANCE.md "Search"), on a corpus generated
# at run time by bench/search.c (never committed): SEARCH_ARTICLES
# articles written by SQL into a new SQLite site, then
#  - index: store_reindex (what nashra reindex runs), its two phases
#    (the index; every article's related articles) in articles/s, the
#    related phase stopped after SEARCH_RELATED_SECONDS (it costs a
#    search per article), and then that search alone for
#    SEARCH_RELATED_SAMPLE articles;
#  - write: SEARCH_WRITES more articles through the write path
#    (store_article_insert: the row, its index, its related articles),
#    one write each, then deleted;
#  - query: SEARCH_QUERIES queries of 1-3 words drawn from the articles'
#    own words as they spell them, latency of search_run and of
#    store_search alone;
#  - size: the index's tables against the article text, in bytes;
#  - http: wrk on /search?q=QUERY against nginx serving the very bytes
#    nashra answered, from a saved file: nashra with its cache (every
#    request a hit), with --no-cache (every request a search and a
#    render), and with --no-cache and a distinct query on every request
#    (bench/search_queries.lua); BENCH_RUNS runs of each, alternating
#    with nginx, medians;
#  - pg: the first SEARCH_PG_ARTICLES articles copied to PostgreSQL
#    (scripts/pg.sh), indexed there, its write path, query latency and
#    sizes.
# Not part of the tests. Needs nginx, wrk, curl, sqlite3, and psql for pg.
#   SEARCH_ARTICLES=100000 SEARCH_QUERIES=3000 SEARCH_WRITES=200
#   SEARCH_PG_ARTICLES=SEARCH_ARTICLES SEARCH_RELATED_SECONDS=120 SEARCH_RELATED_SAMPLE=50
#   SEARCH_STEPS="sqlite http pg" (a subset; sqlite: index write query size)
#   BENCH_DURATION=5 BENCH_RUNS=3 BENCH_CONNS=50 BENCH_THREADS=2
# Results go to stdout and build/bench-search.md.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${SEARCH_ARTICLES:-100000}
NQ=${SEARCH_QUERIES:-3000}
NW=${SEARCH_WRITES:-200}
NPG=${SEARCH_PG_ARTICLES:-$N}
RELATED_S=${SEARCH_RELATED_SECONDS:-120}
NREL=${SEARCH_RELATED_SAMPLE:-50}
DUR=${BENCH_DURATION:-5}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNS:-50}
WTHREADS=${BENCH_THREADS:-2}
STEPS=" ${SEARCH_STEPS:-sqlite http pg} "
OUT=$ROOT/build/bench-search.md
NASHRA=$ROOT/build/nashra
BENCH=$ROOT/build/bench/search

make -j2 all build/bench/search >/dev/null
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
say() { echo "$*" | tee -a "$OUT"; }
: >"$OUT"
say "# search benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
say "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the corpus, and what SQLite makes of it ----
"$NASHRA" init "$TMP/site" >/dev/null
DB=$TMP/site/nashra.db
say "$("$BENCH" gen "$DB" "$N")"
TERMS_VERSION=$(awk '/#define TERMS_VERSION/ {print $3}' "$ROOT/src/search/terms.h")
index_step() {  # label location site-dir articles: store_reindex's phases
    say ""; say "$1 rebuild (build/bench/search reindex, $4 articles, related phase stopped after ${RELATED_S} s):"
    say '```'; say "$("$BENCH" reindex "$2" "$RELATED_S")"; say '```'
    # a related phase stopped short records no analyzer version: record it,
    # or nashra serve would start the whole rebuild again
    "$NASHRA" settings "$3" set search_version "$TERMS_VERSION"
    say ""; say "$("$BENCH" related "$2" "$4" "$NREL")"
}
if [[ $STEPS == *" sqlite "* ]]; then
    index_step SQLite "$DB" "$TMP/site" "$N"
    say ""; say "$("$BENCH" write "$DB" "$N" "$NW")"
    say ""; say "$("$BENCH" query "$DB" "$N" "$NQ")"
    say ""; say "SQLite sizes:"; say ""; say "$("$BENCH" size "$DB")"
else
    "$BENCH" reindex "$DB" 1 >/dev/null
    "$NASHRA" settings "$TMP/site" set search_version "$TERMS_VERSION"
fi

# ---- /search against nginx ----
wrk_line() {    # url [script]: "req/s p50ms p99ms non2xx"
    local out
    out=$(BENCH_QUERIES=$TMP/queries.txt wrk ${2:+-s "$2"} -t"$WTHREADS" -c"$CONNS" -d"${DUR}s" --latency "$1" 2>&1)
    echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")" \
         "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")" \
         "$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out" | grep . || echo 0)"
}
col() { awk -v c="$1" '{ print $c }' "$2" | median; }
if [[ $STEPS == *" http "* ]]; then
    "$BENCH" queries "$N" 20000 >"$TMP/queries.txt"
    Q=$(awk 'NF == 2 { print; exit }' "$TMP/queries.txt")
    QENC=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$Q")
    P_CACHE=$(free_port) P_NOCACHE=$(free_port) P_NGINX=$(free_port)
    "$NASHRA" serve "$TMP/site" --listen "127.0.0.1:$P_CACHE" >"$TMP/cache.log" 2>&1 & PIDS+=($!)
    "$NASHRA" serve "$TMP/site" --no-cache --listen "127.0.0.1:$P_NOCACHE" >"$TMP/nocache.log" 2>&1 & PIDS+=($!)
    wait_http "http://127.0.0.1:$P_CACHE/healthz"; wait_http "http://127.0.0.1:$P_NOCACHE/healthz"
    mkdir -p "$TMP/www" "$TMP/logs"
    curl -fsS "http://127.0.0.1:$P_CACHE/search?q=$QENC" -o "$TMP/www/search"
    nginx_start "$P_NGINX" '        location = /search { root '"$TMP/www"'; default_type "text/html; charset=utf-8"; }
'
    wait_http "http://127.0.0.1:$P_NGINX/search"
    cmp -s <(curl -fsS "http://127.0.0.1:$P_NGINX/search") "$TMP/www/search" \
        || { echo "bench: nginx does not serve the saved page" >&2; exit 1; }
    say ""; say "/search?q=$Q ($(wc -c <"$TMP/www/search") bytes; X-Cache $(curl -fsSI "http://127.0.0.1:$P_CACHE/search?q=$QENC" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" {print $2}'))"
    say "wrk -t$WTHREADS -c$CONNS -d${DUR}s, $RUNS runs each alternating with nginx, medians"
    say ""
    say "| scenario | nashra req/s | p50 ms | p99 ms | non-2xx | nginx req/s | p50 ms | p99 ms | nashra/nginx |"
    say "|---|---|---|---|---|---|---|---|---|"
    declare -A URL=([cached]="http://127.0.0.1:$P_CACHE/search?q=$QENC"
                    [no-cache]="http://127.0.0.1:$P_NOCACHE/search?q=$QENC"
                    [distinct-queries]="http://127.0.0.1:$P_NOCACHE/")
    for s in cached no-cache distinct-queries; do
        script=""; [[ $s == distinct-queries ]] && script=$ROOT/bench/search_queries.lua
        : >"$TMP/n.$s"; : >"$TMP/g.$s"
        wrk_line "${URL[$s]}" "$script" >/dev/null   # warm-up
        for _ in $(seq "$RUNS"); do
            wrk_line "${URL[$s]}" "$script" >>"$TMP/n.$s"
            wrk_line "http://127.0.0.1:$P_NGINX/search" >>"$TMP/g.$s"
        done
        n=$(col 1 "$TMP/n.$s") g=$(col 1 "$TMP/g.$s")
        say "| $s | $n | $(col 2 "$TMP/n.$s") | $(col 3 "$TMP/n.$s") | $(awk '{s += $4} END {print s}' "$TMP/n.$s") |" \
            "$g | $(col 2 "$TMP/g.$s") | $(col 3 "$TMP/g.$s") | $(awk -v a="$n" -v b="$g" 'BEGIN { printf "%.2f", a / b }') |"
    done
fi

# ---- PostgreSQL ----
# the first SEARCH_PG_ARTICLES articles of the same corpus, copied row for
# row (psql \copy; nashra db copy would rebuild the index itself)
if [[ $STEPS == *" pg "* ]]; then
    eval "$("$ROOT/scripts/pg.sh" start)"
    PG_DIR=$NASHRA_PG_DIR
    "$NASHRA" init "$TMP/pgsite" --db "$NASHRA_PG_URL" >/dev/null
    pg_rows() {     # table columns [where]
        sqlite3 -csv "$DB" "SELECT $2 FROM $1 ${3:-}" |
            psql -q "$NASHRA_PG_URL" -c "\\copy $1($2) FROM pstdin (FORMAT csv)"
        psql -qAt "$NASHRA_PG_URL" -c "SELECT setval(pg_get_serial_sequence('$1', 'id'), max(id)) FROM $1" >/dev/null
    }
    pg_rows authors "id, slug, name"
    pg_rows categories "id, slug, name"
    pg_rows articles "id, slug, title, lead, body_md, status, created_at, published_at, updated_at, author_id, category_id" \
        "WHERE id <= $NPG"
    index_step PostgreSQL "$NASHRA_PG_URL" "$TMP/pgsite" "$NPG"
    say ""; say "$("$BENCH" write "$NASHRA_PG_URL" "$NPG" "$NW")"
    say ""; say "$("$BENCH" query "$NASHRA_PG_URL" "$NPG" "$NQ")"
say ""; say "PostgreSQL sizes:"; say ""; say "| what | MB |"; say "|---|---|"
    say "$(psql -qAt -F ' | ' "$NASHRA_PG_URL" -c "
        SELECT '| article text (title, lead, body_md bytes)', round((sum(octet_length(title)
               + octet_length(coalesce(lead, '')) + octet_length(coalesce(body_md, ''))) / 1e6)::numeric, 1) || ' |'
          FROM articles
        UNION ALL SELECT '| whole database', round(pg_database_size(current_database()) / 1e6, 1) || ' |'
        UNION ALL (SELECT '| ' || relname || ' (with indexes, TOAST)', round(pg_total_relation_size(c.oid) / 1e6, 1) || ' |'
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE relkind = 'r' AND nspname = current_schema() AND pg_total_relation_size(c.oid) > 100000
         ORDER BY pg_total_relation_size(c.oid) DESC)")"
fi
say ""; say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
