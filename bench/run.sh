#!/usr/bin/env bash
# Compares nashra with nginx serving the very same bytes: nashra renders the
# demo site (with its response cache, and a second instance without it),
# nginx serves files holding what nashra answered. For each page wrk runs
# BENCH_RUNS times per server, alternating, after a warm-up; the table gives
# medians of req/s and latency, server CPU time per request and memory.
# Not part of the tests. Needs nginx and wrk (scripts/setup.sh installs them).
#   BENCH_DURATION=10 BENCH_RUNS=3 BENCH_WARMUP=3 BENCH_CONNS=50 BENCH_THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
WARM=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-50}
WTHREADS=${BENCH_THREADS:-2}
HZ=$(getconf CLK_TCK)
OUT=$ROOT/build/bench-results.md

for t in nginx wrk curl python3; do
    command -v "$t" >/dev/null || { echo "bench: $t missing (run scripts/setup.sh)" >&2; exit 1; }
done
make -j2 >/dev/null

TMP=$(mktemp -d /tmp/nashra-bench.XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {   # url
    for _ in $(seq 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
    echo "bench: $1 did not answer" >&2; exit 1
}

build/nashra init "$TMP/site" --demo >/dev/null
P_CACHE=$(free_port); P_NOCACHE=$(free_port); P_NGINX=$(free_port)
build/nashra serve "$TMP/site" --listen "127.0.0.1:$P_CACHE" >"$TMP/nashra.log" 2>&1 &
PID_CACHE=$!; PIDS+=("$PID_CACHE")
build/nashra serve "$TMP/site" --listen "127.0.0.1:$P_NOCACHE" --no-cache >"$TMP/nashra-nocache.log" 2>&1 &
PID_NOCACHE=$!; PIDS+=("$PID_NOCACHE")
wait_http "http://127.0.0.1:$P_CACHE/healthz"
wait_http "http://127.0.0.1:$P_NOCACHE/healthz"

# the pages: name and path as requested from nashra
read -r SEED CAT < <(python3 - "$TMP/site/nashra.db" <<'PY'
import sqlite3, sys, urllib.parse
c = sqlite3.connect(sys.argv[1])
slug, cat = c.execute("SELECT a.slug, c.slug FROM articles a JOIN categories c ON c.id=a.category_id"
                      " WHERE a.title LIKE 'المئات من الجنود الروس%'").fetchone()
print(urllib.parse.quote("/%s/" % slug), urllib.parse.quote("/category/%s/" % cat))
PY
)
declare -A PATH_OF=([article]=$SEED [home]=/ [category]=$CAT [rss]=/feed/)

mkdir -p "$TMP/www" "$TMP/logs"
LOCATIONS=""
for name in "${!PATH_OF[@]}"; do
    url="http://127.0.0.1:$P_CACHE${PATH_OF[$name]}"
    curl -fsS -o "$TMP/www/$name" -D "$TMP/www/$name.headers" "$url"
    ctype=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^\r]*\)\r\?$/\1/p' "$TMP/www/$name.headers")
    LOCATIONS+="        location = /$name { default_type \"$ctype\"; alias $TMP/www/$name; }
