"""Measure one step of `make bench` (run in `odoo shell`, see scripts/bench.sh).

BENCH_STEP names the step; one step per process, so that the peak memory of the process
(VmHWM, reset before the step) is the step's own. The sub-second read-only steps are run
five times and their median time kept. The figures are appended as one JSON
line to BENCH_RESULTS: wall time, SQL queries (the cursor's counter, commits included),
peak memory above the process's size before the step, and what the step produced.
"""

import gc
import io
import json
import os
import statistics
import time
from unittest.mock import patch

from odoo import fields
from odoo.tools import SQL
from odoo.tools.pdf import PdfFileReader

env = globals()["env"]  # provided by `odoo shell`
cr = env.cr
company = env.company
today = fields.Date.context_today(env["res.partner"])
STEP = os.environ["BENCH_STEP"]


def memory_kb(key):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def count(model, domain):
    return env[model].sudo().search_count(domain)


def run_ours():
    engine = env["account.collection.engine"]
    communications = engine._run_collection_cycle(
        company, date=today, auto_send=True, commit=True
    )
    return {
        "communications": len(communications),
        "lines": count(
            "account.collection.communication.line",
            [("communication_id.date", "=", today)],
        ),
        "mails queued": count(
            "mail.mail",
            [
                ("model", "=", "account.collection.communication"),
                ("state", "=", "outgoing"),
            ],
        ),
    }


def run_oca():
    run = env["credit.control.run"].create(
        {
            "date": today,
            "company_id": company.id,
            "policy_ids": [fields.Command.set(company.credit_policy_id.ids)],
        }
    )
    run.generate_credit_lines()
    cr.commit()
    return {"credit control lines": len(run.line_ids)}


AGEING_TOTALS = [
    "amount_residual:sum",
    "amount_not_due:sum",
    "amount_bucket_1:sum",
    "amount_bucket_2:sum",
    "amount_bucket_3:sum",
    "amount_bucket_4:sum",
    "amount_bucket_5:sum",
]


def run_ageing():
    rows = env["account.collection.aged.receivable"]._read_group(
        [("company_id", "=", company.id)], ["partner_id"], AGEING_TOTALS
    )
    return {
        "customers": len(rows),
        "total": round(sum(row[1] for row in rows), 2),
    }


def run_floor():
    """The least an aged balance by customer can do: one pass over the open
    receivable lines, bucketed by days past due."""
    limits = company._collection_bucket_limits()
    cr.execute(
        SQL(
            """
            SELECT aml.partner_id,
                   SUM(aml.amount_residual),
                   SUM(aml.amount_residual) FILTER (WHERE days <= 0),
                   SUM(aml.amount_residual) FILTER (WHERE days > 0 AND days <= %(l1)s),
                   SUM(aml.amount_residual) FILTER (WHERE days > %(l1)s AND days <= %(l2)s),
                   SUM(aml.amount_residual) FILTER (WHERE days > %(l2)s AND days <= %(l3)s),
                   SUM(aml.amount_residual) FILTER (WHERE days > %(l3)s AND days <= %(l4)s),
                   SUM(aml.amount_residual) FILTER (WHERE days > %(l4)s)
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
             CROSS JOIN LATERAL (
                   SELECT %(today)s::date - COALESCE(aml.date_maturity, aml.date) AS days
                   ) age
             WHERE account.account_type = 'asset_receivable'
               AND aml.parent_state = 'posted'
               AND NOT aml.reconciled
               AND aml.company_id = %(company_id)s
             GROUP BY aml.partner_id
            """,
            l1=limits[0],
            l2=limits[1],
            l3=limits[2],
            l4=limits[3],
            today=today,
            company_id=company.id,
        )
    )
    rows = cr.fetchall()
    return {
        "customers": len(rows),
        "total": round(float(sum(row[1] for row in rows)), 2),
    }


