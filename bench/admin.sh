#!/usr/bin/env bash
# Whether the newsroom slows readers down: wrk reads one cached article of
# the demo site alone, then while an editor signed in to /admin saves an
# article in a loop (bench/admin_saver.py: the editor's form read, its text
# changed, posted back, as a browser does), alternating the two BENCH_RUNS
# times; prints the median reader rate of each, the saves made per second
# and their ratio (target: with saves >= 0.8 x without).
# Not part of the tests. Needs wrk, curl and python3.
#   BENCH_DURATION=10 BENCH_RUNS=3 BENCH_CONNS=50 BENCH_THREADS=2
#   BENCH_SAVE=draft: the editor saves a draft of its own (readers' pages
#     stay cached); "published": the demo's newest published article, so
#     every save changes what readers' lists show
#   BENCH_SAVE_PAUSE=0: seconds between two saves (0: as fast as answered)
#   NASHRA_BIN=path/to/nashra (default build/nashra, built first)
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${BENCH_DURATION:-10} RUNS=${BENCH_RUNS:-3} CONNS=${BENCH_CONNS:-50} WTHREADS=${BENCH_THREADS:-2}
SAVE=${BENCH_SAVE:-draft} PAUSE=${BENCH_SAVE_PAUSE:-0}
[[ $SAVE == draft || $SAVE == published ]] || { echo "bench: BENCH_SAVE is draft or published" >&2; exit 1; }
for t in wrk curl python3; do
    command -v "$t" >/dev/null || { echo "bench: $t missing (run scripts/setup.sh)" >&2; exit 1; }
done
if [[ -n ${NASHRA_BIN:-} ]]; then
    NASHRA=$(realpath -e -- "$NASHRA_BIN")
else
    make -j2 all >/dev/null
    NASHRA=$ROOT/build/nashra
fi
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

"$NASHRA" init "$TMP/site" --demo >/dev/null
PASSWORD="bench-$(date +%s)-كلمة-سر"
printf '%s\n' "$PASSWORD" | "$NASHRA" user "$TMP/site" add --role editor bench-editor >/dev/null
PORT=$(free_port)
"$NASHRA" serve "$TMP/site" --listen "127.0.0.1:$PORT" >"$TMP/nashra.log" 2>&1 &
PIDS+=("$!")
BASE="http://127.0.0.1:$PORT"
wait_http "$BASE/healthz"
# the reader's article: the demo's first; the editor saves a draft of its
# own or the newest published article
SLUGS=$(python3 - "$TMP/site/nashra.db" "$SAVE" <<'PY'
import sqlite3, sys, urllib.parse
db = sqlite3.connect(sys.argv[1])
first = db.execute("SELECT slug FROM articles WHERE status='published' ORDER BY id LIMIT 1").fetchone()[0]
last = db.execute("SELECT id FROM articles WHERE status='published' ORDER BY published_at DESC LIMIT 1").fetchone()[0]
print(urllib.parse.quote(first), last if sys.argv[2] == "published" else "new")
PY
)
read -r READ_SLUG SAVE_ID <<<"$SLUGS"
URL="$BASE/$READ_SLUG/"
curl -fsS -o /dev/null "$URL"
[[ $(curl -sS -o /dev/null -D - "$URL" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache" {print $2}') == HIT ]] \
    || { echo "bench: $URL is not served from the cache" >&2; exit 1; }

reads() {       # one wrk run on the reader's article: prints req/s
    local out
    out=$(wrk -t"$WTHREADS" -c"$CONNS" -d"${DUR}s" "$URL" 2>&1)
    if grep -q "Non-2xx" <<<"$out"; then echo "bench: wrk saw errors: $out" >&2; exit 1; fi
    awk '/^Requests\/sec/ { print $2 }' <<<"$out"
}
alone=() busy=() saves=()
for ((i = 0; i < RUNS; i++)); do
    alone+=("$(reads)")
    rm -f "$TMP/saves"
    python3 "$ROOT/bench/admin_saver.py" "$BASE" bench-editor "$PASSWORD" "$SAVE_ID" "$TMP/saves" "$PAUSE" &
    SAVER=$!; PIDS+=("$SAVER")
    for _ in $(seq 100); do [[ -s $TMP/saves ]] && break; sleep 0.1; done   # signed in and saving
    busy+=("$(reads)")
    kill "$SAVER"; wait "$SAVER" 2>/dev/null || true
    [[ -s $TMP/saves ]] || { echo "bench: the editor saved nothing" >&2; cat "$TMP/nashra.log" >&2; exit 1; }
    read -r rate refused <"$TMP/saves"
    saves+=("$rate"); REFUSED=$((${REFUSED:-0} + refused))
done
A=$(printf '%s\n' "${alone[@]}" | median)
B=$(printf '%s\n' "${busy[@]}" | median)
S=$(printf '%s\n' "${saves[@]}" | median)
printf 'readers alone:        %10.0f req/s\n' "$A"
printf 'readers while saving: %10.0f req/s (the editor: %.1f saves/s of %s, %d refused)\n' "$B" "$S" "$SAVE" "$REFUSED"
awk -v a="$A" -v b="$B" 'BEGIN { r = b / a; printf "ratio: %.2f (target >= 0.80) %s\n", r, r >= 0.8 ? "ok" : "BELOW TARGET" }'
