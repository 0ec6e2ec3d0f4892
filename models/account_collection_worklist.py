from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.insolvency import DECLARATION_MONTHS

WORKLIST_KINDS = [
    ("call_due", "Call Due"),
    ("broken_promise", "Broken Promise"),
    ("letter_to_print", "Letter to Print"),
    ("reminder_error", "Reminder in Error"),
    ("dispute", "Dispute Waiting"),
    ("plan_at_risk", "Plan at Risk"),
    ("over_credit_limit", "Over Credit Limit"),
    ("credit_to_allocate", "Credit to Allocate"),
    ("insolvency_deadline", "Claim to Declare"),
]

# Months to declare the claims (Code de commerce L622-24, R622-24: two months from the
# BODACC publication, which follows the judgment): the estimate from the judgment while
# the publication is not entered (tools/insolvency.py computes the real deadline).
INSOLVENCY_DECLARATION_MONTHS = DECLARATION_MONTHS


class AccountCollectionWorklist(models.Model):
    """My collection day: one line per thing a collector has to do today, ranked by
    :meth:`_priority_sql`. A read-only SQL view over the activities, reminders,
    invoices, plans and customer risks; the record rules keep each user to their
    companies, the "My Day" filter to their own lines (those of the customers they
    collect, else of the company's default collector: the rule of
    ``res.partner._collection_responsible_user``)."""

    _name = "account.collection.worklist"
    _description = "Collection Worklist"
    _auto = False
    _order = "priority desc, days_overdue desc, id"
    _rec_name = "partner_id"
    # Flushed before the view is read.
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "amount_residual",
            "date_maturity",
            "date",
            "reconciled",
            "parent_state",
        ],
        "res.partner": [
            "commercial_partner_id",
            "collection_user_id",
            "collection_escalate",
            "collection_broken_promise_count",
            "collection_promise_date",
        ],
        "account.collection.insolvency": [
            "partner_id",
            "company_id",
            "state",
            "judgment_date",
            "declaration_deadline",
        ],
        "res.company": [
            "currency_id",
            "collection_risk_user_id",
            "collection_plan_reminder_days",
        ],
        "mail.activity": [
            "active",
            "activity_type_id",
            "date_deadline",
            "res_model",
            "res_id",
            "summary",
            "user_id",
        ],
        "mail.activity.type": ["category"],
        "account.collection.level": ["activity_type_id"],
        "account.collection.communication": [
            "state",
            "partner_id",
            "company_id",
            "user_id",
            "date",
            "name",
            "error_message",
            "level_id",
        ],
        "account.move": [
            "collection_blocked",
            "collection_block_reason",
            "collection_block_date",
            "state",
            "amount_residual_signed",
            "invoice_date_due",
            "commercial_partner_id",
            "company_id",
            "name",
        ],
        "account.collection.plan": [
            "state",
            "partner_id",
            "company_id",
            "user_id",
            "name",
            "invoice_ids",
        ],
        "account.collection.plan.installment": [
            "plan_id",
            "date_due",
            "amount_residual",
        ],
        "account.collection.partner.risk": [
            "partner_id",
            "company_id",
            "over_limit",
            "exposure",
            "credit_limit",
            "date_scored",
            "segment_id",
            "score",
        ],
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    kind = fields.Selection(WORKLIST_KINDS, string="To Do", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    communication_id = fields.Many2one(
        "account.collection.communication", string="Reminder", readonly=True
    )
    activity_id = fields.Many2one("mail.activity", readonly=True)
    plan_id = fields.Many2one(
        "account.collection.plan", string="Payment Plan", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    amount = fields.Monetary(readonly=True, help="In the company's currency.")
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days since the due date of the customer's oldest overdue invoice (of "
        "the invoice, for a dispute).",
    )
    age_days = fields.Integer(
        string="Waiting (days)",
        readonly=True,
        aggregator="max",
        help="Days since the dispute was opened, the reminder was created or the "
        "insolvency procedure opened.",
    )
    segment_id = fields.Many2one(
        "account.collection.risk.segment", string="Risk Segment", readonly=True
    )
    date = fields.Date(string="Deadline", readonly=True)
    priority = fields.Float(
        readonly=True,
        digits=(16, 1),
        aggregator="max",
        help="ln(1 + amount) x (1 + days overdue / 30) x (1 + (100 - payment "
        "score) / 100): bigger, older and riskier first.",
    )
    description = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_log_call(self):
        self.ensure_one()
        if not self.activity_id:
            raise UserError(_("This line has no phone call to log."))
        return self.activity_id.action_collection_log_call()

    def action_print_letter(self):
        self.ensure_one()
        return self.communication_id.action_print_letters()

    def action_retry(self):
        self.ensure_one()
        return self.communication_id.action_retry()

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action()

    def action_open_document(self):
        """Open what the line is about: the invoice, reminder or plan, else the
        customer."""
        self.ensure_one()
        document = self.move_id or self.communication_id or self.plan_id
        return (document or self.partner_id)._get_records_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _priority_sql(self, amount, days_overdue, score):
        """The one formula ranking the worklist: the amount weighs on a log scale
        (ten times the amount adds about 2.3), each month overdue adds the weight
        of the amount once more, and a payment score of 0 doubles it all (100, the
        exemplary payer, leaves it; an unscored customer counts 50)."""
        return SQL(
            """ROUND((
                LN(1 + GREATEST(COALESCE(%(amount)s, 0), 0))
                * (1 + GREATEST(COALESCE(%(days)s, 0), 0) / 30.0)
                * (1 + (100 - COALESCE(%(score)s, 50)) / 100.0)
            )::numeric, 1)""",
            amount=amount,
            days=days_overdue,
            score=score,
        )

    @api.model
    def _query(self):
        """One line per thing to do, then the customer's balance (overdue amount and
        age), risk, the responsible collector and the priority."""
        responsible = self.env["res.partner"]._collection_responsible_user_sql
        return SQL(
            """
            WITH open_item AS (
                SELECT COALESCE(partner.commercial_partner_id, aml.partner_id)
                           AS partner_id,
                       aml.company_id,
                       aml.amount_residual,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity
                  FROM account_move_line aml
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE %(open_items)s
            ),
            balance AS (
                SELECT partner_id,
                       company_id,
                       SUM(amount_residual) FILTER (WHERE amount_residual > 0)
                           AS due,
                       SUM(amount_residual) FILTER (
                           WHERE amount_residual > 0
                             AND date_maturity < CURRENT_DATE) AS overdue,
                       -SUM(amount_residual) FILTER (WHERE amount_residual < 0)
                           AS credit,
                       MAX(CURRENT_DATE - date_maturity) FILTER (
                           WHERE amount_residual > 0
                             AND date_maturity < CURRENT_DATE) AS days_overdue
                  FROM open_item
                 GROUP BY partner_id, company_id
            ),
            item AS (%(items)s)
            SELECT (item.source_id::bigint * 1000 + item.company_id) * 10
                       + item.kind_index AS id,
                   item.kind,
                   item.partner_id,
                   item.move_id,
                   item.communication_id,
                   item.activity_id,
                   item.plan_id,
                   item.company_id,
                   company.currency_id,
                   COALESCE(item.user_id, %(responsible)s) AS user_id,
                   COALESCE(item.amount, balance.overdue, 0) AS amount,
                   COALESCE(item.days_overdue, balance.days_overdue, 0)
                       AS days_overdue,
                   item.age_days,
                   risk.segment_id,
                   item.date,
                   %(priority)s AS priority,
                   item.description
              FROM item
              JOIN res_company company ON company.id = item.company_id
              JOIN res_partner partner ON partner.id = item.partner_id
              LEFT JOIN balance
                     ON balance.partner_id = item.partner_id
                    AND balance.company_id = item.company_id
              LEFT JOIN account_collection_partner_risk risk
                     ON risk.partner_id = item.partner_id
                    AND risk.company_id = item.company_id
            """,
            open_items=self.env["account.move.line"]._collection_open_items_sql(
                None, alias="aml"
            ),
            items=SQL(" UNION ALL ").join(self._item_queries()),
            responsible=responsible(
                SQL("partner"), SQL("company"), fallback=SQL("item.fallback_user_id")
            ),
            priority=self._priority_sql(
                SQL("COALESCE(item.amount, balance.overdue)"),
                SQL("COALESCE(item.days_overdue, balance.days_overdue)"),
                SQL("risk.score"),
            ),
        )

    @api.model
    def _item_queries(self):
        """The things to do, one query per kind, with the columns: kind_index,
        kind, source_id (unique per kind and company), partner_id, move_id,
        communication_id, activity_id, plan_id, company_id, user_id (when the
        document has its own), fallback_user_id (before the default collector),
        amount and days_overdue (when not the customer's), age_days, date,
        description."""
        index = {kind: i for i, (kind, _label) in enumerate(WORKLIST_KINDS, 1)}
        months = SQL("INTERVAL %s", f"{INSOLVENCY_DECLARATION_MONTHS} months")
        return [
            # Collection phone calls due today or late, planned on a reminder, an
            # invoice or a customer (mail.activity's collection_call, in SQL).
            SQL(
                """
                SELECT %(i)s AS kind_index, 'call_due' AS kind, act.id AS source_id,
                       COALESCE(comm.partner_id, move.commercial_partner_id,
                                partner.commercial_partner_id) AS partner_id,
                       move.id AS move_id, comm.id AS communication_id,
                       act.id AS activity_id, NULL::int AS plan_id,
                       COALESCE(comm.company_id, move.company_id, partner.company_id,
                                caller.company_id) AS company_id,
                       -- A call left to OdooBot goes to the collector.
                       NULLIF(act.user_id, %(superuser)s) AS user_id,
                       NULL::int AS fallback_user_id, NULL::numeric AS amount,
                       NULL::int AS days_overdue,
                       CURRENT_DATE - act.date_deadline AS age_days,
                       act.date_deadline AS date, act.summary AS description
                  FROM mail_activity act
                  JOIN mail_activity_type act_type
                    ON act_type.id = act.activity_type_id
                  LEFT JOIN res_users caller ON caller.id = act.user_id
                  LEFT JOIN account_collection_communication comm
                    ON act.res_model = 'account.collection.communication'
                   AND comm.id = act.res_id
                  LEFT JOIN account_collection_level level
                    ON level.id = comm.level_id
                  LEFT JOIN account_move move
                    ON act.res_model = 'account.move'
                   AND move.id = act.res_id
                   AND move.move_type IN ('out_invoice', 'out_refund')
                  LEFT JOIN res_partner partner
                    ON act.res_model = 'res.partner'
                   AND partner.id = act.res_id
                 WHERE act.active
                   AND act.date_deadline <= CURRENT_DATE
                   AND COALESCE(comm.id, move.id, partner.id) IS NOT NULL
                   AND (act_type.category = 'phonecall'
                        OR act_type.id = level.activity_type_id)
                """,
                i=index["call_due"],
                superuser=SUPERUSER_ID,
            ),
            # Promises to pay broken (reminders escalate) or past their date, while
            # invoices are still overdue.
            SQL(
                """
                SELECT %(i)s, 'broken_promise', partner.id, partner.id, NULL, NULL,
                       NULL, NULL, company.id, NULL, NULL, NULL, NULL, NULL,
                       COALESCE((partner.collection_promise_date
                                 ->> company.id::text)::date, CURRENT_DATE),
                       NULL
                  FROM res_partner partner
                  JOIN res_company company
                    ON (COALESCE((partner.collection_escalate
                                  ->> company.id::text)::boolean, FALSE)
                        AND COALESCE((partner.collection_broken_promise_count
                                      ->> company.id::text)::int, 0) > 0)
                    OR (partner.collection_promise_date
                        ->> company.id::text)::date < CURRENT_DATE
                 WHERE EXISTS (SELECT 1 FROM balance
                                WHERE balance.partner_id = partner.id
                                  AND balance.company_id = company.id
                                  AND balance.overdue > 0)
                """,
                i=index["broken_promise"],
            ),
            # Reminders waiting: letters to print, channels in error.
            SQL(
                """
                SELECT CASE comm.state WHEN 'to_print' THEN %(letter)s
                                       ELSE %(error)s END,
                       CASE comm.state WHEN 'to_print' THEN 'letter_to_print'
                                       ELSE 'reminder_error' END,
                       comm.id, comm.partner_id, NULL, comm.id, NULL, NULL,
                       comm.company_id, comm.user_id, NULL, NULL, NULL,
                       CURRENT_DATE - comm.date, comm.date,
                       CASE comm.state WHEN 'error' THEN comm.error_message
                                       ELSE comm.name END
                  FROM account_collection_communication comm
                 WHERE comm.state IN ('to_print', 'error')
                """,
                letter=index["letter_to_print"],
                error=index["reminder_error"],
            ),
            # Disputed invoices still open, with the age of the dispute.
            SQL(
                """
                SELECT %(i)s, 'dispute', move.id, move.commercial_partner_id,
                       move.id, NULL, NULL, NULL, move.company_id, NULL, NULL,
                       move.amount_residual_signed,
                       GREATEST(CURRENT_DATE - move.invoice_date_due, 0),
                       CURRENT_DATE - move.collection_block_date,
                       move.collection_block_date, move.name
                  FROM account_move move
                 WHERE move.collection_blocked
                   AND move.collection_block_reason = 'dispute'
                   AND move.state = 'posted'
                   AND move.amount_residual_signed > 0
                """,
                i=index["dispute"],
            ),
            # Active plans with an installment late or due within the reminder days.
            SQL(
                """
                SELECT %(i)s, 'plan_at_risk', plan.id, plan.partner_id, NULL, NULL,
                       NULL, plan.id, plan.company_id, NULL, plan.user_id,
                       (SELECT SUM(move.amount_residual_signed)
                          FROM account_collection_plan_move_rel rel
                          JOIN account_move move ON move.id = rel.move_id
                         WHERE rel.plan_id = plan.id),
                       GREATEST(CURRENT_DATE - unpaid.date_due, 0), NULL,
                       unpaid.date_due, plan.name
                  FROM account_collection_plan plan
                  JOIN res_company company ON company.id = plan.company_id
                  JOIN LATERAL (
                        SELECT MIN(line.date_due) AS date_due
                          FROM account_collection_plan_installment line
                         WHERE line.plan_id = plan.id
                           AND line.amount_residual > 0
                       ) unpaid ON TRUE
                 WHERE plan.state = 'active'
                   AND unpaid.date_due <= CURRENT_DATE
                       + COALESCE(company.collection_plan_reminder_days, 0)
                """,
                i=index["plan_at_risk"],
            ),
            # Customers whose exposure went over their credit limit when scored.
            SQL(
                """
                SELECT %(i)s, 'over_credit_limit', risk.id, risk.partner_id, NULL,
                       NULL, NULL, NULL, risk.company_id, NULL, NULL,
                       risk.exposure - risk.credit_limit, NULL, NULL,
                       risk.date_scored, NULL
                  FROM account_collection_partner_risk risk
                 WHERE risk.over_limit
                """,
                i=index["over_credit_limit"],
            ),
            # Open credit notes and payments while invoices are overdue.
            SQL(
                """
                SELECT %(i)s, 'credit_to_allocate', balance.partner_id,
                       balance.partner_id, NULL, NULL, NULL, NULL,
                       balance.company_id, NULL, NULL, balance.credit, NULL, NULL,
                       CURRENT_DATE, NULL
                  FROM balance
                 WHERE balance.credit > 0 AND balance.overdue > 0
                """,
                i=index["credit_to_allocate"],
            ),
            # Claims to declare in an insolvency procedure, until the deadline
            # counted from the BODACC publication (R622-24); before it is known, from
            # the judgment, the earliest the deadline can be.
            SQL(
                """
                SELECT %(i)s, 'insolvency_deadline', proc.id, proc.partner_id, NULL,
                       NULL, NULL, NULL, proc.company_id, NULL, NULL, balance.due,
                       NULL, CURRENT_DATE - proc.judgment_date,
                       COALESCE(proc.declaration_deadline,
                                (proc.judgment_date + %(months)s)::date), NULL
                  FROM account_collection_insolvency proc
                  JOIN balance ON balance.partner_id = proc.partner_id
                              AND balance.company_id = proc.company_id
                 WHERE proc.state = 'to_declare'
                   AND balance.due > 0
                   AND COALESCE(proc.declaration_deadline,
                                (proc.judgment_date + %(months)s)::date)
                       >= CURRENT_DATE
                """,
                i=index["insolvency_deadline"],
                months=months,
            ),
        ]
