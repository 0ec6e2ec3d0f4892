#!/usr/bin/env bash
# `make backtest`: how well the predicted payment dates would have done. For BACKTEST_DATE
# (default six months ago) predicts, from the book known then, when the invoices open on that
# date get paid and compares with the real payment dates. Read only.
#   BACKTEST_DB (default: the demo's database, DEMO_DB or collection_demo).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
prepare_addons_path
DB="${BACKTEST_DB:-${DEMO_DB:-collection_demo}}"
psql -d "$DB" -Atc "select 1" >/dev/null 2>&1 || die "no database $DB: run make demo first, or set BACKTEST_DB"
log "Backtest on $DB as of ${BACKTEST_DATE:-six months ago}"
odoo_shell -d "$DB" --log-level=warn < "$REPO_DIR/scripts/backtest.py"
