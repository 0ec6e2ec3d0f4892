import logging

from odoo import _, api, fields, models
from odoo.tools import format_date

_logger = logging.getLogger(__name__)


class AccountCollectionAudit(models.Model):
    """A run of the receivables audit on one company. Each rule is a small method
    returning its findings from batch queries (account_collection_audit_rules.py);
    findings already open from an earlier run are kept (not recreated), those no
    longer detected are resolved."""

    _name = "account.collection.audit"
    _description = "Receivables Audit"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Run by", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("error", "Error")],
        default="draft",
        required=True,
        tracking=True,
    )
    error_message = fields.Text(readonly=True)
    finding_ids = fields.One2many(
        "account.collection.audit.finding", "audit_id", string="New Findings"
    )
    seen_finding_ids = fields.One2many(
        "account.collection.audit.finding", "last_audit_id", string="Findings"
    )
    finding_count = fields.Integer(compute="_compute_finding_count")
    new_finding_count = fields.Integer(compute="_compute_finding_count")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("date", "company_id")
    def _compute_name(self):
        for audit in self:
            audit.name = _(
                "Audit %(company)s %(date)s",
                company=audit.company_id.name or "",
                date=format_date(self.env, audit.date),
            )

    @api.depends("finding_ids", "seen_finding_ids")
    def _compute_finding_count(self):
        for audit in self:
            audit.finding_count = len(audit.seen_finding_ids)
            audit.new_finding_count = len(audit.finding_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_run(self):
        for audit in self:
            audit._run()
        return True

    @api.model
    def action_run_now(self):
        audit = self.create({"company_id": self.env.company.id})
        audit._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": audit.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_audit_finding_action"
        )
        action["domain"] = [("last_audit_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        xlsx = self.env["account.collection.xlsx"]
        return xlsx._download(
            f"audit_{self.company_id.id}_{fields.Date.to_string(self.date)}.xlsx",
            xlsx._audit_xlsx(self),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _run(self):
        """Run every rule and record the findings; keeps findings already open."""
        self.ensure_one()
        self.env.flush_all()
        Finding = self.env["account.collection.audit.finding"]
        existing = Finding.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("open", "dismissed")),
            ]
        )
        by_key = {(f.rule, f.res_model, f.res_id): f for f in existing}
        detected, new_vals = set(), []
        for rule, method in self._audit_rules().items():
            for values in method():
                key = (rule, values["res_model"], values["res_id"])
                if key in detected:
                    continue
                detected.add(key)
                if key not in by_key:
                    new_vals.append(
                        {
                            **values,
                            "rule": rule,
                            "audit_id": self.id,
                            "company_id": self.company_id.id,
                        }
                    )
        seen = Finding.browse(
            [finding.id for key, finding in by_key.items() if key in detected]
        )
        seen.last_audit_id = self
        gone = existing.filtered(
            lambda f: f.state == "open"
            and (f.rule, f.res_model, f.res_id) not in detected
        )
        gone.write({"state": "resolved", "date_resolved": self.date})
        gone.activity_ids.action_feedback(
            feedback=_("No longer detected by the audit.")
        )
        new_findings = Finding.create(new_vals)
        new_findings.last_audit_id = self
        self._assign_and_notify(new_findings)
        self.state = "done"
        return new_findings

    def _assign_and_notify(self, findings):
        """Give each new finding a responsible (the customer's collector, else the
        person who ran the audit, else the company's default collector) and one
        to-do activity."""
        for finding in findings:
            user = finding.partner_id._collection_responsible_user(
                self.company_id, fallback=self.user_id
            )
            finding.user_id = user
            # An activity needs someone: Odoo's default, the user running it.
            finding.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=dict(finding._fields["rule"]._description_selection(self.env))[
                    finding.rule
                ],
                note=finding.description,
                user_id=(user or self.env.user).id,
            )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_audits(self):
        """Audit every company with receivables; a failing company is logged and
        recorded as an audit in error, the others go on."""
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            audit = self.sudo().with_company(company).create({"company_id": company.id})
            try:
                with self.env.cr.savepoint():
                    audit.with_company(company)._run()
            except Exception as error:
                _logger.exception("Receivables audit failed for %s", company.name)
                audit.write({"state": "error", "error_message": str(error)})
