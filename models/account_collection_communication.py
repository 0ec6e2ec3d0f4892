from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountCollectionCommunication(models.Model):
    """One reminder to one customer in one currency: it lists every overdue
    invoice, open credit note and unallocated payment of the customer, at the
    highest level reached by its invoices."""

    _name = "account.collection.communication"
    _description = "Collection Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    policy_id = fields.Many2one("account.collection.policy", check_company=True)
    level_id = fields.Many2one(
        "account.collection.level",
        required=True,
        check_company=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "To Send"),
            ("to_print", "To Print"),
            ("sent", "Done"),
            ("error", "Error"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    send_email = fields.Boolean(string="Email")
    send_letter = fields.Boolean(string="Printed Letter")
    phone_call = fields.Boolean()
    formal_notice = fields.Boolean()
    litigation = fields.Boolean(string="Agency / Litigation")
    line_ids = fields.One2many(
        "account.collection.communication.line",
        "communication_id",
        string="Lines",
    )
    amount_overdue = fields.Monetary(compute="_compute_amounts", store=True)
    amount_due = fields.Monetary(
        string="Total Due",
        compute="_compute_amounts",
        store=True,
        help="Overdue invoices and invoices not yet due, less open credit notes "
        "and unallocated payments.",
    )
    mail_id = fields.Many2one(
        "mail.mail", string="Sent Email", readonly=True, copy=False
    )
    error_message = fields.Text(readonly=True, copy=False)
    printed = fields.Boolean(readonly=True, copy=False)
    note = fields.Text(string="Internal Note")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id.name", "level_id.name", "date")
    def _compute_name(self):
        for communication in self:
            communication.name = _(
                "%(level)s - %(partner)s - %(date)s",
                level=communication.level_id.name or "",
                partner=communication.partner_id.name or "",
                date=communication.date or "",
            )

    @api.depends("line_ids.amount_residual", "line_ids.days_overdue")
    def _compute_amounts(self):
        for communication in self:
            lines = communication.line_ids
            communication.amount_due = sum(lines.mapped("amount_residual"))
            communication.amount_overdue = sum(
                lines.filtered(
                    lambda line: line.days_overdue > 0 and line.amount_residual > 0
                ).mapped("amount_residual")
            )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(communication.state == "sent" for communication in self):
            raise UserError(
                _(
                    "A communication already sent is part of the history: cancel it instead."
                )
            )
