#!/usr/bin/env bash
# Runs every test of nashra: the cmocka unit tests, the end-to-end suite
# against the real binary on SQLite and again on PostgreSQL, the browser
# tests (Debian chromium driven by playwright-core), then the unit and
# end-to-end tests again on the AddressSanitizer/UBSan build and on the
# ThreadSanitizer build, and last each libFuzzer driver for a few seconds.
# A throw-away PostgreSQL cluster (scripts/pg.sh) serves every stage that
# reaches PostgreSQL and is removed at the end, however the script ends.
# Each stage prints one summary line and keeps its full output in
# build/test-logs/; the script closes with the single line
# "N passed, N failed" and fails if anything failed or a stage could not
# run.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOGS=$ROOT/build/test-logs
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

TOTAL_PASS=0
TOTAL_FAIL=0
BROKEN=()      # stages that could not run

note() { printf '%s\n' "$*"; }
stage_result() {   # name passed failed
    TOTAL_PASS=$((TOTAL_PASS + $2))
    TOTAL_FAIL=$((TOTAL_FAIL + $3))
    note "[$1] $2 passed, $3 failed"
}
broken() {         # name reason log
    BROKEN+=("$1")
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    note "[$1] could not run: $2 (log: ${3#$ROOT/})"
    if [ -s "$3" ]; then   # the errors if there are any, else the end of the log
        local errs
        errs=$(grep -E -A3 'error[: ]|Error [0-9]|ERROR' "$3" | grep -v -E '^(cc|gcc|clang|ar) ' | head -n 25)
        if [ -n "$errs" ]; then printf '%s\n' "$errs"; else tail -n 15 "$3"; fi | sed 's/^/    /'
    fi
}

# -- unit tests: every build/.../tests/**/test_* binary -------------------
run_unit() {       # stage-name build-dir
    local name=$1 dir=$2 pass=0 fail=0 bin log p f rc n=0
    while IFS= read -r bin; do
        n=$((n + 1))
        log=$LOGS/$name-$(echo "${bin#$dir/}" | tr '/' '_').log
        timeout 300 "$bin" >"$log" 2>&1
        rc=$?
        # a binary may run several groups (one per store backend): add them up
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test.*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test.*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed, timed out or failed to start
        if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'ThreadSanitizer' -e 'runtime error:' "$log" \
                && [ "$f" -eq 0 ]; then f=1; fi
        pass=$((pass + p)); fail=$((fail + f))
        if [ "$f" -ne 0 ]; then
            note "  FAIL ${bin#$ROOT/} (exit $rc, $p passed, $f failed)"
            grep -e '^\[  FAILED  \]' -e '^\[  ERROR   \]' -e 'Sanitizer' -e 'runtime error' "$log" | head -n 20 | sed 's/^/    /'
        else
            note "  ok   ${bin#$ROOT/} ($p passed)"
        fi
        # a test may report figures of its own (the Mustache spec's count, search relevance)
        grep -h -e '^mustache spec:' -e '^relevance ' "$log" | sed 's/^/       /' || true
    done < <(find "$dir/tests" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort)
    if [ "$n" -eq 0 ]; then
        broken "$name" "no unit test binaries under ${dir#$ROOT/}/tests" /dev/null
        return
    fi
    stage_result "$name" "$pass" "$fail"
}

# the jobs this shell started for a stage, not the builds in the background
stage_jobs() { jobs -rp | grep -v -x -e "${BUILDS_PID:-none}"; }
wait_jobs() {
    local j
    for j in $(stage_jobs); do wait "$j"; done
}

