from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ageing

# Code prefixes of the French chart of accounts used for doubtful debts.
DOUBTFUL_ACCOUNT_PREFIXES = {
    "collection_doubtful_account_id": "416",
    "collection_provision_expense_account_id": "68174",
    "collection_provision_account_id": "491",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        string="Default Collection Policy",
        domain="[('company_id', '=', id)]",
    )
    # Ageing buckets: "not due", then up to each limit, then beyond the last one.
    collection_bucket_1 = fields.Integer(string="Ageing Bucket 1 (days)", default=30)
    collection_bucket_2 = fields.Integer(string="Ageing Bucket 2 (days)", default=60)
    collection_bucket_3 = fields.Integer(string="Ageing Bucket 3 (days)", default=90)
    collection_bucket_4 = fields.Integer(string="Ageing Bucket 4 (days)", default=120)
    collection_effectiveness_days = fields.Integer(
        string="Reminder Effectiveness Window (days)",
        default=30,
        help="A reminder is effective for the amount paid within this many days.",
    )
    # Audit thresholds
    collection_audit_unallocated_days = fields.Integer(
        string="Unallocated Payment Age (days)", default=30
    )
    collection_audit_unreminded_days = fields.Integer(
        string="Overdue Never Reminded (days)", default=45
    )
    collection_audit_stuck_days = fields.Integer(
        string="Stuck at a Level (days)", default=60
    )
    collection_audit_block_days = fields.Integer(
        string="Dunning Blocked For (days)", default=90
    )
    collection_audit_bank_change_days = fields.Integer(
        string="Bank Account Change Before Payment (days)", default=30
    )
    collection_audit_max_term_days = fields.Integer(
        string="Maximum Payment Term (days)", default=60
    )
    # Doubtful debts
    collection_doubtful_days = fields.Integer(
        string="Doubtful After (days overdue)", default=180
    )
    collection_doubtful_percent = fields.Float(
        string="Default Provision (%)", default=100.0
    )
    collection_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Receivables Account",
        check_company=True,
        help="416 in the French chart; found by its code when empty.",
    )
    collection_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Provision Expense Account",
        check_company=True,
        help="68174 in the French chart; found by its code when empty.",
    )
    collection_provision_account_id = fields.Many2one(
        "account.account",
        string="Provision Account",
        check_company=True,
        help="491 in the French chart; found by its code when empty.",
    )
    collection_doubtful_journal_id = fields.Many2one(
        "account.journal",
        string="Doubtful Debts Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal of the entries; the first one when empty.",
    )

    @api.constrains(
        "collection_bucket_1",
        "collection_bucket_2",
        "collection_bucket_3",
        "collection_bucket_4",
    )
    def _check_collection_buckets(self):
        for company in self:
            try:
                ageing.bucket_labels(company._collection_bucket_limits())
            except ValueError:
                raise ValidationError(
                    _(
                        "The ageing buckets of %s must be positive and increasing.",
                        company.name,
                    )
                ) from None

    def _collection_bucket_limits(self):
        """Return the bucket limits of :func:`ageing.bucket_index` for this company."""
        self.ensure_one()
        return (
            0,
            self.collection_bucket_1,
            self.collection_bucket_2,
            self.collection_bucket_3,
            self.collection_bucket_4,
        )

    def _collection_doubtful_accounts(self):
        """Return the doubtful-debt accounts and journal as a dict, falling back on the
        French chart codes; raise a UserError naming what is missing."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        result, missing = {}, []
        for field_name, prefix in DOUBTFUL_ACCOUNT_PREFIXES.items():
            account = self[field_name] or Account.search(
                [
                    *Account._check_company_domain(self),
                    ("code", "=like", f"{prefix}%"),
                    ("deprecated", "=", False),
                ],
                order="code",
                limit=1,
            )
            if not account:
                missing.append(
                    _(
                        "%(label)s (code %(prefix)s)",
                        label=self._fields[field_name].get_description(self.env)[
                            "string"
                        ],
                        prefix=prefix,
                    )
                )
            result[field_name] = account
        journal = self.collection_doubtful_journal_id or self.env[
            "account.journal"
        ].search(
            [
                *self.env["account.journal"]._check_company_domain(self),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        if not journal:
            missing.append(_("a miscellaneous journal"))
        result["journal"] = journal
        if missing:
            raise UserError(
                _(
                    "Doubtful debts cannot be recorded for %(company)s: set %(missing)s "
                    "in Accounting > Settings > Collection.",
                    company=self.name,
                    missing=", ".join(missing),
                )
            )
        return result
