from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AccountCollectionRunWizard(models.TransientModel):
    """Runs the collection cycle by hand: the reminders are prepared as drafts to
    review (edit, skip) before they are sent."""

    _name = "account.collection.run.wizard"
    _description = "Run the Collection Cycle"

    date = fields.Date(required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
        domain="[('id', 'in', allowed_company_ids)]",
    )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(wizard.date > today for wizard in self):
            raise UserError(_("The collection cycle cannot run at a future date."))

    def _check_companies(self):
        """The cycle runs only in the companies the user works in (those ticked in
        the company switcher)."""
        # Read as superuser: the companies the user cannot see would read as none.
        forbidden = self.sudo().company_ids - self.env.companies
        if forbidden:
            raise AccessError(
                _(
                    "The collection cycle runs only in the companies you are working "
                    "in (selected in the company switcher), not in: %s.",
                    ", ".join(forbidden.mapped("name")),
                )
            )

    def action_preview(self):
        self.ensure_one()
        self._check_companies()
        communications = self.env["account.collection.engine"]._run_collection_cycle(
            self.company_ids, date=self.date, auto_send=False
        )
        if not communications:
            raise UserError(_("No customer needs a reminder on this date."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )
        action["domain"] = [("id", "in", communications.ids)]
        return action
