from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CollectionCommon


class DunningRulesCommon(CollectionCommon):
    """The company's default French policy (courtesy D-5, friendly D+7, firm D+15 with
    a phone call, formal notice D+30 charging the late fees, litigation D+45), sent
    without emails so that the channels that matter here are the phone calls, the
    letters and the late fees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_policy = cls.company.collection_policy_id
        cls.default_policy.level_ids.write({"send_email": False})
        cls.level = {
            level.days: level for level in cls.default_policy.level_ids
        }  # -5, 7, 15, 30, 45
        cls.customer = cls.env["res.partner"].create(
            {"name": "Menuiserie Girard", "is_company": True}
        )
        cls.engine = cls.env["account.collection.engine"]

    def _run(self, day):
        with freeze_time(day):
            return self.engine._run_collection_cycle(self.company)

    def _late_fee_invoices(self):
        return self.env["account.move"].search(
            [
                ("collection_charge_invoice", "=", True),
                ("partner_id", "=", self.customer.id),
            ]
        )

    @classmethod
    def _post_credit_note(cls, partner, amount, day):
        credit_note = cls.init_invoice(
            "out_refund",
            partner=partner,
            invoice_date=fields.Date.to_date(day),
            amounts=[amount],
            taxes=[],
        )
        credit_note.write(
            {
                "invoice_payment_term_id": False,
                "invoice_date_due": fields.Date.to_date(day),
            }
        )
        credit_note.action_post()
        return credit_note


@tagged("post_install", "-at_install")
class TestInstallmentDunning(DunningRulesCommon):
    """An invoice whose payment term has several installments has one receivable line
    per installment; each installment is reminded once per level it reaches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Invoiced on 15 May 2025: 500 due on 14 June, 500 due on 1 July.
        cls.two_installments = cls.env["account.payment.term"].create(
            {
                "name": "50% at 30 days, 50% at 47 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 47}
                    ),
                ],
            }
        )

    def _post_installment_invoice(self, invoice_date="2025-05-15"):
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date=fields.Date.to_date(invoice_date),
            amounts=[1000.0],
            taxes=[],
        )
        invoice.invoice_payment_term_id = self.two_installments
        invoice.action_post()
        return invoice

    def test_overdue_from_the_first_unpaid_installment(self):
        """Odoo's due date of an invoice with installments is the last one (1 July):
        on 20 June the invoice is overdue by its first installment (14 June), 6 days,
        and listed by Overdue Invoices; once that installment is paid it is not."""
        invoice = self._post_installment_invoice()
        self.assertEqual(invoice.invoice_date_due, date(2025, 7, 1))
        overdue = [
            ("collection_first_due_date", "<", date(2025, 6, 20)),
            ("id", "=", invoice.id),
        ]
        with freeze_time("2025-06-20"):
            move = invoice.with_user(self.collection_user)
            self.assertEqual(move.collection_first_due_date, date(2025, 6, 14))
            self.assertEqual(move.collection_days_overdue, 6)
            self.assertEqual(move.search(overdue), invoice)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {"amount": 500.0, "payment_date": date(2025, 6, 20)}
            )._create_payments()
            invoice.invalidate_recordset()
            self.assertEqual(invoice.payment_state, "partial")
            self.assertEqual(move.collection_first_due_date, date(2025, 7, 1))
            self.assertEqual(move.collection_days_overdue, 0)
            self.assertFalse(move.search(overdue))
        with self.assertRaises(UserError):
            invoice.search([("collection_first_due_date", ">", date(2025, 6, 20))])

    def test_installments_level_is_the_highest_one_reached(self):
        invoice = self._post_installment_invoice()
        installments = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).sorted("date_maturity")
        self.assertEqual(
            installments.mapped("date_maturity"),
            [date(2025, 6, 14), date(2025, 7, 1)],
        )

        # 30 June: the first installment is 16 days overdue (firm reminder), the
        # second one due tomorrow (courtesy).
        first = self._run("2025-06-30")
        self.assertEqual(first.level_id, self.level[15])
        self.assertEqual(len(first.activity_ids), 1, "one phone call")
        self.assertEqual(
            {line.move_line_id: line.level_id for line in first.line_ids},
            {installments[0]: self.level[15], installments[1]: self.level[-5]},
        )
        # The invoice is at the highest level one of its installments reached; its
        # next reminder is the formal notice of the first installment on 14 July.
        self.assertEqual(invoice.collection_level_id, self.level[15])
        self.assertEqual(invoice.collection_next_date, date(2025, 7, 14))

        # 6 July: no installment reached a new level: no second firm reminder nor
        # phone call. 8 July: the second installment reaches the friendly level,
        # below the firm level the invoice was reminded at: nothing either.
        self.assertFalse(self._run("2025-07-06"))
        self.assertFalse(self._run("2025-07-08"))
        self.assertEqual(invoice.collection_level_id, self.level[15])

        # 14 July: the first installment reaches the formal notice.
        notice = self._run("2025-07-14")
        self.assertEqual(notice.level_id, self.level[30])
        self.assertEqual(invoice.collection_level_id, self.level[30])
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", first._name),
                    ("res_id", "in", (first | notice).ids),
                ]
            ),
            1,
            "one phone call in all",
        )

    def test_installments_formal_notice_is_not_repeated(self):
        # The late fees are charged by hand here: a late-fee invoice is a new
        # invoice of the customer, with reminders of its own.
        self.level[30].charge_late_fees = False
        # Invoiced on 1 May: 500 due on 31 May (30 days overdue on 30 June, formal
        # notice), 500 due on 17 June (friendly).
        invoice = self._post_installment_invoice("2025-05-01")
        notice = self._run("2025-06-30")
        self.assertEqual(notice.level_id, self.level[30])
        self.assertTrue(notice.formal_notice)
        self.assertEqual(invoice.collection_level_id, self.level[30])
        # Both installments are overdue: one indemnity for the invoice, as the late
        # fees compute it.
        indemnity = notice._get_notice_recovery_indemnity()
        self.assertIn("40.00", indemnity)
        self.assertNotIn("80.00", indemnity)
        self.assertEqual(invoice.collection_late_indemnity, 40.0)

        # 5 July: the second installment reached the firm level on 2 July, below
        # the formal notice the invoice was sent: no second formal notice.
        self.assertFalse(self._run("2025-07-05"))
        self.assertEqual(
            self.env["account.collection.communication"].search_count(
                [("partner_id", "=", self.customer.id), ("formal_notice", "=", True)]
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestNetCreditDunning(DunningRulesCommon):
    """Open credit notes and unallocated payments are set off against the invoices
    due, oldest first, before the levels are worked out."""

    def _credit_activities(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "account_collection.mail_activity_type_collection_credit"
                    ).id,
                ),
            ]
        )

    def test_net_credit_no_reminder_no_late_fee_but_one_activity(self):
        self.customer.collection_user_id = self.collection_user
        self._post_invoice(self.customer, 100.0, "2025-05-31", "2025-05-01")
        self._post_credit_note(self.customer, 300.0, "2025-06-10")

        # 1 July: the invoice is 31 days overdue but the credit note covers it.
        self.assertFalse(self._run("2025-07-01"))
        self.assertFalse(self._late_fee_invoices())
        activity = self._credit_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collection_user)
        self.assertIn("300.00", activity.note)

        # Created once, not every day; once done, not again while no new credit
        # comes in.
        self.assertFalse(self._run("2025-07-02"))
        self.assertEqual(self._credit_activities(), activity)
        with freeze_time("2025-07-03"):
            activity.action_done()
        self.assertFalse(self._run("2025-07-04"))
        self.assertFalse(self._credit_activities())
        self.assertFalse(self._late_fee_invoices())

        # A reminder by hand is refused too, with the reason.
        with freeze_time("2025-07-04"), self.assertRaisesRegex(UserError, "credit"):
            self.customer.action_collection_send_now()

    def test_net_credit_below_the_minimum_amount_keeps_the_level_below(self):
        # The formal notice of the test policy needs 100 due: 150 less a credit
        # note of 100 leaves 50, a friendly reminder.
        self.company.collection_policy_id = self.policy
        invoice = self._post_invoice(self.customer, 150.0, "2025-05-31", "2025-05-01")
        credit_note = self._post_credit_note(self.customer, 100.0, "2025-06-10")
        communication = self._run("2025-07-01")
        friendly = self.policy.level_ids.filtered(lambda level: level.days == 7)
        self.assertEqual(communication.level_id, friendly)
        self.assertFalse(communication.formal_notice)
        self.assertEqual(communication.line_ids.move_id, invoice | credit_note)
        self.assertEqual(invoice.collection_level_id, friendly)

    def test_net_credit_covers_the_oldest_invoices_first(self):
        old = self._post_invoice(self.customer, 1000.0, "2025-05-20", "2025-04-20")
        recent = self._post_invoice(self.customer, 300.0, "2025-06-20", "2025-05-20")
        credit_note = self._post_credit_note(self.customer, 1000.0, "2025-06-25")
        communication = self._run("2025-07-01")
        # The old invoice (42 days overdue) is covered by the credit note: listed,
        # at no level; the recent one (11 days) gets a friendly reminder, not a
        # formal notice claiming what the customer does not owe.
        self.assertEqual(communication.level_id, self.level[7])
        self.assertEqual(communication.line_ids.move_id, old | recent | credit_note)
        self.assertFalse(
            communication.line_ids.filtered(lambda line: line.move_id == old).level_id
        )
        self.assertAlmostEqual(communication.amount_claimed, 300.0)
        self.assertFalse(old.collection_level_id)
        self.assertEqual(recent.collection_level_id, self.level[7])
        self.assertFalse(self._late_fee_invoices())
        self.assertFalse(self._credit_activities())


