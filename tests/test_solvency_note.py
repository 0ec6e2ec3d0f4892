from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSolvencyNote(RiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.note_model = cls.env["account.collection.solvency.note"]
        cls.customer = cls._create_partners(1, prefix="Rated")
        cls.activity_type = cls.env.ref(
            "account_collection.mail_activity_type_solvency_review"
        )

    def _note(self, **values):
        return self.note_model.create(
            {"partner_id": self.customer.id, "source": "banque_de_france", **values}
        )

    def _review_activities(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_validity_defaults_to_twelve_months(self):
        with Form(self.note_model.with_user(self.collection_manager)) as form:
            form.partner_id = self.customer
            form.source = "credit_bureau"
            form.rating = "7/10"
            form.credit_limit = 15000.0
        note = form.record
        self.assertEqual(note.date, TODAY)
        self.assertEqual(note.date_end, date(2026, 6, 30))
        self.assertEqual(note.user_id, self.collection_manager)
        self.assertEqual(note.company_id, self.company)
        self.assertEqual(note.state, "valid")
        with Form(note) as form:
            form.date = date(2025, 1, 15)
        self.assertEqual(note.date_end, date(2026, 6, 30), "an end date set stays")

    def test_note_belongs_to_the_commercial_entity(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        note = self.note_model.create({"partner_id": contact.id, "source": "internal"})
        self.assertEqual(note.partner_id, self.customer)

    def test_invalid_notes(self):
        with self.assertRaises(ValidationError):
            self._note(date=date(2025, 6, 1), date_end=date(2025, 5, 1))
        with self.assertRaises(ValidationError):
            self._note(credit_limit=-10.0)

    def test_latest_valid_note_on_customer_and_invoices(self):
        self._note(date=date(2024, 1, 10), rating="3")  # expired in January
        older = self._note(date=date(2025, 1, 10), rating="4", credit_limit=8000.0)
        latest = self._note(date=date(2025, 5, 2), rating="4+", credit_limit=20000.0)
        self._note(date=date(2025, 9, 1), rating="5")  # not valid yet
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        self.assertEqual(self.customer.collection_solvency_note_id, latest)
        self.assertEqual(contact.collection_solvency_note_id, latest)
        invoice = self._invoices([(contact, 100.0, "2025-07-30")])
        self.assertEqual(invoice.collection_solvency_note_id, latest)
        self.assertEqual(self._risk(self.customer).note_state, "valid")
        self.assertEqual(self.customer.collection_credit_limit, 20000.0)
        latest.unlink()
        self.customer.invalidate_recordset()
        invoice.invalidate_recordset()
        self.assertEqual(self.customer.collection_solvency_note_id, older)
        self.assertEqual(invoice.collection_solvency_note_id, older)
        self.assertEqual(self.customer.collection_credit_limit, 8000.0)

    def test_review_activity_is_created_once(self):
        self.company.write(
            {
                "collection_solvency_exposure": 1000.0,
                "collection_risk_user_id": self.collection_manager.id,
            }
        )
        small = self._create_partners(1, prefix="Small")
        self.customer.with_company(
            self.company
        ).collection_user_id = self.collection_user
        self._invoices(
            [(self.customer, 5000.0, "2025-07-30"), (small, 500.0, "2025-07-30")]
        )
        self.risk_model._cron_score_customers()
        activity = self._review_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collection_user)
        self.assertFalse(self._review_activities(small), "below the threshold")
        self.risk_model._cron_score_customers()
        self.assertEqual(self._review_activities(), activity, "no duplicate")
        # Done without a new note: not asked again for the same situation.
        activity.action_feedback(feedback="Rating requested")
        self.risk_model._cron_score_customers()
        self.assertFalse(self._review_activities())
        # A note is recorded; when it expires, a new review is asked, to the
        # company's reviewer now that the customer has no collector.
        self._note(date=date(2025, 6, 1), date_end=date(2025, 6, 20))
        self.customer.with_company(self.company).collection_user_id = False
        self.risk_model._cron_score_customers()
        activity = self._review_activities()
        self.assertEqual(activity.user_id, self.collection_manager)
        self.assertIn("expired", str(activity.note))
        self.assertIn("on 06/20/2025", str(activity.note))
        self.assertEqual(self._risk(self.customer).solvency_review_date, TODAY)

    def test_no_review_with_a_valid_note_or_when_disabled(self):
        self.company.collection_solvency_exposure = 1000.0
        self.customer.with_company(
            self.company
        ).collection_user_id = self.collection_user
        self._invoices([(self.customer, 5000.0, "2025-07-30")])
        self._note()
        self.risk_model._cron_score_customers()
        self.assertFalse(self._review_activities())
        self.company.collection_solvency_exposure = 0.0
        self.env["account.collection.solvency.note"].search([]).unlink()
        self.risk_model._cron_score_customers()
        self.assertFalse(self._review_activities())

    def test_access_rights(self):
        # Notes set the credit limit: users read them, managers record them.
        note = self._note().with_user(self.collection_user)
        self.assertEqual(note.rating, False)
        with self.assertRaises(AccessError):
            note.rating = "5+"
        with self.assertRaises(AccessError):
            note.unlink()
        note.with_user(self.collection_manager).rating = "5+"
        note.with_user(self.collection_manager).unlink()
        other = self.setup_other_company()["company"]
        foreign = self._note(company_id=other.id)
        self.assertFalse(
            self.note_model.with_user(self.collection_user).search(
                [("id", "=", foreign.id)]
            )
        )
