#!/usr/bin/env bash
# Lighthouse mobile audit (performance, accessibility, best practices, SEO)
# of the article, home and category pages of a fresh demo site and of the
# newsroom's pages (signed in as an admin made for the audit), with
# Debian's chromium (no browser download). Scores depend on the machine's
# speed at the moment, so this is a check to run and read, not a test.
#
#   bench/lighthouse.sh            # prints a table, writes build/lighthouse/*.json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -j2 >/dev/null
if [ ! -d bench/lighthouse/node_modules/lighthouse ]; then
    (cd bench/lighthouse && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

out=build/lighthouse
site=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$out"
build/nashra init "$site/site" --demo >/dev/null
build/nashra serve "$site/site" --listen "127.0.0.1:$port" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$site"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

seed=$(python3 - "$site/site/nashra.db" <<'PY'
import sqlite3, sys, urllib.parse
slug = sqlite3.connect(sys.argv[1]).execute("SELECT slug FROM articles WHERE id = 1").fetchone()[0]
print(urllib.parse.quote(slug))
PY
)
# the newsroom's pages, signed in as an editor through the sign-in form
password="audit-$(date +%s)-كلمة-سر"
printf '%s\n' "$password" | build/nashra user "$site/site" add --role admin lighthouse >/dev/null
cookie=$(python3 - "http://127.0.0.1:$port" "$password" <<'PY'
import re, sys, urllib.parse, urllib.request
base, password = sys.argv[1], sys.argv[2]
class Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a): return None
opener = urllib.request.build_opener(Keep)
page = opener.open(base + "/admin/login").read().decode()
token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
body = urllib.parse.urlencode({"csrf": token, "login": "lighthouse", "password": password}).encode()
try:
    opener.open(base + "/admin/login", body)
except urllib.error.HTTPError as e:
    print(e.headers["Set-Cookie"].split(";")[0])
PY
)
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
printf '| page | performance | accessibility | best practices | SEO |\n|---|---:|---:|---:|---:|\n'
for page in "article:/$seed/" "home:/" "category:/category/politics/" "admin-login:/admin/login" \
            "admin-home:/admin/" "admin-articles:/admin/articles/" "admin-editor:/admin/articles/new" \
            "admin-media:/admin/media/" "admin-comments:/admin/comments/" "admin-settings:/admin/settings"; do
    name=${page%%:*}
    path=${page#*:}
    headers=()
    case $name in admin-login|article|home|category) ;; *) headers=(--extra-headers "{\"Cookie\": \"$cookie\"}") ;; esac
    CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse \
        "http://127.0.0.1:$port$path" --quiet --form-factor=mobile --chrome-flags="$flags" "${headers[@]}" \
        --output=json --output-path="$out/$name.json" >"$out/$name.log" 2>&1 || true
    python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
try:
    c = json.load(open(sys.argv[1]))["categories"]
    s = [round(100 * c[k]["score"]) for k in ("performance", "accessibility", "best-practices", "seo")]
    print("| %s | %d | %d | %d | %d |" % (sys.argv[2], *s))
except Exception as e:
    print("| %s | failed: %s | | | |" % (sys.argv[2], e))
PY
done
