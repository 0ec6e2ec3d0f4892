import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from .account_collection_plan import OPEN_PAYMENT_STATES

_logger = logging.getLogger(__name__)


class AccountCollectionPlanFollowup(models.AbstractModel):
    """The life of payment plans once agreed: activation (with the interest
    invoice), the daily follow-up of the installments (reminders, completion,
    breach), cancellation and the release of the covered invoices. A service,
    called by the plan's actions and by the daily cron."""

    _name = "account.collection.plan.followup"
    _description = "Payment Plan Follow-up"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_can_activate(self, plans):
        for plan in plans:
            if plan.state != "draft":
                raise UserError(
                    _(
                        "Payment plan %s is not a draft: it cannot be activated.",
                        plan.name,
                    )
                )
            if not plan.invoice_ids:
                raise UserError(_("Payment plan %s covers no invoice.", plan.name))
            settled = plan.invoice_ids.filtered(
                lambda move: move.payment_state not in OPEN_PAYMENT_STATES
                or move.currency_id.is_zero(move.amount_residual)
            )
            if settled:
                raise UserError(
                    _(
                        "These invoices of payment plan %(plan)s are already paid: "
                        "%(invoices)s.",
                        plan=plan.name,
                        invoices=", ".join(settled.mapped("name")),
                    )
                )
            covering = plans.search(
                [
                    ("id", "not in", plans.ids),
                    ("state", "=", "active"),
                    ("invoice_ids", "in", plan.invoice_ids.ids),
                ]
            )
            if covering:
                raise UserError(
                    _(
                        "Payment plan %(plan)s cannot be activated: some of its "
                        "invoices are already covered by the active payment plan "
                        "%(others)s.",
                        plan=plan.name,
                        others=", ".join(covering.mapped("name")),
                    )
                )
            problems = self.env[
                "account.collection.plan.installment"
            ]._schedule_problems(plan)
            if problems:
                raise UserError(
                    _(
                        "Payment plan %(plan)s cannot be activated:\n%(problems)s",
                        plan=plan.name,
                        problems="\n".join(f"- {problem}" for problem in problems),
                    )
                )

    def _activate(self, plans):
        """Start ``plans``: the amount due is fixed, the interest is invoiced and
        the covered invoices are taken out of the dunning."""
        self._check_can_activate(plans)
        today = fields.Date.context_today(self)
        for plan in plans:
            plan.write({"state": "active", "date_activation": today, "date_end": False})
            # The amount covered is fixed now: the interest invoice adds to the
            # amount due at activation, not to the amount covered.
            if plan.interest_included and not plan.currency_id.is_zero(
                plan.amount_interest
            ):
                plan.interest_move_id = self._create_interest_invoice(plan)
                plan.invoice_ids = [Command.link(plan.interest_move_id.id)]
            plan.amount_base_residual = sum(plan.invoice_ids.mapped("amount_residual"))
            plan.invoice_ids._collection_block_for_plan(plan)
            plan.message_post(
                body=_(
                    "Payment plan activated: %(count)s installments, %(total)s in "
                    "total. Reminders of the covered invoices are suspended.",
                    count=len(plan.installment_ids),
                    total=formatLang(
                        self.env, plan.amount_total, currency_obj=plan.currency_id
                    ),
                )
            )

    def _create_interest_invoice(self, plan):
        """Issue the invoice of the plan's interest (outside the scope of VAT)."""
        plan.ensure_one()
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(plan.company_id),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal.default_account_id:
            raise UserError(
                _(
                    "Set up a sales journal with a default income account to invoice "
                    "the interest of a payment plan."
                )
            )
        last_date = max(plan.installment_ids.mapped("date_due"))
        move = (
            self.env["account.move"]
            .with_company(plan.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": plan.partner_id.id,
                    "company_id": plan.company_id.id,
                    "journal_id": journal.id,
                    "currency_id": plan.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_date_due": last_date,
                    "invoice_payment_term_id": False,
                    "invoice_origin": plan.name,
                    "collection_generated": True,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": _(
                                    "Interest of payment plan %(plan)s at %(rate)s%% "
                                    "a year",
                                    plan=plan.name,
                                    rate=plan.interest_rate,
                                ),
                                "quantity": 1,
                                "price_unit": plan.amount_interest,
                                "account_id": journal.default_account_id.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _cancel(self, plans):
        """Cancel draft or active ``plans``; the invoices of an active one are
        dunned again and its unpaid interest invoice is reversed."""
        today = fields.Date.context_today(self)
        for plan in plans:
            if plan.state not in ("draft", "active"):
                raise UserError(
                    _(
                        "Payment plan %s is closed: it cannot be cancelled.",
                        plan.name,
                    )
                )
            was_active = plan.state == "active"
            plan.write({"state": "cancelled", "date_end": today})
            if not was_active:
                continue
            self._release_invoices(plan)
            interest = plan.interest_move_id
            if interest and interest.payment_state == "not_paid":
                interest._reverse_moves(cancel=True)
            plan.message_post(
                body=_("Payment plan cancelled: the invoices are dunned again.")
            )

    def _release_invoices(self, plan):
        """Lift the payment-plan block of the covered invoices when the plan ends:
        those still open go back to the block they had before the plan (a
        litigation, a dispute), the others are unblocked. Return the invoices
        blocked again."""
        plan.ensure_one()
        restored = plan.invoice_ids._collection_release_from_plan()
        if restored:
            reasons = dict(
                self.env["account.move"]
                ._fields["collection_block_reason"]
                ._description_selection(self.env)
            )
            plan.message_post(
                body=_(
                    "Blocked again as before the plan: %s.",
                    ", ".join(
                        f"{move.name} ({reasons[move.collection_block_reason]})"
                        for move in restored
                    ),
                )
            )
        return restored

    def _get_responsible(self, plan):
        plan.ensure_one()
        return plan.partner_id._collection_responsible_user(
            plan.company_id, fallback=plan.user_id
        )

    def _complete(self, plans):
        today = fields.Date.context_today(self)
        for plan in plans:
            plan.write({"state": "completed", "date_end": today})
            self._release_invoices(plan)
            plan.message_post(
                body=_(
                    "Payment plan completed: %(paid)s paid, the invoices are settled "
                    "or the schedule is fully paid.",
                    paid=formatLang(
                        self.env, plan.amount_paid, currency_obj=plan.currency_id
                    ),
                )
            )

    def _breach(self, plan, installment):
        """Break ``plan`` on ``installment``: dunning of its invoices resumes."""
        plan.ensure_one()
        today = fields.Date.context_today(self)
        plan.write(
            {
                "state": "breached",
                "date_end": today,
                "breach_installment_id": installment.id,
            }
        )
        restored = self._release_invoices(plan)
        open_invoices = plan.invoice_ids.filtered(
            lambda move: move.payment_state in OPEN_PAYMENT_STATES
        )
        if plan.resume_level_id:
            (open_invoices - restored)._collection_resume_at(plan.resume_level_id)
        values = {
            "amount": formatLang(
                self.env, installment.amount, currency_obj=plan.currency_id
            ),
            "date": format_date(self.env, installment.date_due),
            "left": formatLang(
                self.env, installment.amount_residual, currency_obj=plan.currency_id
            ),
            "level": plan.resume_level_id.name,
        }
        if plan.resume_level_id:
            message = _(
                "Payment plan breached: the installment of %(amount)s due on %(date)s "
                "is unpaid (%(left)s left) after the grace period. The full balance is "
                "due and dunning resumes at level %(level)s.",
                **values,
            )
        else:
            message = _(
                "Payment plan breached: the installment of %(amount)s due on %(date)s "
                "is unpaid (%(left)s left) after the grace period. The full balance is "
                "due and dunning resumes.",
                **values,
            )
        plan.message_post(body=message)
        plan.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=_("Payment plan %s breached", plan.name),
            note=message,
            user_id=self._get_responsible(plan).id,
        )

    def _installment_to_breach(self, plan, today):
        """The first installment unpaid beyond the company's grace period, if any."""
        plan.ensure_one()
        grace = plan.company_id.collection_plan_grace_days
        return plan.installment_ids.filtered(
            lambda line: line.state != "paid"
            and line.date_due + timedelta(days=grace) < today
        ).sorted(lambda line: (line.date_due, line.id))[:1]

    def _is_fully_paid(self, plan):
        plan.ensure_one()
        invoices_paid = all(
            move.currency_id.is_zero(move.amount_residual) for move in plan.invoice_ids
        )
        schedule_paid = all(line.state == "paid" for line in plan.installment_ids)
        return invoices_paid or schedule_paid

    def _installments_to_remind(self, plan, today):
        plan.ensure_one()
        if not plan.reminder_template_id:
            return plan.installment_ids.browse()
        horizon = today + timedelta(days=plan.company_id.collection_plan_reminder_days)
        return plan.installment_ids.filtered(
            lambda line: line.state != "paid"
            and not line.reminder_date
            and today <= line.date_due <= horizon
        )

    def _send_installment_reminders(self, plan, lines):
        """Email the customer about each of ``lines`` (installments of ``plan``)
        and log it in the chatter; each installment is reminded once."""
        plan.ensure_one()
        if not lines:
            return
        template = plan.reminder_template_id
        today = fields.Date.context_today(self)
        subjects = template._render_field("subject", lines.ids, compute_lang=True)
        bodies = template._render_field(
            "body_html",
            lines.ids,
            compute_lang=True,
            options={"post_process": True},
        )
        recipient = plan.partner_id
        for line in lines:
            if recipient.email:
                plan.message_post(
                    body=bodies[line.id],
                    subject=subjects[line.id],
                    partner_ids=recipient.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
            else:
                plan.message_post(
                    body=_(
                        "No reminder sent for the installment due on %s: the "
                        "customer has no email address.",
                        format_date(self.env, line.date_due),
                    )
                )
        lines.write({"reminder_date": today})

    def _update_plan(self, plan, today):
        """Daily follow-up of one active plan: completion, breach, reminders."""
        plan.ensure_one()
        if plan.state != "active":
            return
        if self._is_fully_paid(plan):
            self._complete(plan)
            return
        missed = self._installment_to_breach(plan, today)
        if missed:
            self._breach(plan, missed)
            return
        self._send_installment_reminders(
            plan, self._installments_to_remind(plan, today)
        )

    def _refresh_installment_states(self, plans):
        """Recompute the installments' payment and lateness (lateness depends on
        today, so it is refreshed by the daily run)."""
        lines = plans.installment_ids
        for fname in ("amount_paid", "state"):
            self.env.add_to_compute(lines._fields[fname], lines)
        lines._recompute_recordset(["amount_paid", "amount_residual", "state"])

    def _update_plans(self, plans):
        """Follow ``plans`` up in batch; a plan that fails is logged and skipped.
        Return the plans that failed."""
        today = fields.Date.context_today(self)
        active = plans.filtered(lambda plan: plan.state == "active")
        self._refresh_installment_states(active)
        failed = plans.browse()
        for plan in active:
            try:
                with self.env.cr.savepoint():
                    self._update_plan(plan, today)
            except Exception:
                _logger.exception("Payment plan %s could not be followed up", plan.name)
                failed |= plan
        return failed

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_plans(self, batch_size=200):
        """Daily: allocate payments, complete, break, remind. Idempotent."""
        plans = self.env["account.collection.plan"].search([("state", "=", "active")])
        done = 0
        for start in range(0, len(plans), batch_size):
            batch = plans[start : start + batch_size]
            self._update_plans(batch)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(plans) - done)
