#!/usr/bin/env bash
# WordPress import benchmark (docs/PERFORMANCE.md "WordPress import"):
# bench/wxr_gen.py writes two WXR 1.2 exports, of N posts and of SCALE×N
# (same seed, same shape: pages, attachments, comments, drafts…), and on
# each backend each file is imported into a new site:
#   nashra init SITE [--db URL]
#   /usr/bin/time -f '%e %M %U %S' nashra import wordpress SITE FILE.xml
# then the same file again into the same site (nothing changes: the
# second-run time). For each backend and size: posts, seconds, posts/s,
# items/s, CPU seconds, peak RSS of the nashra process and the peak of
# its anonymous memory (on PostgreSQL the server's own memory and CPU are
# not in them), what the site then holds (articles, comments, documents
# in the search index), the 1-minute load average before the run (the
# machine may be shared), and the ratios of peak RSS, SCALE×N file over
# N file.
#   posts/s = the export's items of post_type post (every status) over
#             the whole import's wall time (which also imports the pages,
#             attachments, comments, terms and users, and indexes the
#             articles for search);
#   items/s = every item (posts, pages, attachments) over the same time.
# PostgreSQL: a throw-away cluster (scripts/pg.sh), one database per run.
# Not part of the tests. Needs python3, /usr/bin/time, sqlite3, and psql
# for pg.
#   bench/import.sh [N]          N posts (default IMPORT_POSTS or 2000)
#   IMPORT_SCALE=10 IMPORT_BACKENDS="sqlite pg" IMPORT_SEED=20261201
#   NASHRA_BIN=/path/to/nashra   another build (not built here)
# Results go to stdout and build/bench-import.md.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-${IMPORT_POSTS:-2000}}
SCALE=${IMPORT_SCALE:-10}
BACKENDS=" ${IMPORT_BACKENDS:-sqlite pg} "
SEED=${IMPORT_SEED:-20261201}
OUT=$ROOT/build/bench-import.md
NASHRA=${NASHRA_BIN:-$ROOT/build/nashra}

[[ -n ${NASHRA_BIN:-} ]] || make -j2 all >/dev/null
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
mkdir -p "$ROOT/build"
say() { echo "$*" | tee -a "$OUT"; }
: >"$OUT"
say "# WordPress import, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
say "uptime before: $(uptime)"

# ---- the exports ----
declare -A FILE POSTS ITEMS
for n in "$N" "$((N * SCALE))"; do
    FILE[$n]=$TMP/wxr-$n.xml
    python3 "$ROOT/bench/wxr_gen.py" "$n" --seed "$SEED" -o "${FILE[$n]}"
    stats=$(python3 "$ROOT/bench/wxr_gen.py" --stats "${FILE[$n]}")
    POSTS[$n]=$(awk '$1 == "post" { s += $3 } END { print s }' <<<"$stats")
    ITEMS[$n]=$(awk '$1 == "post" { s += $3 } $1 == "page" || $1 == "attachment" { s += $2 } END { print s }' <<<"$stats")
    say ""
    say "wxr-$n.xml: $(awk -v b="$(stat -c %s "${FILE[$n]}")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB, bench/wxr_gen.py $n --seed $SEED:"
    say '```'; say "$stats"; say '```'
done

