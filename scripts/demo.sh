#!/usr/bin/env bash
# Serves the demo site on http://127.0.0.1:8080: installs what is missing,
# builds, creates demo-site/ (with the demo content) on first use, then
# runs the server in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -j2
if [ ! -e demo-site/nashra.db ]; then
    build/nashra init demo-site --demo
fi
echo "demo: serving http://127.0.0.1:8080/"
exec build/nashra serve demo-site --listen 127.0.0.1:8080
