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
# Two scenarios are measured against nashra itself rather than nginx, in a
# second table, alternating with their reference in the same way:
# "article-writes", the cached seed article while bench/writer commits an
# approved comment on another article every 10 ms, against the same
# article without writes; "404-flood", a distinct missing path on every
# request (bench/notfound.lua, every answer checked to be a 404), against
# the seed article rendered by the --no-cache instance.
# Four scenarios run nashra on PostgreSQL, on a throw-away cluster that
# scripts/pg.sh starts and stops, holding the SQLite demo site copied with
# nashra db copy (checked page for page): "pg-article", the cached seed article from a node on PostgreSQL,
# against nginx like the first table's rows; "pg-article-nocache", the
# article rendered on every request by a --no-cache node on PostgreSQL,
# against the --no-cache instance on SQLite; "two-nodes" and
# "two-nodes-nocache", nginx as a load balancer (deploy/nashra-proxy.conf)
# in front of two nodes on PostgreSQL, cached and --no-cache, against the
# same nginx in front of one of them. Their CPU time includes PostgreSQL's
# processes (and nginx's, behind a balancer).
# Three scenarios post comments, on a demo site of their own (so that the
# other scenarios' pages stay the bytes nginx serves) whose settings approve
# every comment at once, with no rate limit and no minimum time after the
# form: "comment-post", a new comment per request (bench/comment.lua, every
# answer checked to be a 303), its rate and latency; "comment-get-other",
# article A while another wrk posts comments to article B, against A alone;
# "comment-get-same", the same with the comments posted to A itself. They
# have a third table.
# Not part of the tests. Needs nginx and wrk, and for the PostgreSQL
# scenarios a PostgreSQL server and psql (scripts/setup.sh installs them).
#   BENCH_DURATION=10 BENCH_RUNS=3 BENCH_WARMUP=3 BENCH_CONNS=50 BENCH_THREADS=2
#   BENCH_SCENARIOS="article article-nocache home category rss article-writes
#                    404-flood pg-article pg-article-nocache two-nodes
#                    two-nodes-nocache comment-post comment-get-other
#                    comment-get-same" (a subset)
#   BENCH_MODES="plain browser" (a subset; comment-post is one kind, form POSTs)
#   BENCH_POST_CONNS=10: connections of the wrk (one thread) that posts
#   comments beside the readers of comment-get-other and comment-get-same;
#   BENCH_POST_RATE=R: that wrk posts about R comments/s (default 0: as fast
#   as the server answers)
#   NASHRA_BIN=path/to/nashra: benchmark that binary (nashra is not built);
#   default build/nashra, built first. NASHRA_THEME_DIR etc. pass through.
#   The writer is BUILD/bench/writer beside the binary, else build/bench/writer
#   (built from this tree).
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
POST_CONNS=${BENCH_POST_CONNS:-10}
POST_RATE=${BENCH_POST_RATE:-0}
PG_SCENARIOS="pg-article pg-article-nocache two-nodes two-nodes-nocache"   # on PostgreSQL
COMMENT_SCENARIOS="comment-post comment-get-other comment-get-same"    # on a site of their own
ALL_SCENARIOS="article article-nocache home category rss article-writes 404-flood $PG_SCENARIOS $COMMENT_SCENARIOS"
# referenced to nashra itself, not nginx
SELF_SCENARIOS="article-writes 404-flood pg-article-nocache two-nodes two-nodes-nocache"
WRITES_PER_S=100                            # bench/writer: one commit every 10 ms
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
WANT_WRITER=0 WANT_PG=0 WANT_COMMENTS=0
[[ " ${SCEN[*]} " == *" article-writes "* ]] && WANT_WRITER=1
for s in $PG_SCENARIOS; do [[ " ${SCEN[*]} " == *" $s "* ]] && WANT_PG=1; done
for s in $COMMENT_SCENARIOS; do [[ " ${SCEN[*]} " == *" $s "* ]] && WANT_COMMENTS=1; done
if ((WANT_PG)); then
    command -v psql >/dev/null || { echo "bench: psql missing (run scripts/setup.sh)" >&2; exit 1; }
fi
if [[ -z ${NASHRA:-} ]]; then
    TARGETS=(all); ((WANT_WRITER)) && TARGETS+=(build/bench/writer)
    make -j2 "${TARGETS[@]}" >/dev/null
    NASHRA=$ROOT/build/nashra
fi
WRITER=$(dirname "$NASHRA")/bench/writer
if ((WANT_WRITER)) && [[ ! -x $WRITER ]]; then
    make build/bench/writer >/dev/null
    WRITER=$ROOT/build/bench/writer
fi
mkdir -p "$ROOT/build"

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

