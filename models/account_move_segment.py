from odoo import _, api, models

from ..tools import risk


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_max_days(self):
        """Longest delay of the term in days from the invoice date (the one place
        two terms are compared: the longer term is the one with more days)."""
        self.ensure_one()
        return risk.payment_term_max_days(
            (line.delay_type, line.nb_days, line.days_next_month)
            for line in self.line_ids
        )


class AccountMove(models.Model):
    """Segments that set the terms of sale: the stricter payment term of the
    customer's risk segment is the default of its new invoices, and posting an
    invoice with a longer term leaves a note in its chatter."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_invoice_payment_term_id(self):  # pylint: disable=missing-return
        super()._compute_invoice_payment_term_id()
        for move in self._collection_segment_term_applies():
            term = move._collection_segment_term()
            current = move.invoice_payment_term_id
            if term and (
                not current
                or current._collection_max_days() > term._collection_max_days()
            ):
                move.invoice_payment_term_id = term

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted._collection_segment_term_applies():
            term = move._collection_segment_term()
            if not term:
                continue
            current = move.invoice_payment_term_id
            if current:
                days = current._collection_max_days()
            else:
                days = (move.invoice_date_due - move.invoice_date).days
            longer = days > term._collection_max_days()
            if longer:
                move.message_post(
                    body=_(
                        "This invoice was posted with a payment term longer than "
                        "the one of the customer's risk segment (%(segment)s: "
                        "%(term)s).",
                        segment=move._collection_segment().display_name,
                        term=term.display_name,
                    )
                )
        return posted

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_segment_term_applies(self):
        """The customer invoices the segment's term governs: not those the
        collection issues itself (late fees, plan interest), which keep the
        customer's contractual term."""
        return self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.collection_generated
        )

    def _collection_segment(self):
        """The risk segment of the invoice's customer in the invoice's company."""
        self.ensure_one()
        partner = self.commercial_partner_id or self.partner_id.commercial_partner_id
        if not partner:
            return self.env["account.collection.risk.segment"]
        # Read the risk record itself: the partner's company-dependent compute has no
        # dependencies, and caching it here (while invoices are created, before the
        # scoring) would hide the segment from the rest of the transaction.
        return (
            self.env["account.collection.partner.risk"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
            .segment_id
        )

    def _collection_segment_term(self):
        """The payment term required by the customer's risk segment, or empty."""
        self.ensure_one()
        return self._collection_segment().payment_term_id.sudo(False)
