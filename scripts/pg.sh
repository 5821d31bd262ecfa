#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks, as CI needs it:
# root may not run PostgreSQL, so the cluster belongs to the postgres user,
# lives in a temporary directory, listens on a free port of 127.0.0.1 and
# on a private socket directory, and is removed by `stop`.
#
#   eval "$(scripts/pg.sh start)"   # exports NASHRA_PG_URL, NASHRA_PG_DIR
#   scripts/pg.sh down              # stops the server of $NASHRA_PG_DIR, keeps its data
#   scripts/pg.sh up                # starts it again (same port, same data)
#   scripts/pg.sh stop              # stops the cluster in $NASHRA_PG_DIR, removes it
set -euo pipefail

pg_bin() {   # the newest installed server's bin directory
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] || { echo "pg.sh: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }
    echo "$d"
}

as_pg() {    # run a command as postgres when we are root, else as ourselves
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin dir port
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/nashra-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    port=$(free_port)
    as_pg "$bin/initdb" -D "$dir/data" -U nashra --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # in its configuration, so that `up` restarts it the same way
    printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $port" "unix_socket_directories = '$dir'" \
        "fsync = off" "full_page_writes = off" "max_connections = 200" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
    up "$dir"
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U nashra nashra
    echo "export NASHRA_PG_DIR=$dir NASHRA_PG_URL=postgresql://nashra@127.0.0.1:$port/nashra"
}

up() {
    local dir=${1:-${NASHRA_PG_DIR:-}}
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
}

down() {
    local dir=${1:-${NASHRA_PG_DIR:-}}
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

stop() {
    local dir=${NASHRA_PG_DIR:-${1:-}}
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg.sh: no cluster (set NASHRA_PG_DIR)" >&2; exit 1; }
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    up) shift; up "$@" ;;
    down) shift; down "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: scripts/pg.sh start | up [DIR] | down [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
