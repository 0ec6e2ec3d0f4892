#!/usr/bin/env bash
# `make test`: static checks, fast tests of the pure functions, then the Odoo test suite of
# the addon and Odoo's own tests of what it changes (make compat) in a throw-away database.
# Ends with "N passed, N failed"; exits non-zero on failure.
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
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
# Odoo's own tests of what the addon changes (make compat) run in the same database, unless
# TEST_TAGS picks a subset or COMPAT=0.
tags="${TEST_TAGS:-/$MODULE}"
if [ -z "${TEST_TAGS:-}" ] && [ "${COMPAT:-1}" = 1 ]; then
    tags="$tags,$(compat_tags)"
fi
log "Odoo test suite in database $DB (log: $LOG)"
odoo_test_run "$DB" "$tags" "$LOG"
passed=$((passed + ODOO_PASSED))
failed=$((failed + ODOO_FAILED))
if [ -n "$ODOO_WARNINGS" ]; then
    printf '%s\n' "$ODOO_WARNINGS" | head -n 30 >&2
    record "no Odoo warnings" 1
else
    record "no Odoo warnings" 0
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
