#!/usr/bin/env bash
# Installs what nashra needs to build, test and benchmark on Debian 12, and
# nothing that is already there: packages are checked with dpkg-query first,
# so a second run takes about a second. With --test it also installs the npm
# packages of the browser tests (never a browser: Debian's chromium is used).
set -euo pipefail
cd "$(dirname "$0")/.."

# (clang and libclang-rt-dev, its runtimes with libFuzzer, build the fuzz
# drivers; gcc's own sanitizer runtimes come with build-essential;
# python3-psycopg2 lets the end-to-end tests reach PostgreSQL; libfaketime lets
# one of them have a form token issued by a server whose clock is set back)
PKGS=(build-essential pkg-config libh2o-evloop-dev libssl-dev libsqlite3-dev libpq-dev libcmark-dev
      libsodium-dev libxml2-dev libutf8proc-dev zlib1g-dev libcmocka-dev
      libjson-c-dev python3 python3-psycopg2 chromium default-jre-headless nginx-light wrk curl sqlite3
      clang libclang-rt-dev postgresql libfaketime libvips-dev)
# node may come from outside Debian; only ask apt for it when it is missing
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    PKGS+=(nodejs npm)
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

missing=()
for p in "${PKGS[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing+=("$p") ;;
    esac
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # refresh the package lists only when they were never fetched or an
    # install from the existing lists fails
    if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
        "${SUDO[@]}" apt-get update -qq
    fi
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        "${SUDO[@]}" apt-get update -qq
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

# (again when the lock file changed since the last install)
if [ "${1:-}" = "--test" ] && { [ ! -f tests/browser/node_modules/.package-lock.json ] ||
        [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; }; then
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    echo "setup: installing the browser tests' npm packages"
    if [ -f tests/browser/package-lock.json ]; then
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    else
        (cd tests/browser && npm install --no-audit --no-fund --loglevel=error)
    fi
fi
exit 0
