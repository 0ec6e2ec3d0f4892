"""Benchmark of the bulk risk scoring (figures printed, nothing asserted).

Run in `odoo shell` on a throw-away database where account_collection is installed
with a chart of accounts (e.g. the one of `make demo`, or any test database):

    python3 /path/to/odoo-bin shell -d DB --addons-path=... --no-http \
        < scripts/bench_risk.py

Environment: BENCH_CUSTOMERS (default 5000), BENCH_TEMPLATE (default 200),
BENCH_INVOICES per customer (default 4).

BENCH_TEMPLATE customers get a real history through the ORM (invoices posted, payments
registered and reconciled: about 1.5 s per customer on a busy 2-core machine). The rest
up to BENCH_CUSTOMERS are SQL copies of them (partners, invoices, receivable lines and
partial reconciliations, with new ids), which is what the scoring reads. Everything is
committed on the first run, so that later runs time the scoring alone.
"""

import os
import random
import time
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "5000"))
TEMPLATE = min(int(os.environ.get("BENCH_TEMPLATE", "200")), CUSTOMERS)
PER_CUSTOMER = int(os.environ.get("BENCH_INVOICES", "4"))
BATCH = 500

env = globals()["env"]  # provided by `odoo shell`
company = env.company
today = fields.Date.context_today(env["res.partner"])
rng = random.Random(42)


def timed(label, func, *args, **kwargs):
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func(*args, **kwargs)
    env.flush_all()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s, {env.cr.sql_log_count - queries} queries")
    return result


