#!/usr/bin/env bash
# Compares nashra with nginx serving the very same bytes: nashra renders the
# demo site (with its response cache, and a second instance without it),
# nginx serves files holding what nashra answered, identity and gzip. Each
# scenario is measured with two kinds of requests: "plain" (wrk's bare GET,
# Host only) and "browser" (bench/browser.lua: Chrome on Android's headers,
# a 2 KiB Cookie, Accept-Encoding: gzip, so both servers answer gzip). For
# each page and kind wrk runs BENCH_RUNS times per server, alternating,
# after a warm-up; the table gives medians of req/s and latency, server CPU
# time per request, memory, body bytes per response and the errors wrk saw
# (non-2xx answers, socket errors), which make a rate meaningless.
# Not part of the tests. Needs nginx and wrk (scripts/setup.sh installs them).
#   BENCH_DURATION=10 BENCH_RUNS=3 BENCH_WARMUP=3 BENCH_CONNS=50 BENCH_THREADS=2
#   BENCH_SCENARIOS="article article-nocache home category rss" (a subset)
#   BENCH_MODES="plain browser" (a subset)
#   NASHRA_BIN=path/to/nashra: benchmark that binary (no make); default
#   build/nashra, built first. NASHRA_THEME_DIR etc. pass through.
set -euo pipefail
shopt -s inherit_errexit
if [[ -n ${NASHRA_BIN:-} ]]; then
    NASHRA=$(realpath -e -- "$NASHRA_BIN") || { echo "bench: NASHRA_BIN=$NASHRA_BIN not found" >&2; exit 1; }
    [[ -x $NASHRA ]] || { echo "bench: $NASHRA is not executable" >&2; exit 1; }
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
WARM=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-50}
WTHREADS=${BENCH_THREADS:-2}
ALL_SCENARIOS="article article-nocache home category rss"
read -r -a SCEN <<<"${BENCH_SCENARIOS:-$ALL_SCENARIOS}"
read -r -a MODES <<<"${BENCH_MODES:-plain browser}"
HZ=$(getconf CLK_TCK)
OUT=$ROOT/build/bench-results.md

for s in "${SCEN[@]}"; do
    [[ " $ALL_SCENARIOS " == *" $s "* ]] || { echo "bench: unknown scenario $s (BENCH_SCENARIOS: $ALL_SCENARIOS)" >&2; exit 1; }
done
for m in "${MODES[@]}"; do
    [[ $m == plain || $m == browser ]] || { echo "bench: unknown mode $m (BENCH_MODES: plain browser)" >&2; exit 1; }
