#!/usr/bin/env bash
# Image upload to all variants: a 12-megapixel JPEG (4000×3000, drawn by
# libvips, bench/media.c) uploaded N times (default 5) through the
# newsroom's form to a running nashra, each timed from the POST until the
# media worker has recorded every variant; beside it, in the same run,
# the same work in process (bench/media.c: clean, write, variants) and a
# plain vipsthumbnail-like resize (libvips' thumbnail to one 1280-wide
# JPEG) as the reference. Medians in milliseconds.
#   bench/media.sh [N]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/common.sh"
N=${1:-5}
LOGIN=qiyas
PASSWORD="bench media password 2026"

make -C "$ROOT" -j2 build/nashra build/bench/media >/dev/null
BIN="$ROOT/build/nashra"
"$ROOT/build/bench/media" make "$TMP/12mp.jpg"
echo "image: $(stat -c %s "$TMP/12mp.jpg") bytes, 4000x3000 JPEG"
mkdir -p "$TMP/inproc"
"$ROOT/build/bench/media" time "$TMP/12mp.jpg" "$N" "$TMP/inproc"

# the same through HTTP: sign in, upload, wait for the variants
"$BIN" init "$TMP/site" >/dev/null
printf '%s\n' "$PASSWORD" | "$BIN" user "$TMP/site" add --role admin "$LOGIN" >/dev/null
PORT=$(free_port)
NASHRA_THEME_DIR="$ROOT/themes/default" "$BIN" serve "$TMP/site" --listen "127.0.0.1:$PORT" \
    >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
BASE="http://127.0.0.1:$PORT"
wait_http "$BASE/healthz"
JAR="$TMP/cookies"
token() { curl -fsS -b "$JAR" -c "$JAR" "$1" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
curl -fsS -b "$JAR" -c "$JAR" -o /dev/null -d "csrf=$(token "$BASE/admin/login")" \
    --data-urlencode "login=$LOGIN" --data-urlencode "password=$PASSWORD" "$BASE/admin/login"
variants() { sqlite3 "$TMP/site/nashra.db" "SELECT variants FROM media WHERE id = $1"; }
times=()
for i in $(seq "$N"); do
    # a different image each time: one byte of the JPEG's comment differs
    printf '\xff\xfe\x00\x05%03d' "$i" | cat <(head -c 2 "$TMP/12mp.jpg") - <(tail -c +3 "$TMP/12mp.jpg") \
        >"$TMP/up.jpg"
    t0=$(date +%s%N)
    loc=$(curl -fsS -b "$JAR" -o /dev/null -w '%{redirect_url}' -F "csrf=$(token "$BASE/admin/media/")" \
        -F "alt=صورة القياس $i" -F "file=@$TMP/up.jpg;type=image/jpeg" "$BASE/admin/media/")
    id=$(echo "$loc" | sed -n 's|.*/admin/media/\([0-9]*\)/$|\1|p')
    [[ -n $id ]] || { echo "bench: upload $i refused: $loc" >&2; exit 1; }
    until [[ $(variants "$id") == "320,640,1280" ]]; do sleep 0.02; done
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
echo "http-upload-to-all-variants-ms $(printf '%s\n' "${times[@]}" | median)"
echo "(runs: $N; $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg))"
