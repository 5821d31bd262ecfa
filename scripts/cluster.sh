#!/usr/bin/env bash
# Several nashra nodes on one machine, arranged as a multi-node site is
# deployed (docs/DEPLOY.md), for trying that arrangement out and for the
# end-to-end tests: a throw-away PostgreSQL cluster (scripts/pg.sh), a demo
# site on it, NASHRA_NODES `nashra serve` nodes on free ports of 127.0.0.1
# trusting the balancer's X-Forwarded-For, and nginx in front of them as
# the load balancer (round robin, passive health checks, the proxy settings
# of deploy/nashra-proxy.conf). Everything lives in one state directory,
# runs in the background and is removed by `stop`.
#
#   scripts/cluster.sh start [DIR]    start it all; prints the URL
#   scripts/cluster.sh status [DIR]   what runs (exit 3 if anything is down)
#   scripts/cluster.sh stop [DIR]     stop it all; removes DIR and the PostgreSQL cluster
#
# DIR, the state directory (default /tmp/nashra-cluster-UID), must be new
# or empty. It holds the site (DIR/site: its nashra.conf names the
# database, so `nashra article DIR/site set ID title X` changes what every
# node serves), each node's output (DIR/node-N.log), nginx's configuration,
# pid and logs (DIR/nginx/; access.log names the node of each answer) and
# DIR/cluster.env, what `status` and `stop` need.
#
# Environment: NASHRA_NODES nodes (default 2); PORT the balancer's port
# (default 8080 if it is free, else any free port); NASHRA_THREADS worker
# threads per node (default: nashra's, one per CPU); NASHRA_BIN the binary
# (default build/nashra, built first); NASHRA_THEME_DIR passes through.
# As root (CI), PostgreSQL runs as the postgres user (scripts/pg.sh) and
# nginx's workers as root; as another user everything runs as that user,
# nginx with the private prefix DIR/nginx, so no sudo is needed.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)

CMD=${1:-}
DIR=$(realpath -m -- "${2:-/tmp/nashra-cluster-$(id -u)}")
STATE=$DIR/cluster.env
STOP_WAIT=30        # seconds a process gets to stop on SIGTERM before SIGKILL

die() { echo "cluster.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port_free() {   # port: true if nothing listens on it (bound as nginx will bind it)
    python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}
nginx_bin() { command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || die "nginx is not installed (scripts/setup.sh)"; }
record() { printf '%s=%q\n' "$1" "$2" >>"$STATE"; }   # name value: into DIR/cluster.env

# a process of this cluster (its command line names DIR), not exited
alive() {
    [[ -n ${1:-} && -r /proc/$1/cmdline ]] || return 1
    [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) != Z ]] || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$DIR/"
}
health() {      # port -> the first line of its /healthz ("ok", "unavailable") or "no answer"
    curl -s --max-time 2 "http://127.0.0.1:$1/healthz" 2>/dev/null | head -n 1 | grep . || echo "no answer"
}
wait_http() {   # port log [pid]: until /healthz answers 200, else (or once pid exited) show log and fail
    local why="did not answer /healthz in 30 s"
    for _ in $(seq 300); do
        curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/healthz" && return 0
        [[ -z ${3:-} ]] || alive "$3" || { why="exited"; break; }
        sleep 0.1
    done
    echo "cluster.sh: 127.0.0.1:$1 $why; end of $2:" >&2
    tail -n 20 "$2" >&2 || true
    exit 1
}

# ---- stop ----

