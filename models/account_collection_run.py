import logging

from odoo import _, api, fields, models
from odoo.tools import format_date, plaintext2html

from ..tools.groups import COLLECTION_MANAGER

_logger = logging.getLogger(__name__)


class AccountCollectionRun(models.Model):
    """One run of the collection cycle in one company: what it created, and the
    customers it could not remind with the reason. The scheduled run leaves one per
    company and day, so that its failures are seen, not only logged."""

    _name = "account.collection.run"
    _description = "Collection Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    trigger = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("manual", "Manual"),
            ("preview", "Preview"),
        ],
        required=True,
        readonly=True,
        default="manual",
        help="Preview: a simulation of a future date, which sends nothing.",
    )
    user_id = fields.Many2one(
        "res.users", string="Run By", readonly=True, default=lambda self: self.env.user
    )
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "With Failures"),
        ],
        required=True,
        readonly=True,
        default="running",
        help="Running: the run has not finished (or stopped on an error).",
    )
    customer_count = fields.Integer(
        string="Customers Checked",
        readonly=True,
        help="Customers with an open invoice old enough to reach a level.",
    )
    communication_ids = fields.One2many(
        "account.collection.communication", "run_id", string="Reminders", readonly=True
    )
    communication_count = fields.Integer(
        string="Reminders Created", compute="_compute_communication_counts"
    )
    error_count = fields.Integer(
        string="Reminders in Error", compute="_compute_communication_counts"
    )
    failed_partner_ids = fields.Many2many(
        "res.partner",
        string="Customers Not Reminded",
        readonly=True,
        help="Customers the run could not remind because of an error.",
    )
    failure_details = fields.Text(readonly=True)
    batch_ids = fields.One2many(
        "account.collection.run.batch",
        "run_id",
        string="Batches of Customers",
        readonly=True,
    )
    batch_count = fields.Integer(string="Batches", compute="_compute_batch_counts")
    batch_done_count = fields.Integer(
        string="Batches Done",
        compute="_compute_batch_counts",
        help="Batches of customers the cron workers have finished.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("date", "trigger")
    def _compute_name(self):
        labels = dict(self._fields["trigger"]._description_selection(self.env))
        for run in self:
            run.name = _(
                "%(trigger)s run of %(date)s",
                trigger=labels.get(run.trigger, ""),
                date=run.date or "",
            )

    @api.depends("communication_ids.state")
    def _compute_communication_counts(self):
        counts = {
            (run.id, state): count
            for run, state, count in self.env[
                "account.collection.communication"
            ]._read_group(
                [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
            )
        }
        for run in self:
            run.communication_count = sum(
                count for (run_id, _state), count in counts.items() if run_id == run.id
            )
            run.error_count = counts.get((run.id, "error"), 0)

    @api.depends("batch_ids.state")
    def _compute_batch_counts(self):
        counts = {
            (run.id, state): count
            for run, state, count in self.env[
                "account.collection.run.batch"
            ]._read_group(
                [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
            )
        }
        for run in self:
            run.batch_count = sum(
                count for (run_id, _state), count in counts.items() if run_id == run.id
            )
            run.batch_done_count = counts.get((run.id, "done"), 0) + counts.get(
                (run.id, "failed"), 0
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_communications(self):
        self.ensure_one()
        return self.communication_ids._action_open()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _record_result(self, customer_count, failures):
        """Close the run: ``failures`` is ``[(partner id, reason), ...]``."""
        self.ensure_one()
        partners = self.env["res.partner"].browse(
            [partner_id for partner_id, _reason in failures]
        )
        names = {partner.id: partner.display_name for partner in partners}
        vals = {
            "customer_count": customer_count,
            "state": "failed" if failures or self.error_count else "done",
        }
        if failures:
            vals["failed_partner_ids"] = [fields.Command.set(partners.ids)]
            vals["failure_details"] = "\n".join(
                f"{names[partner_id]}: {reason}" for partner_id, reason in failures
            )
        self.write(vals)

    def _close_batches(self, batches):
        """Close the run once its ``batches`` are finished: the customers each
        batch could not remind, and those of a batch that failed as a whole."""
        self.ensure_one()
        failures = [
            tuple(failure) for batch in batches for failure in (batch.failures or [])
        ]
        failures += [
            (partner_id, batch.error)
            for batch in batches.filtered(lambda batch: batch.state == "failed")
            for partner_id in batch.partner_ids or []
        ]
        self._record_result(self.customer_count, failures)
        self._log_result()
        if self.trigger == "scheduled":
            self._notify_managers()

    def _log_result(self):
        self.ensure_one()
        failed = len(self.failed_partner_ids)
        log = _logger.warning if failed else _logger.info
        log(
            "Collection cycle of %s on %s: %s customers with open items, "
            "%s communications created, %s customers failed",
            self.company_id.name,
            self.date,
            self.customer_count,
            self.communication_count,
            failed,
        )

    def _get_failure_summary(self):
        """One line per customer not reminded and per reminder in error."""
        lines = []
        for run in self:
            if run.failure_details:
                lines += run.failure_details.splitlines()
            lines += run.communication_ids._get_error_lines()
        return lines

    def _notify_managers(self):
        """Plan an activity for the collection managers of the company of each run
        that failed, listing what failed."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        managers = self.env.ref(COLLECTION_MANAGER).sudo().users
        for run in self.filtered(lambda run: run.state == "failed"):
            summary = run._get_failure_summary()
            note = _(
                "%(count)s failures in the collection run of %(date)s:\n%(details)s",
                count=len(summary),
                date=format_date(self.env, run.date),
                details="\n".join(summary),
            )
            for user in managers.filtered(
                lambda user, run=run: run.company_id in user.company_ids
                and not user.share
            ):
                run.activity_schedule(
                    activity_type_id=todo.id if todo else False,
                    summary=_("Collection run with failures"),
                    note=plaintext2html(note),
                    user_id=user.id,
                )
