from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import ageing

_lt = LazyTranslate(__name__)

# The default policy, French B2B practice: courtesy notice before the due date,
# friendly then firm reminders, formal notice by registered letter at D+30 and hand-over
# to a collection agency or to court at D+45. The only definition of the default levels:
# the main company gets it at installation (data/account_collection_policy_data.xml) and
# every company created afterwards gets its own copy (see create()).
DEFAULT_POLICY_NAME = _lt("French B2B collection policy")
DEFAULT_POLICY_LEVELS = (
    {
        "code": "courtesy",
        "name": _lt("Courtesy reminder"),
        "days": -5,
        "send_email": True,
        "deadline_days": 5,
        "mail_template": "account_collection.mail_template_collection_courtesy",
        "report": "account_collection.action_report_collection_letter",
    },
    {
        "code": "friendly",
        "name": _lt("Friendly reminder"),
        "days": 7,
        "send_email": True,
        "deadline_days": 8,
        "mail_template": "account_collection.mail_template_collection_friendly",
        "report": "account_collection.action_report_collection_letter",
    },
    {
        "code": "firm",
        "name": _lt("Firm reminder"),
        "days": 15,
        "send_email": True,
        "phone_call": True,
        "deadline_days": 8,
        "mail_template": "account_collection.mail_template_collection_firm",
        "report": "account_collection.action_report_collection_letter",
        "activity_type": "mail.mail_activity_data_call",
    },
    {
        "code": "formal_notice",
        "name": _lt("Formal notice"),
        "days": 30,
        "send_email": True,
        "send_letter": True,
        "formal_notice": True,
        "charge_late_fees": True,
        "deadline_days": 8,
        "mail_template": "account_collection.mail_template_collection_formal_notice",
        "report": "account_collection.action_report_collection_formal_notice",
    },
    {
        "code": "litigation",
        "name": _lt("Collection agency / litigation"),
        "days": 45,
        "send_email": False,
        "send_letter": True,
        "phone_call": True,
        "litigation": True,
        "deadline_days": 8,
        "mail_template": "account_collection.mail_template_collection_litigation",
        "report": "account_collection.action_report_collection_letter",
        "activity_type": "mail.mail_activity_data_call",
    },
)
_LEVEL_FLAGS = (
    "send_email",
    "send_letter",
    "phone_call",
    "formal_notice",
    "litigation",
    "charge_late_fees",
)

# Code prefixes of the French chart of accounts used for doubtful debts.
DOUBTFUL_ACCOUNT_PREFIXES = {
    "collection_doubtful_account_id": "416",
    "collection_provision_expense_account_id": "68174",
    "collection_provision_account_id": "491",
}


class ResCompany(models.Model):
    """Collection settings of the company: default policy (created with the
    company), reminders, payment plans, ageing buckets, audit thresholds and
    doubtful debts. The late-payment law settings are in res_company_legal.py, the
    risk and credit settings in res_company_risk.py."""

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        string="Default Collection Policy",
        check_company=True,
    )
    collection_auto_send = fields.Boolean(
        string="Send Reminders Automatically",
        default=True,
        help="When unchecked, the daily run prepares draft reminders that a collector "
        "reviews and sends.",
    )
    collection_plan_grace_days = fields.Integer(
        string="Payment Plan Grace Days",
        default=3,
        help="Days after its due date before an unpaid installment breaks its plan.",
    )
    collection_plan_reminder_days = fields.Integer(
        string="Installment Reminder Days",
        default=5,
        help="Days before its due date at which the customer is reminded of an "
        "installment.",
    )
    collection_plan_resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level after a Breached Plan",
        domain="[('company_id', '=', id)]",
        help="When a payment plan is breached, its invoices are put at this level: "
        "the next dunning cycle goes on from it.",
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

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_policy_id")
    def _check_collection_policy_company(self):
        self._check_company(["collection_policy_id"])

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

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._collection_create_default_policy()
        return companies

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_default_policy_values(self):
        """Return the create values of the company's default policy, in English (the
        source language of the translated fields)."""
        self.ensure_one()
        english = self.with_context(lang="en_US").env
        levels = []
        for sequence, level in enumerate(DEFAULT_POLICY_LEVELS, start=1):
            label = level["name"]
            template = self.env.ref(level["mail_template"], raise_if_not_found=False)
            report = self.env.ref(level["report"], raise_if_not_found=False)
            activity = level.get("activity_type") and self.env.ref(
                level["activity_type"], raise_if_not_found=False
            )
            values = {
                "name": english._(label),
                "sequence": sequence * 10,
                "days": level["days"],
                "deadline_days": level["deadline_days"],
                "mail_template_id": template.id if template else False,
                "report_id": report.id if report else False,
                "activity_type_id": activity.id if activity else False,
            }
            values.update({flag: level.get(flag, False) for flag in _LEVEL_FLAGS})
            levels.append(Command.create(values))
        return {
            "name": english._(DEFAULT_POLICY_NAME),
            "company_id": self.id,
            "level_ids": levels,
        }

    def _collection_create_default_policy(self, xmlid=None):
        """Give each company of ``self`` its own copy of the default collection policy,
        translated into the installed languages, and make it the company's default.

        :param xmlid: optional external id (``module.name``) given to the policy, and
            with the level code as suffix to its levels, so that the translation
            export and the languages installed later reach them (the main company's).
        :return: the policies created.
        """
        policies = self.env["account.collection.policy"]
        for company in self:
            policy = (
                policies.sudo()
                .with_context(lang="en_US")
                .create(company._collection_default_policy_values())
            )
            company.sudo().collection_policy_id = policy
            levels = self._collection_default_levels_by_code(policy)
            self._collection_translate_default_policy(policy, levels)
            if xmlid:
                self.env["ir.model.data"]._update_xmlids(
                    [{"xml_id": xmlid, "record": policy, "noupdate": True}]
                    + [
                        {"xml_id": f"{xmlid}_{code}", "record": level, "noupdate": True}
                        for code, level in levels.items()
                    ]
                )
            policies |= policy
        return policies.with_env(self.env)

    @api.model
    def _collection_default_levels_by_code(self, policy):
        by_days = {level.days: level for level in policy.level_ids}
        return {
            level["code"]: by_days[level["days"]] for level in DEFAULT_POLICY_LEVELS
        }

    @api.model
    def _collection_translate_default_policy(self, policy, levels):
        """Write the translations of the policy and level names in every installed
        language but English, from the addon's catalogues (e.g. i18n/fr.po)."""
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        if not langs:
            return

        def translations(label):
            return {lang: self.with_context(lang=lang).env._(label) for lang in langs}

        policy.update_field_translations("name", translations(DEFAULT_POLICY_NAME))
        for level in DEFAULT_POLICY_LEVELS:
            label = level["name"]
            levels[level["code"]].update_field_translations("name", translations(label))

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