# ---- the imports ----
held() {        # backend location: "articles comments indexed"
    if [[ $1 == sqlite ]]; then
        sqlite3 "$2" "SELECT (SELECT count(*) FROM articles) || ' ' || (SELECT count(*) FROM comments)
                      || ' ' || (SELECT count(*) FROM search_fts_docsize)"
    else
        psql -qAt "$2" -c "SELECT (SELECT count(*) FROM articles) || ' ' || (SELECT count(*) FROM comments)
                           || ' ' || (SELECT count(*) FROM search_docs)"
    fi
}
# the import, timed by /usr/bin/time (wall seconds, peak RSS, CPU), while
# its anonymous memory (RssAnon: the heap, SQLite's page cache; not the
# database file SQLite maps, which %M counts as it is read) is sampled
# every 0.1 s for its peak
import_run() {  # site file log: "seconds peak-KiB cpu-seconds peak-anon-KiB"
    local tpid pid="" anon=0 k v _
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$NASHRA" import wordpress "$1" "$2" >"$3" 2>&1 &
    tpid=$!
    while kill -0 "$tpid" 2>/dev/null; do
        [[ -n $pid ]] || pid=$(pgrep -P "$tpid" || true)
        if [[ -n $pid ]]; then
            { while read -r k v _; do
                [[ $k == RssAnon: ]] && ((v > anon)) && anon=$v
            done <"/proc/$pid/status"; } 2>/dev/null || true
        fi
        sleep 0.1
    done
    if ! wait "$tpid"; then
        echo "bench: nashra import wordpress $1 $2 failed ($(head -n 1 "$TMP/time")):" >&2
        tail -n 20 "$3" >&2
        exit 1
    fi
    awk -v a="$anon" 'END { printf "%s %s %.2f %d\n", $1, $2, $3 + $4, a }' "$TMP/time"
}
rate() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0) ? a / b : 0 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
declare -A RSS ANON
ROWS=()
for backend in sqlite pg; do
    [[ $BACKENDS == *" $backend "* ]] || continue
    if [[ $backend == pg ]]; then
        eval "$("$ROOT/scripts/pg.sh" start)"
        PG_DIR=$NASHRA_PG_DIR
    fi
    for n in "$N" "$((N * SCALE))"; do
        site=$TMP/site-$backend-$n
        if [[ $backend == sqlite ]]; then
            "$NASHRA" init "$site" >/dev/null
            where=$site/nashra.db
        else
            psql -qAt "$NASHRA_PG_URL" -c "CREATE DATABASE import_$n" >/dev/null
            where=${NASHRA_PG_URL%/*}/import_$n
            "$NASHRA" init "$site" --db "$where" >/dev/null
        fi
        load=$(cut -d' ' -f1 /proc/loadavg)
        t=$(import_run "$site" "${FILE[$n]}" "$TMP/import-$backend-$n.log"); read -r secs kib cpu anon <<<"$t"
        t=$(import_run "$site" "${FILE[$n]}" "$TMP/again-$backend-$n.log"); read -r secs2 _ cpu2 _ <<<"$t"
        t=$(held "$backend" "$where"); read -r arts comms docs <<<"$t"
        RSS[$backend-$n]=$kib ANON[$backend-$n]=$anon
        ROWS+=("| $backend | ${POSTS[$n]} | ${ITEMS[$n]} | $secs | $(rate "${POSTS[$n]}" "$secs") | $(rate "${ITEMS[$n]}" "$secs") | $cpu | $(rate "${POSTS[$n]}" "$cpu") | $(mib "$kib") | $(mib "$anon") | $secs2 ($cpu2) | $arts | $comms | $docs | $load |")
        echo "${ROWS[-1]}" >&2
        say ""; say "$backend, $n posts: the import's summary"
        say '```'; say "$(cat "$TMP/import-$backend-$n.log")"; say '```'
    done
    if [[ $backend == pg ]]; then
        NASHRA_PG_DIR=$PG_DIR "$ROOT/scripts/pg.sh" stop
        PG_DIR=""
    fi
done

say ""
say "posts/s: items of post_type post (every status) over the whole import's wall time; items/s: posts, pages and attachments."
say "CPU s: the nashra process's user + system time (on PostgreSQL the server's is not in it), posts/CPU s: posts over it."
say "peak RSS: the nashra process (/usr/bin/time %M, which counts the pages of the database file SQLite maps as it reads them); anon: its peak RssAnon, sampled every 0.1 s."
say "2nd run: the same file again into the same site, wall s (CPU s); indexed: articles in the search index; load: 1-minute load average before the run."
say ""
say "| backend | posts | items | s | posts/s | items/s | CPU s | posts/CPU s | peak RSS MiB | anon MiB | 2nd run s | articles | comments | indexed | load |"
say "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in "${ROWS[@]}"; do say "$r"; done
say ""
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
for backend in sqlite pg; do
    [[ -n ${RSS[$backend-$N]:-} ]] || continue
    say "$backend: ${SCALE}× file / 1× file: peak RSS $(ratio "${RSS[$backend-$((N * SCALE))]}" "${RSS[$backend-$N]}")," \
        "anon $(ratio "${ANON[$backend-$((N * SCALE))]}" "${ANON[$backend-$N]}")"
done
say ""; say "uptime after: $(uptime)"
