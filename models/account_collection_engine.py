import logging
from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from .account_collection_level import CHANNEL_FIELDS

_logger = logging.getLogger(__name__)

# Customers reminded per batch: a batch's open items are in memory and it is the
# unit the cron workers share; larger batches spend less on each batch's fixed
# queries and flushes.
CUSTOMERS_PER_BATCH = 500


class AccountCollectionEngine(models.AbstractModel):
    """The collection cycle: finds the open items of every customer, works out the
    level each invoice has reached and creates one communication per customer and
    currency, then has its channels carried out (email, letter, phone call,
    litigation) by ``account.collection.dispatch``; the levels reached are the
    policy's (``_get_reached_levels``).

    Safe to run twice a day and from two workers at once: a partial unique index
    allows one live communication per customer, currency and day, and the customers
    of a batch are locked with SKIP LOCKED while it is processed."""

    _name = "account.collection.engine"
    _description = "Collection Engine"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _run_collection_cycle(
        self,
        companies=None,
        date=None,
        auto_send=None,
        commit=False,
        batch_size=CUSTOMERS_PER_BATCH,
    ):
        """Run one collection cycle and return the communications it created.

        :param auto_send: carry out the channels at once; by default the company
            setting decides (otherwise the communications stay draft for review).
        :param commit: commit after each batch (scheduled runs only).
        """
        # In the order they were created.
        return self._run_collection(
            companies, date, auto_send, commit, batch_size
        ).communication_ids.sorted("id")

    @api.model
    def _run_collection(
        self,
        companies=None,
        date=None,
        auto_send=None,
        commit=False,
        batch_size=CUSTOMERS_PER_BATCH,
        trigger="manual",
    ):
        """Run one collection cycle and return its runs (``account.collection.run``,
        one per company), which hold the communications created and the customers
        that failed with the reason.

        :param trigger: ``preview`` simulates the cycle at ``date``: the
            communications are created as previews, which send nothing and count
            for nothing (neither the interval between reminders, nor the invoices'
            dunning level); promises to pay are not settled.
        """
        date = date or fields.Date.context_today(self)
        runs = self.env["account.collection.run"]
        for company in companies or self.env.company:
            engine = self.with_company(company)
            send = company.collection_auto_send if auto_send is None else auto_send
            runs |= engine._run_company_cycle(
                company,
                date,
                send and trigger != "preview",
                commit,
                batch_size,
                trigger,
            )
        return runs

    def _run_company_cycle(
        self, company, date, auto_send, commit, batch_size, trigger="manual"
    ):
        run, partner_ids = self._start_company_run(company, date, trigger)
        failures = []
        done = 0
        for batch in split_every(batch_size, partner_ids):
            self._run_batch(company, date, batch, auto_send, run, failures)
            done += len(batch)
            if commit:
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(partner_ids) - done
                )
                # A scheduled run keeps what each batch did, whatever happens later.
                self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.invalidate_all()
        run._record_result(len(partner_ids), failures)
        run._log_result()
        return run

    def _start_company_run(self, company, date, trigger):
        """Create the run of ``company``, settle its promises to pay due and
        discard its outdated previews; return the run and the customers to
        check."""
        run = (
            self.env["account.collection.run"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create({"company_id": company.id, "date": date, "trigger": trigger})
            .with_env(self.env)
        )
        if trigger != "preview":
            self._check_promises(company, date)
            # The previews of the days this run reaches were only a forecast.
            self.env["account.collection.communication"].search(
                [
                    ("state", "=", "preview"),
                    ("company_id", "=", company.id),
                    ("date", "<=", date),
                ]
            )._discard_previews()
        return run, self._fetch_partner_ids_to_remind(company, date)

    def _run_batch(self, company, date, partner_ids, auto_send, run, failures):
        """Remind one batch of customers: only the open items of the batch are in
        memory, so the cycle stays flat in memory whatever the size of the book."""
        groups = self._group_items(self._fetch_open_items(company, partner_ids))
        return self._process_batch(
            company, date, groups, partner_ids, auto_send, run, failures
        )

    @api.model
    def _plan_scheduled_runs(
        self, companies, date=None, batch_size=CUSTOMERS_PER_BATCH
    ):
        """Start the scheduled run of each company and split its customers into
        batches (``account.collection.run.batch``) for the cron workers; commit
        after each company. Return the runs."""
        date = date or fields.Date.context_today(self)
        runs = self.env["account.collection.run"]
        for company in companies:
            engine = self.with_company(company)
            run, partner_ids = engine._start_company_run(company, date, "scheduled")
            batches = [list(batch) for batch in split_every(batch_size, partner_ids)]
            run.customer_count = len(partner_ids)
            self.env["account.collection.run.batch"].create(
                [
                    {
                        "run_id": run.id,
                        "partner_ids": batch,
                        "customer_count": len(batch),
                        "auto_send": company.collection_auto_send,
                    }
                    for batch in batches
                ]
            )
            if not batches:
                run._record_result(0, [])
                run._log_result()
            self.env.cr.commit()  # pylint: disable=invalid-commit
            runs |= run
        return runs

    def _process_batch(
        self, company, date, groups, partner_ids, auto_send, run, failures
    ):
        """Create and send the communications of a batch of customers. A batch that
        fails is retried customer by customer so that one bad customer only skips
        itself; each failing customer is added to ``failures`` with the reason."""
        try:
            with self.env.cr.savepoint():
                return self._create_batch(
                    company, date, groups, partner_ids, auto_send, run
                )
        except psycopg2.errors.UniqueViolation:
            _logger.info(
                "Collection batch of %s in %s met another worker, retrying customer "
                "by customer",
                date,
                company.name,
            )
        except Exception:
            _logger.exception(
                "Collection batch of %s customers in %s failed, retrying customer by "
                "customer",
                len(partner_ids),
                company.name,
            )
        created = self.env["account.collection.communication"]
        for partner_id in partner_ids:
            try:
                with self.env.cr.savepoint():
                    created |= self._create_batch(
                        company, date, groups, [partner_id], auto_send, run
                    )
            except psycopg2.errors.UniqueViolation:
                _logger.info(
                    "Customer %s already has a communication on %s (another worker)",
                    partner_id,
                    date,
                )
            except Exception as error:
                _logger.exception(
                    "Collection of customer %s in %s failed", partner_id, company.name
                )
                failures.append(
                    (
                        partner_id,
                        self.env["account.collection.dispatch"]._error_reason(error),
                    )
                )
        return created

    def _create_batch(self, company, date, groups, partner_ids, auto_send, run):
        locked_ids = self._lock_partners(partner_ids)
        if not locked_ids:
            return self.env["account.collection.communication"]
        partners = self.env["res.partner"].browse(locked_ids).with_company(company)
        preview = run.trigger == "preview"
        paused = self._paused_partner_ids(partners, date)
        last_dates = self._last_communication_dates(partners, company)
        vals_list = []
        credit_waiting = {}
        for partner in partners:
            policy = partner._get_collection_policy()
            if (
                partner.id in paused
                or not policy
                or not self._interval_elapsed(
                    partner, policy, last_dates.get(partner.id), date
                )
            ):
                continue
            partner_vals = self._prepare_partner_vals(
                partner, policy, groups[partner.id], date
            )
            if partner_vals:
                vals_list += partner_vals
            elif covered := self._credit_covered_groups(
                policy, groups[partner.id], date
            ):
                credit_waiting[partner] = covered
        if not preview:
            self._notify_credit_waiting(credit_waiting, date)
        for vals in vals_list:
            vals["run_id"] = run.id
            if preview:
                vals["state"] = "preview"
        return self._create_communications(vals_list, auto_send)

    def _lock_partners(self, partner_ids):
        """Lock the customers of a batch; those another worker is processing are
        skipped rather than waited for."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(partner_ids),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _remind_now(self, partners, auto_send=True):
        """Remind the customers today at the level their invoices reached, whatever
        the date of their last reminder; used by the manual actions. A reminder of
        today in error is replaced; a cancelled one does not count."""
        company = self.env.company
        date = fields.Date.context_today(self)
        partners = partners.with_company(company)
        groups = self._group_items(self._fetch_open_items(company, partners.ids))
        today = self.env["account.collection.communication"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("date", "=", date),
                ("state", "not in", ("cancel", "preview")),
            ]
        )
        reminded = today.filtered(lambda c: c.state != "error")
        if reminded:
            raise UserError(
                _(
                    "These customers were already reminded today: %s",
                    ", ".join(reminded.partner_id.mapped("display_name")),
                )
            )
        insolvent = partners.filtered(
            lambda partner: partner._collection_insolvent_on(date)
        )
        if insolvent:
            raise UserError(
                _(
                    "%s: an insolvency procedure is open, its claims cannot be "
                    "reminded (Code de commerce L622-21). Declare them to the "
                    "mandataire judiciaire instead.",
                    ", ".join(insolvent.mapped("display_name")),
                )
            )
        vals_list = []
        covered = False
        for partner in partners:
            policy = partner._get_collection_policy()
            if not policy:
                raise UserError(
                    _("Customer %s has no collection policy.", partner.display_name)
                )
            partner_vals = self._prepare_partner_vals(
                partner, policy, groups[partner.id], date, force=True
            )
            vals_list += partner_vals
            covered = covered or (
                not partner_vals
                and self._credit_covered_groups(policy, groups[partner.id], date)
            )
        if not vals_list and covered:
            raise UserError(
                _(
                    "Nothing to remind: the open credit notes and unallocated payments "
                    "of these customers cover their invoices due. Allocate them first."
                )
            )
        if not vals_list:
            raise UserError(
                _(
                    "Nothing to remind: no open invoice of these customers reached a level."
                )
            )
        # The failed reminders of today are replaced by the new ones.
        today._cancel()
        try:
            with self.env.cr.savepoint():
                return self._create_communications(vals_list, auto_send=auto_send)
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                _("These customers were already reminded today in this currency.")
            ) from None

    def _prepare_partner_vals(
        self, partner, policy, currency_groups, date, force=False
    ):
        return [
            vals
            for currency_id, items in currency_groups.items()
            if (
                vals := self._prepare_communication_vals(
                    partner, currency_id, policy, items, date, force
                )
            )
        ]

    def _prepare_communication_vals(
        self, partner, currency_id, policy, items, date, force=False
    ):
        """Return the values of the communication of one customer in one currency,
        or None when no invoice reached, through one of its installments, a level
        it was not reminded at. It lists every invoice that reached a level (those
        the customer's credits cover at no level), every credit note and
        unallocated payment, at the highest level reached."""
        levels_by_id = {level.id: level for level in policy.level_ids}
        lines, new_level_reached, top_level = (
            [],
            False,
            self.env["account.collection.level"],
        )
        for item, days, level, level_before_credits in policy._get_reached_levels(
            items, date
        ):
            amount = item["amount_residual_currency"]
            if item["amount_residual"] < 0:
                lines.append(self._prepare_line_vals(item, days, amount))
                continue
            if not level:
                if level_before_credits:
                    # Covered by the customer's credits: listed, claims nothing.
                    lines.append(self._prepare_line_vals(item, days, amount))
                continue
            # The level of the invoice: the highest level one of its installments
            # was reminded at. An invoice never goes back to a lower level, and its
            # installments are reminded only when one of them goes beyond it.
            current = levels_by_id.get(item["collection_level_id"])
            if current and current.days > level.days:
                level = current
            if partner.collection_escalate:
                level = policy._get_next_level(level) or level
            if not current or level.days > current.days:
                new_level_reached = True
            if not top_level or (level.days, level.sequence) > (
                top_level.days,
                top_level.sequence,
            ):
                top_level = level
            lines.append(self._prepare_line_vals(item, days, amount, level))
        if not (new_level_reached or (force and top_level)):
            return None
        return {
            "partner_id": partner.id,
            "company_id": self.env.company.id,
            "currency_id": currency_id,
            "policy_id": policy.id,
            "level_id": top_level.id,
            "date": date,
            "user_id": partner._collection_responsible_user(self.env.company).id,
            **{name: top_level[name] for name in CHANNEL_FIELDS},
            # Created by _create_communications() in bulk.
            "line_ids": lines,
        }

    def _prepare_line_vals(self, item, days, amount, level=None):
        return {
            "move_line_id": item["line_id"],
            "move_id": item["move_id"],
            "level_id": level.id if level else False,
            "date_maturity": item["date_maturity"],
            "days_overdue": days,
            "amount_residual": amount,
        }

    def _create_communications(self, vals_list, auto_send):
        lines_by_communication = [vals.pop("line_ids") for vals in vals_list]
        # The communication records itself: no creation note nor follower per record.
        communications = (
            self.env["account.collection.communication"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        if not communications:
            return communications
        # The lines are the cycle's record of what was due: written by the cycle
        # only, whoever runs it (users read them).
        self.env["account.collection.communication.line"].sudo()._create_bulk(
            [
                dict(line_vals, communication_id=communication.id)
                for communication, lines in zip(
                    communications, lines_by_communication, strict=True
                )
                for line_vals in lines
            ]
        )
        communications.filtered(lambda c: c.state != "preview").partner_id.filtered(
            "collection_escalate"
        ).collection_escalate = False
        if auto_send:
            # In the environment of the communications (no creation note).
            communications.env["account.collection.dispatch"]._dispatch(communications)
        return communications

    def _paused_partner_ids(self, partners, date):
        """Customers excluded from collection, with a promise to pay still running, or
        under an insolvency procedure: from its opening judgment, their claims are no
        longer reminded (Code de commerce L622-21)."""
        return {
            partner.id
            for partner in partners
            if partner.collection_excluded
            or (
                partner.collection_promise_date
                and partner.collection_promise_date >= date
            )
            or partner._collection_insolvent_on(date)
        }

    def _last_communication_dates(self, partners, company):
        """Return {partner_id: date of its last communication}. A cancelled
        communication counts: skipping a reminder at review means not reminding the
        customer before the interval of its policy (unless asked by hand); one in
        error counts too, to be retried rather than replaced every day. Only the
        previews do not count."""
        rows = self.env["account.collection.communication"]._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("state", "!=", "preview"),
            ],
            ["partner_id"],
            ["date:max"],
        )
        return {partner.id: last_date for partner, last_date in rows}

    def _interval_elapsed(self, partner, policy, last_date, date):
        """A customer is reminded once a day at most, and not again before the
        minimum interval of its policy unless a broken promise escalates it."""
        if not last_date:
            return True
        if last_date >= date:
            return False
        if partner.collection_escalate:
            return True
        return (date - last_date).days >= policy.min_interval_days

    def _check_promises(self, company, date):
        """Settle the promises to pay whose date has passed: kept when the customer
        paid at least the promised amount since the promise, broken otherwise (logged,
        and the customer's next communication escalates one level)."""
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .search([("collection_promise_date", "<", date)])
        )
        if not partners:
            return
        since = min(partner.collection_promise_set_date or date for partner in partners)
        credits = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids),
                ("parent_state", "=", "posted"),
                ("account_type", "=", "asset_receivable"),
                ("credit", ">", 0),
                ("date", ">=", since),
            ],
            ["partner_id", "date:day"],
            ["credit:sum"],
        )
        paid = defaultdict(float)
        for partner, day, credit in credits:
            if day >= (partner.collection_promise_set_date or date):
                paid[partner] += credit
        for partner in partners:
            partner._collection_settle_promise(
                kept=paid[partner] >= (partner.collection_promise_amount or 0.0)
            )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_collection_cycle(self):
        """Plan the day's run of every company as batches of customers, wake the
        batch cron up, then take batches too: two cron workers process them at
        once (Odoo runs different cron jobs in parallel, never one job twice).
        The failures of a run are seen by the managers when its last batch ends
        (``account.collection.run._close_batches``)."""
        companies = self.env["res.company"].search([])
        self._plan_scheduled_runs(companies)
        cron = self.env.ref(
            "account_collection.ir_cron_account_collection_batches",
            raise_if_not_found=False,
        )
        if cron:
            cron._trigger()
            # The trigger is seen by the other cron workers once committed.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        # Without progress notified, the scheduler does not call this cron again
        # (which would plan the day twice).
        self.env["account.collection.run.batch"]._process_pending_batches(notify=False)
