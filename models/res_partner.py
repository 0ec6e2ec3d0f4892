from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount, format_date

from ..tools.actions import notification
from ..tools.groups import COLLECTION_USER, INTERNAL

# Collection data of the customers: internal users only (not the portal).


class ResPartner(models.Model):
    """Dunning of the customer: policy, collector, amounts due, promises to pay,
    exclusion and reminders sent now. Risk and credit are in res_partner_risk.py,
    the legal status (debtor type, insolvency, late fees) in res_partner_legal.py."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        company_dependent=True,
        check_company=True,
        help="Dunning policy of this customer; when empty, the policy of its risk "
        "segment or of the company applies.",
        groups=INTERNAL,
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Person in charge of collecting this customer's invoices.",
        groups=INTERNAL,
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        company_dependent=True,
        help="No reminder is sent to this customer.",
        groups=INTERNAL,
    )
    collection_promise_date = fields.Date(
        string="Promised Payment Date",
        company_dependent=True,
        help="Reminders pause until this date.",
        groups=INTERNAL,
    )
    collection_promise_amount = fields.Float(
        string="Promised Amount",
        company_dependent=True,
        digits="Account",
        groups=INTERNAL,
    )
    collection_promise_set_date = fields.Date(
        string="Promise Recorded On",
        company_dependent=True,
        groups=INTERNAL,
    )
    collection_escalate = fields.Boolean(
        company_dependent=True,
        help="Set when a promise is broken: the next reminder goes one level up.",
        groups=INTERNAL,
    )
    collection_broken_promise_count = fields.Integer(
        string="Broken Promises",
        company_dependent=True,
        help="Promises to pay whose date passed while the invoices were still "
        "overdue.",
        groups=INTERNAL,
    )
    collection_communication_ids = fields.One2many(
        "account.collection.communication",
        "partner_id",
        string="Reminders",
        domain=[("state", "!=", "preview")],
        groups=INTERNAL,
    )
    collection_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_collection_currency_id",
        help="Currency of the current company, in which the collection amounts of the "
        "customer are given.",
        groups=INTERNAL,
    )
    collection_amount_due = fields.Monetary(
        string="Receivable Due",
        compute="_compute_collection_amounts",
        currency_field="collection_currency_id",
        groups=INTERNAL,
    )
    collection_amount_overdue = fields.Monetary(
        string="Receivable Overdue",
        compute="_compute_collection_amounts",
        currency_field="collection_currency_id",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_collection_currency_id(self):
        self.collection_currency_id = self.env.company.currency_id

    @api.depends_context("company", "date")
    def _compute_collection_amounts(self):
        """Receivable of the customer in the current company, in its currency."""
        today = fields.Date.context_today(self)
        commercial_partners = self.commercial_partner_id
        domain = [
            *self.env["account.move.line"]._collection_open_items_domain(
                self.env.company
            ),
            ("partner_id", "in", commercial_partners.ids),
        ]
        due = dict(
            self.env["account.move.line"]._read_group(
                domain, ["partner_id"], ["amount_residual:sum"]
            )
        )
        overdue = dict(
            self.env["account.move.line"]._read_group(
                [*domain, ("date_maturity", "<", today)],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.collection_amount_due = due.get(commercial, 0.0)
            partner.collection_amount_overdue = overdue.get(commercial, 0.0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_policy_id")
    def _check_collection_policy_company(self):
        """The policy set for a company is one of that company's: the collection
        cycle of the company would never remind the customer otherwise."""
        self._check_company(["collection_policy_id"])

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_collection_send_now(self):
        """Remind the selected customers now, whatever the date of their last
        reminder, at the level their invoices reached."""
        partners = self.commercial_partner_id
        communications = self.env["account.collection.engine"]._remind_now(partners)
        return communications._action_open_result()

    def action_collection_exclude(self):
        customers = self.commercial_partner_id
        customers.collection_excluded = True
        return notification(
            _(
                "Customers excluded from collection: %s. No reminder is sent to them.",
                len(customers),
            )
        )

    def action_collection_include(self):
        customers = self.commercial_partner_id
        customers.collection_excluded = False
        return notification(
            _("Customers included in collection again: %s.", len(customers))
        )

    def action_collection_record_promise(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Promise to Pay"),
            "res_model": "account.collection.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_collection_policy(self):
        """The dunning policy of the customer in the current company: its own, else
        the one of its risk segment, else the company's default."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return (
            partner.collection_policy_id
            or partner._get_collection_segment_policy()
            or self.env.company.collection_policy_id
        )

    def _collection_responsible_user(self, company=None, fallback=None):
        """The user in charge of collecting this customer in ``company`` (the
        current company by default): its collector, else ``fallback`` (e.g. the
        responsible of a payment plan), else the company's default collector, else
        the user running the code when it is a real person. A scheduled action runs
        as OdooBot (the superuser): then nobody, and the company signs. Used for the
        reminders, phone calls, solvency reviews, plans, audits and credit
        activities."""
        company = company or self.env.company
        Users = self.env["res.users"]
        candidates = [
            self.with_company(company).sudo().collection_user_id if self else Users,
            fallback or Users,
            company.sudo().collection_risk_user_id,
            self.env.user,
        ]
        for user in candidates:
            # OdooBot, inactive, portal and public users collect nothing.
            user = user.sudo()
            if user and user.id != SUPERUSER_ID and user.active and not user.share:
                return Users.browse(user.id)
        return Users

    @api.model
    def _collection_responsible_user_sql(self, partner, company, fallback=None):
        """SQL of :meth:`_collection_responsible_user` for the SQL views, on the
        tables aliased ``partner`` (res_partner) and ``company`` (res_company): the
        collector, else ``fallback`` (SQL), else the company's default collector. A
        view has no user running it: nobody comes after them."""
        return SQL(
            """COALESCE(
                (%(partner)s.collection_user_id ->> %(company)s.id::text)::int,
                %(fallback)s,
                %(company)s.collection_risk_user_id
            )""",
            partner=partner,
            company=company,
            fallback=fallback or SQL("NULL::int"),
        )

    def _collection_settle_promise(self, kept):
        """Close the promise to pay of the customer: kept, or broken (logged, counted,
        and the next reminder escalates)."""
        self.ensure_one()
        if kept:
            body = _(
                "Promise to pay %(amount)s by %(date)s kept.",
                **self._collection_promise_values(),
            )
            vals = {}
        else:
            body = _(
                "Promise to pay %(amount)s by %(date)s broken: reminders resume one "
                "level up.",
                **self._collection_promise_values(),
            )
            vals = {
                "collection_escalate": True,
                "collection_broken_promise_count": self.collection_broken_promise_count
                + 1,
            }
        self.message_post(body=body)
        self.write(
            {
                **vals,
                "collection_promise_date": False,
                "collection_promise_amount": 0.0,
                "collection_promise_set_date": False,
            }
        )

    def _collection_promise_values(self, amount=None, date=None):
        """The amount and date of a promise to pay (the customer's by default) as
        the reader reads them: with the company's currency, in their date format."""
        return {
            "amount": format_amount(
                self.env,
                self.collection_promise_amount if amount is None else amount,
                self.env.company.currency_id,
            ),
            "date": format_date(
                self.env, self.collection_promise_date if date is None else date
            ),
        }

    def _collection_record_promise(self, date, amount):
        # A promise is collection data, not a change of the contact: collection users
        # record it on the customers they can read, without the right to edit contacts.
        if not self.env.user.has_group(COLLECTION_USER):
            raise AccessError(_("Only collection users record promises to pay."))
        customers = self.commercial_partner_id
        customers.check_access("read")
        customers._collection_write_promise(date, amount, self.env.user.partner_id)

    def _collection_write_promise(self, date, amount, author):
        """Write the promise to pay on the customers, authored by ``author`` (the
        collector, or the customer itself from its collection page): reminders pause
        until ``date``. The callers check who may promise."""
        today = fields.Date.context_today(self)
        if not date or date < today:
            raise UserError(_("A promise to pay needs a date from today on."))
        if amount <= 0:
            raise UserError(_("The promised amount must be positive."))
        for partner in self.commercial_partner_id.sudo():
            partner.write(
                {
                    "collection_promise_date": date,
                    "collection_promise_amount": amount,
                    "collection_promise_set_date": today,
                }
            )
            partner.message_post(
                author_id=author.id,
                body=_(
                    "Promise to pay %(amount)s by %(date)s recorded: reminders pause "
                    "until then.",
                    **partner.with_env(self.env)._collection_promise_values(
                        amount, date
                    ),
                ),
            )
