from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_risk import TODAY, RiskCommon

USER = "account_collection.account_collection_group_user"
MANAGER = "account_collection.account_collection_group_manager"


class AccessCommon(RiskCommon):
    """Two companies in two currencies, a customer with overdue invoices in both,
    and one user per role: billing user, collection user and manager, read-only
    accountant (each allowed in one company or both) and the customer's portal
    user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.currency_b = cls.setup_other_currency("EUR")
        cls.company_b = cls.setup_other_company(
            name="Collection B", currency_id=cls.currency_b.id
        )["company"]
        cls.both = cls.company_a | cls.company_b
        cls.policy_b = cls._create_policy(cls.company_b, name="Policy B")
        cls.company_a.collection_policy_id = cls.policy
        cls.company_b.collection_policy_id = cls.policy_b

        cls.billing_user = cls._user("billing", "account.group_account_invoice")
        cls.collector_ab = cls._user("collector_ab", USER, cls.both)
        cls.manager_ab = cls._user("manager_ab", MANAGER, cls.both)
        cls.manager_b = cls._user("manager_b", MANAGER, cls.company_b)
        cls.auditor = cls._user("auditor", "account.group_account_readonly", cls.both)

        cls.customer = cls.env["res.partner"].create(
            {"name": "Two-company customer", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="portal_customer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        # 60 days late in both companies: 1000 USD in A, 500 EUR in B.
        cls.invoice_a = cls._invoices([(cls.customer, 1000.0, "2025-05-01")])
        cls.invoice_b = cls._invoices(
            [(cls.customer, 500.0, "2025-05-01")], company=cls.company_b
        )

    @classmethod
    def _user(cls, login, groups, companies=None):
        """An internal user with ``groups``, allowed in ``companies``; like every
        internal user by default, it may edit contacts."""
        companies = companies or cls.company_data["company"]
        return new_test_user(
            cls.env,
            login=login,
            groups=f"{groups},base.group_partner_manager",
            company_id=companies[0].id,
            company_ids=[Command.set(companies.ids)],
        )

    def _as(self, user, model, companies=None):
        """``model`` as ``user`` would use it, the companies ticked in the company
        switcher being ``companies`` (all the user's companies by default)."""
        companies = companies or user.company_ids.sorted(
            lambda company: company != user.company_id
        )
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=companies.ids)
        )

    def _remind(self, company):
        return self.env["account.collection.engine"]._run_collection_cycle(
            company, date=TODAY, auto_send=False
        )

    @classmethod
    def _note(cls, company=None, **values):
        return cls.env["account.collection.solvency.note"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": (company or cls.company_a).id,
                "source": "credit_insurer",
                **values,
            }
        )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditOverrideRights(AccessCommon):
    """Item 14: credit limits, forced segments and overrides are a manager's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.collection_credit_check = "block"
        # 1000 open against a limit of 500: new invoices are blocked.
        cls.limit_note = cls._note(credit_limit=500.0)

    def _draft(self):
        return self._invoices([(self.customer, 100.0, "2025-07-30")], post=False)

    def test_billing_user_cannot_lift_the_limit_with_a_solvency_note(self):
        self.assertTrue(self.billing_user.has_group(USER), "billing users collect")
        notes = self._as(self.billing_user, "account.collection.solvency.note")
        # A newer note without a limit would mean "no limit".
        with self.assertRaises(AccessError):
            notes.create(
                {
                    "partner_id": self.customer.id,
                    "source": "internal",
                    "credit_limit": 0.0,
                }
            )
        with self.assertRaises(AccessError):
            notes.browse(self.limit_note.id).write({"credit_limit": 100000.0})
        with self.assertRaises(AccessError):
            notes.browse(self.limit_note.id).write({"date_end": "2025-06-29"})
        with self.assertRaises(AccessError):
            notes.browse(self.limit_note.id).unlink()
        self.assertEqual(notes.browse(self.limit_note.id).credit_limit, 500.0)
        invoice = self._draft()
        with self.assertRaisesRegex(UserError, "credit limit"):
            invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_collection_user_cannot_set_limits_segments_or_holds(self):
        self._score(partners=self.customer)
        partner = self._as(self.collector_ab, "res.partner").browse(self.customer.id)
        risk = self._as(self.collector_ab, "account.collection.partner.risk").browse(
            self._risk(self.customer).id
        )
        for vals in (
            {"collection_credit_limit_manual": 100000.0},
            {
                "collection_segment_override_id": self.seg_a.id,
                "collection_override_reason": "Good customer",
            },
            {"collection_credit_hold": True, "collection_credit_hold_reason": "x"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                partner.write(vals)
        with self.assertRaises(AccessError):
            risk.write({"credit_limit_manual": 100000.0})
        with self.assertRaises(AccessError):
            self._as(self.collector_ab, "account.collection.solvency.note").create(
                {
                    "partner_id": self.customer.id,
                    "source": "internal",
                    "min_segment_id": self.seg_a.id,
                }
            )
        with self.assertRaises(AccessError):
            self._as(self.collector_ab, "account.collection.risk.segment").browse(
                self.seg_d.id
            ).blocked = False
        self.assertEqual(partner.collection_credit_limit, 500.0)
        # Reading stays open: the limit in force and the notes behind it.
        self.assertEqual(
            partner.collection_solvency_note_id.credit_limit, 500.0, "users read notes"
        )
        invoice = self._draft()
        with self.assertRaises(AccessError):
            invoice.with_user(self.collector_ab).action_post_collection_override()

    def test_manager_sets_limits_and_overrides(self):
        notes = self._as(self.manager_ab, "account.collection.solvency.note")
        note = notes.create(
            {"partner_id": self.customer.id, "source": "internal", "credit_limit": 0.0}
        )
        partner = self._as(self.manager_ab, "res.partner").browse(self.customer.id)
        self.assertEqual(partner.collection_solvency_note_id, note)
        self.assertEqual(partner.collection_credit_limit, 0.0, "no limit")
        partner.write({"collection_credit_limit_manual": 800.0})
        partner.invalidate_recordset()
        self.assertEqual(partner.collection_credit_limit, 800.0)
        invoice = self._draft()
        with self.assertRaisesRegex(UserError, "credit limit"):
            invoice.with_user(self.manager_ab).action_post()
        invoice.with_user(self.manager_ab).action_post_collection_override()
        self.assertEqual(invoice.state, "posted")

    def test_charges_and_reminder_lines_are_written_by_the_services(self):
        self.company_a.collection_credit_check = "none"
        # The services write them for a collection user.
        communication = self._as(
            self.billing_user, "account.collection.engine"
        )._run_collection_cycle(self.company_a, auto_send=False)
        self.assertEqual(communication.line_ids.move_id, self.invoice_a)
        self.assertEqual(communication.line_ids.create_uid, self.billing_user)
        self.invoice_a.with_user(self.billing_user).action_collection_charge_late_fees()
        charge = self.invoice_a.collection_charge_ids
        self.assertTrue(charge)
        self.assertEqual(charge.create_uid, self.billing_user)
        # Users only read them (a manager may correct them).
        for user in (self.billing_user, self.collector_ab):
            lines = self._as(user, "account.collection.communication.line")
            charges = self._as(user, "account.collection.charge")
            line = lines.browse(communication.line_ids.id)
            mine = charges.browse(charge.id)
            with self.subTest(user=user.login):
                self.assertTrue(line.amount_residual)
                self.assertTrue(mine.interest_amount)
                with self.assertRaises(AccessError):
                    line.amount_residual = 1.0
                with self.assertRaises(AccessError):
                    mine.interest_amount = 1.0
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    line.unlink()
                with self.assertRaises(AccessError):
                    lines.create(
                        {
                            "communication_id": communication.id,
                            "move_line_id": line.move_line_id.id,
                        }
                    )
                with self.assertRaises(AccessError):
                    charges.create(
                        {
                            "charge_move_id": mine.charge_move_id.id,
                            "source_move_id": self.invoice_a.id,
                            "date_to": TODAY,
                        }
                    )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestMultiCompanyCollection(AccessCommon):
    """Item 15: each company's collection runs in that company."""

    def test_send_now_runs_in_the_invoice_company(self):
        moves = self._as(self.collector_ab, "account.move")
        self.assertEqual(moves.env.company, self.company_a)
        action = moves.browse(self.invoice_b.id).action_collection_send_now()
        communication = self.env["account.collection.communication"].browse(
            action["res_id"]
        )
        self.assertEqual(communication.company_id, self.company_b)
        self.assertEqual(communication.policy_id, self.policy_b)
        self.assertEqual(communication.currency_id, self.currency_b)
        self.assertEqual(communication.line_ids.move_id, self.invoice_b)

    def test_send_now_on_invoices_of_two_companies(self):
        moves = self._as(self.collector_ab, "account.move")
        action = moves.browse(
            (self.invoice_a | self.invoice_b).ids
        ).action_collection_send_now()
        communications = self.env["account.collection.communication"].search(
            action["domain"]
        )
        self.assertEqual(communications.company_id, self.both)
        for communication in communications:
            self.assertEqual(
                communication.line_ids.move_id.company_id, communication.company_id
            )

    def test_customer_amounts_are_those_of_the_current_company(self):
        for company, amount, currency in (
            (self.company_a, 1000.0, self.company_a.currency_id),
            (self.company_b, 500.0, self.currency_b),
        ):
            partner = self._as(
                self.collector_ab, "res.partner", company | self.both
            ).browse(self.customer.id)
            with self.subTest(company=company.name):
                self.assertEqual(partner.env.company, company)
                self.assertAlmostEqual(partner.collection_amount_due, amount)
                self.assertAlmostEqual(partner.collection_amount_overdue, amount)
                self.assertEqual(partner.collection_currency_id, currency)
                self.assertEqual(
                    partner._fields["collection_amount_due"].currency_field,
                    "collection_currency_id",
                )

    def test_customer_policy_belongs_to_the_company(self):
        partner = self.customer.with_company(self.company_a)
        with self.assertRaises(UserError):
            partner.collection_policy_id = self.policy_b
        partner.collection_policy_id = self.policy
        self.customer.with_company(self.company_b).collection_policy_id = self.policy_b
        self.assertEqual(partner.collection_policy_id, self.policy)
        with self.assertRaises(UserError):
            self.company_a.collection_policy_id = self.policy_b
        # The customer is reminded in both companies with each company's policy.
        self.assertEqual(self._remind(self.company_a).policy_id, self.policy)
        self.assertEqual(self._remind(self.company_b).policy_id, self.policy_b)

    def test_run_wizard_refuses_companies_the_user_cannot_access(self):
        wizards = self._as(self.billing_user, "account.collection.run.wizard")
        wizard = wizards.create({"date": TODAY, "company_ids": self.company_b.ids})
        with self.assertRaises(AccessError):
            wizard.action_preview()
        self.assertFalse(
            self.env["account.collection.communication"].search(
                [("company_id", "=", self.company_b.id)]
            )
        )
        # Allowed in both, working in A only: B is refused too.
        wizard = self._as(
            self.collector_ab, "account.collection.run.wizard", self.company_a
        ).create({"date": TODAY, "company_ids": self.both.ids})
        with self.assertRaises(AccessError):
            wizard.action_preview()
        wizard = self._as(self.collector_ab, "account.collection.run.wizard").create(
            {"date": TODAY}
        )
        self.assertEqual(wizard.company_ids, self.both)
        action = wizard.action_preview()
        communications = self.env["account.collection.communication"].search(
            action["domain"]
        )
        self.assertEqual(communications.company_id, self.both)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRoles(AccessCommon):
    """Item 16: what each role sees and does, in two companies."""

    COLLECTION_MODELS = (
        "account.collection.policy",
        "account.collection.level",
        "account.collection.communication",
        "account.collection.communication.line",
        "account.collection.charge",
        "account.collection.solvency.note",
        "account.collection.partner.risk",
        "account.collection.risk.segment",
        "account.collection.plan",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Friendly reminders of May in both companies, a note and a scoring in each.
        with freeze_time("2025-05-20"):
            cls.communication_a = cls.env[
                "account.collection.engine"
            ]._run_collection_cycle(cls.company_a, auto_send=False)
            cls.communication_b = cls.env[
                "account.collection.engine"
            ]._run_collection_cycle(cls.company_b, auto_send=False)
        cls.note_a = cls._note(credit_limit=5000.0)
        cls.note_b = cls._note(cls.company_b, credit_limit=3000.0)
        for company in cls.both:
            cls.env["account.collection.risk.scoring"]._score_company(
                company, {cls.customer.id}
            )

    def _visible(self, user, model, companies=None):
        return self._as(user, model, companies).search([])

    def _assert_no_access(self, user, models=COLLECTION_MODELS):
        for model in models:
            with self.subTest(user=user.login, model=model):
                with self.assertRaises(AccessError):
                    self._as(user, model).search([])
                with self.assertRaises(AccessError):
                    self._as(user, model).create({})

    def test_billing_user(self):
        """Invoicing users collect the invoices of their company: they see its
        reminders, send them and record promises and disputes, but set no limit
        and see nothing of the other company."""
        user = self.billing_user
        self.assertEqual(
            self._visible(user, "account.collection.communication"),
            self.communication_a,
        )
        self.assertEqual(
            self._visible(user, "account.collection.solvency.note"), self.note_a
        )
        self.assertEqual(
            self._visible(user, "account.collection.partner.risk").company_id,
            self.company_a,
        )
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.communication").browse(
                self.communication_b.id
            ).read(["amount_due"])
        self.assertNotIn(self.invoice_b, self._visible(user, "account.move"))
        # Its work: remind now, dispute, promise.
        invoice = self._as(user, "account.move").browse(self.invoice_a.id)
        action = invoice.action_collection_send_now()
        communication = self.env["account.collection.communication"].browse(
            action["res_id"]
        )
        self.assertEqual(communication.company_id, self.company_a)
        self.assertEqual(communication.create_uid, user)
        invoice.action_collection_dispute()
        self.assertEqual(invoice.collection_block_reason, "dispute")
        partner = self._as(user, "res.partner").browse(self.customer.id)
        partner._collection_record_promise(TODAY, 100.0)
        self.assertEqual(partner.collection_promise_amount, 100.0)
        # Configuration and credit are a manager's.
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.policy").create(
                {"name": "Mine", "company_id": self.company_a.id}
            )
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.policy").browse(
                self.policy.id
            ).min_interval_days = 0
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.solvency.note").create(
                {"partner_id": self.customer.id, "source": "internal"}
            )
        with self.assertRaises(AccessError):
            communication.with_user(user).unlink()
        # The other company is out of reach.
        with self.assertRaises(AccessError):
            self._as(user, "account.move").browse(
                self.invoice_b.id
            ).action_collection_send_now()
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.run.wizard").create(
                {"company_ids": self.company_b.ids}
            ).action_preview()

    def test_collection_user_in_two_companies(self):
        """A collector of both companies sees the reminders of the companies
        ticked in its company switcher, and runs the cycle of each."""
        user = self.collector_ab
        communications = self.communication_a | self.communication_b
        self.assertEqual(
            self._visible(user, "account.collection.communication"), communications
        )
        self.assertEqual(
            self._visible(user, "account.collection.communication", self.company_b),
            self.communication_b,
        )
        self.assertEqual(
            self._visible(user, "account.collection.solvency.note"),
            self.note_a | self.note_b,
        )
        lines = self._visible(user, "account.collection.communication.line")
        self.assertEqual(lines.move_id, self.invoice_a | self.invoice_b)
        wizard = self._as(user, "account.collection.run.wizard").create({})
        action = wizard.action_preview()
        drafts = self.env["account.collection.communication"].search(action["domain"])
        self.assertEqual(drafts.company_id, self.both)
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertEqual(drafts.create_uid, user)
        with self.assertRaises(AccessError):
            self._as(user, "account.collection.partner.risk").search(
                [("company_id", "=", self.company_b.id)]
            ).credit_hold = True

    def test_collection_manager_of_one_company(self):
        """A manager of company B configures and sets the credit of B only."""
        user = self.manager_b
        self.assertEqual(
            self._visible(user, "account.collection.communication"),
            self.communication_b,
        )
        policies = self._as(user, "account.collection.policy")
        self.assertEqual(
            self._visible(user, "account.collection.policy").company_id,
            self.company_b,
        )
        policy = policies.create({"name": "Strict", "company_id": self.company_b.id})
        self.assertEqual(policy.company_id, self.company_b)
        with self.assertRaises(AccessError):
            policies.create({"name": "Elsewhere", "company_id": self.company_a.id})
        with self.assertRaises(AccessError):
            policies.browse(self.policy.id).name = "Renamed"
        notes = self._as(user, "account.collection.solvency.note")
        self.assertEqual(notes.search([]), self.note_b)
        notes.browse(self.note_b.id).credit_limit = 9000.0
        with self.assertRaises(AccessError):
            notes.create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_a.id,
                    "source": "internal",
                }
            )
        partner = self._as(user, "res.partner").browse(self.customer.id)
        partner.write(
            {
                "collection_credit_hold": True,
                "collection_credit_hold_reason": "Court procedure",
            }
        )
        partner.invalidate_recordset()
        self.assertTrue(partner.collection_credit_blocked)
        self.assertEqual(partner.collection_solvency_note_id.credit_limit, 9000.0)
        self.assertTrue(self._risk(self.customer, self.company_b).credit_hold)
        self.assertFalse(self._risk(self.customer, self.company_a).credit_hold)

    def test_read_only_accountant(self):
        """An auditor sees the invoices and customers of both companies, with no
        collection data nor action."""
        user = self.auditor
        invoices = self._as(user, "account.move").browse(
            (self.invoice_a | self.invoice_b).ids
        )
        self.assertEqual(invoices.mapped("amount_total"), [1000.0, 500.0])
        for model, record in (
            ("account.move", self.invoice_a),
            ("res.partner", self.customer),
        ):
            with self.subTest(model=model):
                records = self._as(user, model)
                views = records.get_views([(False, "form")])
                self.assertNotIn("collection_level_id", views["views"]["form"]["arch"])
                arch = etree.fromstring(views["views"]["form"]["arch"])
                # What the web client reads: the fields of the form itself.
                fields = set(arch.xpath("//field[not(ancestor::field)]/@name"))
                self.assertTrue(records.browse(record.id).read(list(fields)))
        self._assert_no_access(user)
        with self.assertRaises(AccessError):
            invoices[0].action_collection_send_now()
        with self.assertRaises(AccessError):
            invoices[0].action_collection_dispute()
        self.assertFalse(self.invoice_a.collection_blocked)

    def test_portal_user(self):
        """The customer sees its invoices in the portal, none of their
        collection."""
        user = self.portal_user
        invoices = self._visible(user, "account.move")
        self.assertEqual(invoices, self.invoice_a)
        self._assert_no_access(user)
        for fname in (
            "collection_level_id",
            "collection_block_note",
            "collection_line_ids",
            "collection_late_fee_details",
        ):
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                invoices.read([fname])
        partner = self._as(user, "res.partner").browse(self.customer.id)
        for fname in ("collection_user_id", "collection_amount_due"):
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                partner.read([fname])
        # What the invoice tells the customer stays readable.
        self.assertTrue(invoices.read(["collection_penalty_rate_text"]))
        with self.assertRaises(AccessError):
            invoices[0].action_collection_send_now()
