from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import doubtful


class AccountCollectionDoubtfulWizard(models.TransientModel):
    """Proposes, invoice by invoice, the receivables to move to doubtful debts and
    creates the draft entries: 411 -> 416 for the residual including VAT and a
    provision 68174 / 491 on the residual excluding VAT x the chosen percentage."""

    _name = "account.collection.doubtful.wizard"
    _description = "Doubtful Debts"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Accounting Date", required=True, default=fields.Date.context_today
    )
    line_ids = fields.One2many(
        "account.collection.doubtful.wizard.line", "wizard_id", string="Invoices"
    )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "line_ids" in fields_list and not res.get("line_ids"):
            company = self.env["res.company"].browse(
                res.get("company_id") or self.env.company.id
            )
            today = fields.Date.context_today(self)
            percent = company.collection_doubtful_percent
            res["line_ids"] = [
                Command.create({"move_id": invoice.id, "provision_percent": percent})
                for invoice in self._candidates(company, today)
            ]
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_validate(self):
        self.ensure_one()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(_("Select at least one invoice to move to doubtful debts."))
        accounts = self.company_id._collection_doubtful_accounts()
        already = lines.move_id.filtered("collection_doubtful_move_ids")
        if already:
            raise UserError(
                _(
                    "Already moved to doubtful debts: %s",
                    ", ".join(already.mapped("name")),
                )
            )
        vals_list = []
        for line in lines:
            vals_list += line._prepare_entries(accounts, self.date)
        entries = self.env["account.move"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": _("Doubtful Debt Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
            "context": {"default_move_type": "entry"},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _candidate_domain(self, company, today):
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("collection_doubtful_move_ids", "=", False),
            "|",
            "|",
            (
                "invoice_date_due",
                "<",
                today - timedelta(days=company.collection_doubtful_days),
            ),
            "&",
            ("collection_blocked", "=", True),
            ("collection_block_reason", "=", "litigation"),
            ("collection_level_id.litigation", "=", True),
        ]

    @api.model
    def _candidates(self, company, today):
        """Open customer invoices overdue beyond the company's threshold or in
        litigation, not yet moved to doubtful debts."""
        return self.env["account.move"].search(
            self._candidate_domain(company, today), order="invoice_date_due, id"
        )


class AccountCollectionDoubtfulWizardLine(models.TransientModel):
    _name = "account.collection.doubtful.wizard.line"
    _description = "Doubtful Debt Candidate"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    wizard_id = fields.Many2one(
        "account.collection.doubtful.wizard", required=True, ondelete="cascade"
    )
    selected = fields.Boolean(default=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    company_id = fields.Many2one(related="move_id.company_id")
    currency_id = fields.Many2one(related="move_id.company_currency_id")
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    days_overdue = fields.Integer(compute="_compute_amounts")
    in_litigation = fields.Boolean(compute="_compute_amounts")
    amount_residual = fields.Monetary(
        string="Residual incl. Tax", compute="_compute_amounts"
    )
    amount_base = fields.Monetary(
        string="Residual excl. Tax", compute="_compute_amounts"
    )
    provision_percent = fields.Float(string="Provision (%)", default=100.0)
    provision_amount = fields.Monetary(string="Provision", compute="_compute_amounts")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("move_id", "provision_percent")
    def _compute_amounts(self):
        today = fields.Date.context_today(self)
        for line in self:
            move = line.move_id
            line.days_overdue = (
                (today - move.invoice_date_due).days if move.invoice_date_due else 0
            )
            line.in_litigation = (
                move.collection_blocked and move.collection_block_reason == "litigation"
            ) or move.collection_level_id.litigation
            residual = move.amount_residual_signed
            line.amount_residual = residual
            if not move.amount_total_signed:
                line.amount_base = line.provision_amount = 0.0
                continue
            line.amount_base = float(
                doubtful.provision_base(
                    residual, move.amount_untaxed_signed, move.amount_total_signed
                )
            )
            percent = min(max(line.provision_percent, 0.0), 100.0)
            line.provision_amount = float(
                doubtful.provision_amount(
                    residual,
                    move.amount_untaxed_signed,
                    move.amount_total_signed,
                    percent,
                )
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("provision_percent")
    def _check_provision_percent(self):
        for line in self:
            if not 0 <= line.provision_percent <= 100:
                raise ValidationError(
                    _(
                        "The provision of %s must be between 0 and 100 %%.",
                        line.move_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _prepare_entries(self, accounts, date):
        """Return the values of the reclassification entry and, when the provision
        is not zero, of the provision entry of this invoice."""
        self.ensure_one()
        invoice = self.move_id
        partner = invoice.commercial_partner_id
        open_lines = invoice.line_ids.filtered_domain(
            self.env["account.move.line"]._collection_open_items_domain(
                invoice.company_id
            )
        ).filtered("amount_residual")
        if not open_lines:
            raise UserError(_("Invoice %s has nothing left to pay.", invoice.name))
        common = {
            "move_type": "entry",
            "date": date,
            "journal_id": accounts["journal"].id,
            "company_id": invoice.company_id.id,
            "collection_doubtful_invoice_id": invoice.id,
        }
        residual = sum(open_lines.mapped("amount_residual"))
        name = _("Doubtful debt %s", invoice.name)
        reclass_lines = [
            Command.create(
                {
                    "name": name,
                    "account_id": accounts["collection_doubtful_account_id"].id,
                    "partner_id": partner.id,
                    "debit": residual,
                    "date_maturity": invoice.invoice_date_due,
                }
            )
        ] + [
            Command.create(
                {
                    "name": name,
                    "account_id": line.account_id.id,
                    "partner_id": partner.id,
                    "credit": line.amount_residual,
                    "date_maturity": line.date_maturity,
                }
            )
            for line in open_lines
        ]
        entries = [
            {
                **common,
                "ref": _("Doubtful debt: %s", invoice.name),
                "collection_doubtful_kind": "reclass",
                "line_ids": reclass_lines,
            }
        ]
        if self.currency_id.compare_amounts(self.provision_amount, 0.0) > 0:
            label = _(
                "Provision %(percent)s %% on %(invoice)s",
                percent=self.provision_percent,
                invoice=invoice.name,
            )
            entries.append(
                {
                    **common,
                    "ref": label,
                    "collection_doubtful_kind": "provision",
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": accounts[
                                    "collection_provision_expense_account_id"
                                ].id,
                                "partner_id": partner.id,
                                "debit": self.provision_amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": accounts[
                                    "collection_provision_account_id"
                                ].id,
                                "partner_id": partner.id,
                                "credit": self.provision_amount,
                            }
                        ),
                    ],
                }
            )
        return entries
