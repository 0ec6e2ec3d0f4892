"""Build the receivable book of `make bench` (run in `odoo shell`, see scripts/bench.sh).

BENCH_CUSTOMERS customers and BENCH_INVOICES posted customer invoices, written with a
few INSERT ... SELECT statements rather than through the ORM (100,000 invoices in about
a minute instead of hours):
- 40% overdue by 1 to 200 days, 30% not due yet, 30% paid (payments reconciled after the
  due date, with each customer's habitual delay);
- one open invoice in seven partially paid (10% of all invoices);
- one open credit note per 50 invoices.
Invoices, payments and credit notes are balanced journal entries with their receivable
lines, partial and full reconciliations, as the ORM would leave them: every reading of
the book (collection cycle, OCA, ageing, scoring) sees a consistent ledger.

The same collection levels are then set up for account_collection and for OCA's
account_credit_control: friendly reminder at 7 days, firm at 15, formal notice at 30,
litigation at 45 (the French default policy without its courtesy notice, which OCA
cannot send before the due date, and without late-fee invoicing, which OCA does not do).
"""

import os
import time

from odoo import Command, fields
from odoo.tools import SQL

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "5000"))
INVOICES = int(os.environ.get("BENCH_INVOICES", "100000"))
CREDIT_NOTES = INVOICES // 50

env = globals()["env"]  # provided by `odoo shell`
cr = env.cr
company = env.company
today = fields.Date.context_today(env["res.partner"])
started = time.perf_counter()


def company_record(model, domain):
    return env[model].search(
        [*env[model]._check_company_domain(company), *domain], limit=1
    )


sale_journal = company_record("account.journal", [("type", "=", "sale")])
bank_journal = company_record("account.journal", [("type", "=", "bank")])
receivable = company.partner_id.with_company(company).property_account_receivable_id
income = sale_journal.default_account_id
bank_account = bank_journal.default_account_id
currency = company.currency_id


def reserve_ids(table, count):
    """Reserve ``count`` consecutive ids of ``table``; return the first one."""
    cr.execute(
        SQL(
            "SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), "
            "nextval(%s)) + %s)",
            f"{table}_id_seq",
            SQL.identifier(table),
            f"{table}_id_seq",
            count,
        )
    )
    return cr.fetchone()[0] - count + 1


def execute(label, query):
    start = time.perf_counter()
    cr.execute(query)
    print(
        f"  {label}: {cr.rowcount} rows in {time.perf_counter() - start:.1f} s",
        flush=True,
    )


params = {
    "company_id": company.id,
    "currency_id": currency.id,
    "sale_journal_id": sale_journal.id,
    "bank_journal_id": bank_journal.id,
    "receivable_id": receivable.id,
    "income_id": income.id,
    "bank_account_id": bank_account.id,
    "today": today,
    "uid": env.uid,
}

# Customers -----------------------------------------------------------------------
first_partner = reserve_ids("res_partner", CUSTOMERS)
execute(
    "customers",
    SQL(
        """
        INSERT INTO res_partner (id, name, complete_name, commercial_partner_id, ref,
               email, email_normalized, lang, type, active, is_company, partner_share,
               customer_rank, supplier_rank, autopost_bills, create_uid, write_uid,
               create_date, write_date)
        SELECT %(first)s + n, 'Bench customer ' || lpad(n::text, 5, '0'),
               'Bench customer ' || lpad(n::text, 5, '0'), %(first)s + n,
               'BENCH-' || lpad(n::text, 5, '0'),
               'customer' || n || '@bench.example.com',
               'customer' || n || '@bench.example.com', 'en_US', 'contact', TRUE,
               TRUE, TRUE, 1, 0, 'ask', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(count)s - 1) n
        """,
        first=first_partner,
        count=CUSTOMERS,
        **params,
    ),
)

