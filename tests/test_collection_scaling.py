from datetime import date

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import CollectionCommon

CYCLE_DATE = date(2025, 6, 30)


@tagged("post_install", "-at_install")
class TestCollectionQueryCount(CollectionCommon):
    """The cycle makes a constant number of queries per batch, whatever the number
    of invoices: no query per invoice."""

    def _cycle_queries(self, partner_count, invoices_per_partner):
        """Queries of one cycle on a book of its own company."""
        company_data = self.setup_other_company(
            name=f"Book {partner_count}x{invoices_per_partner}"
        )
        company = company_data["company"]
        policy = self._create_policy(company)
        policy.level_ids.write({"send_email": False, "send_letter": True})
        company.collection_policy_id = policy
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {index}"} for index in range(partner_count)]
        )
        account = company_data["default_account_revenue"]
        moves = (
            self.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": "2025-05-01",
                        "invoice_date_due": "2025-05-20",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Service",
                                    "price_unit": 100.0 + index,
                                    "account_id": account.id,
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                    for partner in partners
                    for index in range(invoices_per_partner)
                ]
            )
        )
        moves.action_post()
        self.env.invalidate_all()
        engine = self.env["account.collection.engine"]
        before = self.env.cr.sql_log_count
        communications = engine._run_collection_cycle(company, date=CYCLE_DATE)
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(communications), partner_count)
        self.assertEqual(
            len(communications.line_ids), partner_count * invoices_per_partner
        )
        return queries

    def test_queries_do_not_grow_with_invoices(self):
        few = self._cycle_queries(1, 10)
        many = self._cycle_queries(1, 100)
        self.assertLessEqual(many, few)

    def test_queries_do_not_grow_with_customers_in_a_batch(self):
        few = self._cycle_queries(5, 2)
        many = self._cycle_queries(50, 2)
        self.assertLessEqual(many, few)


@tagged("post_install", "-at_install")
class TestCollectionBatches(CollectionCommon):
    """The cycle reads the open items of one batch of customers at a time."""

    def test_only_customers_with_an_item_at_a_level_are_fetched(self):
        self.company.collection_policy_id = self.policy
        credit_only = self.env["res.partner"].create({"name": "Credit only"})
        # Courtesy level at D-5: reached by an invoice due on 3 July, not on 20 July.
        self._post_invoice(self.partner_a, 100.0, "2025-07-03", "2025-06-01")
        self._post_invoice(self.partner_b, 100.0, "2025-07-20", "2025-06-01")
        self.init_invoice(
            "out_refund", partner=credit_only, amounts=[50.0], taxes=[], post=True
        )
        partner_ids = self.env[
            "account.collection.engine"
        ]._fetch_partner_ids_to_remind(self.company, CYCLE_DATE)
        self.assertIn(self.partner_a.id, partner_ids)
        self.assertNotIn(self.partner_b.id, partner_ids)
        self.assertNotIn(credit_only.id, partner_ids)

    def test_batches_of_one_customer_remind_everyone_once(self):
        self.company.collection_policy_id = self.policy
        invoices = self._post_invoice(
            self.partner_a, 200.0, "2025-05-01", "2025-04-01"
        ) | self._post_invoice(self.partner_b, 300.0, "2025-05-01", "2025-04-01")
        credit = self.init_invoice(
            "out_refund", partner=self.partner_b, amounts=[50.0], taxes=[], post=True
        )
        communications = self.env["account.collection.engine"]._run_collection_cycle(
            self.company, date=CYCLE_DATE, batch_size=1
        )
        self.assertEqual(communications.partner_id, self.partner_a | self.partner_b)
        formal_notice = self.policy.level_ids.filtered("formal_notice")
        self.assertEqual(invoices.collection_level_id, formal_notice)
        self.assertEqual(invoices.mapped("collection_last_date"), [CYCLE_DATE] * 2)
        of_b = communications.filtered(lambda c: c.partner_id == self.partner_b)
        self.assertEqual(of_b.line_ids.move_id, invoices[1] | credit)
        self.assertEqual(of_b.amount_due, 250.0)
        self.assertEqual(set(of_b.line_ids.mapped("date")), {CYCLE_DATE})
        # The bulk-inserted lines carry the values of their communication.
        self.assertEqual(of_b.line_ids.partner_id, self.partner_b)
        self.assertEqual(of_b.line_ids.company_id, self.company)
        self.assertEqual(of_b.line_ids.currency_id, of_b.currency_id)
        self.assertEqual(set(of_b.line_ids.mapped("state")), {of_b.state})
        # The lines' planner setting does not outlive their insert.
        self.env.cr.execute("SHOW enable_seqscan")
        self.assertEqual(self.env.cr.fetchone()[0], "on")
        # A second run the same day, in any batch size, creates nothing.
        again = self.env["account.collection.engine"]._run_collection_cycle(
            self.company, date=CYCLE_DATE, batch_size=50
        )
        self.assertFalse(again)


@tagged("post_install", "-at_install")
class TestCollectionConcurrency(TransactionCase):
    """Two workers running the cycle on the same book at the same time create each
    communication once. The data is committed so that two real transactions see it;
    it lives in a company of its own."""

    def _setup_committed_book(self, name="Concurrent Collection SA"):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": name})
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
            env = env(context={"allowed_company_ids": company.ids})
            policy = env["account.collection.policy"].create(
                {
                    "name": "Concurrency policy",
                    "company_id": company.id,
                    "level_ids": [
                        Command.create(
                            {"name": "First", "days": 5, "send_email": False}
                        ),
                        Command.create(
                            {"name": "Second", "days": 20, "send_email": False}
                        ),
                    ],
                }
            )
            company.collection_policy_id = policy
            partners = env["res.partner"].create(
                [{"name": f"Concurrent customer {index}"} for index in range(6)]
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": "2025-05-01",
                        "invoice_date_due": "2025-06-01",
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Service", "price_unit": 500.0, "tax_ids": []}
                            )
                        ],
                    }
                    for partner in partners
                ]
            )
            invoices.action_post()
            return company.id, partners.ids

    def _count_communications(self, company_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT partner_id, count(*) FROM account_collection_communication "
                "WHERE company_id = %s AND state != 'cancel' GROUP BY partner_id",
                [company_id],
            )
            return dict(cr.fetchall())

    def _run_in(self, cr, company_id, batch_size=2):
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company_id]})
        return env["account.collection.engine"]._run_collection_cycle(
            env["res.company"].browse(company_id),
            date=CYCLE_DATE,
            auto_send=True,
            batch_size=batch_size,
        )

    def test_two_workers_never_create_twice(self):
        company_id, partner_ids = self._setup_committed_book()
        first = self.registry.cursor()
        second = self.registry.cursor()
        try:
            # The second worker's transaction starts before the first one commits.
            second.execute("SELECT 1")
            created_first = self._run_in(first, company_id)
            self.assertEqual(len(created_first), len(partner_ids))
            # While the first worker holds its customers, the second skips them.
            self.assertFalse(self._run_in(second, company_id))
            first.commit()
            # Its snapshot still shows no communication: the unique index stops it.
            with mute_logger("odoo.sql_db"):
                self.assertFalse(self._run_in(second, company_id))
            second.commit()
        finally:
            first.close()
            second.close()
        counts = self._count_communications(company_id)
        self.assertEqual(sorted(counts), sorted(partner_ids))
        self.assertEqual(set(counts.values()), {1})
        with self.registry.cursor() as cr:
            self.assertFalse(self._run_in(cr, company_id), "A later run sends nothing")
