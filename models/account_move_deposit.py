from collections import defaultdict, namedtuple

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

# What a customer's risk segment requires before an invoice is posted, in the
# invoice's currency: ``received`` is what the customer paid and is not yet
# allocated (the outstanding credits Odoo offers on the invoice).
DepositStatus = namedtuple(
    "DepositStatus", "segment percent total required received missing"
)


class AccountMove(models.Model):
    """Segments that set the terms of sale: the deposit of the customer's risk
    segment, a share of the invoice to be received before posting, checked at
    posting in one batch (company setting: none, warning or block)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        to_log = self._collection_check_deposit(soft)
        posted = super()._post(soft=soft)
        for move, message in to_log:
            if move in posted:
                move.message_post(
                    body=_(
                        "Posted by %(user)s without the deposit: %(message)s",
                        user=self.env.user.name,
                        message=message,
                    )
                )
        return posted

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_deposit_statuses(self, live=False):
        """Return ``{invoice: DepositStatus}`` for the invoices of ``self`` whose
        customer's risk segment requires a deposit. The unallocated payments of
        the customers are read in one query; within ``self``, they cover the
        invoices of a customer in turn (``live``: drafts being edited, each sees
        all of them)."""
        moves = self._collection_checked_invoices()
        if not moves:
            return {}
        partner_ids = moves.commercial_partner_id._origin.ids
        risks = (
            self.env["account.collection.partner.risk"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "in", moves.company_id._origin.ids),
                    ("partner_id", "in", partner_ids),
                    ("segment_id.deposit_percent", ">", 0),
                ],
                ["partner_id", "company_id", "segment_id"],
            )
        )
        segments = {
            (risk.company_id.id, risk.partner_id.id): risk.segment_id for risk in risks
        }
        keyed = {}
        for move in moves:
            segment = segments.get(
                (move.company_id._origin.id, move.commercial_partner_id._origin.id)
            )
            if segment:
                keyed[move] = (segment, move._collection_deposit_key())
        if not keyed:
            return {}
        received = self._collection_unallocated_payments(
            [key for __, key in keyed.values()]
        )
        statuses = {}
        for move, (segment, key) in keyed.items():
            currency = move.currency_id
            total = move._collection_amount(live=live, company_currency=False)
            required = currency.round(total * segment.deposit_percent / 100)
            available = received[key]
            missing = max(currency.round(required - available), 0.0)
            if not live:
                received[key] = max(available - required, 0.0)
            statuses[move] = DepositStatus(
                segment.sudo(False),
                segment.deposit_percent,
                total,
                required,
                available,
                missing,
            )
        return statuses

    def _collection_deposit_key(self):
        """(company, customer, receivable account, currency) of the invoice: the
        payments that may be allocated to it."""
        self.ensure_one()
        account = (
            self.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).account_id[:1]
            or self.commercial_partner_id.with_company(
                self.company_id
            ).property_account_receivable_id
        )
        return (
            self.company_id._origin.id,
            self.commercial_partner_id._origin.id,
            account._origin.id,
            self.currency_id._origin.id,
        )

    def _collection_unallocated_payments(self, keys):
        """Return ``{(company, customer, account, currency): amount}``: the open
        credits (payments, credit notes) not yet allocated, in the currency, read
        in one grouped query."""
        received = defaultdict(float)
        lines = self.env["account.move.line"]
        companies = self.env["res.company"].browse({key[0] for key in keys})
        groups = lines.sudo()._read_group(
            [
                *lines._collection_open_items_domain(companies),
                ("partner_id", "in", list({key[1] for key in keys})),
                ("account_id", "in", list({key[2] for key in keys})),
                ("currency_id", "in", list({key[3] for key in keys})),
                ("balance", "<", 0),
            ],
            ["company_id", "partner_id", "account_id", "currency_id"],
            ["amount_residual_currency:sum"],
        )
        for company, partner, account, currency, residual in groups:
            received[(company.id, partner.id, account.id, currency.id)] = -residual
        return received

    def _collection_deposit_message(self, status):
        """The deposit line of the invoice's risk warning and posting check."""
        self.ensure_one()
        currency = self.currency_id
        values = {
            "partner": self.commercial_partner_id.display_name,
            "segment": status.segment.display_name,
            "percent": f"{status.percent:g}",
            "total": format_amount(self.env, status.total, currency),
            "required": format_amount(self.env, status.required, currency),
            "received": format_amount(self.env, status.received, currency),
            "missing": format_amount(self.env, status.missing, currency),
        }
        return _(
            "%(partner)s must pay a deposit of %(required)s "
            "(%(percent)s%% of %(total)s, risk segment %(segment)s) before posting; "
            "received %(received)s, missing %(missing)s.",
            **values,
        )

    def _collection_check_deposit(self, soft=True):
        """Check the deposits of the invoices about to be posted. In "block"
        mode, raise naming every invoice short of its deposit; return
        ``[(invoice, message)]`` to log on the invoices posted in "warning"."""
        moves = self._collection_checked_now(soft).filtered(
            lambda move: move.company_id.collection_deposit_check != "none"
        )
        if not moves:
            return []
        short = [
            (move, move._collection_deposit_message(status))
            for move, status in moves._collection_deposit_statuses().items()
            if status.missing
        ]
        blocked = [
            f"{move.display_name}: {message}"
            for move, message in short
            if move.company_id.collection_deposit_check == "block"
        ]
        if blocked:
            raise UserError(
                _(
                    "The deposit required by the customer's risk segment is "
                    "missing:\n%(details)s\nRegister the customer's deposit first.",
                    details="\n".join(blocked),
                )
            )
        return short