# Invoices: what happens to each one, drawn once --------------------------------------
cr.execute("SELECT setseed(0.42)")
execute(
    "invoice plan",
    SQL(
        """
        CREATE TEMPORARY TABLE bench_invoice AS
        SELECT n, kind, amount, due, partner_id,
               CASE WHEN kind = 'paid' THEN amount
                    WHEN partial THEN round(amount * (0.3 + 0.4 * draw)::numeric, 2)
                    ELSE 0 END AS paid,
               CASE WHEN kind = 'paid'
                    THEN LEAST(due + habit + (draw * 10)::int, %(today)s::date)
                    ELSE LEAST(due - 30 + 10 + (draw * 10)::int, %(today)s::date)
                    END AS paid_on
          FROM (
            SELECT n, %(first_partner)s + mod(n, %(customers)s) AS partner_id,
                   (ARRAY[0, 3, 10, 20, 40, 75])[1 + mod(mod(n, %(customers)s), 6)] AS habit,
                   round((100 + random() * 4900)::numeric, 2) AS amount,
                   CASE WHEN r < 0.4 THEN 'overdue' WHEN r < 0.7 THEN 'current'
                        ELSE 'paid' END AS kind,
                   CASE WHEN r < 0.4 THEN %(today)s::date - 1 - (random() * 199)::int
                        WHEN r < 0.7 THEN %(today)s::date + (random() * 29)::int
                        ELSE %(today)s::date - 30 - (random() * 330)::int END AS due,
                   r < 0.7 AND random() < 1.0 / 7 AS partial,
                   random()::numeric AS draw
              FROM (SELECT n, random() AS r
                      FROM generate_series(0, %(invoices)s - 1) n) drawn
               ) invoice
        """,
        first_partner=first_partner,
        customers=CUSTOMERS,
        invoices=INVOICES,
        **params,
    ),
)
cr.execute("SELECT count(*) FROM bench_invoice WHERE paid > 0")
payments = cr.fetchone()[0]
cr.execute("SELECT count(*) FROM bench_invoice WHERE kind = 'paid'")
full_reconciles = cr.fetchone()[0]
cr.execute(
    """
    CREATE TEMPORARY TABLE bench_payment AS
    SELECT n, row_number() OVER (ORDER BY n) - 1 AS k,
           CASE WHEN kind = 'paid'
                THEN row_number() OVER (PARTITION BY kind = 'paid' ORDER BY n) - 1
                END AS f
      FROM bench_invoice WHERE paid > 0
    """
)

first_move = reserve_ids("account_move", INVOICES + payments + CREDIT_NOTES)
first_line = reserve_ids("account_move_line", 2 * (INVOICES + payments + CREDIT_NOTES))
first_partial = reserve_ids("account_partial_reconcile", payments)
first_full = reserve_ids("account_full_reconcile", full_reconciles)
ids = {
    "move": first_move,
    "payment_move": first_move + INVOICES,
    "refund_move": first_move + INVOICES + payments,
    "line": first_line,
    "payment_line": first_line + 2 * INVOICES,
    "refund_line": first_line + 2 * (INVOICES + payments),
    "partial": first_partial,
    "full": first_full,
}
year = SQL("EXTRACT(YEAR FROM %s::date)::text", today)

execute(
    "full reconciliations",
    SQL(
        """
        INSERT INTO account_full_reconcile (id, create_uid, write_uid, create_date,
               write_date)
        SELECT %(full)s + f, %(uid)s, %(uid)s, now(), now()
          FROM bench_payment WHERE f IS NOT NULL
        """,
        **ids,
        **params,
    ),
)

MOVE_COLUMNS = SQL(
    """id, name, sequence_prefix, sequence_number, move_type, state, auto_post,
       journal_id, company_id, currency_id, partner_id, commercial_partner_id,
       invoice_partner_display_name, date, invoice_date, invoice_date_due,
       amount_untaxed, amount_tax, amount_total, amount_residual,
       amount_untaxed_signed, amount_untaxed_in_currency_signed, amount_tax_signed,
       amount_total_signed, amount_total_in_currency_signed, amount_residual_signed,
       payment_state, invoice_currency_rate, posted_before, checked, is_storno,
       always_tax_exigible, made_sequence_gap, is_move_sent, is_manually_modified,
       create_uid, write_uid, create_date, write_date"""
)
LINE_COLUMNS = SQL(
    """id, move_id, move_name, sequence, journal_id, company_id, company_currency_id,
       currency_id, account_id, partner_id, name, display_type, parent_state, date,
       invoice_date, date_maturity, debit, credit, balance, amount_currency,
       amount_residual, amount_residual_currency, reconciled, full_reconcile_id,
       matching_number, quantity, price_unit, price_subtotal, price_total,
       tax_tag_invert, create_uid, write_uid, create_date, write_date"""
)

