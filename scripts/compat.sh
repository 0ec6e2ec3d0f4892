#!/usr/bin/env bash
# `make compat`: installs the addon in a throw-away database and runs Odoo's own test
# classes covering what it overrides or extends (COMPAT_CLASSES in common.sh). Ends with
# "N passed, N failed" and the duration; exits non-zero on failure.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
ensure_chromium
cd "$REPO_DIR"

passed=0
failed=0
DB="${COMPAT_DB:-${MODULE}_compat_$$}"
LOG="$BUILD_DIR/compat-odoo.log"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
log "Odoo's tests of what the addon changes, in database $DB (log: $LOG)"
start=$(date +%s)
odoo_test_run "$DB" "$(compat_tags)" "$LOG"
passed=$((passed + ODOO_PASSED))
failed=$((failed + ODOO_FAILED))
if [ -n "$ODOO_WARNINGS" ]; then
    printf '%s\n' "$ODOO_WARNINGS" | head -n 30 >&2
    failed=$((failed + 1))
    log "FAILED: no Odoo warnings"
else
    passed=$((passed + 1))
    log "ok: no Odoo warnings"
fi
log "Duration: $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