serve() {        # log port dir [options...]: nashra serve in the background; its pid in SERVED
    local log=$1 port=$2; shift 2
    "$NASHRA" serve "$@" --listen "127.0.0.1:$port" >"$TMP/$log.log" 2>&1 &
    SERVED=$!; PIDS+=("$SERVED")
}
# The demo site, and with PG_SCENARIOS the same site copied to PostgreSQL
# (nashra db copy: every row, ids kept; the pages are also compared byte
# for byte once served).
"$NASHRA" init "$TMP/site" --demo >/dev/null
if ((WANT_PG)); then
    pg=$("$ROOT/scripts/pg.sh" start)
    eval "$pg"      # NASHRA_PG_DIR, NASHRA_PG_URL
    PG_DIR=$NASHRA_PG_DIR PG_URL=$NASHRA_PG_URL
    PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    "$NASHRA" db copy "$TMP/site" --to "$PG_URL" >/dev/null
    mkdir -p "$TMP/pgsite"
    printf 'database = %s\n' "$PG_URL" >"$TMP/pgsite/nashra.conf"
fi
P_CACHE=$(free_port); P_NOCACHE=$(free_port); P_NGINX=$(free_port)
serve nashra "$P_CACHE" "$TMP/site"; PID_CACHE=$SERVED
serve nashra-nocache "$P_NOCACHE" "$TMP/site" --no-cache; PID_NOCACHE=$SERVED
wait_http "http://127.0.0.1:$P_CACHE/healthz"
wait_http "http://127.0.0.1:$P_NOCACHE/healthz"
# On PostgreSQL: two cached nodes and two --no-cache ones, trusting the
# balancer as deployed, their links naming the cached SQLite instance so
# that the cached node's pages are the very bytes nginx serves.
if ((WANT_PG)); then
    declare -A PG_PORT PG_NODE   # c1, c2: cached; n1, n2: --no-cache
    for n in c1 c2 n1 n2; do
        PG_PORT[$n]=$(free_port)
        opts=(--base-url "http://127.0.0.1:$P_CACHE" --trusted-proxy 127.0.0.1)
        [[ $n == n* ]] && opts+=(--no-cache)
        serve "pg-$n" "${PG_PORT[$n]}" "$TMP/pgsite" "${opts[@]}"
        PG_NODE[$n]=$SERVED
    done
    for n in c1 c2 n1 n2; do wait_http "http://127.0.0.1:${PG_PORT[$n]}/healthz"; done
fi
# The comment scenarios' site: another demo site, every comment approved at
# once, no rate limit, no minimum time between a form and its submission.
if ((WANT_COMMENTS)); then
    "$NASHRA" init "$TMP/csite" --demo >/dev/null
    declare -A CSET=([comment_moderation]=none [comment_rate_limit]=0 [comment_min_seconds]=0)
    for k in "${!CSET[@]}"; do "$NASHRA" settings "$TMP/csite" set "$k" "${CSET[$k]}" >/dev/null; done
    P_COMMENT=$(free_port)
    serve nashra-comments "$P_COMMENT" "$TMP/csite"; PID_COMMENT=$SERVED
    wait_http "http://127.0.0.1:$P_COMMENT/healthz"
fi

# the pages of a demo site: paths of the seed article and its category as
# requested from nashra; and the article the writer comments on (and the
# comment scenarios' article B): published, of another category than the
# seed's and sharing no tag with it, the oldest such (so in none of the
# seed page's lists, related or latest), its id and path
pages_of() {    # database file -> "SEED CAT OTHER_ID OTHER_PATH"
    python3 - "$1" <<'PY'
import sqlite3, sys, urllib.parse
c = sqlite3.connect(sys.argv[1])
sid, slug, cid, cat = c.execute("SELECT a.id, a.slug, c.id, c.slug FROM articles a"
                                " JOIN categories c ON c.id=a.category_id"
                                " WHERE a.title LIKE 'المئات من الجنود الروس%'").fetchone()
other, = c.execute("SELECT a.id FROM articles a WHERE a.status = 'published' AND a.id != ?"
                   " AND a.category_id != ? AND NOT EXISTS (SELECT 1 FROM article_tags x"
                   "  JOIN article_tags y ON y.tag_id = x.tag_id"
                   "  WHERE x.article_id = a.id AND y.article_id = ?)"
                   " ORDER BY a.published_at LIMIT 1", (sid, cid, sid)).fetchone()
oslug, = c.execute("SELECT slug FROM articles WHERE id = ?", (other,)).fetchone()
print(urllib.parse.quote("/%s/" % slug), urllib.parse.quote("/category/%s/" % cat), other,
      urllib.parse.quote("/%s/" % oslug))
PY
}
read -r SEED CAT OTHER_ID _ < <(pages_of "$TMP/site/nashra.db")
declare -A PATH_OF=([article]=$SEED [home]=/ [category]=$CAT [rss]=/feed/)
# the comment scenarios' articles: A, the seed article (read), and B, the
# writer's article (only posted to), with their form tokens: the hidden
# input named token of each article's page
if ((WANT_COMMENTS)); then
    read -r C_A _ _ C_B < <(pages_of "$TMP/csite/nashra.db")
    token_of() {    # url -> the value of the page's input named token
        curl -fsS "$1" | python3 -c '
import html.parser, sys
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "token" and a.get("value"):
            print(a["value"]); sys.exit(0)
P().feed(sys.stdin.read()); sys.exit(1)' || { echo "bench: no form token (input name=token) on $1" >&2; exit 1; }
    }
    TOKEN_A=$(token_of "http://127.0.0.1:$P_COMMENT$C_A")
    TOKEN_B=$(token_of "http://127.0.0.1:$P_COMMENT$C_B")
