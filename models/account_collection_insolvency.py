from datetime import timedelta
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import insolvency, late_payment

INSOLVENCY_KINDS = [
    ("safeguard", "Safeguard (sauvegarde)"),
    ("receivership", "Receivership (redressement judiciaire)"),
    ("liquidation", "Liquidation"),
]

DECLARATION_STATES = [
    ("to_declare", "To Declare"),
    ("declared", "Declared"),
    ("admitted", "Admitted"),
    ("rejected", "Rejected"),
]

# Days before the declaration deadline the collector is reminded.
REMINDER_DAYS = (15, 3)


class AccountCollectionInsolvency(models.Model):
    """An insolvency procedure of a customer (Code de commerce, livre VI) and the
    declaration of the company's claim to the mandataire judiciaire: its deadlines
    (from the BODACC publication, R622-24, L622-26), its amount as of the opening
    judgment (L622-7, L622-28) and its follow-up. The customer's
    ``collection_insolvency`` fields follow its latest procedure."""

    _name = "account.collection.insolvency"
    _description = "Customer Insolvency Procedure"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "judgment_date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(INSOLVENCY_KINDS, required=True, tracking=True)
    judgment_date = fields.Date(
        required=True,
        tracking=True,
        help="Date of the opening judgment: the claims born before it are declared, "
        "interest stops on it (L622-28).",
    )
    publication_date = fields.Date(
        string="BODACC Publication",
        tracking=True,
        help="The declaration deadlines run from the publication of the judgment in "
        "the BODACC (R622-24).",
    )
    court = fields.Char(tracking=True)
    mandataire_id = fields.Many2one(
        "res.partner",
        string="Mandataire Judiciaire",
        tracking=True,
        help="The court-appointed representative of the creditors, to whom the "
        "claims are declared (the liquidator in a liquidation).",
    )
    outside_metropole = fields.Boolean(
        string="Creditor Outside Metropolitan France",
        compute="_compute_outside_metropole",
        store=True,
        readonly=False,
        help="Two more months to declare for a creditor outside metropolitan France "
        "(R622-24); set from the company's country.",
    )
    declaration_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="BODACC publication + 2 months, + 4 months outside metropolitan France "
        "(Code de commerce L622-24, R622-24).",
    )
    relief_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Last day to ask the judge-commissioner for relief from a missed "
        "declaration: BODACC publication + 6 months (L622-26).",
    )
    state = fields.Selection(
        DECLARATION_STATES, default="to_declare", required=True, tracking=True
    )
    declared_date = fields.Date(tracking=True, copy=False)
    declared_reference = fields.Char(
        string="Declaration Reference", tracking=True, copy=False
    )
    admitted_amount = fields.Monetary(tracking=True, copy=False)
    line_ids = fields.One2many(
        "account.collection.insolvency.line",
        "insolvency_id",
        string="Claim Lines",
        copy=False,
    )
    amount_principal = fields.Monetary(
        string="Principal", compute="_compute_amounts", store=True
    )
    amount_interest = fields.Monetary(
        string="Interest", compute="_compute_amounts", store=True
    )
    amount_indemnity = fields.Monetary(
        string="Recovery Indemnities", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Claim Amount", compute="_compute_amounts", store=True
    )
    user_id = fields.Many2one(
        "res.users", string="Collector", compute="_compute_user_id"
    )
    reminders_deadline = fields.Date(
        copy=False,
        help="The deadline the reminder activities were planned for: they are not "
        "planned twice.",
    )

    _sql_constraints = [
        (
            "unique_procedure",
            "UNIQUE(partner_id, company_id, kind, judgment_date)",
            "This procedure is already recorded for the customer.",
        )
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id", "kind")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for procedure in self:
            procedure.name = " - ".join(
                filter(None, [procedure.partner_id.name, kinds.get(procedure.kind)])
            )

    @api.depends("company_id.country_id")
    def _compute_outside_metropole(self):
        # The overseas departments are countries of their own (GP, MQ, GF, RE, YT).
        for procedure in self:
            country = procedure.company_id.country_id
            procedure.outside_metropole = bool(country) and country.code != "FR"

    @api.depends("publication_date", "outside_metropole")
    def _compute_deadlines(self):
        for procedure in self:
            procedure.declaration_deadline = insolvency.declaration_deadline(
                procedure.publication_date, procedure.outside_metropole
            )
            procedure.relief_deadline = insolvency.relief_deadline(
                procedure.publication_date
            )

    @api.depends("line_ids.principal", "line_ids.interest", "line_ids.indemnity")
    def _compute_amounts(self):
        for procedure in self:
            lines = procedure.line_ids
            procedure.amount_principal = sum(lines.mapped("principal"))
            procedure.amount_interest = sum(lines.mapped("interest"))
            procedure.amount_indemnity = sum(lines.mapped("indemnity"))
            procedure.amount_total = sum(lines.mapped("amount_total"))

    @api.depends("partner_id", "company_id")
    def _compute_user_id(self):
        for procedure in self:
            procedure.user_id = procedure.partner_id._collection_responsible_user(
                procedure.company_id
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("judgment_date", "publication_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for procedure in self:
            if procedure.judgment_date > today:
                raise ValidationError(
                    _(
                        "The insolvency procedure of %s cannot open in the future: "
                        "enter the date of its opening judgment.",
                        procedure.partner_id.display_name,
                    )
                )
            if (
                procedure.publication_date
                and procedure.publication_date < procedure.judgment_date
            ):
                raise ValidationError(
                    _(
                        "The BODACC publication of %s cannot precede its judgment.",
                        procedure.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        procedures = super().create(vals_list)
        procedures._compute_claim()
        procedures._schedule_reminders()
        return procedures

    def write(self, vals):
        result = super().write(vals)
        if {"judgment_date", "partner_id", "company_id"} & set(vals):
            self.filtered(lambda p: p.state == "to_declare")._compute_claim()
        if {"publication_date", "outside_metropole"} & set(vals):
            self._schedule_reminders()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_compute_claim(self):
        if self.filtered(lambda p: p.state != "to_declare"):
            raise UserError(_("A declared claim is not computed again."))
        self._compute_claim()

    def action_declare(self):
        for procedure in self:
            if procedure.state != "to_declare":
                raise UserError(_("Only a claim to declare can be declared."))
            if not procedure.line_ids:
                raise UserError(
                    _("%s: there is no invoice to declare.", procedure.display_name)
                )
        self.filtered(
            lambda p: not p.declared_date
        ).declared_date = fields.Date.context_today(self)
        self.state = "declared"
        self.activity_ids.filtered(
            lambda a: a.user_id and a.date_deadline
        ).action_feedback(feedback=_("Claim declared."))

    def action_admit(self):
        self._check_state("declared")
        for procedure in self.filtered(lambda p: not p.admitted_amount):
            procedure.admitted_amount = procedure.amount_total
        self.state = "admitted"

    def action_reject(self):
        self._check_state("declared")
        self.state = "rejected"

    def action_reset(self):
        self.state = "to_declare"

    def action_print_declaration(self):
        if not self.line_ids:
            raise UserError(_("There is no invoice to declare."))
        return self.env.ref(
            "account_collection.action_report_insolvency_declaration"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_state(self, state):
        states = dict(self._fields["state"]._description_selection(self.env))
        if self.filtered(lambda p: p.state != state):
            raise UserError(_("Only a claim in state %s can do that.", states[state]))

    def _claim_invoices(self):
        """The posted customer invoices (late-fee invoices included) of the customer
        in the procedure's company issued before the judgment."""
        self.ensure_one()
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_date", "<", self.judgment_date),
            ],
            order="invoice_date, id",
        )

    def _compute_claim(self):
        """Replace the claim lines with the invoices due at the judgment: principal
        unpaid at the judgment, interest accrued up to the day before it and none
        after (L622-28), recovery indemnity only for an invoice overdue before it
        (L622-7: an invoice falling due from the judgment is unpaid because the law
        forbids paying it, not through the debtor's fault). In the company currency
        at the judgment date."""
        LateFee = self.env["account.collection.late.fee"]
        for procedure in self:
            judgment = procedure.judgment_date
            company = procedure.company_id
            invoices = procedure._claim_invoices()
            terms = invoices.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            payments = LateFee._get_payments(terms)
            fees = LateFee._get_late_fees(invoices, judgment)
            indemnities = LateFee._get_indemnity_amounts(invoices, judgment)
            last_day = judgment - timedelta(days=1)
            professional = procedure.partner_id.collection_debtor_type != "consumer"
            year_days = company.collection_interest_year_days or 365
            lines = [fields.Command.clear()]
            for invoice in invoices:
                invoice_terms = terms.filtered(lambda t, inv=invoice: t.move_id == inv)
                principal = sum(
                    (
                        insolvency.principal_at(
                            Decimal(str(term.amount_currency)),
                            payments.get(term.id, []),
                            judgment,
                        )
                        for term in invoice_terms
                        if term.amount_currency > 0
                    ),
                    Decimal(0),
                )
                if principal <= 0:
                    continue
                fee = fees.get(invoice.id)
                interest = Decimal(0)
                if fee:
                    quantum = Decimal(1).scaleb(-invoice.currency_id.decimal_places)
                    # The interest not invoiced yet, up to the day before the judgment.
                    periods = [
                        period._replace(end=min(period.end, last_day))
                        for period in fee.periods_to_charge
                        if period.start <= last_day
                    ]
                    interest = late_payment.interest_of_periods(
                        periods, year_days, quantum
                    )
                indemnity = Decimal(0)
                due_date = invoice.invoice_date_due
                if insolvency.indemnity_declarable(
                    due_date, principal, judgment, professional
                ) and not (fee and fee.indemnity_charged):
                    indemnity = indemnities.get(invoice.id, Decimal(0))

                lines.append(
                    fields.Command.create(
                        {
                            "move_id": invoice.id,
                            "principal": procedure._to_company(
                                principal, invoice.currency_id
                            ),
                            "interest": procedure._to_company(
                                interest, invoice.currency_id
                            ),
                            "indemnity": procedure._to_company(
                                indemnity, invoice.currency_id
                            ),
                        }
                    )
                )
            procedure.line_ids = lines

    def _to_company(self, amount, currency):
        """``amount`` in ``currency``, in the company currency at the judgment."""
        return currency._convert(
            float(amount),
            self.company_id.currency_id,
            self.company_id,
            self.judgment_date,
        )

    def _schedule_reminders(self):
        """Plan the collector's reminders 15 and 3 days before the declaration
        deadline, once per deadline (a later change of the publication plans them
        again for the new deadline)."""
        today = fields.Date.context_today(self)
        for procedure in self:
            deadline = procedure.declaration_deadline
            if (
                procedure.state != "to_declare"
                or not deadline
                or procedure.reminders_deadline == deadline
            ):
                continue
            for days in REMINDER_DAYS:
                procedure.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=max(deadline - timedelta(days=days), today),
                    summary=_("Declare the claim before %s", deadline),
                    note=_(
                        "Declare the claim on %(customer)s to the mandataire "
                        "judiciaire before %(deadline)s (Code de commerce L622-24).",
                        customer=procedure.partner_id.display_name,
                        deadline=deadline,
                    ),
                    user_id=procedure.user_id.id or self.env.user.id,
                )
            procedure.reminders_deadline = deadline


class AccountCollectionInsolvencyLine(models.Model):
    """One invoice of a declared claim, its amounts as of the opening judgment in
    the company currency."""

    _name = "account.collection.insolvency.line"
    _description = "Insolvency Claim Line"
    _order = "invoice_date, id"

    insolvency_id = fields.Many2one(
        "account.collection.insolvency", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="insolvency_id.company_id", store=True)
    currency_id = fields.Many2one(related="insolvency_id.currency_id")
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    invoice_date = fields.Date(related="move_id.invoice_date")
    invoice_date_due = fields.Date(
        related="move_id.invoice_date_due", string="Due Date"
    )
    principal = fields.Monetary()
    interest = fields.Monetary(help="Late interest up to the day before the judgment.")
    indemnity = fields.Monetary(string="Recovery Indemnity")
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True
    )

    @api.depends("principal", "interest", "indemnity")
    def _compute_amount_total(self):
        for line in self:
            line.amount_total = line.principal + line.interest + line.indemnity