def create_history():
    existing = env["res.partner"].search([("ref", "=like", "BENCH-%")], order="id")
    if len(existing) >= TEMPLATE:
        return existing[:TEMPLATE]
    start = time.perf_counter()
    partners = existing | env["res.partner"].create(
        [
            {
                "name": f"Bench customer {index}",
                "is_company": True,
                "ref": f"BENCH-{index:05d}",
            }
            for index in range(len(existing), TEMPLATE)
        ]
    )
    journal = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "sale")],
        limit=1,
    )
    new_partners = partners - existing
    payments = defaultdict(list)  # payment date -> invoices
    for chunk_start in range(0, len(new_partners), BATCH // PER_CUSTOMER):
        chunk = new_partners[chunk_start : chunk_start + BATCH // PER_CUSTOMER]
        vals_list, plan = [], []
        for partner in chunk:
            habit = rng.choice((0, 5, 20, 45, 75, 110))  # usual delay of this customer
            for _index in range(PER_CUSTOMER):
                due = today - timedelta(days=rng.randint(5, 330))
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": due - timedelta(days=30),
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Service",
                                    "quantity": 1,
                                    "price_unit": rng.randint(100, 5000),
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
                # One invoice in four stays open; the others are paid on a Monday.
                paid = due + timedelta(days=max(habit + rng.randint(-10, 10), -5))
                paid -= timedelta(days=paid.weekday())
                plan.append(paid if rng.random() < 0.75 and paid <= today else None)
        invoices = env["account.move"].create(vals_list)
        invoices.action_post()
        for invoice, paid in zip(invoices, plan, strict=True):
            if paid:
                payments[paid].append(invoice.id)
        env.cr.commit()
        print(f"  {chunk_start + len(chunk)} customers invoiced", flush=True)
    for index, (paid, invoice_ids) in enumerate(sorted(payments.items())):
        for chunk_start in range(0, len(invoice_ids), BATCH):
            env["account.payment.register"].with_context(
                active_model="account.move",
                active_ids=invoice_ids[chunk_start : chunk_start + BATCH],
            ).create({"payment_date": paid, "group_payment": False})._create_payments()
            env.cr.commit()
        if index % 10 == 0:
            print(f"  payments of {paid} registered", flush=True)
    print(
        f"History of {len(new_partners)} customers created in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return partners


def columns(table):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return [row[0] for row in env.cr.fetchall()]


def clone(table, where, overrides):
    """INSERT INTO table SELECT its rows matching where, with some columns replaced."""
    names = columns(table)
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(overrides.get(name, SQL.identifier(name)) for name in names),
            SQL.identifier(table),
            where,
        )
    )
    return env.cr.rowcount


def replicate(template):
    """Copy the template customers and their invoices until CUSTOMERS customers."""
    copies = env["res.partner"].search_count([("ref", "=like", "BCOPY-%")])
    rounds = -(-CUSTOMERS // len(template)) - 1
    if copies >= (rounds * len(template)) or not rounds:
        return
    start = time.perf_counter()
    env.flush_all()
    ids = template.ids
    env.cr.execute(
        "SELECT id FROM account_move WHERE move_type = 'out_invoice' AND partner_id = ANY(%s)",
        [ids],
    )
    move_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "SELECT id FROM account_move_line WHERE move_id = ANY(%s)", [move_ids]
    )
    line_ids = [row[0] for row in env.cr.fetchall()]
    offset = 10_000_000
    for k in range(1, rounds + 1):
        shift = SQL("%s", k * offset)
        clone(
            "res_partner",
            SQL("id = ANY(%s)", ids),
            {
                "id": SQL("id + %s", shift),
                "commercial_partner_id": SQL("commercial_partner_id + %s", shift),
                "ref": SQL("'BCOPY-' || %s || '-' || ref", k),
                "name": SQL("name || ' #' || %s", k),
                "complete_name": SQL("complete_name || ' #' || %s", k),
            },
        )
        clone(
            "account_move",
            SQL("id = ANY(%s)", move_ids),
            {
                "id": SQL("id + %s", shift),
                "partner_id": SQL("partner_id + %s", shift),
                "commercial_partner_id": SQL("commercial_partner_id + %s", shift),
                "name": SQL("name || '-' || %s", k),
            },
        )
        shifted_partner = SQL(
            "CASE WHEN partner_id = ANY(%s) THEN partner_id + %s ELSE partner_id END",
            ids,
            shift,
        )
        clone(
            "account_move_line",
            SQL("id = ANY(%s)", line_ids),
            {
                "id": SQL("id + %s", shift),
                "move_id": SQL("move_id + %s", shift),
                "partner_id": shifted_partner,
                "full_reconcile_id": SQL("NULL"),
            },
        )
        clone(
            "account_partial_reconcile",
            SQL("debit_move_id = ANY(%s)", line_ids),
            {
                "id": SQL("id + %s", shift),
                "debit_move_id": SQL("debit_move_id + %s", shift),
                "full_reconcile_id": SQL("NULL"),
            },
        )
    for table in (
        "res_partner",
        "account_move",
        "account_move_line",
        "account_partial_reconcile",
    ):
        env.cr.execute(
            SQL(
                "SELECT setval(%s, (SELECT MAX(id) FROM %s))",
                f"{table}_id_seq",
                SQL.identifier(table),
            )
        )
    env.invalidate_all()
    env.cr.commit()
    print(
        f"{rounds} copies of the {len(template)} template customers made in "
        f"{time.perf_counter() - start:.0f} s"
    )


template = create_history()
replicate(template)
partners = env["res.partner"].search(
    ["|", ("ref", "=like", "BENCH-%"), ("ref", "=like", "BCOPY-%")], order="id"
)[:CUSTOMERS]
risk_model = env["account.collection.partner.risk"]
scoring = env["account.collection.risk.scoring"]
lines = env["account.move.line"].search_count(
    [
        ("partner_id", "in", partners.ids),
        ("account_id.account_type", "=", "asset_receivable"),
    ]
)
print(f"Customers: {len(partners)}, receivable lines: {lines}")
env.invalidate_all()
count = timed(
    "Score all customers (first run: insert)", scoring._score_company, company
)
env.invalidate_all()
timed("Score all customers (again: update)", scoring._score_company, company)
print(f"Customers scored: {count}")
env.invalidate_all()
timed(
    "Credit status of all customers (live exposure and limits)",
    env["account.collection.credit.control"]._credit_status,
    company,
    partners.ids,
)
env.invalidate_all()
timed(
    "Score one customer (on demand)",
    scoring._score_company,
    company,
    {partners[0].id},
)
segments = risk_model._read_group(
    [("company_id", "=", company.id)], ["segment_id"], ["__count", "avg_days_late:avg"]
)
for segment, number, delay in segments:
    print(
        f"  {segment.display_name}: {number} customers, {delay:.1f} days late on average"
    )
env.cr.commit()