fi

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
# the load balancers of the two-nodes scenarios, each on its own port: the
# deployed proxy settings in front of two nodes, and of the first of them
BALANCERS=""
if ((WANT_PG)); then
    declare -A P_LB
    balancer() {    # name node...: an upstream of the nodes and a server passing to it
        local name=$1 n; shift
        P_LB[$name]=$(free_port)
        BALANCERS+="    upstream $name {
"
        for n in "$@"; do BALANCERS+="        server 127.0.0.1:${PG_PORT[$n]};
"; done
        BALANCERS+="        keepalive 32;
    }
    server {
        listen 127.0.0.1:${P_LB[$name]};
        location / { proxy_pass http://$name; include $ROOT/deploy/nashra-proxy.conf; }
    }
"
    }
    balancer two_cached c1 c2; balancer one_cached c1
    balancer two_nocache n1 n2; balancer one_nocache n1
fi
nginx_start "$P_NGINX" "$LOCATIONS" "$BALANCERS"
wait_http "http://127.0.0.1:$P_NGINX/home"
if ((WANT_PG)); then
    for name in "${!P_LB[@]}"; do wait_http "http://127.0.0.1:${P_LB[$name]}/healthz"; done
    # the same content: the seed article from a cached node on PostgreSQL
    # is the page nginx serves, to the byte, directly and through a balancer
    for url in "http://127.0.0.1:${PG_PORT[c1]}${PATH_OF[article]}" "http://127.0.0.1:${P_LB[two_cached]}${PATH_OF[article]}"; do
        cmp -s <(curl -fsS "$url") "$TMP/www/article" \
            || { echo "bench: $url is not the SQLite site's seed article, byte for byte" >&2; exit 1; }
    done
fi
for name in "${!PATH_OF[@]}"; do
    cmp -s <(curl -fsS "http://127.0.0.1:$P_NGINX/$name") "$TMP/www/$name" \
        || { echo "bench: nginx does not serve the same bytes for $name" >&2; exit 1; }
    [[ -f $TMP/www/$name.gz ]] || continue
    cmp -s <(curl -fsS --raw -H 'Accept-Encoding: gzip' "http://127.0.0.1:$P_NGINX/$name") "$TMP/www/$name.gz" \
        || { echo "bench: nginx does not serve the same gzip bytes for $name (gzip_static)" >&2; exit 1; }
done