execute(
    "invoices",
    SQL(
        """
        INSERT INTO account_move (%(columns)s)
        SELECT %(move)s + i.n, 'BENCH/' || %(year)s || '/' || lpad(i.n::text, 6, '0'),
               'BENCH/' || %(year)s || '/', i.n + 1, 'out_invoice', 'posted', 'no',
               %(sale_journal_id)s, %(company_id)s, %(currency_id)s, i.partner_id,
               i.partner_id, partner.name, i.due - 30, i.due - 30, i.due,
               i.amount, 0, i.amount, i.amount - i.paid,
               i.amount, i.amount, 0, i.amount, i.amount, i.amount - i.paid,
               CASE WHEN i.kind = 'paid' THEN 'paid' WHEN i.paid > 0 THEN 'partial'
                    ELSE 'not_paid' END,
               1, TRUE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE,
               %(uid)s, %(uid)s, now(), now()
          FROM bench_invoice i JOIN res_partner partner ON partner.id = i.partner_id
        """,
        columns=MOVE_COLUMNS,
        year=year,
        **ids,
        **params,
    ),
)
execute(
    "invoice lines",
    SQL(
        """
        INSERT INTO account_move_line (%(columns)s)
        SELECT %(line)s + 2 * i.n + side.k, %(move)s + i.n, move.name, side.k,
               %(sale_journal_id)s, %(company_id)s, %(currency_id)s, %(currency_id)s,
               CASE side.k WHEN 0 THEN %(receivable_id)s ELSE %(income_id)s END,
               i.partner_id,
               CASE side.k WHEN 0 THEN move.name ELSE 'Services' END,
               CASE side.k WHEN 0 THEN 'payment_term' ELSE 'product' END,
               'posted', move.date, move.date,
               CASE side.k WHEN 0 THEN i.due END,
               CASE side.k WHEN 0 THEN i.amount ELSE 0 END,
               CASE side.k WHEN 0 THEN 0 ELSE i.amount END,
               CASE side.k WHEN 0 THEN i.amount ELSE -i.amount END,
               CASE side.k WHEN 0 THEN i.amount ELSE -i.amount END,
               CASE side.k WHEN 0 THEN i.amount - i.paid ELSE 0 END,
               CASE side.k WHEN 0 THEN i.amount - i.paid ELSE 0 END,
               side.k = 0 AND i.kind = 'paid',
               CASE WHEN side.k = 0 THEN %(full)s + pay.f END,
               CASE WHEN side.k > 0 OR pay.n IS NULL THEN NULL
                    WHEN pay.f IS NOT NULL THEN (%(full)s + pay.f)::text
                    ELSE 'P' || (%(partial)s + pay.k) END,
               CASE side.k WHEN 0 THEN NULL ELSE 1 END,
               CASE side.k WHEN 0 THEN NULL ELSE i.amount END,
               CASE side.k WHEN 0 THEN NULL ELSE i.amount END,
               CASE side.k WHEN 0 THEN NULL ELSE i.amount END,
               side.k > 0, %(uid)s, %(uid)s, now(), now()
          FROM bench_invoice i
          JOIN account_move move ON move.id = %(move)s + i.n
          LEFT JOIN bench_payment pay ON pay.n = i.n
         CROSS JOIN (VALUES (0), (1)) side(k)
        """,
        columns=LINE_COLUMNS,
        **ids,
        **params,
    ),
)
execute(
    "payments",
    SQL(
        """
        INSERT INTO account_move (%(columns)s)
        SELECT %(payment_move)s + pay.k,
               'BPAY/' || %(year)s || '/' || lpad(pay.k::text, 6, '0'),
               'BPAY/' || %(year)s || '/', pay.k + 1, 'entry', 'posted', 'no',
               %(bank_journal_id)s, %(company_id)s, %(currency_id)s, i.partner_id,
               i.partner_id, NULL, i.paid_on, NULL, NULL,
               i.paid, 0, i.paid, 0, i.paid, i.paid, 0, i.paid, i.paid, 0,
               'not_paid', 1, TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE,
               %(uid)s, %(uid)s, now(), now()
          FROM bench_payment pay JOIN bench_invoice i ON i.n = pay.n
        """,
        columns=MOVE_COLUMNS,
        year=year,
        **ids,
        **params,
    ),
)
execute(
    "payment lines",
    SQL(
        """
        INSERT INTO account_move_line (%(columns)s)
        SELECT %(payment_line)s + 2 * pay.k + side.k, %(payment_move)s + pay.k,
               move.name, side.k, %(bank_journal_id)s, %(company_id)s, %(currency_id)s,
               %(currency_id)s,
               CASE side.k WHEN 0 THEN %(receivable_id)s ELSE %(bank_account_id)s END,
               i.partner_id, 'Customer payment', 'product', 'posted', i.paid_on, NULL,
               CASE side.k WHEN 0 THEN i.paid_on END,
               CASE side.k WHEN 0 THEN 0 ELSE i.paid END,
               CASE side.k WHEN 0 THEN i.paid ELSE 0 END,
               CASE side.k WHEN 0 THEN -i.paid ELSE i.paid END,
               CASE side.k WHEN 0 THEN -i.paid ELSE i.paid END,
               0, 0, side.k = 0,
               CASE WHEN side.k = 0 THEN %(full)s + pay.f END,
               CASE WHEN side.k > 0 THEN NULL
                    WHEN pay.f IS NOT NULL THEN (%(full)s + pay.f)::text
                    ELSE 'P' || (%(partial)s + pay.k) END,
               NULL, NULL, NULL, NULL, FALSE, %(uid)s, %(uid)s, now(), now()
          FROM bench_payment pay
          JOIN bench_invoice i ON i.n = pay.n
          JOIN account_move move ON move.id = %(payment_move)s + pay.k
         CROSS JOIN (VALUES (0), (1)) side(k)
        """,
        columns=LINE_COLUMNS,
        **ids,
        **params,
    ),
)
execute(
    "reconciliations",
    SQL(
        """
        INSERT INTO account_partial_reconcile (id, debit_move_id, credit_move_id,
               full_reconcile_id, debit_currency_id, credit_currency_id, company_id,
               max_date, amount, debit_amount_currency, credit_amount_currency,
               create_uid, write_uid, create_date, write_date)
        SELECT %(partial)s + pay.k, %(line)s + 2 * pay.n, %(payment_line)s + 2 * pay.k,
               %(full)s + pay.f, %(currency_id)s, %(currency_id)s, %(company_id)s,
               GREATEST(i.paid_on, i.due - 30), i.paid, i.paid, i.paid,
               %(uid)s, %(uid)s, now(), now()
          FROM bench_payment pay JOIN bench_invoice i ON i.n = pay.n
        """,
        **ids,
        **params,
    ),
)
execute(
    "credit notes",
    SQL(
        """
        INSERT INTO account_move (%(columns)s)
        SELECT %(refund_move)s + n,
               'RBENCH/' || %(year)s || '/' || lpad(n::text, 6, '0'),
               'RBENCH/' || %(year)s || '/', n + 1, 'out_refund', 'posted', 'no',
               %(sale_journal_id)s, %(company_id)s, %(currency_id)s,
               %(first_partner)s + mod(n * 7, %(customers)s),
               %(first_partner)s + mod(n * 7, %(customers)s),
               'Bench customer', %(today)s::date - mod(n, 90), %(today)s::date - mod(n, 90),
               %(today)s::date - mod(n, 90),
               50 + mod(n, 450), 0, 50 + mod(n, 450), 50 + mod(n, 450),
               -(50 + mod(n, 450)), -(50 + mod(n, 450)), 0, -(50 + mod(n, 450)),
               -(50 + mod(n, 450)), -(50 + mod(n, 450)),
               'not_paid', 1, TRUE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE,
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(count)s - 1) n
        """,
        columns=MOVE_COLUMNS,
        year=year,
        first_partner=first_partner,
        customers=CUSTOMERS,
        count=CREDIT_NOTES,
        **ids,
        **params,
    ),
)
execute(
    "credit note lines",
    SQL(
        """
        INSERT INTO account_move_line (%(columns)s)
        SELECT %(refund_line)s + 2 * (move.id - %(refund_move)s) + side.k, move.id,
               move.name, side.k, %(sale_journal_id)s, %(company_id)s, %(currency_id)s,
               %(currency_id)s,
               CASE side.k WHEN 0 THEN %(receivable_id)s ELSE %(income_id)s END,
               move.partner_id,
               CASE side.k WHEN 0 THEN move.name ELSE 'Services' END,
               CASE side.k WHEN 0 THEN 'payment_term' ELSE 'product' END,
               'posted', move.date, move.date,
               CASE side.k WHEN 0 THEN move.date END,
               CASE side.k WHEN 0 THEN 0 ELSE move.amount_total END,
               CASE side.k WHEN 0 THEN move.amount_total ELSE 0 END,
               CASE side.k WHEN 0 THEN -move.amount_total ELSE move.amount_total END,
               CASE side.k WHEN 0 THEN -move.amount_total ELSE move.amount_total END,
               CASE side.k WHEN 0 THEN -move.amount_total ELSE 0 END,
               CASE side.k WHEN 0 THEN -move.amount_total ELSE 0 END,
               FALSE, NULL, NULL,
               CASE side.k WHEN 0 THEN NULL ELSE 1 END,
               CASE side.k WHEN 0 THEN NULL ELSE move.amount_total END,
               CASE side.k WHEN 0 THEN NULL ELSE move.amount_total END,
               CASE side.k WHEN 0 THEN NULL ELSE move.amount_total END,
               FALSE, %(uid)s, %(uid)s, now(), now()
          FROM account_move move
         CROSS JOIN (VALUES (0), (1)) side(k)
         WHERE move.id >= %(refund_move)s AND move.move_type = 'out_refund'
        """,
        columns=LINE_COLUMNS,
        **ids,
        **params,
    ),
)
cr.execute(
    """
    UPDATE account_move move SET invoice_partner_display_name = partner.name
      FROM res_partner partner
     WHERE move.move_type = 'out_refund' AND partner.id = move.partner_id
    """
)
cr.execute("DROP TABLE bench_invoice, bench_payment")

