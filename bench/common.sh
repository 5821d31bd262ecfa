# What the benchmark scripts share (sourced by bench/run.sh and
# bench/search.sh, after ROOT is set): a temporary directory $TMP removed
# at exit with every process of PIDS and the PostgreSQL cluster of PG_DIR
# (scripts/pg.sh) stopped, free ports, waiting for a server, and reading
# wrk's numbers.
TMP=$(mktemp -d /tmp/nashra-bench.XXXXXX)
chmod 755 "$TMP"
PIDS=()
PG_DIR=""
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    [[ -n $PG_DIR ]] && { NASHRA_PG_DIR=$PG_DIR "$ROOT/scripts/pg.sh" stop || true; }
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {   # url
    for _ in $(seq 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
    echo "bench: $1 did not answer" >&2; exit 1
}
to_ms() {       # wrk latency (e.g. 1.23ms, 450.00us, 1.02s) -> ms
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.3f", n }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# nginx on 127.0.0.1:port serving files below $TMP (the locations given),
# with the upstreams given; its pid in PID_NGINX, stopped at exit
nginx_start() { # port locations [upstreams]
    mkdir -p "$TMP/logs"
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
        listen 127.0.0.1:$1;
$2    }
${3:-}}
NGINX
    nginx -p "$TMP" -c "$TMP/nginx.conf" &
    PID_NGINX=$!; PIDS+=("$PID_NGINX")
}
