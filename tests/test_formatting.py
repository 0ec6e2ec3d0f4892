"""What a user reads is formatted as Odoo formats it for their language (issue
#14, item 4): amounts with their currency, dates in the reader's format, never
``1000.0`` nor ``2025-07-04``."""

import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CycleCommon

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestFormattedMessages(CycleCommon):
    def assertReadable(self, text, *expected):
        self.assertNotRegex(str(text), ISO_DATE)
        for part in expected:
            self.assertIn(part, str(text))

    def test_promise_in_the_chatter(self):
        self.partner_a._collection_record_promise(date(2025, 7, 4), 1000.0)
        self.assertReadable(
            self.partner_a.message_ids[0].body, "$&nbsp;1,000.00", "07/04/2025"
        )
        self.assertNotIn("1000.0", self.partner_a.message_ids[0].body)
        self.partner_a._collection_settle_promise(kept=True)
        self.assertReadable(
            self.partner_a.message_ids[0].body, "$&nbsp;1,000.00", "07/04/2025", "kept"
        )
        self.partner_a._collection_record_promise(date(2025, 7, 4), 250.0)
        self.partner_a._collection_settle_promise(kept=False)
        self.assertReadable(
            self.partner_a.message_ids[0].body, "$&nbsp;250.00", "07/04/2025", "broken"
        )

    def test_promise_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        partner = self.partner_a.with_context(lang="fr_FR")
        partner._collection_record_promise(date(2025, 7, 4), 1000.0)
        body = partner.message_ids[0].body
        self.assertReadable(body, "04/07/2025", "$")
        self.assertNotIn("1000.0", body)

    def test_reminder_name_in_its_collectors_format(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        reminder = self._run(auto_send=False)
        self.assertReadable(reminder.name, "06/30/2025", self.partner_a.name)
        self.collection_user.lang = "fr_FR"
        reminder.user_id = self.collection_user
        reminder.partner_id = self.partner_a  # recompute the stored name
        self.assertReadable(reminder.name, "30/06/2025")

    def test_hand_over_note_of_the_invoices(self):
        self.levels[2].write({"litigation": True, "send_letter": False})
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        communication.mail_id._send()
        self.assertEqual(invoice.collection_block_reason, "litigation")
        self.assertReadable(invoice.collection_block_note, "06/30/2025")

    def test_installment_above_zero_error(self):
        invoice = self._post_invoice(self.partner_a, 900.0, "2025-06-20")
        plan = self.env["account.collection.plan"].create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "date": "2025-06-30",
                "date_start": "2025-07-15",
                "installment_count": 3,
                "frequency": "monthly",
            }
        )
        plan.action_generate_installments()
        with self.assertRaises(ValidationError) as error:
            plan.installment_ids[0].amount = 0.0
        self.assertReadable(error.exception, "07/15/2025")

    def test_titles_of_the_preview_and_the_aged_analysis(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-28")
        preview = (
            self.env["account.collection.run.wizard"]
            .create(
                {"date": "2025-07-05", "company_ids": [Command.set(self.company.ids)]}
            )
            .action_preview()
        )
        self.assertReadable(preview["name"], "07/05/2025")
        analysis = (
            self.env["account.collection.aged.wizard"]
            .create({"as_of_date": "2025-06-01"})
            .action_open_analysis()
        )
        self.assertReadable(analysis["display_name"], "06/01/2025")
        # The context keeps the technical date the report reads.
        self.assertEqual(analysis["context"]["collection_as_of"], "2025-06-01")

    def test_excel_subtitle_and_audit_name(self):
        subtitle = self.env["account.collection.xlsx"]._company_subtitle(
            self.company, date(2025, 6, 30)
        )
        self.assertReadable(subtitle, "06/30/2025")
        audit = self.env["account.collection.audit"].create(
            {"company_id": self.company.id}
        )
        self.assertReadable(audit.name, "06/30/2025")
