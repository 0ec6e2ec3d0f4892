#!/usr/bin/env bash
# Measures the aged receivables query, the dashboard indicators and the Excel export on a
# sizeable book: the demo data, whose open receivable items are then copied in SQL until
# BENCH_ROWS (default 50,000) open items exist. Uses a throw-away database, or BENCH_DB (a
# database where the addon is installed; nothing is committed there).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_all
ROWS="${BENCH_ROWS:-50000}"
if [ -n "${BENCH_DB:-}" ]; then
    DB="$BENCH_DB"
else
    DB="${MODULE}_bench_$$"
    trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
    log "Installing the addon in $DB"
    odoo_bin -d "$DB" -i "$MODULE" --without-demo=all --stop-after-init --http-port=0 \
        --log-level=warn --max-cron-threads=0
fi
BENCH_ROWS="$ROWS" odoo_bin shell -d "$DB" --no-http --log-level=warn <<'PY'
import os
import time
from datetime import date

from odoo.addons.account_collection.demo import book
from odoo.tools import SQL

rows_wanted = int(os.environ["BENCH_ROWS"])
today = date(2025, 6, 30)
company = env.company
book.load_demo_data(env, company, today=today)
env.flush_all()
aged = env["account.collection.aged.receivable"]
env.cr.execute(SQL("SELECT id FROM (%s) aged", aged._aged_query(today, company.ids)))
open_ids = [row[0] for row in env.cr.fetchall()]
copies = max(rows_wanted // len(open_ids), 1)
env.cr.execute(
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_name = 'account_move_line' AND column_name <> 'id'"
)
columns = [row[0] for row in env.cr.fetchall()]
overrides = {
    "date_maturity": "line.date_maturity - (copy.n %% 240)",
    "date": "LEAST(line.date, line.date_maturity - (copy.n %% 240))",
}
select = ", ".join(overrides.get(c, f"line.{c}") for c in columns)
env.cr.execute(
    f"INSERT INTO account_move_line ({', '.join(columns)}) "  # noqa: S608 - fixed names
    f"SELECT {select} FROM account_move_line line, generate_series(1, %s) copy(n) "
    "WHERE line.id = ANY(%s)",
    (copies, open_ids),
)
env.cr.execute("ANALYZE account_move_line")
env.invalidate_all()


def timed(label, function, repeat=3):
    best = None
    for _index in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: {best:.3f} s (best of {repeat})")
    return result


def count_and_sum(as_of):
    env.cr.execute(
        SQL(
            "SELECT count(*), sum(amount_residual) FROM (%s) aged",
            aged._aged_query(as_of, company.ids),
        )
    )
    return env.cr.fetchone()


count, total = timed("Ageing query at today", lambda: count_and_sum(today))
print(f"Open receivable items: {count}, total {total:,.2f}")
timed("Ageing query as of 2025-03-31", lambda: count_and_sum(date(2025, 3, 31)))
timed(
    "Pivot read_group (customer x period)",
    lambda: aged.with_context(collection_as_of="2025-06-30")._read_group(
        [], ["partner_id", "bucket"], ["amount_residual:sum"]
    ),
)
timed(
    "Dashboard indicators (12 monthly points)",
    lambda: env["account.collection.kpi"]._compute_kpis(company, today),
)
content = timed(
    "Excel aged balance",
    lambda: env["account.collection.xlsx"]._aged_balance_xlsx(today, company),
)
print(f"Excel file: {len(content) / 1024:.0f} KiB")
env.cr.rollback()
PY