done
((${#SCEN[@]} && ${#MODES[@]})) || { echo "bench: nothing to run" >&2; exit 1; }
for t in nginx wrk curl python3 gzip; do
    command -v "$t" >/dev/null || { echo "bench: $t missing (run scripts/setup.sh)" >&2; exit 1; }
done
if [[ -z ${NASHRA:-} ]]; then
    make -j2 >/dev/null
    NASHRA=$ROOT/build/nashra
fi
mkdir -p "$ROOT/build"

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

"$NASHRA" init "$TMP/site" --demo >/dev/null
P_CACHE=$(free_port); P_NOCACHE=$(free_port); P_NGINX=$(free_port)
"$NASHRA" serve "$TMP/site" --listen "127.0.0.1:$P_CACHE" >"$TMP/nashra.log" 2>&1 &
PID_CACHE=$!; PIDS+=("$PID_CACHE")
"$NASHRA" serve "$TMP/site" --listen "127.0.0.1:$P_NOCACHE" --no-cache >"$TMP/nashra-nocache.log" 2>&1 &
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

# nginx serves NAME (identity, as nashra answers without Accept-Encoding)
# and, with gzip_static, NAME.gz (nashra's gzip variant, when it has one)
mkdir -p "$TMP/www" "$TMP/logs"
LOCATIONS=""
for name in "${!PATH_OF[@]}"; do
    url="http://127.0.0.1:$P_CACHE${PATH_OF[$name]}"
    curl -fsS -o "$TMP/www/$name" -D "$TMP/www/$name.headers" "$url"
    ctype=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^\r]*\)\r\?$/\1/p' "$TMP/www/$name.headers")
    curl -fsS --raw -H 'Accept-Encoding: gzip' -o "$TMP/gz" -D "$TMP/gz.headers" "$url"
    if grep -qi '^content-encoding: *gzip' "$TMP/gz.headers"; then
        cmp -s <(gzip -dc "$TMP/gz") "$TMP/www/$name" \
            || { echo "bench: nashra's gzip variant of $name does not decode to its identity body" >&2; exit 1; }
        mv "$TMP/gz" "$TMP/www/$name.gz"
    else
        echo "bench: nashra has no gzip variant of $name; both servers answer it identity-encoded" >&2
    fi
    LOCATIONS+="        location = /$name { default_type \"$ctype\"; alias $TMP/www/$name; }
"
done
rm -f "$TMP/gz" "$TMP/gz.headers"
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
    open_file_cache_errors on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    gzip off;
    gzip_static on;
    gzip_vary on;
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
    [[ -f $TMP/www/$name.gz ]] || continue
    cmp -s <(curl -fsS --raw -H 'Accept-Encoding: gzip' "http://127.0.0.1:$P_NGINX/$name") "$TMP/www/$name.gz" \
        || { echo "bench: nginx does not serve the same gzip bytes for $name (gzip_static)" >&2; exit 1; }
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
script_of() {   # mode -> the wrk script ("" for plain)
    [[ $1 == browser ]] && echo "$ROOT/bench/browser.lua" || true
}
run_wrk() {     # mode, wrk arguments...: wrk with the mode's script; fails if the script does
    local mode=$1 script out; shift
    script=$(script_of "$mode")
    out=$(wrk ${script:+-s "$script"} "$@" 2>&1)
    if [[ -n $script ]] && grep -qF "$script:" <<<"$out"; then   # wrk carries on without it
        echo "bench: wrk could not run $script:" >&2; grep -F "$script:" <<<"$out" | sort -u >&2; exit 1
    fi
    echo "$out"
}

# one wrk run: prints "rps p50ms p99ms cpu_us_per_req non2xx connect read write timeout"
measure() {     # mode pid url
    local c0 c1 out reqs rps p50 p99 non2xx sock
    c0=$(cpu_ticks "$2")
    out=$(run_wrk "$1" -t"$WTHREADS" -c"$CONNS" -d"${DUR}s" --latency "$3")
    c1=$(cpu_ticks "$2")
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
    sock=$(echo "$out" | awk '/Socket errors:/ { gsub(",", ""); print $4, $6, $8, $10 }')
    awk -v r="$rps" -v a="$p50" -v b="$p99" -v c="$((c1 - c0))" -v hz="$HZ" -v n="$reqs" \
        -v e="${non2xx:-0} ${sock:-0 0 0 0}" \
        'BEGIN { printf "%s %s %s %.1f %s\n", r, a, b, (n > 0 ? c * 1e6 / hz / n : 0), e }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
errors_of() {   # file of measure lines -> "0" or e.g. "1234 non-2xx, 5 read" (summed over the runs)
    awk '{ for (i = 5; i <= 9; i++) s[i] += $i }
         END { split("non-2xx connect read write timeout", k, " "); o = ""
               for (i = 5; i <= 9; i++) if (s[i] > 0) o = o (o == "" ? "" : ", ") s[i] " " k[i - 4]
               print (o == "" ? "0" : o) }' "$1"
}
# what a server answers to the mode's requests: "status bytes encoding"
# (status "-" when it answered nothing); from a 1 s, 1-connection wrk run
# with bench/tally.lua, loaded by bench/browser.lua when BENCH_TALLY is set
tally() {       # mode url
    local out line
    if [[ $1 == browser ]]; then out=$(BENCH_TALLY=1 run_wrk browser -t1 -c1 -d1s "$2")
    else out=$(wrk -s "$ROOT/bench/tally.lua" -t1 -c1 -d1s "$2" 2>&1); fi
    line=$(grep '^tally ' <<<"$out") || { echo "bench: no tally from wrk for $2:" >&2; echo "$out" >&2; exit 1; }
    awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           st = v["status"]; if (st == "none") st = "-"
           else if (st ~ /,/) st = "mixed:" st; else sub(/:.*/, "", st)
           print st, v["bytes"], v["encoding"] }' <<<"$line"
}
body_cell() {   # "status bytes encoding" -> table cell
    read -r st b enc <<<"$1"
    if [[ $st == - ]]; then echo "no answer"
    elif [[ $st != 2* ]]; then echo "HTTP $st"
    elif [[ $enc == identity ]]; then echo "$b"
    else echo "$b $enc"; fi
}

declare -A LABEL=([article]="article (cached)" [article-nocache]="article (no cache)"
                  [home]=home [category]=category [rss]=rss)
declare -A NURL=([article]="http://127.0.0.1:$P_CACHE${PATH_OF[article]}"
                 [article-nocache]="http://127.0.0.1:$P_NOCACHE${PATH_OF[article]}"
                 [home]="http://127.0.0.1:$P_CACHE/"
                 [category]="http://127.0.0.1:$P_CACHE${PATH_OF[category]}"
                 [rss]="http://127.0.0.1:$P_CACHE/feed/")
declare -A NPID=([article]=$PID_CACHE [article-nocache]=$PID_NOCACHE [home]=$PID_CACHE
                 [category]=$PID_CACHE [rss]=$PID_CACHE)
declare -A GPATH=([article]=/article [article-nocache]=/article [home]=/home
                  [category]=/category [rss]=/rss)

# check first: both servers answer each scenario and kind with the same
# number of body bytes (within 5 %), else the rates compare different work.
# Exception: the --no-cache server compresses each answer for one reader
# only, at a cheaper zlib level than the cached variant nginx was given, so
# its gzip answer may be larger (nginx then sends fewer bytes, not more).
declare -A NBODY GBODY
for s in "${SCEN[@]}"; do
    for m in "${MODES[@]}"; do
        n=$(tally "$m" "${NURL[$s]}"); g=$(tally "$m" "http://127.0.0.1:$P_NGINX${GPATH[$s]}")
        NBODY[$s.$m]=$(body_cell "$n"); GBODY[$s.$m]=$(body_cell "$g")
        echo "bench: bytes per response, ${LABEL[$s]}, $m: nashra ${NBODY[$s.$m]}, nginx ${GBODY[$s.$m]}" >&2
        read -r nst nb _ <<<"$n"; read -r gst gb _ <<<"$g"
        if [[ $nst != 2* || $gst != 2* ]]; then
            echo "bench: WARNING: ${LABEL[$s]}, $m: not both 2xx (nashra $nst, nginx $gst); body sizes not compared" >&2
        elif [[ $s == article-nocache && $m == browser ]] && (( nb >= gb )); then
            :
        elif ! awk -v a="$nb" -v b="$gb" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b ? a : b); exit !(d <= 0.05 * m) }'; then
            echo "bench: ${LABEL[$s]}, $m: body bytes differ by more than 5% (nashra $nb, nginx $gb)" >&2; exit 1
        fi
    done
