from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class AccountCollectionAgedWizard(models.TransientModel):
    """Picks the date of the aged receivables, then opens the analysis or exports
    the aged balance or a customer statement to Excel."""

    _name = "account.collection.aged.wizard"
    _description = "Aged Receivables Date"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    as_of_date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="Receivables open at the end of this day: later invoices and payments "
        "are ignored.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        help="Customer of the statement.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("as_of_date")
    def _check_as_of_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.as_of_date > today:
                raise UserError(_("The ageing date cannot be in the future."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_aged_receivable_action"
        )
        action["context"] = {
            "collection_as_of": fields.Date.to_string(self.as_of_date),
            "search_default_group_partner": 1,
        }
        action["display_name"] = _(
            "Aged Receivables at %s", format_date(self.env, self.as_of_date)
        )
        return action

    def action_export_aged_balance(self, partner_ids=None, scope=None):
        """Export the aged balance; ``partner_ids`` and ``scope`` (its label) keep
        the customers of the dashboard's filters."""
        self.ensure_one()
        xlsx = self.env["account.collection.xlsx"]
        content = xlsx._aged_balance_xlsx(
            self.as_of_date, self.env.companies, partner_ids=partner_ids, scope=scope
        )
        return xlsx._download(
            f"aged_receivables_{fields.Date.to_string(self.as_of_date)}.xlsx",
            content,
        )

    def action_export_statement(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_("Choose the customer of the statement."))
        xlsx = self.env["account.collection.xlsx"]
        content = xlsx._customer_statement_xlsx(
            self.partner_id, self.as_of_date, self.env.companies
        )
        return xlsx._download(
            "statement_{}_{}.xlsx".format(
                self.partner_id.commercial_partner_id.ref
                or self.partner_id.commercial_partner_id.id,
                fields.Date.to_string(self.as_of_date),
            ),
            content,
        )
