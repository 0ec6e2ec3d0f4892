#!/usr/bin/env bash
# `make bench`: the collection cycle, the aged receivables and the risk scoring on a large
# receivable book, side by side with OCA account_credit_control 18.0 and a hand-written SQL
# floor. Volume and database through the environment (see readme/BENCHMARKS.md):
#   BENCH_INVOICES (100000), BENCH_CUSTOMERS (one per 20 invoices), BENCH_DB (collection_bench),
#   BENCH_REUSE=1 measures again on the book built by an earlier run of the same volume,
#   BENCH_NOTICES (1000) and BENCH_NOTICES_SINGLE (20) PDF notices rendered in batches / one by one,
#   BENCH_STEPS (space separated, default all: cycle_floor ours oca ageing floor dashboard scoring
#   prediction notices notices_single workers) the steps to measure, e.g. without oca on a
#   million invoices.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
DB="${BENCH_DB:-collection_bench}"
export BENCH_INVOICES="${BENCH_INVOICES:-100000}"
export BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-$((BENCH_INVOICES / 20))}"
LOG="$BUILD_DIR/bench.log"
RESULTS="$BUILD_DIR/bench-results.jsonl"
OCA_VERSION="18.0.2.0.2.6"

# OCA's module is read and run, never copied: it is installed from PyPI next to the build,
# outside the project and outside site-packages.
OCA_DIR="$BUILD_DIR/oca-$OCA_VERSION"
if [ ! -f "$OCA_DIR/odoo/addons/account_credit_control/__manifest__.py" ]; then
    log "Installing odoo-addon-account-credit-control $OCA_VERSION from PyPI into $OCA_DIR"
    "$PYTHON" -m pip install -q --no-deps --target "$OCA_DIR" \
        "odoo-addon-account-credit-control==$OCA_VERSION"
fi
EXTRA_ADDONS_PATH="$OCA_DIR/odoo/addons${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}"
prepare_addons_path

# The book is built once into a template database; each run measures a fresh copy of it.
BOOK="${DB}_book"
volume="$BENCH_CUSTOMERS customers, $BENCH_INVOICES invoices"
book_volume="$(psql -d "$BOOK" -Atc "select value from ir_config_parameter where key = 'account_collection.bench_volume'" 2>/dev/null || true)"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ "$book_volume" = "$volume" ]; then
    log "Reusing the book of $BOOK ($volume)"
    reused=1
else
    reused=0
    dropdb --if-exists --force "$BOOK" 2>/dev/null
    log "Creating $BOOK: French company, chart of accounts, account_collection and account_credit_control (log: $LOG)"
    odoo_bin -d "$BOOK" -i base --without-demo=all --stop-after-init \
        --http-port=0 --max-cron-threads=0 --log-level=warn > "$LOG" 2>&1
    odoo_shell -d "$BOOK" --log-level=warn >> "$LOG" 2>&1 <<'PY'
env.company.write({
    "name": "Bench SAS",
    "country_id": env.ref("base.fr").id,
    "currency_id": env.ref("base.EUR").id,
    "email": "compta@bench.example.com",
})
env.ref("base.EUR").active = True
env.cr.commit()
PY
    odoo_bin -d "$BOOK" -i "l10n_fr_account,$MODULE,account_credit_control" --without-demo=all \
        --stop-after-init --http-port=0 --max-cron-threads=0 --log-level=warn >> "$LOG" 2>&1
    log "Building the receivable book: $volume"
    odoo_shell -d "$BOOK" --log-level=warn < "$REPO_DIR/scripts/bench_data.py" 2>>"$LOG"
fi
dropdb --if-exists --force "$DB" 2>/dev/null
createdb -T "$BOOK" "$DB"
if [ "$reused" = 1 ]; then
    # The addon under test may be newer than the book: bring the copy up to date.
    odoo_bin -d "$DB" -u "$MODULE" --stop-after-init --http-port=0 --max-cron-threads=0 \
        --log-level=warn >> "$LOG" 2>&1
fi
psql -d "$DB" -qc "VACUUM ANALYZE" >/dev/null
STEPS="${BENCH_STEPS:-cycle_floor ours oca ageing floor dashboard scoring prediction notices notices_single workers}"
source "$REPO_DIR/scripts/bench_workers.sh"
case " $STEPS " in *" workers "*) bench_workers_copy "$DB" ;; esac

: > "$RESULTS"
for step in $STEPS; do
    log "Measuring: $step"
    if [ "$step" = workers ]; then
        # On its own fresh copies of the book, taken before the other steps.
        bench_workers "$DB" "$RESULTS"
        continue
    fi
    # The cycle's floor runs before our cycle and rolls back: both see the same book.
    BENCH_STEP="$step" BENCH_RESULTS="$RESULTS" \
        odoo_shell -d "$DB" --log-level=warn < "$REPO_DIR/scripts/bench_step.py" 2>>"$LOG"
done
"$PYTHON" "$REPO_DIR/scripts/bench_report.py" "$RESULTS"
