import re
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import court
from ..tools.actions import notification

REPORT_REQUEST = "account_collection.action_report_collection_court_request"


class AccountCollectionCourtRequest(models.Model):
    """The step after the formal notice: a request for an injonction de payer
    (Code de procedure civile 1405 and following, the fields of Cerfa 12946, or
    12948 before the tribunal judiciaire for a consumer), or, for a claim of at
    most 5,000 EUR, the simplified small-claims procedure through a commissaire
    de justice (CPCE L125-1, R125-1). Amounts in the company currency."""

    _name = "account.collection.court.request"
    _description = "Court Request (Injonction de Payer)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "filing_date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    communication_id = fields.Many2one(
        "account.collection.communication",
        string="Formal Notice",
        required=True,
        check_company=True,
        readonly=True,
    )
    notice_date = fields.Date(
        related="communication_id.date", string="Formal Notice Sent On"
    )
    notice_deadline = fields.Date(
        related="communication_id.payment_deadline", string="Formal Notice Deadline"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("filed", "Filed"),
            ("granted", "Order Granted"),
            ("opposed", "Opposed"),
            ("paid", "Paid"),
            ("abandoned", "Abandoned"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    procedure = fields.Selection(
        [
            ("injunction", "Injonction de payer"),
            ("small_claims", "Small claims (commissaire de justice)"),
        ],
        required=True,
        default="injunction",
        tracking=True,
        help="Small claims: up to 5,000 EUR including interest, the commissaire de "
        "justice invites the debtor to agree (CPCE L125-1, R125-1); the agreement is "
        "an enforceable title.",
    )
    court_type = fields.Selection(
        [
            ("commerce", "Tribunal de commerce (Cerfa 12946)"),
            ("judiciaire", "Tribunal judiciaire (Cerfa 12948)"),
        ],
        required=True,
        default="commerce",
        help="A claim between merchants goes to the president of the tribunal de "
        "commerce, a civil claim against a consumer to the tribunal judiciaire.",
    )
    court_name = fields.Char(
        string="Court",
        help="The court of the debtor's seat (not changeable by contract): "
        "suggested from the debtor's city, check it.",
    )
    filing_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    # Creditor: the company.
    creditor_name = fields.Char(related="company_id.name", string="Creditor")
    creditor_legal_form = fields.Char(string="Legal Form")
    creditor_siren = fields.Char(string="Creditor SIREN")
    creditor_address = fields.Text()
    creditor_representative = fields.Char(
        string="Represented By", default=lambda self: self.env.user.name
    )
    # Debtor.
    debtor_name = fields.Char()
    debtor_siren = fields.Char(string="Debtor SIREN")
    debtor_address = fields.Text()
    debtor_type = fields.Selection(
        related="partner_id.commercial_partner_id.collection_debtor_type"
    )
    # The claim.
    invoice_ids = fields.Many2many(
        "account.move",
        "account_collection_court_request_move_rel",
        "request_id",
        "move_id",
        string="Invoices",
        check_company=True,
        readonly=True,
        domain=[("move_type", "=", "out_invoice")],
    )
    reminder_ids = fields.Many2many(
        "account.collection.communication",
        "account_collection_court_request_reminder_rel",
        "request_id",
        "communication_id",
        string="Reminders",
        check_company=True,
        readonly=True,
    )
    amount_principal = fields.Monetary(string="Principal", readonly=True)
    amount_interest = fields.Monetary(
        string="Interest",
        readonly=True,
        help="Late-payment interest up to the filing date, not invoiced yet.",
    )
    amount_indemnity = fields.Monetary(
        string="Recovery Indemnities",
        readonly=True,
        help="40 EUR per invoice paid late (Code de commerce L441-10, D441-5), "
        "none against a consumer.",
    )
    amount_costs = fields.Monetary(string="Costs")
    amount_claim = fields.Monetary(
        string="Claim",
        compute="_compute_amounts",
        store=True,
        help="Principal, interest and indemnities: what the 5,000 EUR threshold of "
        "the small-claims procedure weighs.",
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True
    )
    small_claims_eligible = fields.Boolean(compute="_compute_amounts", store=True)
    legal_basis = fields.Text()
    exhibit_list = fields.Text(string="Exhibits", readonly=True)
    exhibits_attachment_id = fields.Many2one(
        "ir.attachment", string="Exhibits (ZIP)", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id.name", "filing_date")
    def _compute_name(self):
        for request in self:
            request.name = _(
                "Court request - %(partner)s - %(date)s",
                partner=request.partner_id.name or "",
                date=request.filing_date or "",
            )

    @api.depends(
        "amount_principal", "amount_interest", "amount_indemnity", "amount_costs"
    )
    def _compute_amounts(self):
        for request in self:
            claim = (
                request.amount_principal
                + request.amount_interest
                + request.amount_indemnity
            )
            request.amount_claim = request.currency_id.round(claim)
            request.amount_total = request.currency_id.round(
                claim + request.amount_costs
            )
            request.small_claims_eligible = court.small_claims_open(
                Decimal(str(request.amount_claim))
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("amount_costs")
    def _check_amount_costs(self):
        for request in self:
            if request.currency_id.compare_amounts(request.amount_costs, 0) < 0:
                raise UserError(_("The costs of a court request cannot be negative."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_file(self):
        self._check_state("draft")
        self.state = "filed"

    def action_granted(self):
        self._check_state("filed")
        self.state = "granted"

    def action_opposed(self):
        self._check_state("filed", "granted")
        self.state = "opposed"

    def action_paid(self):
        self._check_state("draft", "filed", "granted", "opposed")
        self.state = "paid"

    def action_abandon(self):
        self._check_state("draft", "filed", "granted", "opposed")
        self.state = "abandoned"

    def action_reset_draft(self):
        self._check_state("abandoned")
        self.state = "draft"

    def action_print(self):
        return self.env.ref(REPORT_REQUEST).report_action(self)

    def action_refresh_amounts(self):
        self._check_state("draft")
        for request in self:
            request.write(
                request._prepare_claim(request.partner_id, request.filing_date)
            )
        return notification(self.env._("Amounts computed again."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_state(self, *states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for request in self:
            if request.state not in states:
                raise UserError(
                    _(
                        "The court request %(name)s is %(state)s: this step is not "
                        "possible.",
                        name=request.name,
                        state=labels[request.state],
                    )
                )

    @api.model
    def _check_not_insolvent(self, partner):
        """No court action against a customer in an insolvency procedure: the
        opening judgment stops individual lawsuits (Code de commerce L622-21)."""
        partner = partner.commercial_partner_id
        if partner.collection_insolvency:
            raise UserError(
                _(
                    "%s is in an insolvency procedure: its claims cannot be taken to "
                    "court (Code de commerce L622-21); declare them to the mandataire "
                    "judiciaire.",
                    partner.display_name,
                )
            )

    @api.model
    def _collection_formal_notice(self, partner, company):
        """The last formal notice sent to ``partner`` in ``company``."""
        return self.env["account.collection.communication"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("formal_notice", "=", True),
                ("state", "=", "sent"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    @api.model
    def _collection_create_from_notice(self, notice):
        """Prepare the court request after the formal notice ``notice``; refused
        before its deadline, for a customer in an insolvency procedure (Code de
        commerce L622-21) or when nothing overdue is left."""
        notice.ensure_one()
        partner = notice.partner_id.commercial_partner_id
        today = fields.Date.context_today(self)
        self._check_not_insolvent(partner)
        if not notice.formal_notice or notice.state != "sent":
            raise UserError(
                _("Only a formal notice sent to the customer leads to a court request.")
            )
        if notice.payment_deadline >= today:
            raise UserError(
                _(
                    "The formal notice to %(partner)s runs until %(date)s: the court "
                    "request can be prepared after that date.",
                    partner=partner.display_name,
                    date=fields.Date.to_string(notice.payment_deadline),
                )
            )
        company = notice.company_id
        values = self._prepare_claim(partner, today, company)
        if not values["invoice_ids"][0][2]:
            raise UserError(
                _("%s has no overdue invoice left to claim.", partner.display_name)
            )
        professional = partner.collection_debtor_type != "consumer"
        address = partner._display_address(without_company=True)
        request = self.create(
            {
                **values,
                "company_id": company.id,
                "partner_id": partner.id,
                "communication_id": notice.id,
                "filing_date": today,
                "court_type": court.court_type(professional),
                "court_name": self._suggest_court(partner, professional),
                "creditor_siren": self._siren(company.company_registry),
                "creditor_address": company.partner_id._display_address(
                    without_company=True
                ),
                "debtor_name": partner.name,
                "debtor_siren": self._siren(partner.company_registry),
                "debtor_address": address,
            }
        )
        request.procedure = (
            "small_claims" if request.small_claims_eligible else "injunction"
        )
        return request

    @api.model
    def _prepare_claim(self, partner, filing_date, company=None):
        """Values of the claim on ``partner`` at ``filing_date``: the overdue
        invoices still open, their interest to the filing date (the late-fee
        computation), the indemnities (tools.court), the reminders and exhibits."""
        company = company or self.company_id
        lines = self.env["account.move.line"].search(
            [
                *self.env["account.move.line"]._collection_open_items_domain(company),
                ("partner_id", "child_of", partner.id),
                ("move_id.move_type", "=", "out_invoice"),
                ("move_id.collection_excluded", "=", False),
                ("date_maturity", "<", filing_date),
                ("amount_residual", ">", 0),
            ]
        )
        invoices = lines.move_id.sorted(lambda m: (m.invoice_date_due, m.name))
        fees = self.env["account.collection.late.fee"]._get_late_fees(
            invoices, filing_date
        )
        residuals = {}
        for line in lines:
            residuals[line.move_id] = (
                residuals.get(line.move_id, 0.0) + line.amount_residual
            )
        items = []
        for invoice in invoices:
            fee = fees.get(invoice.id)
            interest = fee.interest_to_charge if fee else Decimal(0)
            interest = invoice.currency_id._convert(
                float(interest), company.currency_id, company, filing_date
            )
            items.append(
                court.ClaimItem(
                    Decimal(str(residuals[invoice])),
                    Decimal(str(interest)),
                    bool(fee and fee.indemnity_charged),
                )
            )
        claim = court.court_claim(
            items,
            professional=partner.collection_debtor_type != "consumer",
            indemnity=Decimal(str(company.collection_indemnity_amount)),
            quantum=Decimal(1).scaleb(-company.currency_id.decimal_places),
        )
        reminders = self.env["account.collection.communication"].search(
            [
                ("line_ids.move_id", "in", invoices.ids),
                ("state", "=", "sent"),
            ],
            order="date, id",
        )
        return {
            "invoice_ids": [fields.Command.set(invoices.ids)],
            "reminder_ids": [fields.Command.set(reminders.ids)],
            "amount_principal": float(claim.principal),
            "amount_interest": float(claim.interest),
            "amount_indemnity": float(claim.indemnities),
            "legal_basis": self._legal_basis(invoices, partner),
            "exhibit_list": "\n".join(
                label for label, _record in self._exhibits(invoices, reminders)
            ),
        }

    @api.model
    def _siren(self, registry):
        """The SIREN (9 digits) of a company registry number or SIRET."""
        digits = re.sub(r"\D", "", registry or "")
        return digits[:9] if len(digits) >= 9 else registry or False

    @api.model
    def _suggest_court(self, partner, professional):
        if not partner.city:
            return False
        if professional:
            return _("Tribunal de commerce de %s", partner.city)
        return _("Tribunal judiciaire de %s", partner.city)

    @api.model
    def _legal_basis(self, invoices, partner):
        professional = partner.collection_debtor_type != "consumer"
        basis = [
            _(
                "Unpaid invoices %s, issued under the contract and the general terms "
                "of sale accepted by the debtor.",
                ", ".join(invoices.mapped("name")),
            ),
            _(
                "Request under articles 1405 and following of the Code de procedure civile."
            ),
        ]
        if professional:
            basis.append(
                _(
                    "Late-payment penalties and fixed recovery indemnity of 40 EUR "
                    "per invoice: article L441-10 of the Code de commerce."
                )
            )
        else:
            basis.append(
                _(
                    "Legal interest from the formal notice: article 1231-6 of the Code civil."
                )
            )
        return "\n".join(basis)

    def _get_request_filename(self):
        self.ensure_one()
        return f"{self.name}"

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