procs_of() {    # "pid..." -> each pid and its children (nginx workers, PostgreSQL backends)
    local p
    for p in $1; do echo "$p"; pgrep -P "$p" || true; done
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
script_of() {   # mode kind -> the wrk script ("" for a page with plain requests)
    if [[ $2 == flood ]]; then echo "$ROOT/bench/notfound.lua"
    elif [[ $2 == post ]]; then echo "$ROOT/bench/comment.lua"
    elif [[ $1 == browser ]]; then echo "$ROOT/bench/browser.lua"; fi
}
# kind: "page" (the URL itself), "flood" (a missing path per request, the
# answers always tallied, the browser headers with BENCH_BROWSER) or "post"
# (a new comment per request to the comment URL, the article's form token
# after "--"; the answers always tallied)
run_wrk() {     # mode kind wrk-arguments...: wrk with their script; fails if the script does
    local mode=$1 kind=$2 script out env=(); shift 2
    script=$(script_of "$mode" "$kind")
    if [[ $kind == flood ]]; then
        env=(BENCH_TALLY=1); [[ $mode == browser ]] && env+=(BENCH_BROWSER=1)
    elif [[ $kind == post ]]; then
        env=(BENCH_TALLY=1)
    fi
    out=$(env "${env[@]}" wrk ${script:+-s "$script"} "$@" 2>&1)
    if [[ -n $script ]] && grep -qF "$script:" <<<"$out"; then   # wrk carries on without it
        echo "bench: wrk could not run $script:" >&2; grep -F "$script:" <<<"$out" | sort -u >&2; exit 1
    fi
    echo "$out"
}

# the answers of a tallied wrk run (its output) other than the status expected
unexpected() {  # wrk-output status
    awk -v want="$2" '/^tally / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                                  n = split(v["status"], st, ","); ok = 0
                                  for (i = 1; i <= n; i++) if (st[i] ~ "^" want ":") ok = substr(st[i], length(want) + 2)
                                  print v["responses"] - ok }' <<<"$1"
}
# the socket errors of a wrk run (its output): "connect read write timeout"
socket_errors() {
    awk '/Socket errors:/ { gsub(",", ""); s = $4 " " $6 " " $8 " " $10 } END { print (s == "" ? "0 0 0 0" : s) }' <<<"$1"
}
declare -A EXPECT=([flood]=404 [post]=303)    # the one status tallied kinds must answer
# one wrk run: prints "rps p50ms p99ms cpu_us_per_req bad connect read write timeout"
# where bad counts the non-2xx answers (wrk's count) or, for a flood, the
# answers other than 404, for posts those other than 303 (from the tally);
# the arguments after url are the script's (after "--")
measure() {     # mode kind pid url [script-argument...]
    local mode=$1 kind=$2 pids=$3 url=$4 c0 c1 out reqs rps p50 p99 non2xx args=(); shift 4
    (($#)) && args=(-- "$@")
    c0=$(cpu_ticks "$pids")
    out=$(run_wrk "$mode" "$kind" -t"$WTHREADS" -c"$CONNS" -d"${DUR}s" --latency "$url" "${args[@]}")
    c1=$(cpu_ticks "$pids")
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    if [[ -n ${EXPECT[$kind]:-} ]]; then
        non2xx=$(unexpected "$out" "${EXPECT[$kind]}")
        [[ -n $non2xx ]] || { echo "bench: no tally from wrk for $url:" >&2; echo "$out" >&2; exit 1; }
    else
        non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
    fi
    awk -v r="$rps" -v a="$p50" -v b="$p99" -v c="$((c1 - c0))" -v hz="$HZ" -v n="$reqs" \
        -v e="${non2xx:-0} $(socket_errors "$out")" \
        'BEGIN { printf "%s %s %s %.1f %s\n", r, a, b, (n > 0 ? c * 1e6 / hz / n : 0), e }'
}
# the same while bench/writer commits; its summary line goes to file
measure_writes() {  # file mode pid url
    local wpid line
    "$WRITER" "$TMP/site/nashra.db" "$OTHER_ID" $((DUR + 30)) >"$TMP/writer.out" 2>"$TMP/writer.err" &
    wpid=$!
    line=$(measure "$2" page "$3" "$4")
    kill -TERM "$wpid" 2>/dev/null || true
    wait "$wpid" || { echo "bench: bench/writer failed:" >&2; cat "$TMP/writer.err" >&2; exit 1; }
    grep '^writer: ' "$TMP/writer.out" >>"$1" || { echo "bench: no summary from bench/writer" >&2; exit 1; }
    [[ -s $TMP/writer.err ]] && sed 's/^/bench: /' "$TMP/writer.err" >&2
    echo "$line"
}
# the same while another wrk (one thread, POST_CONNS connections, each
# pausing between posts for about POST_RATE posts/s if set) posts comments
# to post-url, from just before the run to just after it (SIGINT
# makes wrk stop and report); its line "posts/s failed" goes to file, failed
# being its answers other than 303 and its socket errors
measure_posting() {  # file mode pid url post-url token
    local ppid line out failed pause=0
    ((POST_RATE > 0)) && pause=$((POST_CONNS * 1000 / POST_RATE))
    BENCH_TALLY=1 BENCH_POST_DELAY_MS=$pause wrk -s "$ROOT/bench/comment.lua" -t1 -c"$POST_CONNS" -d$((DUR + 30))s "$5" -- "$6" \
        >"$TMP/poster.out" 2>&1 &
    ppid=$!
    line=$(measure "$2" page "$3" "$4")
    kill -INT "$ppid" 2>/dev/null || true
    wait "$ppid" || { echo "bench: the posting wrk failed:" >&2; cat "$TMP/poster.out" >&2; exit 1; }
    out=$(<"$TMP/poster.out")
    failed=$(unexpected "$out" 303)
    [[ -n $failed ]] || { echo "bench: no tally from the posting wrk:" >&2; echo "$out" >&2; exit 1; }
    failed=$((failed + $(socket_errors "$out" | awk '{ print $1 + $2 + $3 + $4 }')))
    echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $failed" >>"$1"
    echo "$line"
}
errors_of() {   # file of measure lines [name of the 5th field] -> "0" or e.g. "1234 non-2xx, 5 read" (summed over the runs)
    awk -v bad="${2:-non-2xx}" '{ for (i = 5; i <= 9; i++) s[i] += $i }
         END { split(bad " connect read write timeout", k, " "); o = ""
               for (i = 5; i <= 9; i++) if (s[i] > 0) o = o (o == "" ? "" : ", ") s[i] " " k[i - 4]
               print (o == "" ? "0" : o) }' "$1"
}
# what a server answers to the mode's requests: "status bytes encoding"
# (status "-" when it answered nothing); from a 1 s, 1-connection wrk run
# with bench/tally.lua, loaded by bench/browser.lua when BENCH_TALLY is set
tally() {       # mode url [kind [token]]
    local out line
    if [[ ${3:-page} == flood ]]; then out=$(run_wrk "$1" flood -t1 -c1 -d1s "$2")
    elif [[ ${3:-page} == post ]]; then out=$(run_wrk "$1" post -t1 -c1 -d1s "$2" -- "$4")
    elif [[ $1 == browser ]]; then out=$(BENCH_TALLY=1 run_wrk browser page -t1 -c1 -d1s "$2")
    else out=$(wrk -s "$ROOT/bench/tally.lua" -t1 -c1 -d1s "$2" 2>&1); fi
    line=$(grep '^tally ' <<<"$out") || { echo "bench: no tally from wrk for $2:" >&2; echo "$out" >&2; exit 1; }
    awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           st = v["status"]; if (st == "none") st = "-"
           else if (st ~ /,/) st = "mixed:" st; else sub(/:.*/, "", st)
           print st, v["bytes"], v["encoding"] }' <<<"$line"
}
body_cell() {   # "status bytes encoding" [the status expected, else 2xx] -> table cell
    read -r st b enc <<<"$1"
    if [[ $st == - ]]; then echo "no answer"
    elif [[ $st != ${2:-2}* ]]; then echo "HTTP $st"
    elif [[ $enc == identity ]]; then echo "$b${2:+ (HTTP $2)}"
    else echo "$b $enc${2:+ (HTTP $2)}"; fi
}

declare -A LABEL=([article]="article (cached)" [article-nocache]="article (no cache)"
                  [home]=home [category]=category [rss]=rss
                  [article-writes]="article under writes" [404-flood]="404 flood")
declare -A NURL=([article]="http://127.0.0.1:$P_CACHE${PATH_OF[article]}"
                 [article-nocache]="http://127.0.0.1:$P_NOCACHE${PATH_OF[article]}"
                 [home]="http://127.0.0.1:$P_CACHE/"
                 [category]="http://127.0.0.1:$P_CACHE${PATH_OF[category]}"
                 [rss]="http://127.0.0.1:$P_CACHE/feed/")
NURL[article-writes]=${NURL[article]}
NURL[404-flood]="http://127.0.0.1:$P_CACHE/"   # the script draws the paths
declare -A NPID=([article]=$PID_CACHE [article-nocache]=$PID_NOCACHE [home]=$PID_CACHE
                 [category]=$PID_CACHE [rss]=$PID_CACHE [article-writes]=$PID_CACHE
                 [404-flood]=$PID_CACHE)
declare -A GPATH=([article]=/article [article-nocache]=/article [home]=/home
                  [category]=/category [rss]=/rss)
# Each scenario measures a subject (nashra: NURL, the first row and the
# ratio) against a reference (RURL, the second row): nginx serving the same
# bytes, or for SELF_SCENARIOS nashra itself. KIND: how the subject is
# asked (page; flood: a missing path per request; writes: the page while
# bench/writer commits).
declare -A KIND=([article-writes]=writes [404-flood]=flood) NCPU RCPU
declare -A RURL=([article-writes]=${NURL[article]} [404-flood]=${NURL[article-nocache]})
declare -A RPID=([article-writes]=$PID_CACHE [404-flood]=$PID_NOCACHE)
declare -A SNAME=([article-writes]="nashra + writer" [404-flood]="nashra, missing paths")
declare -A RNAME=([article-writes]="nashra, no writes" [404-flood]="nashra --no-cache, article")
# On PostgreSQL (the pids are those whose memory the table gives; CPU
# time adds PostgreSQL's, NCPU and RCPU):
if ((WANT_PG)); then
    LABEL+=([pg-article]="article (cached), PostgreSQL" [pg-article-nocache]="article (no cache), PostgreSQL"
            [two-nodes]="article (cached), 2 nodes" [two-nodes-nocache]="article (no cache), 2 nodes")
    GPATH[pg-article]=/article; SNAME[pg-article]="nashra, PostgreSQL"
    for s in pg-article pg-article-nocache; do
        n=c1; [[ $s == *nocache ]] && n=n1
        NURL[$s]="http://127.0.0.1:${PG_PORT[$n]}${PATH_OF[article]}"; NPID[$s]=${PG_NODE[$n]}
    done
    RURL[pg-article-nocache]=${NURL[article-nocache]}; RPID[pg-article-nocache]=$PID_NOCACHE
    SNAME[pg-article-nocache]="nashra --no-cache, PostgreSQL"; RNAME[pg-article-nocache]="nashra --no-cache, SQLite"
    for s in two-nodes two-nodes-nocache; do
        n=c; lb=cached; [[ $s == *nocache ]] && { n=n; lb=nocache; }
        NURL[$s]="http://127.0.0.1:${P_LB[two_$lb]}${PATH_OF[article]}"
        RURL[$s]="http://127.0.0.1:${P_LB[one_$lb]}${PATH_OF[article]}"
        NPID[$s]="$PID_NGINX ${PG_NODE[${n}1]} ${PG_NODE[${n}2]}"; RPID[$s]="$PID_NGINX ${PG_NODE[${n}1]}"
        SNAME[$s]="nginx + 2 nodes"; RNAME[$s]="nginx + 1 node"
        RCPU[$s]="${RPID[$s]} $PG_PID"
    done
    for s in $PG_SCENARIOS; do NCPU[$s]="${NPID[$s]} $PG_PID"; done
fi
# Comments, on their own site: comment-post posts to article B; the
# readers of comment-get-* read article A, posted to meanwhile (POST_URL,
# with the article's form TOKEN) on B, or on A itself.
if ((WANT_COMMENTS)); then
    declare -A POST_URL TOKEN
    LABEL+=([comment-post]="comment POST" [comment-get-other]="article A, posts to B"
            [comment-get-same]="article A, posts to A")
    NURL[comment-post]="http://127.0.0.1:$P_COMMENT${C_B}comments"; TOKEN[comment-post]=$TOKEN_B
    NPID[comment-post]=$PID_COMMENT; SNAME[comment-post]="nashra"; KIND[comment-post]=post
    for s in comment-get-other comment-get-same; do
        NURL[$s]="http://127.0.0.1:$P_COMMENT$C_A"; RURL[$s]=${NURL[$s]}
        NPID[$s]=$PID_COMMENT; RPID[$s]=$PID_COMMENT; KIND[$s]=posting; RNAME[$s]="nashra, no posts"
    done
    POST_URL[comment-get-other]=${NURL[comment-post]}; TOKEN[comment-get-other]=$TOKEN_B
    POST_URL[comment-get-same]="http://127.0.0.1:$P_COMMENT${C_A}comments"; TOKEN[comment-get-same]=$TOKEN_A
    SNAME[comment-get-other]="nashra + posts to B"; SNAME[comment-get-same]="nashra + posts to A"
fi
for s in "${!GPATH[@]}"; do
    RURL[$s]="http://127.0.0.1:$P_NGINX${GPATH[$s]}"; RPID[$s]=$PID_NGINX; RNAME[$s]=nginx
    [[ -n ${SNAME[$s]:-} ]] || SNAME[$s]=nashra
done

# check first: both servers answer each scenario and kind with the same
# number of body bytes (within 5 %), else the rates compare different work.
# Exception: the --no-cache server compresses each answer for one reader
# only, at a cheaper zlib level than the cached variant nginx was given, so
# its gzip answer may be larger (nginx then sends fewer bytes, not more).
# The 404 flood compares different pages by design: its answers must all be
# 404 and its reference's 2xx, or the run stops; comment posts must all be
# answered 303 (stored), with no reference.
declare -A NBODY GBODY
for s in "${SCEN[@]}"; do
    if [[ ${KIND[$s]:-} == post ]]; then
        n=$(tally form "${NURL[$s]}" post "${TOKEN[$s]}"); NBODY[$s]=$(body_cell "$n" 303)
        echo "bench: bytes per response, ${LABEL[$s]}: ${NBODY[$s]}" >&2
        [[ ${n%% *} == 303 ]] || { echo "bench: ${LABEL[$s]}: nashra answered HTTP ${n%% *} to comment posts" \
            "(303 expected: the comment site's settings, or its form token?)" >&2; exit 1; }
        continue
    fi
    for m in "${MODES[@]}"; do
        if [[ ${KIND[$s]:-} == flood ]]; then
            n=$(tally "$m" "${NURL[$s]}" flood); NBODY[$s.$m]=$(body_cell "$n" 404)
        else
            n=$(tally "$m" "${NURL[$s]}"); NBODY[$s.$m]=$(body_cell "$n")
        fi
        g=$(tally "$m" "${RURL[$s]}"); GBODY[$s.$m]=$(body_cell "$g")
        echo "bench: bytes per response, ${LABEL[$s]}, $m: ${SNAME[$s]} ${NBODY[$s.$m]}, ${RNAME[$s]} ${GBODY[$s.$m]}" >&2
        read -r nst nb _ <<<"$n"; read -r gst gb _ <<<"$g"
        if [[ ${KIND[$s]:-} == flood ]]; then
            [[ $nst == 404 && $gst == 2* ]] || { echo "bench: ${LABEL[$s]}, $m: nashra answered HTTP $nst to missing" \
                "paths (404 expected), HTTP $gst to the article (2xx expected)" >&2; exit 1; }
        elif [[ $nst != 2* || $gst != 2* ]]; then
            echo "bench: WARNING: ${LABEL[$s]}, $m: not both 2xx (nashra $nst, ${RNAME[$s]} $gst); body sizes not compared" >&2
        elif [[ $s == article-nocache && $m == browser ]] && (( nb >= gb )); then
            :
        elif ! awk -v a="$nb" -v b="$gb" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b ? a : b); exit !(d <= 0.05 * m) }'; then
            echo "bench: ${LABEL[$s]}, $m: body bytes differ by more than 5% (nashra $nb, nginx $gb)" >&2; exit 1
        fi
    done
