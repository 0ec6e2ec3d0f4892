import io
import re
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .test_notices import NoticesCommon

BATCH_MODEL = "odoo.addons.account_collection.models.account_collection_notice_batch"
SUPPORTED = (
    f"{BATCH_MODEL}.AccountCollectionNoticeBatch._collection_batch_pdf_supported"
)
# wkhtmltopdf builds print warnings on their options; a chunk rendered one by one
# says so at INFO level.
REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"


@tagged("post_install", "-at_install")
class TestNoticeBatch(NoticesCommon):
    """Three French customers reach the formal notice: their notices are rendered
    with one wkhtmltopdf call and split per communication (the patched build), or
    one call each (Debian's build); the same PDFs either way, for Print Letters and
    for the mail queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.customer_fr
        for name in ("Fromagerie Durand SARL", "Cafe du Parc SAS"):
            partner = cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "lang": "fr_FR",
                    "city": "Lyon",
                    "email": f"{name.split()[0].lower()}@example.com",
                }
            )
            cls.customers |= partner
            cls.moves_by_partner = getattr(cls, "moves_by_partner", {})
            cls.moves_by_partner[partner] = cls._create_open_items(partner)
        cls.moves_by_partner[cls.customer_fr] = cls.moves_fr
        cls.names = cls.customers.mapped("name")

    def setUp(self):
        super().setUp()
        # wkhtmltopdf loads the assets from this server, through the test's cursor.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def _communications(self, **values):
        communications = self.env["account.collection.communication"]
        for partner in self.customers:
            communications |= self._create_communication(
                partner, self.levels[30], moves=self.moves_by_partner[partner]
            )
        communications.write(values)
        return communications.with_context(force_report_rendering=True)

    def _count_wkhtmltopdf_calls(self):
        """The bodies of each wkhtmltopdf call, Odoo's rendering running as is."""
        calls = []
        reports = type(self.env["ir.actions.report"])
        original = reports._run_wkhtmltopdf

        def spy(this, bodies, *args, **kwargs):
            calls.append(len(bodies))
            return original(this, bodies, *args, **kwargs)

        self.startPatcher(patch.object(reports, "_run_wkhtmltopdf", spy))
        return calls

    def _force_batch(self, supported):
        self.startPatcher(patch(SUPPORTED, return_value=supported))

    def _text(self, content):
        self.assertTrue(content.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(content))
        return "".join(page.extract_text() for page in reader.pages)

    def _assert_own_notice(self, communication, content):
        """The PDF of ``communication`` names its customer, and no other."""
        text = self._text(content)
        self.assertIn("Mise en demeure de payer", text)
        for name in self.names:
            if name == communication.partner_id.name:
                self.assertIn(name, text)
            else:
                self.assertNotIn(name, text)

    @mute_logger(REPORT_LOGGER)
    def test_batches_wait_the_notice_delay_not_odoo_report_delay(self):
        """A chunk's conversion waits account_collection.notice_print_delay for
        scripts (notices have none), not report.print_delay, which Odoo gives
        every report (1,000 ms, two thirds of a chunk's conversion)."""
        reports = self.env["ir.actions.report"]
        paperformat = self.env.company.paperformat_id
        batch = self.env["account.collection.notice.batch"]

        def delay(args):
            return args[args.index("--javascript-delay") + 1]

        self.assertEqual(
            delay(reports._build_wkhtmltopdf_args(paperformat, False)), "1000"
        )
        self.assertEqual(batch._notice_print_delay(), 200)
        self.env["ir.config_parameter"].set_param(
            "account_collection.notice_print_delay", "150"
        )
        self.assertEqual(
            delay(
                reports.with_context(
                    collection_notice_print_delay=batch._notice_print_delay()
                )._build_wkhtmltopdf_args(paperformat, False)
            ),
            "150",
        )

    def test_letters_render_in_one_call_or_one_call_each_the_same(self):
        letters = self._communications(send_letter=True, state="to_print")
        dispatch = letters.env["account.collection.dispatch"]
        calls = self._count_wkhtmltopdf_calls()
        self._force_batch(True)
        batched = dispatch._render_letters(letters)
        # One call for the three notices, split into one PDF each.
        self.assertEqual(calls, [3])
        self.assertEqual(set(batched), set(letters.ids))
        for letter in letters:
            self._assert_own_notice(letter, batched[letter.id])

        self._force_batch(False)
        del calls[:]
        single = dispatch._render_letters(letters)
        self.assertEqual(calls, [1, 1, 1])
        for letter in letters:
            self.assertEqual(
                self._text(single[letter.id]), self._text(batched[letter.id])
            )

    @mute_logger(REPORT_LOGGER)
    def test_collection_user_prints_letters_in_one_call(self):
        letters = self._communications(send_letter=True, state="to_print")
        calls = self._count_wkhtmltopdf_calls()
        self._force_batch(True)
        action = letters.with_user(self.collection_user).action_print_letters()
        self.assertEqual(calls, [3])
        merged = self.env["ir.attachment"].browse(
            int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        )
        texts = [self._text(letter.letter_attachment_id.raw) for letter in letters]
        # The merged PDF is the three letters in the order of the selection.
        self.assertEqual(self._text(merged.raw), "".join(texts))
        for letter in letters:
            self.assertEqual(
                letter.letter_attachment_id.name,
                f"{letter._get_notice_filename()}.pdf",
            )
            self._assert_own_notice(letter, letter.letter_attachment_id.raw)
        self.assertEqual(letters.mapped("printed"), [True] * 3)

    @mute_logger(REPORT_LOGGER)
    def test_batch_that_fails_renders_each_letter_on_its_own(self):
        """A notice failing in the batch fails its own letter, named, as before."""
        self.levels[30].report_id = self._create_broken_report()
        letters = self._communications(send_letter=True, state="to_print")
        self._force_batch(True)
        with self.assertRaisesRegex(UserError, "Boulangerie Martin SARL"):
            letters.action_print_letters()
        self.assertEqual(letters.mapped("state"), ["to_print"] * 3)
        self.assertFalse(letters.letter_attachment_id)

    @mute_logger(REPORT_LOGGER)
    def test_mail_queue_attaches_the_notices_rendered_in_one_call(self):
        communications = self._communications(send_email=True)
        dispatch = communications.env["account.collection.dispatch"]
        dispatch._send_emails(communications)
        mails = communications.mail_id
        self.assertEqual(len(mails), 3)
        self.assertTrue(all(mails.mapped("collection_notice_pending")))
        mails.auto_delete = False
        # What the mail queue attached before batches: each mail's notice on its own.
        self._force_batch(False)
        before = {
            mail.id: [
                (values["name"], self._text(values["raw"]))
                for values in mail.sudo()._collection_render_notice()
            ]
            for mail in mails
        }
        calls = self._count_wkhtmltopdf_calls()
        self._force_batch(True)
        mails._send()
        self.assertEqual(calls, [3])
        self.assertEqual(mails.mapped("state"), ["sent"] * 3)
        for communication in communications:
            mail = communication.mail_id
            attachment = mail.attachment_ids
            self.assertEqual(
                attachment.mapped("name"),
                [f"Mise en demeure - {communication.partner_id.name} - 2026-11-20.pdf"],
            )
            self.assertEqual(attachment.res_id, mail.mail_message_id.id)
            self.assertEqual(
                [(attachment.name, self._text(attachment.raw))], before[mail.id]
            )
            self._assert_own_notice(communication, attachment.raw)
