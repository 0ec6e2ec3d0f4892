from odoo import api, fields, models

from ..tools.groups import COLLECTION_USER


class ResPartner(models.Model):
    """The customer's insolvency procedures: ``collection_insolvency`` and
    ``collection_insolvency_date`` (res_partner_legal.py) follow the latest one."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_insolvency_ids = fields.One2many(
        "account.collection.insolvency",
        "partner_id",
        string="Insolvency Procedures",
        groups=COLLECTION_USER,
    )
    collection_insolvency_count = fields.Integer(
        compute="_compute_collection_insolvency_count", groups=COLLECTION_USER
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    def _compute_collection_insolvency_count(self):
        groups = self.env["account.collection.insolvency"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.collection_insolvency_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.depends(
        "collection_insolvency_ids.kind", "collection_insolvency_ids.judgment_date"
    )
    def _compute_collection_insolvency(self):
        """The latest procedure of the customer, whatever the company: insolvency
        is the debtor's state, every creditor stops dunning it."""
        procedures = (
            self.env["account.collection.insolvency"]
            .sudo()
            .search([("partner_id", "in", self.ids)], order="judgment_date, id")
        )
        latest = {procedure.partner_id.id: procedure for procedure in procedures}
        for partner in self:
            procedure = latest.get(partner.id)
            partner.collection_insolvency = procedure.kind if procedure else False
            partner.collection_insolvency_date = (
                procedure.judgment_date if procedure else False
            )

    def _inverse_collection_insolvency(self):
        """Entered on the customer: record (or update) its procedure in the current
        company; cleared, drop the procedures not declared yet."""
        Procedure = self.env["account.collection.insolvency"].sudo()
        for partner in self.filtered(lambda p: not p.parent_id):
            procedures = Procedure.search(
                [("partner_id", "=", partner.id)], order="judgment_date desc, id desc"
            )
            if not partner.collection_insolvency:
                procedures.filtered(lambda p: p.state == "to_declare").unlink()
                continue
            if not partner.collection_insolvency_date:
                continue  # the constraint of res_partner_legal.py says what is missing
            values = {
                "kind": partner.collection_insolvency,
                "judgment_date": partner.collection_insolvency_date,
            }
            current = procedures[:1]
            if current and current.state == "to_declare":
                current.write(values)
            elif not current or (
                current.kind,
                current.judgment_date,
            ) != (values["kind"], values["judgment_date"]):
                company = partner.company_id or self.env.company
                Procedure.create(
                    {**values, "partner_id": partner.id, "company_id": company.id}
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_collection_insolvencies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.action_account_collection_insolvency"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
