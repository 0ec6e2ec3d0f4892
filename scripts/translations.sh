#!/usr/bin/env bash
# `make translations`: exports the addon's terms to i18n/account_collection.pot and merges
# them into i18n/fr.po, keeping the existing translations; new terms come out untranslated.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
DB="${MODULE}_i18n_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
log "Installing the addon in $DB to export its terms"
odoo_bin -d "$DB" -i "$MODULE" --without-demo=all --stop-after-init --http-port=0 \
    --log-level=warn --max-cron-threads=0
odoo_bin -d "$DB" --modules="$MODULE" --i18n-export="$REPO_DIR/i18n/$MODULE.pot" \
    --stop-after-init --http-port=0 --log-level=warn
"$PYTHON" "$REPO_DIR/scripts/merge_po.py" "$REPO_DIR/i18n/$MODULE.pot" "$REPO_DIR/i18n/fr.po"
