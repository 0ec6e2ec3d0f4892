import logging
import os
import socket
import threading
import time
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# A batch running for longer than this lost its worker: another one takes it again.
STALE_MINUTES = 30
# A worker stops taking batches after this many seconds (well under the cron's
# time limit) and lets the cron scheduler call it again.
TIME_BUDGET_SECONDS = 240
# Takes of a batch started again after losing a race with another worker.
TAKE_ATTEMPTS = 5


class AccountCollectionRunBatch(models.Model):
    """One batch of customers of a scheduled run: the daily cron plans the run of
    each company as batches, which the cron workers take one at a time
    (``SELECT ... FOR UPDATE SKIP LOCKED``), each worker its own, and process
    with the cycle's own per-batch code (``account.collection.engine``). The run
    is closed when its last batch is."""

    _name = "account.collection.run.batch"
    _description = "Collection Run Batch"
    _order = "id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    run_id = fields.Many2one(
        "account.collection.run",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="run_id.company_id", store=True, readonly=True, index=True
    )
    date = fields.Date(related="run_id.date", store=True, readonly=True)
    partner_ids = fields.Json(
        string="Customer IDs", readonly=True, help="The customers of the batch."
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    auto_send = fields.Boolean(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        required=True,
        readonly=True,
        default="pending",
        index=True,
    )
    worker = fields.Char(readonly=True, help="The process that took the batch.")
    started = fields.Datetime(readonly=True)
    ended = fields.Datetime(readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    failures = fields.Json(
        readonly=True, help="The customers not reminded: [[partner id, reason]]."
    )
    error = fields.Text(readonly=True)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _worker_name(self):
        return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"

    @api.model
    def _take_batch(self):
        """Take one pending batch (or one whose worker died: running for longer
        than ``STALE_MINUTES``) for this worker and commit, so that the other
        workers see it taken; return it, or an empty recordset when none is left.
        A batch another worker is taking at the same moment is skipped, not
        waited for."""
        stale = fields.Datetime.now() - timedelta(minutes=STALE_MINUTES)
        # The cursor's transactions are REPEATABLE READ: locking a batch another
        # worker took after this transaction began fails to serialize. The take
        # starts a transaction of its own (what the caller did is committed, as
        # the take itself is), and starts again when it loses such a race.
        for attempt in range(1, TAKE_ATTEMPTS + 1):
            self.env.cr.commit()  # pylint: disable=invalid-commit
            try:
                self.env.cr.execute(
                    SQL(
                        """
                        UPDATE account_collection_run_batch
                           SET state = 'running',
                               worker = %(worker)s,
                               started = (now() AT TIME ZONE 'UTC'),
                               attempt_count = COALESCE(attempt_count, 0) + 1
                         WHERE id = (
                                SELECT id FROM account_collection_run_batch
                                 WHERE state = 'pending'
                                    OR (state = 'running' AND started < %(stale)s)
                                 ORDER BY id
                                 LIMIT 1
                                   FOR NO KEY UPDATE SKIP LOCKED
                               )
                     RETURNING id
                        """,
                        worker=self._worker_name(),
                        stale=stale,
                    ),
                    log_exceptions=False,
                )
                break
            except psycopg2.errors.SerializationFailure:
                self.env.cr.rollback()
                if attempt == TAKE_ATTEMPTS:
                    raise
        row = self.env.cr.fetchone()
        self.env.cr.commit()  # pylint: disable=invalid-commit
        self.invalidate_model()
        return self.browse(row[0] if row else [])

    def _process(self):
        """Remind the customers of the batch with the cycle's per-batch code and
        commit. Taken again after its worker died, the batch creates nothing
        twice: a customer reminded on the run's date is not reminded again that
        day (``_interval_elapsed``), and a partial unique index backs it up."""
        self.ensure_one()
        run = self.run_id
        engine = self.env["account.collection.engine"].with_company(run.company_id)
        failures = []
        try:
            engine._run_batch(
                run.company_id,
                run.date,
                self.partner_ids or [],
                self.auto_send,
                run.with_env(engine.env),
                failures,
            )
            self.write(
                {
                    "state": "done",
                    "ended": fields.Datetime.now(),
                    "failures": failures,
                }
            )
            self.env.cr.commit()  # pylint: disable=invalid-commit
        except Exception as error:
            _logger.exception("Collection batch %s failed", self.id)
            self.env.cr.rollback()
            self.env.invalidate_all()
            self.write(
                {
                    "state": "failed",
                    "ended": fields.Datetime.now(),
                    "error": self.env["account.collection.dispatch"]._error_reason(
                        error
                    ),
                }
            )
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()
        self._close_finished_runs(run)

    @api.model
    def _close_finished_runs(self, runs):
        """Close the runs whose batches are all finished, in a transaction of its
        own started after the batch was committed: the last worker to finish a
        batch of a run sees all of them finished. Two workers closing the same run
        at once: the second one meets the first one's update and gives up."""
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM account_collection_run "
                    "WHERE id IN %s AND state = 'running' FOR NO KEY UPDATE",
                    tuple(runs.ids),
                )
            )
            locked = runs.browse([row[0] for row in self.env.cr.fetchall()])
            for run in locked:
                batches = self.search([("run_id", "=", run.id)])
                if all(batch.state in ("done", "failed") for batch in batches):
                    run._close_batches(batches)
            self.env.cr.commit()  # pylint: disable=invalid-commit
        except psycopg2.errors.SerializationFailure:
            self.env.cr.rollback()
        self.env.invalidate_all()

    @api.model
    def _process_pending_batches(self, time_budget=TIME_BUDGET_SECONDS, notify=True):
        """Take and process batches until none is left or the time budget is
        spent; return the number processed. With ``notify``, report the progress
        to the cron scheduler, which calls the cron again while batches remain."""
        start = time.monotonic()
        done = 0
        while time.monotonic() - start < time_budget:
            batch = self._take_batch()
            if not batch:
                break
            batch._process()
            done += 1
            if notify:
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=self._pending_count()
                )
        else:
            if self._pending_count():
                cron = self.env.ref(
                    "account_collection.ir_cron_account_collection_batches",
                    raise_if_not_found=False,
                )
                if cron:
                    cron._trigger()
        return done

    @api.model
    def _pending_count(self):
        return self.search_count([("state", "=", "pending")])

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_batches(self):
        self._process_pending_batches()
