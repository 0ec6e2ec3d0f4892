from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq

NOTICES_SHOWN = 5


class AccountCollectionPortalAccess(models.Model):
    """The key of one customer's collection page: one per customer, company and
    currency, whose token every reminder of that customer links to. Revoking it
    (or a contact leaving the customer) renews the token, so that links already
    sent stop working."""

    _name = "account.collection.portal.access"
    _description = "Collection Portal Access"
    _inherit = ["portal.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True)

    _sql_constraints = [
        (
            "partner_company_currency_uniq",
            "unique(partner_id, company_id, currency_id)",
            "A customer has one collection page per company and currency.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        for access in self:
            access.access_url = f"/collection/portal/{access.id}"

    @api.depends("partner_id", "company_id", "currency_id")
    def _compute_display_name(self):
        for access in self:
            access.display_name = (
                f"{access.partner_id.display_name} ({access.company_id.name}, "
                f"{access.currency_id.name})"
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_portal_access_for(self, partner, company, currency):
        """The access (sudo) of the commercial partner of ``partner`` in
        ``company`` and ``currency``, created with its token when missing."""
        commercial = partner.commercial_partner_id
        access = self.sudo().search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("currency_id", "=", currency.id),
            ],
            limit=1,
        )
        if not access:
            access = self.sudo().create(
                {
                    "partner_id": commercial.id,
                    "company_id": company.id,
                    "currency_id": currency.id,
                }
            )
        access._portal_ensure_token()
        return access

    @api.model
    def _collection_portal_access_from_token(self, access_id, access_token):
        """The access (sudo) of id ``access_id`` if ``access_token`` is its
        token, an empty recordset otherwise."""
        access = self.sudo().browse(access_id).exists()
        if (
            not access
            or not access_token
            or not access.access_token
            or not consteq(access.access_token, access_token)
        ):
            return self.sudo().browse()
        return access

    def _collection_portal_url(self):
        """Absolute URL of the page with its token, for emails and letters."""
        self.ensure_one()
        return self.get_base_url() + self._get_share_url()

    def _collection_portal_open_moves(self):
        """The customer's posted invoices and credit notes of the page's company
        and currency that still have an open receivable item, oldest due first."""
        self.ensure_one()
        lines = self.env["account.move.line"].sudo()
        lines = lines.search(
            [
                *lines._collection_open_items_domain(self.company_id),
                ("partner_id", "child_of", self.partner_id.id),
                ("currency_id", "=", self.currency_id.id),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        return lines.move_id.sorted(
            lambda move: (move.invoice_date_due or move.date, move.id)
        )

    @api.model
    def _collection_portal_amount_due(self, moves):
        """What ``moves`` leave to pay in their currency: invoices less credit notes."""
        return sum(move.amount_residual * -move.direction_sign for move in moves)

    def _collection_portal_payable_moves(self, moves):
        """The invoices of ``moves`` the customer can pay online."""
        return moves.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.amount_residual > 0
            and move.collection_block_reason != "dispute"
        )

    def _collection_portal_overdue_moves(self, moves):
        """The invoices of ``moves`` with an installment past its due date."""
        today = fields.Date.context_today(self)
        return moves.filtered(
            lambda move: any(
                line.date_maturity and line.date_maturity < today
                for line in move.line_ids
                if line.account_type == "asset_receivable" and not line.reconciled
            )
        )

    def _collection_portal_selected_moves(self, payable, choices):
        """The invoices of ``payable`` picked by the page's ``pay`` parameters:
        ``all``, ``overdue`` (the default) or invoice ids; anything else is
        ignored, so that a link never pays another customer's invoice."""
        choices = [choice for choice in choices if choice]
        if not choices or "overdue" in choices:
            return self._collection_portal_overdue_moves(payable)
        if "all" in choices:
            return payable
        ids = {int(choice) for choice in choices if str(choice).isdigit()}
        return payable.filtered(lambda move: move.id in ids)

    def _collection_portal_recent_transactions(self):
        """The customer's online payments of the last hour, shown on landing."""
        self.ensure_one()
        return (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.partner_id.id),
                    ("currency_id", "=", self.currency_id.id),
                    ("state", "in", ("pending", "authorized", "done")),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
                ],
                order="id desc",
                limit=1,
            )
        )

    def _collection_portal_notices(self):
        """The latest reminders sent to the customer in this company and currency."""
        self.ensure_one()
        return (
            self.env["account.collection.communication"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("currency_id", "=", self.currency_id.id),
                    ("state", "in", ("to_print", "queued", "sent")),
                ],
                order="date desc, id desc",
                limit=NOTICES_SHOWN,
            )
        )

    def _collection_portal_move_pdf(self, move):
        """PDF content and file name of an invoice or credit note of the page."""
        move = move.sudo()
        content = move.invoice_pdf_report_id.raw
        if not content:
            content = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf("account.account_invoices", move.ids)[0]
            )
        return content, move._get_invoice_report_filename()

    def _collection_portal_notice_pdf(self, notice):
        """PDF content and file name of a reminder of the page: the letter as
        printed when there is one, else the notice of its level."""
        notice = notice.sudo()
        content = notice.letter_attachment_id.raw or self.env[
            "account.collection.dispatch"
        ].sudo()._render_letter(notice)
        return content, f"{notice._get_notice_filename()}.pdf"

    def action_collection_portal_open(self):
        """Open the page as the customer sees it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._collection_portal_url(),
            "target": "new",
        }

    def action_collection_portal_revoke(self):
        """Renew the token: every link sent so far stops working."""
        self.sudo().write({"access_token": False})
        for access in self:
            access._portal_ensure_token()