"
done
chmod 644 "$TMP"/www/*
cat >"$TMP/nginx.conf" <<NGINX
daemon off;
master_process on;
worker_processes auto;
user root;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types { }
    client_body_temp_path $TMP/logs/body;
    proxy_temp_path $TMP/logs/proxy;
    fastcgi_temp_path $TMP/logs/fastcgi;
    uwsgi_temp_path $TMP/logs/uwsgi;
    scgi_temp_path $TMP/logs/scgi;
    server {
        listen 127.0.0.1:$P_NGINX;
$LOCATIONS    }
}
NGINX
nginx -p "$TMP" -c "$TMP/nginx.conf" &
PID_NGINX=$!; PIDS+=("$PID_NGINX")
wait_http "http://127.0.0.1:$P_NGINX/home"
for name in "${!PATH_OF[@]}"; do
    cmp -s <(curl -fsS "http://127.0.0.1:$P_NGINX/$name") "$TMP/www/$name" \
        || { echo "bench: nginx does not serve the same bytes for $name" >&2; exit 1; }
done

procs_of() {    # pid -> the pid and its children (nginx workers)
    echo "$1"; pgrep -P "$1" || true
}
cpu_ticks() {   # sum of utime+stime over the processes
    local t=0 p
    for p in $(procs_of "$1"); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$t"
}
rss_mib() {     # sum of VmRSS over the processes, MiB
    local kb=0 p
    for p in $(procs_of "$1"); do
        kb=$((kb + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")))
    done
    awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }'
}
to_ms() {       # wrk latency (e.g. 1.23ms, 450.00us, 1.02s) -> ms
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.3f", n }'
}

# one wrk run: prints "rps p50ms p99ms cpu_us_per_req"
measure() {     # pid url
    local c0 c1 out reqs rps p50 p99
    c0=$(cpu_ticks "$1")
    out=$(wrk -t"$WTHREADS" -c"$CONNS" -d"${DUR}s" --latency "$2")
    c1=$(cpu_ticks "$1")
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    if echo "$out" | grep -q 'Non-2xx'; then echo "bench: non-2xx answers from $2" >&2; exit 1; fi
    awk -v r="$rps" -v a="$p50" -v b="$p99" -v c="$((c1 - c0))" -v hz="$HZ" -v n="$reqs" \
        'BEGIN { printf "%s %s %s %.1f\n", r, a, b, (n > 0 ? c * 1e6 / hz / n : 0) }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

SCENARIOS=("article (cached)|$PID_CACHE|http://127.0.0.1:$P_CACHE${PATH_OF[article]}|/article"
           "article (no cache)|$PID_NOCACHE|http://127.0.0.1:$P_NOCACHE${PATH_OF[article]}|/article"
           "home|$PID_CACHE|http://127.0.0.1:$P_CACHE/|/home"
           "category|$PID_CACHE|http://127.0.0.1:$P_CACHE${PATH_OF[category]}|/category"
           "rss|$PID_CACHE|http://127.0.0.1:$P_CACHE/feed/|/rss")

{
echo "wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency, $RUNS runs each (medians), ${WARM}s warm-up; $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| scenario | server | req/s | p50 ms | p99 ms | CPU µs/req | RSS MiB | nashra/nginx |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} | tee "$OUT"
for sc in "${SCENARIOS[@]}"; do
    IFS='|' read -r label npid nurl gpath <<<"$sc"
    gurl="http://127.0.0.1:$P_NGINX$gpath"
    wrk -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "$nurl" >/dev/null
    wrk -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "$gurl" >/dev/null
    : >"$TMP/n.txt"; : >"$TMP/g.txt"
    for _ in $(seq "$RUNS"); do
        measure "$npid" "$nurl" >>"$TMP/n.txt"
        measure "$PID_NGINX" "$gurl" >>"$TMP/g.txt"
    done
    col() { awk -v i="$2" '{print $i}' "$1" | median; }
    n_rps=$(col "$TMP/n.txt" 1); g_rps=$(col "$TMP/g.txt" 1)
    ratio=$(awk -v a="$n_rps" -v b="$g_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '| %s | nashra | %.0f | %s | %s | %s | %s | %s |\n' "$label" "$n_rps" \
        "$(col "$TMP/n.txt" 2)" "$(col "$TMP/n.txt" 3)" "$(col "$TMP/n.txt" 4)" "$(rss_mib "$npid")" "$ratio" | tee -a "$OUT"
    printf '| %s | nginx | %.0f | %s | %s | %s | %s | |\n' "$label" "$g_rps" \
        "$(col "$TMP/g.txt" 2)" "$(col "$TMP/g.txt" 3)" "$(col "$TMP/g.txt" 4)" "$(rss_mib "$PID_NGINX")" | tee -a "$OUT"
done
echo "bench: table written to ${OUT#$ROOT/}"
