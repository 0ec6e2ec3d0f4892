"""Backtest of the predicted payment dates (run in `odoo shell`, see scripts/backtest.sh).

For BACKTEST_DATE (default: six months ago), predict from the book as it was on that
date the payment dates of the invoices open then, and compare with the real dates of
those paid in full since (until today): mean absolute error in days and share paid
within 7 days of the prediction, ours side by side with "paid on the due date" and
"due date + the customer's average delay".
"""

import os

from dateutil.relativedelta import relativedelta

from odoo import fields

env = globals()["env"]  # provided by `odoo shell`
today = fields.Date.context_today(env["res.partner"])
as_of = fields.Date.to_date(
    os.environ.get("BACKTEST_DATE") or today - relativedelta(months=6)
)
labels = {
    "ours": "Ours (tools/prediction.py)",
    "naive": "Naive: paid on the due date",
    "naive_today": "Naive, not before the backtest date",
    "customer": "Due date + customer's average delay",
}
for company in env["res.company"].search([]):
    result = env["account.collection.prediction"]._backtest(company, as_of, today)
    if not result.get("ours"):
        continue
    print(f"{company.name}: invoices open on {as_of}, paid by {today}", flush=True)
    naive_error = result["naive"][1]
    for method, label in labels.items():
        count, error, within = result[method]
        change = (error / naive_error - 1) * 100 if naive_error else 0.0
        print(
            f"  {label:<40} {count:>6} invoices  MAE {error:6.1f} days  "
            f"within 7 days {within:6.1%}  error vs naive {change:+.0f} %",
            flush=True,
        )
    if result["disputed"]:
        print(f"  {result['disputed']} paid invoices were disputed (no date)")
