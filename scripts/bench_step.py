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
    "ours": ("Collection cycle: levels and communications, mails queued", run_ours, 1),
    "oca": ("OCA account_credit_control: run generating credit lines", run_oca, 1),
    "ageing": ("Aged receivables by customer (account_collection)", run_ageing, 5),
    "floor": ("Aged receivables by customer (hand-written SQL floor)", run_floor, 5),
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