# The same collection levels on both sides ------------------------------------------
default_policy = env.ref("account_collection.account_collection_policy_default")
policy = default_policy.copy({"name": "Bench policy"})
policy.level_ids.filtered(lambda level: level.days < 0).unlink()
policy.level_ids.charge_late_fees = False
company.collection_policy_id = policy

oca_template = env.ref("account_credit_control.email_template_credit_control_base")
oca_policy = env["credit.control.policy"].create(
    {
        "name": "Bench policy",
        "company_id": company.id,
        "account_ids": [Command.set(receivable.ids)],
        "level_ids": [
            Command.create(
                {
                    "name": level.name,
                    "level": index,
                    "computation_mode": "net_days",
                    "delay_days": level.days,
                    "email_template_id": oca_template.id,
                    "channel": "letter" if level.send_letter else "email",
                    "custom_text": level.name,
                    "custom_mail_text": f"<p>{level.name}</p>",
                }
            )
            for index, level in enumerate(
                policy.level_ids.sorted(lambda level: level.days), start=1
            )
        ],
    }
)
company.credit_policy_id = oca_policy
env["ir.config_parameter"].set_param(
    "account_collection.bench_volume", f"{CUSTOMERS} customers, {INVOICES} invoices"
)
env.cr.commit()
env.cr.execute(
    "ANALYZE res_partner, account_move, account_move_line, account_partial_reconcile"
)
print(
    f"Book built in {time.perf_counter() - started:.0f} s: {CUSTOMERS} customers, "
    f"{INVOICES} invoices, {payments} payments, {CREDIT_NOTES} credit notes; "
    f"levels at {', '.join(str(days) for days in policy.level_ids.mapped('days'))} days",
    flush=True,
)
