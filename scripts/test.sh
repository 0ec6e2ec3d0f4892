#!/usr/bin/env bash
# `make test`: static checks, fast tests of the pure functions, then the Odoo test suite of
# the addon in a throw-away database. Ends with "N passed, N failed"; exits non-zero on failure.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
ensure_chromium
cd "$REPO_DIR"

passed=0
failed=0
record() {  # record NAME STATUS
    if [ "$2" = 0 ]; then passed=$((passed + 1)); log "ok: $1"
    else failed=$((failed + 1)); log "FAILED: $1"; fi
}

log "Static checks"
static_checks record

log "Tests of the pure functions (tools/)"
pure_out="$(mktemp)"
status=0; "$PYTHON" -m unittest discover -s tools/tests -t . 2>&1 | tee "$pure_out" >&2 || status=$?
pure_run=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$pure_out" | tail -n1)
pure_bad=$(grep -oE '(failures|errors)=[0-9]+' "$pure_out" | cut -d= -f2 | awk '{s+=$1} END {print s+0}' || true)
pure_run=${pure_run:-0}; pure_bad=${pure_bad:-0}
if [ "$status" != 0 ] && [ "$pure_bad" = 0 ]; then pure_bad=1; fi
passed=$((passed + pure_run - pure_bad)); failed=$((failed + pure_bad))
rm -f "$pure_out"

DB="${TEST_DB:-${MODULE}_test_$$}"
LOG="$BUILD_DIR/test-odoo.log"
dropdb --if-exists "$DB" 2>/dev/null || true
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
log "Odoo test suite in database $DB (log: $LOG)"
status=0
odoo_bin -d "$DB" -i "$MODULE" --without-demo=all --test-enable \
    --test-tags "${TEST_TAGS:-/$MODULE}" --stop-after-init --http-port=0 \
    --log-level=info --max-cron-threads=0 > "$LOG" 2>&1 || status=$?
summary="$(grep -E 'failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$LOG" | tail -n1 || true)"
if [ -z "$summary" ]; then
    grep -E 'ERROR|CRITICAL|Traceback' "$LOG" | head -n 40 >&2 || true
    log "The Odoo run ended without a test report (exit $status)."
    failed=$((failed + 1))
else
    odoo_failed=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1/' <<<"$summary")
    odoo_errors=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\2/' <<<"$summary")
    odoo_total=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/' <<<"$summary")
    passed=$((passed + odoo_total - odoo_failed - odoo_errors))
    failed=$((failed + odoo_failed + odoo_errors))
    if [ $((odoo_failed + odoo_errors)) -gt 0 ] || [ "$status" != 0 ]; then
        grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL)' "$LOG" | head -n 60 >&2 || true
    fi
    log "Odoo: $summary"
fi
# Odoo's warnings at install and test time (missing access rules, deprecated syntax,
# untranslated strings...) count as a failure.
warnings="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING' "$LOG" | grep -v -F -f scripts/allowed-warnings.txt || true)"
if [ -n "$warnings" ]; then
    printf '%s\n' "$warnings" | head -n 30 >&2
    record "no Odoo warnings" 1
else
    record "no Odoo warnings" 0
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
