from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date


class AccountCollectionRunWizard(models.TransientModel):
    """Runs the collection cycle by hand: the reminders are prepared as drafts to
    review (edit, skip) before they are sent. A future date is previewed: the
    reminders that run would prepare are shown, and nothing is sent."""

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
    preview = fields.Boolean(compute="_compute_preview")

    @api.depends("date")
    def _compute_preview(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.preview = bool(wizard.date and wizard.date > today)

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
        communications = self.env["account.collection.communication"]
        if self.preview:
            # A new preview replaces the previous ones of these companies.
            communications.search(
                [("state", "=", "preview"), ("company_id", "in", self.company_ids.ids)]
            )._discard_previews()
        runs = self.env["account.collection.engine"]._run_collection(
            self.company_ids,
            date=self.date,
            auto_send=False,
            trigger="preview" if self.preview else "manual",
        )
        communications = runs.communication_ids
        failures = runs._get_failure_summary()
        if not communications:
            if failures:
                raise UserError(
                    _(
                        "No reminder was prepared, these customers failed:\n%s",
                        "\n".join(failures),
                    )
                )
            raise UserError(_("No customer needs a reminder on this date."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )
        action["domain"] = [("id", "in", communications.ids)]
        if self.preview:
            action["name"] = _("Preview of %s", format_date(self.env, self.date))
        if not failures:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Some customers failed"),
                "message": "\n".join(failures),
                "type": "warning",
                "sticky": True,
                "next": action,
            },
        }
