from datetime import timedelta

from odoo import Command, _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date

from .account_move_portal_dispute import DISPUTE_REASONS

# Largest file a customer attaches to a dispute.
DISPUTE_ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024


class AccountCollectionPortalAccess(models.Model):
    """What the customer does on its collection page besides paying: promise to
    pay (issue #15). Called after the token check, as superuser, always within the
    access's customer, company and currency."""

    _inherit = "account.collection.portal.access"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_portal_policy(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id)._get_collection_policy()

    def _collection_portal_today(self):
        return fields.Date.context_today(self)

    def _collection_portal_promise_max_date(self):
        """The last date the customer may promise from the page."""
        self.ensure_one()
        policy = self._collection_portal_policy()
        max_days = policy.portal_promise_max_days if policy else 30
        return fields.Date.context_today(self) + timedelta(days=max_days)

    def _collection_portal_record_promise(self, date, amount):
        """Record the customer's promise to pay ``amount`` by ``date``, authored by
        the customer: a date from today to the policy's limit, an amount above zero
        and not above what is due. Raises a translated UserError otherwise."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        max_date = self._collection_portal_promise_max_date()
        if not date or date < today:
            raise UserError(_("A promise to pay needs a date from today on."))
        if date > max_date:
            raise UserError(
                _(
                    "A promise to pay from this page is at most until %(date)s.",
                    date=format_date(self.env, max_date),
                )
            )
        currency = self.currency_id
        amount = currency.round(amount or 0.0)
        due = currency.round(
            self._collection_portal_amount_due(self._collection_portal_open_moves())
        )
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(_("The promised amount must be positive."))
        if float_compare(amount, due, precision_rounding=currency.rounding) > 0:
            raise UserError(_("The promised amount cannot exceed the amount due."))
        # The promise is kept in the company currency, like the collector's.
        company_amount = currency._convert(
            amount, self.company_id.currency_id, self.company_id, today
        )
        partner = self.partner_id.commercial_partner_id
        partner.with_company(self.company_id).sudo()._collection_write_promise(
            date, company_amount, partner
        )

    def _collection_portal_move(self, move_id):
        """The open document ``move_id`` of the page, or nothing when it is not
        one of the access's (another customer's, company's or currency's)."""
        self.ensure_one()
        return self._collection_portal_open_moves().filtered(
            lambda move: move.id == move_id
        )

    def _collection_portal_dispute(self, move, reason, message, attachment=None):
        """The customer disputes ``move`` (one of the page's) for ``reason``;
        ``attachment`` an optional (file name, bytes) pair."""
        self.ensure_one()
        if move.collection_block_reason == "dispute":
            raise UserError(_("This invoice is already in dispute."))
        if reason not in dict(DISPUTE_REASONS):
            raise UserError(_("Choose the reason of the dispute."))
        if not (message or "").strip():
            raise UserError(_("Tell us what is wrong with this invoice."))
        if attachment and len(attachment[1]) > DISPUTE_ATTACHMENT_MAX_SIZE:
            raise UserError(_("The attached file is too large (10 MB at most)."))
        move._collection_portal_dispute(
            reason,
            message.strip(),
            self.partner_id.commercial_partner_id,
            attachments=[attachment] if attachment and attachment[1] else [],
        )

    def _collection_portal_plan_max_installments(self):
        self.ensure_one()
        policy = self._collection_portal_policy()
        return policy.portal_plan_max_installments if policy else 6

    def _collection_portal_plan_request(self, installment_count):
        """A DRAFT payment plan of the page's open invoices in
        ``installment_count`` monthly installments, built by the collector's plan
        wizard, for the collector to approve (an activity)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        Plan = self.env["account.collection.plan"].with_company(self.company_id)
        plans = Plan.search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", self.company_id.id),
                "|",
                ("state", "=", "active"),
                "&",
                ("state", "=", "draft"),
                ("portal_requested", "=", True),
            ]
        )
        if plans.filtered(lambda plan: plan.state == "active"):
            raise UserError(
                _("A payment plan is already running: its schedule still applies.")
            )
        if plans:
            raise UserError(_("Your request for a payment plan is already pending."))
        max_count = self._collection_portal_plan_max_installments()
        if not 2 <= installment_count <= max_count:
            raise UserError(
                _(
                    "A payment plan from this page has 2 to %(max)s installments.",
                    max=max_count,
                )
            )
        invoices = self._collection_portal_open_moves().filtered(
            lambda move: move.move_type == "out_invoice"
        )
        if not invoices:
            raise UserError(_("Nothing is due: no payment plan is needed."))
        wizard = (
            self.env["account.collection.plan.wizard"]
            .with_company(self.company_id)
            .create(
                {
                    "company_id": self.company_id.id,
                    "partner_id": customer.id,
                    "invoice_ids": [Command.set(invoices.ids)],
                    "installment_count": installment_count,
                    "frequency": "monthly",
                }
            )
        )
        wizard._check_invoices()
        plan = Plan.create({**wizard._plan_values(), "portal_requested": True})
        plan.action_generate_installments()
        plan.message_post(
            author_id=customer.id,
            body=_(
                "Payment plan in %s installments asked for from the customer's page.",
                installment_count,
            ),
        )
        collector = customer._collection_responsible_user(self.company_id)
        if collector:
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=collector.id,
                summary=_("Payment plan asked for by the customer"),
            )
        return plan

    def _collection_portal_plans(self):
        """The customer's payment plans of the page's company and currency."""
        self.ensure_one()
        return self.env["account.collection.plan"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("currency_id", "=", self.currency_id.id),
            ]
        )