@tagged("post_install", "-at_install")
class TestInsolvencyDunning(DunningRulesCommon):
    """From the opening judgment of a sauvegarde, redressement or liquidation
    judiciaire, the customer's claims are no longer reminded (Code de commerce
    L622-21)."""

    def _open_procedure(self, day="2025-06-20", procedure="receivership"):
        self.customer.write(
            {
                "collection_insolvency": procedure,
                "collection_insolvency_date": day,
            }
        )

    def test_insolvency_stops_reminders_formal_notices_and_litigation(self):
        invoice = self._post_invoice(self.customer, 1000.0, "2025-05-10", "2025-04-10")
        with freeze_time("2025-07-01"):
            self._open_procedure("2025-06-20")
        # 52 days overdue: litigation level, yet nothing goes out.
        self.assertFalse(self._run("2025-07-01"))
        self.assertFalse(invoice.collection_blocked)
        self.assertFalse(invoice.collection_level_id)
        self.assertFalse(self._late_fee_invoices())
        with freeze_time("2025-07-01"), self.assertRaisesRegex(UserError, "insolvency"):
            invoice.action_collection_send_now()
        # The procedure is closed: reminders resume.
        self.customer.collection_insolvency = False
        self.assertEqual(self._run("2025-07-02").level_id, self.level[45])

    def test_insolvency_judgment_date_is_required_and_not_in_the_future(self):
        with freeze_time("2025-07-01"):
            with self.assertRaises(ValidationError):
                self._open_procedure(False)
            with self.assertRaises(ValidationError):
                self._open_procedure("2025-07-02")
            self._open_procedure("2025-07-01", "liquidation")

    def test_insolvency_shows_on_the_invoice_and_customer_lists(self):
        invoice = self._post_invoice(self.customer, 1000.0, "2025-05-10", "2025-04-10")
        other = self._post_invoice(self.partner_a, 1000.0, "2025-05-10", "2025-04-10")
        with freeze_time("2025-07-01"):
            self._open_procedure("2025-06-20", "safeguard")
        moves = invoice | other
        self.assertEqual(invoice.collection_insolvency, "safeguard")
        self.assertEqual(
            moves.search(
                [("id", "in", moves.ids), ("collection_insolvency", "!=", False)]
            ),
            invoice,
        )
        self.assertEqual(
            self.env["res.partner"].search(
                [("collection_insolvency", "!=", False), ("id", "=", self.customer.id)]
            ),
            self.customer,
        )
        views = {
            "account.move": ("account.view_out_invoice_tree", "list"),
            "res.partner": ("base.view_partner_tree", "list"),
            "account.collection.aged.receivable": (
                "account_collection.account_collection_aged_receivable_view_list",
                "list",
            ),
        }
        for model, (xmlid, view_type) in views.items():
            arch = self.env[model].get_view(self.env.ref(xmlid).id, view_type)["arch"]
            self.assertIn("collection_insolvency", arch, model)
        searches = {
            "account.move": "account.view_account_invoice_filter",
            "res.partner": "base.view_res_partner_filter",
        }
        for model, xmlid in searches.items():
            arch = self.env[model].get_view(self.env.ref(xmlid).id, "search")["arch"]
            self.assertIn("collection_insolvency", arch, model)
