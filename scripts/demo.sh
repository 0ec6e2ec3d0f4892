#!/usr/bin/env bash
# `make demo`: a database with a French company, the addon and a realistic receivable book,
# one collection cycle run, and Odoo served on 127.0.0.1. DEMO_DB, DEMO_PORT and
# DEMO_DETACH=1 (serve in the background) may be set.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
DB="${DEMO_DB:-collection_demo}"
PORT="${DEMO_PORT:-8069}"
LOG="$BUILD_DIR/demo.log"

if psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    log "Dropping the previous demo database $DB"
    pkill -f -- "-d $DB " 2>/dev/null || true
    dropdb --force "$DB"
fi
log "Creating $DB (log: $LOG)"
odoo_bin -d "$DB" -i base --without-demo=all --load-language=fr_FR --stop-after-init \
    --http-port=0 --max-cron-threads=0 --log-level=warn > "$LOG" 2>&1
odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY'
company = env.company
company.write({
    "name": "Atelier Durand SAS",
    "country_id": env.ref("base.fr").id,
    "currency_id": env.ref("base.EUR").id,
    "street": "12 rue de la République",
    "zip": "69002",
    "city": "Lyon",
    "vat": "FR40303265045",
    "email": "compta@atelier-durand.example.com",
})
env.ref("base.EUR").active = True
env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
env.cr.commit()
PY
log "Installing the French chart of accounts and account_collection"
odoo_bin -d "$DB" -i "l10n_fr_account,$MODULE" --without-demo=all --stop-after-init \
    --http-port=0 --max-cron-threads=0 --log-level=warn >> "$LOG" 2>&1
log "Loading the demo receivable book and running one collection cycle"
odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY'
env["account.collection.demo"]._load_demo_data()
env["account.collection.partner.risk"]._cron_score_customers()
communications = env["account.collection.engine"]._run_collection_cycle(
    env["res.company"].search([])
)
print(f"Collection cycle: {len(communications)} reminders created")
env.cr.commit()
PY
url="http://127.0.0.1:$PORT"
cat <<MSG
[$MODULE] Demo ready: $url/odoo/action-account_collection.account_collection_communication_action
[$MODULE]   database: $DB   login: admin   password: admin
[$MODULE]   menu: Invoicing/Accounting > Collection
MSG
serve=("$PYTHON" "$ODOO_HOME/odoo-bin" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT"
       --max-cron-threads=1 --log-level=info --logfile="$BUILD_DIR/demo-server.log")
if [ "${DEMO_DETACH:-0}" = 1 ]; then
    nohup "${serve[@]}" >/dev/null 2>&1 &
    for _ in $(seq 60); do curl -sf "$url/web/login" >/dev/null && break; sleep 1; done
    log "Serving in the background (pid $!); logs in $BUILD_DIR/demo-server.log"
else
    log "Serving until Ctrl-C; logs in $BUILD_DIR/demo-server.log"
    "${serve[@]}"
fi