done

ANY_ERRORS=0
col() { awk -v i="$2" '{print $i}' "$1" | median; }
# comment-post: one kind of request (form POSTs), no reference: the rate,
# latency and errors (answers other than 303) of RUNS runs after a warm-up
bench_post() {  # scenario
    local s=$1 i line e
    run_wrk form post -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "${NURL[$s]}" -- "${TOKEN[$s]}" >/dev/null
    : >"$TMP/n.txt"
    for i in $(seq "$RUNS"); do
        line=$(measure form post "${NPID[$s]}" "${NURL[$s]}" "${TOKEN[$s]}")
        echo "$line" >>"$TMP/n.txt"
        e=$(echo "$line" >"$TMP/one.txt"; errors_of "$TMP/one.txt" non-303)
        [[ $e == 0 ]] || echo "bench: ${LABEL[$s]}, run $i: errors: $e" >&2
    done
    e=$(errors_of "$TMP/n.txt" non-303)
    [[ $e == 0 ]] || ANY_ERRORS=1
    printf '| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | |\n' "${LABEL[$s]}" "form POST" "${SNAME[$s]}" "${NBODY[$s]}" \
        "$(col "$TMP/n.txt" 1)" "$(col "$TMP/n.txt" 2)" "$(col "$TMP/n.txt" 3)" "$(col "$TMP/n.txt" 4)" \
        "$(rss_mib "${NPID[$s]}")" "$e" | tee -a "$OUT"
}
bench_scenario() {  # scenario: for each mode, the subject's row (with the ratio) and the reference's
    local s=$1 label=${LABEL[$1]} kind=${KIND[$1]:-page} wkind=page bad=non-2xx m i srv line f e
    local n_rps g_rps n_err g_err ratio sname w_rps w_fail
    [[ $kind == flood ]] && { wkind=flood; bad=non-404; }
    [[ $kind == post ]] && { bench_post "$s"; return; }
    for m in "${MODES[@]}"; do
        run_wrk "$m" "$wkind" -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "${NURL[$s]}" >/dev/null
        run_wrk "$m" page -t"$WTHREADS" -c"$CONNS" -d"${WARM}s" "${RURL[$s]}" >/dev/null
        : >"$TMP/n.txt"; : >"$TMP/g.txt"; : >"$TMP/w.txt"
        for i in $(seq "$RUNS"); do
            for srv in subject reference; do
                if [[ $srv == reference ]]; then
                    line=$(measure "$m" page "${RCPU[$s]:-${RPID[$s]}}" "${RURL[$s]}"); f=$TMP/g.txt
                    e=$(echo "$line" >"$TMP/one.txt"; errors_of "$TMP/one.txt")
                else
                    if [[ $kind == writes ]]; then line=$(measure_writes "$TMP/w.txt" "$m" "${NPID[$s]}" "${NURL[$s]}")
                    elif [[ $kind == posting ]]; then
                        line=$(measure_posting "$TMP/w.txt" "$m" "${NPID[$s]}" "${NURL[$s]}" "${POST_URL[$s]}" "${TOKEN[$s]}")
                    else line=$(measure "$m" "$wkind" "${NCPU[$s]:-${NPID[$s]}}" "${NURL[$s]}"); fi
                    f=$TMP/n.txt
                    e=$(echo "$line" >"$TMP/one.txt"; errors_of "$TMP/one.txt" "$bad")
                fi
                echo "$line" >>"$f"
                [[ $e == 0 ]] || echo "bench: $label, $m, $srv, run $i: errors: $e" >&2
            done
        done
        n_rps=$(col "$TMP/n.txt" 1); g_rps=$(col "$TMP/g.txt" 1)
        n_err=$(errors_of "$TMP/n.txt" "$bad"); g_err=$(errors_of "$TMP/g.txt")
        if [[ $n_err == 0 && $g_err == 0 ]]; then
            ratio=$(awk -v a="$n_rps" -v b="$g_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        else
            ratio="n/a"; ANY_ERRORS=1
        fi
        sname=${SNAME[$s]}
        if [[ $kind == writes ]]; then   # writer lines: "writer: N writes committed, F failed, T s, R writes/s"
            w_rps=$(awk '{print $9}' "$TMP/w.txt" | median); w_fail=$(awk '{ f += $5 } END { print f + 0 }' "$TMP/w.txt")
            sname+=" ($(printf '%.1f' "$w_rps") writes/s, $w_fail failed)"
            if awk -v r="$w_rps" -v t="$WRITES_PER_S" 'BEGIN { exit !(r < 0.9 * t) }'; then
                echo "bench: WARNING: $label, $m: the writer committed $w_rps writes/s, not $WRITES_PER_S" >&2
            fi
        elif [[ $kind == posting ]]; then   # poster lines: "posts/s failed"
            w_rps=$(awk '{print $1}' "$TMP/w.txt" | median); w_fail=$(awk '{ f += $2 } END { print f + 0 }' "$TMP/w.txt")
            sname+=" ($(printf '%.0f' "$w_rps") posts/s, $w_fail failed)"
            ((w_fail == 0)) || echo "bench: WARNING: $label, $m: $w_fail posts not answered 303" >&2
        fi
        printf '| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$label" "$m" "$sname" "${NBODY[$s.$m]}" "$n_rps" \
            "$(col "$TMP/n.txt" 2)" "$(col "$TMP/n.txt" 3)" "$(col "$TMP/n.txt" 4)" "$(rss_mib "${NPID[$s]}")" "$n_err" "$ratio" | tee -a "$OUT"
        printf '| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | |\n' "$label" "$m" "${RNAME[$s]}" "${GBODY[$s.$m]}" "$g_rps" \
            "$(col "$TMP/g.txt" 2)" "$(col "$TMP/g.txt" 3)" "$(col "$TMP/g.txt" 4)" "$(rss_mib "${RPID[$s]}")" "$g_err" | tee -a "$OUT"
    done
}

table_head() {  # name of the last column
    echo "| scenario | requests | server | body B | req/s | p50 ms | p99 ms | CPU µs/req | RSS MiB | errors | $1 |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
}
VS_NGINX=(); VS_SELF=(); VS_COMMENTS=()
for s in "${SCEN[@]}"; do
    if [[ " $COMMENT_SCENARIOS " == *" $s "* ]]; then VS_COMMENTS+=("$s")
    elif [[ " $SELF_SCENARIOS " == *" $s "* ]]; then VS_SELF+=("$s"); else VS_NGINX+=("$s"); fi
done
{
echo "wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency, $RUNS runs each (medians), ${WARM}s warm-up; $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "nashra: ${NASHRA#$ROOT/} ($("$NASHRA" --version 2>/dev/null || echo "version unknown")); requests: plain = wrk's bare GET," \
     "browser = bench/browser.lua (Chrome on Android headers, 2 KiB Cookie, Accept-Encoding: gzip)"
} | tee "$OUT"
if ((${#VS_NGINX[@]})); then
    {
    echo
    [[ " ${VS_NGINX[*]} " == *" pg-article "* ]] &&
        echo "article (cached), PostgreSQL: the seed article from a node on PostgreSQL (scripts/pg.sh's cluster on this machine," \
             "the same content as the SQLite site), its CPU time with PostgreSQL's (target ≥ 1.00)." && echo
    table_head nashra/nginx
    } | tee -a "$OUT"
    for s in "${VS_NGINX[@]}"; do bench_scenario "$s"; done
fi
if ((${#VS_SELF[@]})); then
    {
    echo
    echo "Against nashra itself, alternating in the same run; ratio = req/s of the first row / the second's."
    [[ " ${VS_SELF[*]} " == *" article-writes "* ]] &&
        echo "article under writes: bench/writer commits an approved comment on article $OTHER_ID (not on the page) every" \
             "$((1000 / WRITES_PER_S)) ms during the first row's runs (target ≥ 0.80)."
    [[ " ${VS_SELF[*]} " == *" 404-flood "* ]] &&
        echo "404 flood: bench/notfound.lua, a distinct random missing path per request, every answer tallied (errors: not 404)," \
             "against the seed article from the --no-cache instance (target ≥ 1.00)."
    [[ " ${VS_SELF[*]} " == *" pg-article-nocache "* ]] &&
        echo "article (no cache), PostgreSQL: the seed article rendered on every request by a --no-cache node on PostgreSQL" \
             "(scripts/pg.sh's cluster on this machine), its CPU time with PostgreSQL's, against the --no-cache instance on SQLite" \
             "(target ≥ 0.50)."
    [[ " ${VS_SELF[*]} " == *" two-nodes"* ]] &&
        echo "2 nodes: nginx as the load balancer (deploy/nashra-proxy.conf, round robin, keep-alive to the nodes) in front of" \
             "two nodes on PostgreSQL, against the same nginx in front of one of them, cached and --no-cache; CPU time and" \
             "memory are nginx's and the nodes' (CPU with PostgreSQL's); the nodes share this machine's $(nproc) cores."
    echo
    table_head ratio
    } | tee -a "$OUT"
    for s in "${VS_SELF[@]}"; do bench_scenario "$s"; done
fi
if ((${#VS_COMMENTS[@]})); then
    {
    echo
    echo "Comments, on a demo site of their own served cached (comment_moderation none: every comment approved and shown" \
         "at once; comment_rate_limit 0; comment_min_seconds 0), each post a new text (bench/comment.lua, with the form" \
         "token read from the article's page), every answer tallied (errors: not 303). A is the seed article, B another" \
         "article in none of A's lists."
    [[ " ${VS_COMMENTS[*]} " == *" comment-post "* ]] &&
        echo "comment POST: comments posted to B, wrk -t$WTHREADS -c$CONNS; req/s = comments stored and answered per second" \
             "(targets ≥ 1000/s, p99 < 50 ms)."
    [[ " ${VS_COMMENTS[*]} " == *" comment-get-"* ]] &&
        echo "article A, posts to B (target ≥ 0.80) or to A (target ≥ 0.30): article A read while another wrk" \
             "(-t1 -c$POST_CONNS, $( ((POST_RATE > 0)) && echo "about $POST_RATE posts/s" || echo "as fast as answered"))" \
             "posts comments during the first row's runs, against A alone; ratio = req/s of the first row / the second's;" \
             "the first row's CPU time includes the server's work for the posts."
    echo
    table_head ratio
    } | tee -a "$OUT"
    for s in "${VS_COMMENTS[@]}"; do bench_scenario "$s"; done
fi
if ((ANY_ERRORS)); then
    echo | tee -a "$OUT"
    echo "errors: non-2xx answers (404 flood: answers other than 404; comment posts: other than 303) and socket errors summed over the runs; where there are any, req/s counts failures too and the ratio is left out." | tee -a "$OUT"
fi
echo "bench: table written to ${OUT#$ROOT/}"