def run_cycle_floor():
    """The least the collection cycle can do, in hand-written SQL and one
    transaction, rolled back so that the other steps find the book untouched: the
    level of each open invoice once the customer's credits are set off against the
    oldest due first, one communication per customer and currency where an invoice
    reached a new level, its lines (the invoices that reached a level or that the
    credits cover, and the credits), the invoices' new levels. Left out: the
    intervals between reminders and the paused customers (none on a fresh book),
    the channels (mails queued) and the notes."""
    engine = env["account.collection.engine"].with_company(company)
    engine._flush_open_items()
    policy = company.collection_policy_id
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_floor_items ON COMMIT DROP AS
            WITH items AS (
                SELECT aml.id AS line_id, aml.move_id, aml.partner_id,
                       COALESCE(aml.currency_id, %(currency_id)s) AS currency_id,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                       aml.amount_residual, aml.amount_residual_currency,
                       move.collection_level_id AS current_level_id
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE %(open_items)s
            ), allocated AS (
                SELECT items.*,
                       %(today)s::date - items.date_maturity AS days,
                       -- what is left of an invoice once the credits paid the
                       -- invoices due before it, then itself (Code civil 1342-10)
                       GREATEST(0, LEAST(items.amount_residual,
                           COALESCE(SUM(GREATEST(items.amount_residual, 0)) OVER (
                               PARTITION BY items.partner_id, items.currency_id
                               ORDER BY items.date_maturity, items.line_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                           + items.amount_residual
                           + SUM(LEAST(items.amount_residual, 0)) OVER (
                               PARTITION BY items.partner_id, items.currency_id)
                       )) AS amount_left
                  FROM items
            )
            SELECT allocated.*, reached.level_id, before.level_id AS level_before_id,
                   current.days AS current_days
              FROM allocated
              LEFT JOIN account_collection_level current
                ON current.id = allocated.current_level_id
              LEFT JOIN LATERAL (
                   SELECT level.id AS level_id FROM account_collection_level level
                    WHERE allocated.amount_residual > 0 AND allocated.amount_left > 0
                      AND level.policy_id = %(policy_id)s
                      AND level.days <= allocated.days
                      AND COALESCE(level.min_amount, 0) <= allocated.amount_left
                    ORDER BY level.days DESC, level.sequence DESC LIMIT 1
                   ) reached ON TRUE
              LEFT JOIN LATERAL (
                   SELECT level.id AS level_id FROM account_collection_level level
                    WHERE allocated.amount_residual > 0
                      AND level.policy_id = %(policy_id)s
                      AND level.days <= allocated.days
                      AND COALESCE(level.min_amount, 0) <= allocated.amount_residual
                    ORDER BY level.days DESC, level.sequence DESC LIMIT 1
                   ) before ON TRUE
            """,
            currency_id=company.currency_id.id,
            open_items=engine._open_items_condition(company),
            today=today,
            policy_id=policy.id,
        )
    )
    # An invoice never goes back to a lower level.
    cr.execute(
        """
        UPDATE bench_floor_items items SET level_id = items.current_level_id
         WHERE items.level_id IS NOT NULL AND items.current_days > (
               SELECT days FROM account_collection_level WHERE id = items.level_id)
        """
    )
    cr.execute(
        SQL(
            """
            WITH groups AS (
                SELECT items.partner_id, items.currency_id,
                       BOOL_OR(level.id IS NOT NULL AND (items.current_days IS NULL
                               OR level.days > items.current_days)) AS new_level,
                       (ARRAY_AGG(level.id ORDER BY level.days DESC, level.sequence DESC)
                            FILTER (WHERE level.id IS NOT NULL))[1] AS level_id,
                       SUM(items.amount_residual_currency) FILTER (
                           WHERE items.amount_residual < 0
                              OR items.level_before_id IS NOT NULL) AS due,
                       SUM(items.amount_residual_currency) FILTER (
                           WHERE items.level_before_id IS NOT NULL AND items.days > 0
                       ) AS overdue
                  FROM bench_floor_items items
                  LEFT JOIN account_collection_level level ON level.id = items.level_id
                 GROUP BY items.partner_id, items.currency_id
            ), communications AS (
                INSERT INTO account_collection_communication
                       (partner_id, company_id, currency_id, policy_id, level_id, date,
                        state, name, amount_due, amount_overdue, send_email, send_letter,
                        phone_call, formal_notice, litigation, create_uid, write_uid,
                        create_date, write_date)
                SELECT groups.partner_id, %(company_id)s, groups.currency_id,
                       %(policy_id)s, groups.level_id, %(today)s, 'draft', partner.name,
                       groups.due, groups.overdue, level.send_email, level.send_letter,
                       level.phone_call, level.formal_notice, level.litigation, %(uid)s,
                       %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM groups
                  JOIN account_collection_level level ON level.id = groups.level_id
                  JOIN res_partner partner ON partner.id = groups.partner_id
                 WHERE groups.new_level
             RETURNING id, partner_id, currency_id
            ), lines AS (
                INSERT INTO account_collection_communication_line
                       (communication_id, company_id, currency_id, partner_id, date,
                        move_line_id, move_id, level_id, date_maturity, days_overdue,
                        amount_residual, create_uid, write_uid, create_date, write_date)
                SELECT communications.id, %(company_id)s, items.currency_id,
                       items.partner_id, %(today)s, items.line_id, items.move_id,
                       items.level_id, items.date_maturity, items.days,
                       items.amount_residual_currency, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM communications
                  JOIN bench_floor_items items
                    ON items.partner_id = communications.partner_id
                   AND items.currency_id = communications.currency_id
                 WHERE items.amount_residual < 0 OR items.level_before_id IS NOT NULL
             RETURNING move_id, level_id
            ), moves AS (
                UPDATE account_move move SET collection_level_id = lines.level_id,
                       collection_last_date = %(today)s
                  FROM lines
                 WHERE move.id = lines.move_id AND lines.level_id IS NOT NULL
             RETURNING move.id
            )
            SELECT (SELECT COUNT(*) FROM communications),
                   (SELECT COUNT(*) FROM lines),
                   (SELECT COUNT(*) FROM moves)
            """,
            company_id=company.id,
            policy_id=policy.id,
            today=today,
            uid=env.uid,
        )
    )
    communications, lines, invoices = cr.fetchone()
    cr.rollback()
    return {
        "communications": communications,
        "lines": lines,
        "invoices leveled": invoices,
    }


def run_dashboard():
    """The collection dashboard as a user opens it (its default options)."""
    data = env["account.collection.dashboard"].get_dashboard_data()
    return {"cards": len(data["cards"]), "trend points": len(data["trend"])}


def run_scoring():
    scored = env["account.collection.risk.scoring"]._score_company(company)
    cr.commit()
    return {"customers scored": scored}


def run_prediction():
    dated = env["account.collection.prediction"]._predict_company(company)
    cr.commit()
    return {"invoices dated": dated}


BENCH_NOTICES = int(os.environ.get("BENCH_NOTICES") or 1000)
BENCH_NOTICES_SINGLE = int(os.environ.get("BENCH_NOTICES_SINGLE") or 20)


def render_notices(limit):
    """The PDF notices of ``limit`` of the communications the cycle created today
    ("ours" step), rendered as Print Letters renders them, chunk after chunk and
    thrown away (memory bounded by a chunk)."""
    communications = env["account.collection.communication"].search(
        [("company_id", "=", company.id), ("date", "=", today)],
        limit=limit,
        order="id",
    )
    dispatch = env["account.collection.dispatch"]
    size = env["account.collection.notice.batch"]._notice_batch_size()
    pages = 0
    for start in range(0, len(communications), size):
        chunk = communications[start : start + size]
        for pdf in dispatch._render_letters(chunk).values():
            pages += len(PdfFileReader(io.BytesIO(pdf)).pages)
        env.invalidate_all()
    return {"notices": len(communications), "pdf pages": pages}


def run_notices():
    batch = env["account.collection.notice.batch"]
    return {
        **render_notices(BENCH_NOTICES),
        "batched": batch._collection_batch_pdf_supported(),
        "per call": batch._notice_batch_size(),
    }


def run_notices_single():
    """The same notices, one wkhtmltopdf call each (Debian's build)."""
    batch = type(env["account.collection.notice.batch"])
    with patch.object(batch, "_collection_batch_pdf_supported", lambda self: False):
        return {**render_notices(BENCH_NOTICES_SINGLE), "batched": False}


# (label, function, runs): the read-only queries of a fraction of a second are run five
# times and their median kept, so that one hiccup of a shared machine does not decide.
STEPS = {
    "cycle_floor": (
        "Collection cycle (hand-written SQL floor, rolled back)",
        run_cycle_floor,
        1,
    ),
    "ours": ("Collection cycle: levels and communications, mails queued", run_ours, 1),
    "oca": ("OCA account_credit_control: run generating credit lines", run_oca, 1),
    "ageing": ("Aged receivables by customer (account_collection)", run_ageing, 5),
    "floor": ("Aged receivables by customer (hand-written SQL floor)", run_floor, 5),
    "dashboard": ("Collection dashboard, default options", run_dashboard, 5),
    "scoring": ("Risk scoring of all customers", run_scoring, 1),
    "prediction": ("Predicted payment dates of all open invoices", run_prediction, 1),
    "notices": ("PDF notices, one wkhtmltopdf call per chunk", run_notices, 1),
    "notices_single": (
        "PDF notices, one wkhtmltopdf call each (Debian's build)",
        run_notices_single,
        1,
    ),
}
label, step, runs = STEPS[STEP]
if runs > 1:
    label += f", median of {runs}"
env.invalidate_all()
gc.collect()
with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
    clear_refs.write("5")  # resets the peak resident size (VmHWM) to the current one
rss_before = memory_kb("VmRSS")
timings = []
for _run in range(runs):
    env.invalidate_all()
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    produced = step()
    env.flush_all()
    timings.append(time.perf_counter() - start)
elapsed = statistics.median(timings)
result = {
    "step": STEP,
    "label": label,
    "seconds": round(elapsed, 3),
    "queries": cr.sql_log_count - queries_before,
    "peak_mb": round((memory_kb("VmHWM") - rss_before) / 1024, 1),
    "produced": produced,
}
cr.commit()
with open(os.environ["BENCH_RESULTS"], "a", encoding="utf-8") as results:
    results.write(json.dumps(result) + "\n")
print(
    f"  {label}: {elapsed:.2f} s, {result['queries']} queries, "
    f"+{result['peak_mb']} MB, {produced}",
    flush=True,
)