done

{
echo "wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency, $RUNS runs each (medians), ${WARM}s warm-up; $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "nashra: ${NASHRA#$ROOT/} ($("$NASHRA" --version 2>/dev/null || echo "version unknown")); requests: plain = wrk's bare GET," \
     "browser = bench/browser.lua (Chrome on Android headers, 2 KiB Cookie, Accept-Encoding: gzip)"
echo
echo "| scenario | requests | server | body B | req/s | p50 ms | p99 ms | CPU µs/req | RSS MiB | errors | nashra/nginx |"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} | tee "$OUT"
ANY_ERRORS=0
for s in "${SCEN[@]}"; do
    label=${LABEL[$s]}; npid=${NPID[$s]}; nurl=${NURL[$s]}
    gurl="http://127.0.0.1:$P_NGINX${GPATH[$s]}"
    for m in "${MODES[@]}"; do
        run_wrk "$m" -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "$nurl" >/dev/null
        run_wrk "$m" -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "$gurl" >/dev/null
        : >"$TMP/n.txt"; : >"$TMP/g.txt"
        for i in $(seq "$RUNS"); do
            for srv in nashra nginx; do
                if [[ $srv == nashra ]]; then line=$(measure "$m" "$npid" "$nurl"); f=$TMP/n.txt
                else line=$(measure "$m" "$PID_NGINX" "$gurl"); f=$TMP/g.txt; fi
                echo "$line" >>"$f"
                e=$(echo "$line" >"$TMP/one.txt"; errors_of "$TMP/one.txt")
                [[ $e == 0 ]] || echo "bench: $label, $m, $srv, run $i: errors: $e" >&2
            done
        done
        col() { awk -v i="$2" '{print $i}' "$1" | median; }
        n_rps=$(col "$TMP/n.txt" 1); g_rps=$(col "$TMP/g.txt" 1)
        n_err=$(errors_of "$TMP/n.txt"); g_err=$(errors_of "$TMP/g.txt")
        if [[ $n_err == 0 && $g_err == 0 ]]; then
            ratio=$(awk -v a="$n_rps" -v b="$g_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        else
            ratio="n/a"; ANY_ERRORS=1
        fi
        printf '| %s | %s | nashra | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$label" "$m" "${NBODY[$s.$m]}" "$n_rps" \
            "$(col "$TMP/n.txt" 2)" "$(col "$TMP/n.txt" 3)" "$(col "$TMP/n.txt" 4)" "$(rss_mib "$npid")" "$n_err" "$ratio" | tee -a "$OUT"
        printf '| %s | %s | nginx | %s | %.0f | %s | %s | %s | %s | %s | |\n' "$label" "$m" "${GBODY[$s.$m]}" "$g_rps" \
            "$(col "$TMP/g.txt" 2)" "$(col "$TMP/g.txt" 3)" "$(col "$TMP/g.txt" 4)" "$(rss_mib "$PID_NGINX")" "$g_err" | tee -a "$OUT"
    done
done
if ((ANY_ERRORS)); then
    echo | tee -a "$OUT"
    echo "errors: non-2xx answers and socket errors summed over the runs; where there are any, req/s counts failures too and the ratio is left out." | tee -a "$OUT"
fi
echo "bench: table written to ${OUT#$ROOT/}"
