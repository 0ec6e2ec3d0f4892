#!/usr/bin/env bash
# `make demo`: a database with two French companies, the addon and a realistic receivable
# book showing every feature, one collection cycle run, its reminders sent to a local SMTP
# server that stores each message as a file, and Odoo served on 127.0.0.1.
# DEMO_DB, DEMO_PORT, DEMO_SMTP_PORT and DEMO_DETACH=1 (serve in the background) may be set.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
DB="${DEMO_DB:-collection_demo}"
PORT="${DEMO_PORT:-8069}"
SMTP_PORT="${DEMO_SMTP_PORT:-2525}"
URL="http://127.0.0.1:$PORT"
LOG="$BUILD_DIR/demo.log"
MAIL_DIR="$BUILD_DIR/demo-mail"

# A previous demo's server and mail server are stopped before their database is rebuilt.
pkill -f -- "-d $DB --db-filter" 2>/dev/null || true
pkill -f -- "demo_smtp.py $MAIL_DIR" 2>/dev/null || true
if psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    log "Dropping the previous demo database $DB"
    dropdb --force "$DB"
fi
rm -rf "$MAIL_DIR"
log "Creating $DB (log: $LOG)"
odoo_bin -d "$DB" -i base --without-demo=all --load-language=fr_FR --stop-after-init \
    --http-port=0 --max-cron-threads=0 --log-level=warn > "$LOG" 2>&1
odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY' \
    || die "The demo step failed: see $LOG"
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
odoo_bin -d "$DB" -i "l10n_fr_account,$MODULE,payment_demo" --without-demo=all --stop-after-init \
    --http-port=0 --max-cron-threads=0 --log-level=warn >> "$LOG" 2>&1
log "Loading the demo receivable book (two companies) and running one collection cycle"
DEMO_URL="$URL" DEMO_SMTP_PORT="$SMTP_PORT" odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY' \
    || die "The demo step failed: see $LOG"
import os
from odoo.addons.account_collection.demo import book, showcase
book.load_demo_data(env)
showcase.load_demo_showcase(env)
showcase.load_demo_second_company(env)
showcase.set_demo_logos(env)
icp = env["ir.config_parameter"].sudo()
icp.set_param("web.base.url", os.environ["DEMO_URL"])
icp.set_param("web.base.url.freeze", "True")
env["ir.mail_server"].create({
    "name": "Demo mail server (127.0.0.1)",
    "smtp_host": "127.0.0.1",
    "smtp_port": int(os.environ["DEMO_SMTP_PORT"]),
    "smtp_encryption": "none",
    "from_filter": False,
})
env.cr.commit()
PY
odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY' \
    || die "The demo step failed: see $LOG"
companies = env["res.company"].search([])
main_company = env.ref("base.main_company")
second_company = companies - main_company
# Who owns the work: the administrator is the companies' default collector; Claire
# follows the customers of the second company.
admin = env.ref("base.user_admin")
admin.write({"name": "Sophie Martin", "email": "recouvrement@atelier-durand.example.com"})
claire = env["res.users"].create({
    "name": "Claire Petit",
    "login": "claire",
    "password": "claire",
    "email": "claire.petit@durand-services.example.com",
    "lang": "fr_FR",
    "tz": "Europe/Paris",
    "company_id": second_company[:1].id or main_company.id,
    "company_ids": [(6, 0, companies.ids)],
    "groups_id": [(4, env.ref("account_collection.account_collection_group_user").id)],
})
companies.write({"collection_risk_user_id": admin.id})
# Customers pay their reminders online: Odoo's demo provider, in test mode, in each company.
demo_provider = env.ref("payment.payment_provider_demo")
for company in companies:
    provider = demo_provider if demo_provider.company_id == company else demo_provider.copy(
        {"company_id": company.id}
    )
    provider.write({"state": "test", "is_published": True})
for company in second_company:
    env["res.partner"].search([("company_id", "=", company.id)]).with_company(
        company
    ).write({"collection_user_id": claire.id})
env["account.collection.partner.risk"]._cron_score_customers()
env["account.collection.plan"]._cron_update_plans()
communications = env["account.collection.engine"]._run_collection_cycle(companies)
print(f"Collection cycle: {len(communications)} reminders created")
late_payer = env["res.partner"].search([("name", "=", "Agence Horizon Voyages")])
overdue = env["account.move"].search([
    ("partner_id", "=", late_payer.id), ("move_type", "=", "out_invoice"),
    ("payment_state", "in", ("not_paid", "partial")),
])
env["account.collection.late.fee"].with_company(main_company)._charge(overdue)
for company in companies:
    env["account.collection.audit"].with_company(company).create({"company_id": company.id})._run()
doubtful = env["account.collection.doubtful.wizard"].with_company(main_company).create({})
doubtful.line_ids.filtered(lambda line: not line.in_litigation).selected = False
if doubtful.line_ids.filtered("selected"):
    doubtful.action_validate()
env.cr.commit()
PY
log "Starting the demo mail server on 127.0.0.1:$SMTP_PORT (messages in $MAIL_DIR)"
nohup "$PYTHON" "$REPO_DIR/scripts/demo_smtp.py" "$MAIL_DIR" "$SMTP_PORT" >> "$BUILD_DIR/demo-smtp.log" 2>&1 &
smtp_pid=$!
serve=("$PYTHON" "$ODOO_HOME/odoo-bin" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$"
       --http-interface=127.0.0.1 --http-port="$PORT" --max-cron-threads=1 --log-level=info
       --logfile="$BUILD_DIR/demo-server.log")
nohup "${serve[@]}" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 90); do curl -sf "$URL/web/login" >/dev/null && break; sleep 1; done
curl -sf "$URL/web/login" >/dev/null || die "The demo server did not start: see $BUILD_DIR/demo-server.log"

# The reminders' emails leave through the mail queue while the server is up: their PDF
# notices load the report styles from it.
log "Sending the reminder emails through the local mail server"
odoo_shell -d "$DB" --log-level=warn >> "$LOG" 2>&1 <<'PY' \
    || die "The demo step failed: see $LOG"
for _ in range(5):
    if not env["mail.mail"].search_count([("state", "=", "outgoing")]):
        break
    env["mail.mail"].process_email_queue()
    env.cr.commit()
PY
summary="$(psql -d "$DB" -Atc "select state, count(*) from account_collection_communication group by state order by state" | tr '\n' ' ')"
cat <<MSG
[$MODULE] Demo ready: $URL/odoo/action-account_collection.account_collection_communication_action
[$MODULE]   database: $DB   login: admin   password: admin (Sophie Martin, default collector)
[$MODULE]                  login: claire  password: claire (collector of the second company)
[$MODULE]   menu: Invoicing/Accounting > Collection
[$MODULE]   reminders by state: $summary
[$MODULE]   mails received: $(find "$MAIL_DIR" -name '*.eml' | wc -l) messages in $MAIL_DIR
[$MODULE]   logs: $BUILD_DIR/demo-server.log, $BUILD_DIR/demo-smtp.log
MSG
if [ "${DEMO_DETACH:-0}" = 1 ]; then
    log "Serving in the background (server pid $server_pid, mail server pid $smtp_pid)"
else
    trap 'kill "$server_pid" "$smtp_pid" 2>/dev/null || true' EXIT INT TERM
    log "Serving until Ctrl-C"
    wait "$server_pid"
fi
