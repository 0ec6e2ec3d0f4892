from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from . import test_collection_scaling

CYCLE_DATE = test_collection_scaling.CYCLE_DATE


@tagged("post_install", "-at_install")
class TestCollectionWorkers(TransactionCase):
    """The scheduled run split into batches that several cron workers take at once:
    each batch taken by one worker, a batch whose worker died taken again, and
    every customer reminded once. The book is committed (in a company of its own)
    so that the workers' own transactions see it."""

    def _plan(self, batch_size, name="Collection workers SA"):
        company_id, partner_ids = (
            test_collection_scaling.TestCollectionConcurrency._setup_committed_book(
                self, name=f"{name} {batch_size}"
            )
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["account.collection.engine"]._plan_scheduled_runs(
                env["res.company"].browse(company_id),
                date=CYCLE_DATE,
                batch_size=batch_size,
            )
            run_id = run.id
        return company_id, partner_ids, run_id

    def _batches(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})["account.collection.run.batch"]

    def _check_reminded_once(self, company_id, partner_ids, run_id, batch_count):
        counts = (
            test_collection_scaling.TestCollectionConcurrency._count_communications(
                self, company_id
            )
        )
        self.assertEqual(sorted(counts), sorted(partner_ids))
        self.assertEqual(set(counts.values()), {1}, "One reminder per customer")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["account.collection.run"].browse(run_id)
            self.assertEqual(run.state, "done")
            self.assertEqual(run.customer_count, len(partner_ids))
            self.assertEqual(run.communication_count, len(partner_ids))
            self.assertEqual(
                (run.batch_done_count, run.batch_count), (batch_count, batch_count)
            )

    def test_two_workers_take_different_batches(self):
        # 6 customers in batches of 2: 3 batches.
        company_id, partner_ids, run_id = self._plan(batch_size=2)
        first = self.registry.cursor()
        second = self.registry.cursor()
        try:
            taken_first = self._batches(first)._take_batch()
            taken_second = self._batches(second)._take_batch()
            self.assertTrue(taken_first)
            self.assertTrue(taken_second)
            self.assertNotEqual(taken_first.id, taken_second.id)
            taken_first._process()
            taken_second._process()
            # Both made progress; the first takes the last batch, then none is left.
            self.assertEqual(
                self._batches(first)._process_pending_batches(notify=False), 1
            )
            self.assertEqual(
                self._batches(second)._process_pending_batches(notify=False), 0
            )
            for batch in taken_first | taken_second:
                batch.invalidate_recordset()
                self.assertEqual(batch.state, "done")
                self.assertEqual(batch.attempt_count, 1)
        finally:
            first.close()
            second.close()
        self._check_reminded_once(company_id, partner_ids, run_id, batch_count=3)

    def test_worker_with_older_transaction_takes_next_batch(self):
        """A worker whose transaction began before another worker took a batch
        (the cron's job cursor, or the count of the batches left after its
        previous batch) takes the next batch; it used to stop on "could not
        serialize access due to concurrent update" (REPEATABLE READ), so that a
        second cron worker gave up at once (seen by `make bench`)."""
        # 6 customers in batches of 2: 3 batches.
        company_id, partner_ids, run_id = self._plan(
            batch_size=2, name="Collection late worker SA"
        )
        first = self.registry.cursor()
        second = self.registry.cursor()
        try:
            # The first worker's transaction sees the 3 batches pending...
            self.assertEqual(self._batches(first)._pending_count(), 3)
            # ...when the second worker takes the first one and commits.
            taken_second = self._batches(second)._take_batch()
            taken_first = self._batches(first)._take_batch()
            self.assertTrue(taken_first)
            self.assertTrue(taken_second)
            self.assertNotEqual(taken_first.id, taken_second.id)
            taken_second._process()
            # Both make progress until none is left: 3 batches processed once.
            done_first = 1 + self._batches(first)._process_pending_batches(notify=False)
            taken_first._process()
            done_second = 1 + self._batches(second)._process_pending_batches(
                notify=False
            )
            self.assertEqual(done_first + done_second, 3)
            for batch in taken_first | taken_second:
                batch.invalidate_recordset()
                self.assertEqual(batch.state, "done")
                self.assertEqual(batch.attempt_count, 1)
        finally:
            first.close()
            second.close()
        self._check_reminded_once(company_id, partner_ids, run_id, batch_count=3)

    def test_stale_batch_is_taken_again_without_duplicate(self):
        company_id, partner_ids, run_id = self._plan(batch_size=10)
        with self.registry.cursor() as cr:
            batch = self._batches(cr)._take_batch()
            # The worker reminded the customers, then died before closing the batch.
            run = batch.run_id
            engine = batch.env["account.collection.engine"].with_company(run.company_id)
            engine._run_batch(
                run.company_id, run.date, batch.partner_ids, True, run, []
            )
            batch_id = batch.id
        with self.registry.cursor() as cr:
            # Running for a few minutes only: another worker leaves it.
            self.assertFalse(self._batches(cr)._take_batch())
            cr.execute(
                "UPDATE account_collection_run_batch "
                "SET started = started - interval '2 hours' WHERE id = %s",
                [batch_id],
            )
        with self.registry.cursor() as cr:
            self.assertEqual(
                self._batches(cr)._process_pending_batches(notify=False), 1
            )
            batch = self._batches(cr).browse(batch_id)
            self.assertEqual(batch.state, "done")
            self.assertEqual(batch.attempt_count, 2)
        self._check_reminded_once(company_id, partner_ids, run_id, batch_count=1)