# -- end-to-end suite -----------------------------------------------------
run_e2e() {        # stage-name binary
    local name=$1 bin=$2 log=$LOGS/$1.log line
    if [ ! -x "$bin" ]; then broken "$name" "no binary $bin" /dev/null; return; fi
    NASHRA_BIN=$bin timeout 900 "$PY" tests/e2e/run.py >"$log" 2>&1
    line=$(grep -E '^\[e2e\] [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then broken "$name" "the suite did not finish" "$log"; return; fi
    grep -E '^(FAIL|ERROR):' "$log" | sed 's/^/  /'
    set -- $(echo "$line" | sed -E 's/^\[e2e\] ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
    [ "$3" -gt 0 ] && grep -E ' skipped ' "$log" | grep -v '^\[e2e\]' | sed 's/^/  /'
    # every process the suite starts has its exit status or output checked,
    # so a race report already fails a test; this is the net under that
    if grep -q 'WARNING: ThreadSanitizer' "$log" && [ "$2" -eq 0 ]; then
        note "  a ThreadSanitizer report is in ${log#$ROOT/} although no test failed"
        set -- "$1" 1
    fi
    stage_result "$name" "$1" "$2"
}

# -- unit and end-to-end tests again, on the build in build/NAME -----------
run_sanitized() {  # name label
    note "== unit tests ($2)"
    run_unit "unit-$1" "$ROOT/build/$1"
    note "== end-to-end tests ($2)"
    run_e2e "e2e-$1" "$ROOT/build/$1/nashra"
}

# -- fuzz drivers: each build/fuzz/fuzz_* for a few seconds ----------------
# The drivers run side by side, one per CPU (each is one process that
# keeps its CPU busy for its seconds), and are reported in their order.
FUZZ_SECONDS=8      # per driver: past the seeds and well into mutations, yet brief
fuzz_one() {        # binary: runs it, its exit status in build/test-status/fuzz-NAME
    local bin=$1 drv=${1##*/fuzz_} work seeds
    work=$ROOT/build/fuzz/corpus/$drv   # what this run finds; the seeds stay as they are
    seeds=$ROOT/fuzz/corpus/$drv
    rm -rf "$work" "$LOGS/fuzz-$drv-"*
    mkdir -p "$work"
    [ -d "$seeds" ] || seeds=
    # -timeout: one input running this long is a hang, and a failure;
    # a crash, leak, hang or failed check leaves its input beside the log
    timeout $((FUZZ_SECONDS + 120)) "$bin" -max_total_time=$FUZZ_SECONDS -timeout=10 \
        -artifact_prefix="$LOGS/fuzz-$drv-" "$work" ${seeds:+"$seeds"} >"$LOGS/fuzz-$drv.log" 2>&1
    echo $? >"$STATUS/fuzz-$drv"
}
run_fuzz() {
    local pass=0 fail=0 bin drv log work rc runs bins
    mapfile -t bins < <(find "$ROOT/build/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x 2>/dev/null | sort)
    if [ "${#bins[@]}" -eq 0 ]; then
        broken fuzz "no fuzz drivers under build/fuzz" /dev/null
        return
    fi
    for bin in "${bins[@]}"; do
        while [ "$(stage_jobs | wc -l)" -ge "$(nproc)" ]; do wait -n; done
        fuzz_one "$bin" &
    done
    wait_jobs
    for bin in "${bins[@]}"; do
        drv=${bin##*/fuzz_}
        log=$LOGS/fuzz-$drv.log
        work=$ROOT/build/fuzz/corpus/$drv
        rc=$(cat "$STATUS/fuzz-$drv" 2>/dev/null || echo "none")
        runs=$(sed -n 's/^Done \([0-9]\+\) runs in .*/\1/p' "$log" | tail -n 1)
        if [ "$rc" = 0 ] && [ -n "$runs" ] && ! ls "$LOGS/fuzz-$drv-"* >/dev/null 2>&1; then
            pass=$((pass + 1))
            note "  ok   ${bin#$ROOT/} ($runs inputs in ${FUZZ_SECONDS} s, $(ls "$work" | wc -l) new in the corpus)"
        else
            fail=$((fail + 1))
            note "  FAIL ${bin#$ROOT/} (exit $rc; log ${log#$ROOT/})"
            grep -E -e '^==[0-9]+==' -e 'runtime error' -e 'SUMMARY' -e 'Test unit written' "$log" |
                head -n 10 | sed 's/^/    /'
            ls "$LOGS/fuzz-$drv-"* 2>/dev/null | sed "s|^$ROOT/|    replay: ${bin#$ROOT/} |"
        fi
    done
    stage_result fuzz "$pass" "$fail"
}

# -- browser tests --------------------------------------------------------
run_browser() {
    local log=$LOGS/browser.log p f
    if [ ! -d tests/browser/node_modules/playwright-core ]; then
        broken browser "tests/browser/node_modules missing (scripts/setup.sh --test)" /dev/null; return
    fi
    if [ ! -x /usr/bin/chromium ]; then broken browser "/usr/bin/chromium missing" /dev/null; return; fi
    (cd tests/browser && NASHRA_BIN=$ROOT/build/nashra timeout 600 node --test --test-reporter=tap) >"$log" 2>&1
    p=$(sed -n 's/^# pass \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    if [ -z "$p" ] || [ -z "$f" ]; then broken browser "node --test did not finish" "$log"; return; fi
    grep -E '^ *not ok ' "$log" | sed 's/^ */  /'
    stage_result browser "$p" "$f"
}

# -- the PostgreSQL cluster -----------------------------------------------
PG_UP=0
start_pg() {
    local env
    if ! env=$(scripts/pg.sh start 2>"$LOGS/postgresql.log"); then
        broken e2e-postgresql "scripts/pg.sh start failed: no PostgreSQL cluster" "$LOGS/postgresql.log"
        return
    fi
    eval "$env"      # NASHRA_PG_URL, and NASHRA_PG_DIR, which tests that stop and start it use
    PG_UP=1
    export NASHRA_TEST_PG_URL=$NASHRA_PG_URL     # the unit tests' store conformance suite
    note "  PostgreSQL cluster on ${NASHRA_PG_URL#*@} (${NASHRA_PG_DIR})"
}
stop_pg() {
    if [ "$PG_UP" -eq 1 ]; then
        scripts/pg.sh stop >>"$LOGS/postgresql.log" 2>&1 || note "  could not remove the cluster in $NASHRA_PG_DIR"
        PG_UP=0
    fi
}
stop_builds() {     # what is still building when the script ends early
    if [ -n "${BUILDS_PID:-}" ] && kill -0 "$BUILDS_PID" 2>/dev/null; then
        pkill -TERM -P "$BUILDS_PID"
        kill "$BUILDS_PID" 2>/dev/null
    fi
}
trap 'stop_builds; stop_pg' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# -- the sanitizer and fuzz builds, in the background -----------------------
# They take most of the CPU the waiting end-to-end stages leave, one after
# another in the order their stages come, at a lower priority than the
# tests; each keeps its log, and its status in build/test-status/NAME.
STATUS=$ROOT/build/test-status
start_builds() {
    rm -rf "$STATUS"
    mkdir -p "$STATUS"
    (
        for v in asan tsan fuzz; do
            nice -n 10 make -j2 "$v" >"$LOGS/build-$v.log" 2>&1
            echo $? >"$STATUS/$v"
        done
    ) &
    BUILDS_PID=$!
}
built() {          # variant: waits for its build; true if it succeeded
    while [ ! -f "$STATUS/$1" ] && kill -0 "$BUILDS_PID" 2>/dev/null; do sleep 1; done
    [ "$(cat "$STATUS/$1" 2>/dev/null)" = 0 ]
}

START=$(date +%s)
note "== setup"
if ! scripts/setup.sh --test >"$LOGS/setup.log" 2>&1; then
    broken setup "scripts/setup.sh --test failed" "$LOGS/setup.log"
fi

note "== build"
if make -j2 tests >"$LOGS/build.log" 2>&1; then
    start_builds
    note "== PostgreSQL"
    start_pg
    note "== unit tests"
    run_unit unit "$ROOT/build"
    note "== end-to-end tests"
    run_e2e e2e "$ROOT/build/nashra"
    if [ "$PG_UP" -eq 1 ]; then
        note "== end-to-end tests on PostgreSQL"
        NASHRA_E2E_PG_URL=$NASHRA_PG_URL run_e2e e2e-postgresql "$ROOT/build/nashra"
    fi
    note "== browser tests"
    run_browser
else
    broken build "make -j2 tests failed" "$LOGS/build.log"
    start_builds
fi

note "== sanitizer build"
if built asan; then
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    # what the HTTP library itself never frees (tests/lsan.supp says what and why)
    export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
    # LeakSanitizer needs ptrace; where it cannot run, go on without it
    lsan_probe=$(build/asan/nashra --version 2>&1 >/dev/null)
    if echo "$lsan_probe" | grep -q 'LeakSanitizer'; then
        export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
        note "  LeakSanitizer cannot run here: leak detection off (detect_leaks=0)"
    fi
    run_sanitized asan sanitizers
else
    broken asan "make asan failed" "$LOGS/build-asan.log"
fi

note "== thread sanitizer build"
if built tsan; then
    # Stop at the first report, so that it ends the output a test shows,
    # with an exit status (66) that every caller checks. tests/tsan.supp
    # holds what the uninstrumented libraries report falsely, and why.
    export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$ROOT/tests/tsan.supp"
    run_sanitized tsan "thread sanitizer"
else
    broken tsan "make tsan failed" "$LOGS/build-tsan.log"
fi

note "== fuzz drivers"
if built fuzz; then
    run_fuzz
else
    broken fuzz "make fuzz failed" "$LOGS/build-fuzz.log"
fi

note "== done in $(( $(date +%s) - START )) s; logs in build/test-logs/"
[ "${#BROKEN[@]}" -gt 0 ] && note "stages that could not run: ${BROKEN[*]}"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
[ "$TOTAL_FAIL" -eq 0 ] && [ "${#BROKEN[@]}" -eq 0 ] && [ "$TOTAL_PASS" -gt 0 ]
