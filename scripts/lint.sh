#!/usr/bin/env bash
# `make lint`: the static checks of `make test` alone, in the project's environment.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

find_odoo
ensure_venv
cd "$REPO_DIR"
failed=0
report() { [ "$2" = 0 ] && log "ok: $1" || { log "FAILED: $1"; failed=1; }; }
static_checks report
exit "$failed"