stop_pids() {   # pid...: SIGTERM, then SIGKILL what is still there after STOP_WAIT
    local p pending=() i
    for p in "$@"; do alive "$p" && kill -TERM "$p" 2>/dev/null && pending+=("$p"); done
    for ((i = 0; i < STOP_WAIT * 10 && ${#pending[@]}; i++)); do
        sleep 0.1
        for p in "${!pending[@]}"; do alive "${pending[$p]}" || unset 'pending[p]'; done
    done
    for p in "${pending[@]}"; do
        echo "cluster.sh: process $p did not stop in $STOP_WAIT s: killed" >&2
        kill -KILL "$p" 2>/dev/null || true
    done
}

# Stop whatever DIR/cluster.env says was started, then remove DIR (only a
# directory this script made: one holding cluster.env).
stop_all() {
    [[ -f $STATE ]] || return 0
    local NODES=0 PG_DIR="" pids=() i v
    # shellcheck disable=SC1090
    source "$STATE"
    [[ -f $DIR/nginx/nginx.pid ]] && stop_pids "$(cat "$DIR/nginx/nginx.pid")"
    for ((i = 1; i <= NODES; i++)); do
        v=NODE_${i}_PID
        [[ -n ${!v:-} ]] && pids+=("${!v}")
    done
    stop_pids "${pids[@]}"
    if [[ -n $PG_DIR ]]; then
        NASHRA_PG_DIR=$PG_DIR scripts/pg.sh stop || echo "cluster.sh: could not stop PostgreSQL in $PG_DIR" >&2
    fi
    rm -rf -- "$DIR"
}

stop() {
    [[ -f $STATE ]] || die "no cluster in $DIR"
    stop_all
    echo "cluster: stopped, $DIR removed"
}

# ---- start ----

nginx_conf() {  # port node-ports...: the balancer's configuration
    local port=$1 p user="" servers=""; shift
    [[ $(id -u) -ne 0 ]] || user="user root;"   # root's workers must read and write DIR
    # passive health checks: a node failing twice is left out for 5 s; each
    # node again as a backup that is never left out, so that while every
    # node answers 503 (the database is down) readers get nashra's 503 page
    # and not nginx's 502 (see docs/DEPLOY.md)
    for p in "$@"; do servers+="        server 127.0.0.1:$p max_fails=2 fail_timeout=5s;"$'\n'; done
    for p in "$@"; do servers+="        server 127.0.0.1:$p backup max_fails=0;"$'\n'; done
    cat <<NGINX
# the load balancer of the nashra cluster in $DIR (scripts/cluster.sh)
daemon on;
worker_processes 1;
$user
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
    log_format balancer '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent'
                        ' node=\$upstream_addr node_status=\$upstream_status \$request_time';
    access_log $DIR/nginx/access.log balancer;
    client_body_temp_path $DIR/nginx/tmp/client_body;
    proxy_temp_path $DIR/nginx/tmp/proxy;
    fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
    scgi_temp_path $DIR/nginx/tmp/scgi;
    upstream nashra {
$servers        keepalive 16;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://nashra;
            include $ROOT/deploy/nashra-proxy.conf;
        }
    }
}
NGINX
}

start_failed() {
    echo "cluster.sh: start failed; stopping what was started and removing $DIR" >&2
    stop_all
}

start() {
    local nodes=${NASHRA_NODES:-2} nashra nginx port base i p ports=() pids=() pg
    [[ $nodes =~ ^[1-9][0-9]?$ ]] || die "NASHRA_NODES=$nodes: expected a number from 1 to 99"
    [[ -z ${NASHRA_THREADS:-} || $NASHRA_THREADS =~ ^[1-9][0-9]*$ ]] || die "NASHRA_THREADS=$NASHRA_THREADS: expected a number"
    [[ -f $STATE ]] && die "a cluster already runs from $DIR (scripts/cluster.sh stop $DIR)"
    [[ ! -e $DIR || -z $(ls -A "$DIR" 2>/dev/null) ]] || die "$DIR exists and is not empty: give another state directory"
    nginx=$(nginx_bin)
    for t in python3 curl; do command -v "$t" >/dev/null || die "$t is not installed (scripts/setup.sh)"; done
    if [[ -n ${NASHRA_BIN:-} ]]; then
        nashra=$(realpath -e -- "$NASHRA_BIN") || die "NASHRA_BIN=$NASHRA_BIN not found"
    else
        make -j2 all >/dev/null
        nashra=$ROOT/build/nashra
    fi
    [[ -x $nashra ]] || die "$nashra is not executable"
    if [[ -n ${PORT:-} ]]; then
        port_free "$PORT" || die "PORT=$PORT is in use"
        port=$PORT
    elif port_free 8080; then
        port=8080
    else
        port=$(free_port)
    fi
    base=http://127.0.0.1:$port

    mkdir -p "$DIR/nginx/tmp"
    : >"$STATE"     # from here on, stop_all undoes what was started
    trap start_failed EXIT
    record NODES 0
    pg=$(scripts/pg.sh start)
    eval "$pg"      # NASHRA_PG_DIR, NASHRA_PG_URL
    record PG_DIR "$NASHRA_PG_DIR"
    record PG_URL "$NASHRA_PG_URL"
    "$nashra" init "$DIR/site" --demo --db "$NASHRA_PG_URL" >/dev/null

    for ((i = 1; i <= nodes; i++)); do
        p=$(free_port)
        # its own session: a terminal's Ctrl-C or hang-up is not the node's
        setsid "$nashra" serve "$DIR/site" --listen "127.0.0.1:$p" --base-url "$base" \
            --trusted-proxy 127.0.0.1 ${NASHRA_THREADS:+--threads "$NASHRA_THREADS"} \
            </dev/null >"$DIR/node-$i.log" 2>&1 &
        record "NODE_${i}_PID" $!
        record "NODE_${i}_PORT" "$p"
        record NODES "$i"
        ports+=("$p") pids+=($!)
    done
    for ((i = 1; i <= nodes; i++)); do wait_http "${ports[i - 1]}" "$DIR/node-$i.log" "${pids[i - 1]}"; done

    nginx_conf "$port" "${ports[@]}" >"$DIR/nginx/nginx.conf"
    record PORT "$port"
    # (-e: not even trying the system's error log, which needs root)
    "$nginx" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" </dev/null >"$DIR/nginx/start.log" 2>&1 \
        || { echo "cluster.sh: nginx did not start:" >&2; tail -n 20 "$DIR/nginx/start.log" "$DIR/nginx/error.log" >&2; exit 1; }
    wait_http "$port" "$DIR/nginx/error.log"
    trap - EXIT

    echo "cluster: $base/ (nginx) -> $nodes nashra nodes (${ports[*]/#/127.0.0.1:}) -> $NASHRA_PG_URL"
    echo "  site:   $DIR/site (e.g. ${nashra#"$ROOT"/} article $DIR/site set ID title TEXT)"
    echo "  logs:   $DIR/node-N.log, $DIR/nginx/access.log (node= names the node that answered)"
    echo "  status: scripts/cluster.sh status $DIR"
    echo "  stop:   scripts/cluster.sh stop $DIR"
}

# ---- status ----

status() {
    [[ -f $STATE ]] || { echo "no cluster in $DIR"; exit 3; }
    local NODES=0 PORT="" PG_DIR="" PG_URL="" down=0 i pid port st pgpid stats
    # shellcheck disable=SC1090
    source "$STATE"
    pid=$(cat "$DIR/nginx/nginx.pid" 2>/dev/null || true)
    if alive "$pid"; then st="running (pid $pid), /healthz through it: $(health "$PORT")"; else st="not running"; down=1; fi
    echo "balancer http://127.0.0.1:${PORT:-?}/: nginx $st"
    for ((i = 1; i <= NODES; i++)); do
        pid=NODE_${i}_PID port=NODE_${i}_PORT
        pid=${!pid:-} port=${!port:-}
        if alive "$pid"; then
            stats=$(curl -s --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null \
                    | awk '$1 == "cache_hits" || $1 == "cache_misses" { n += $2 } END { print n + 0 }')
            st="running (pid $pid), /healthz: $(health "$port"), pages served (cache hits + misses): $stats"
        else
            st="not running"; down=1
        fi
        echo "node $i 127.0.0.1:$port: $st"
    done
    pgpid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
    if [[ -n $pgpid ]] && kill -0 "$pgpid" 2>/dev/null; then st="running (pid $pgpid)"; else st="not running"; down=1; fi
    echo "PostgreSQL $PG_URL: $st"
    return $((down ? 3 : 0))
}

case $CMD in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: scripts/cluster.sh start|status|stop [DIR]   (see the comment at the top of the script)" >&2; exit 2 ;;
esac
