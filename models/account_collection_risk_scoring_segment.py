import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount

_logger = logging.getLogger(__name__)


class AccountCollectionRiskScoring(models.AbstractModel):
    """A customer moving to a worse risk segment is flagged to its collector: one
    activity per customer and move, saying what changes for it (payment term,
    deposit, default credit limit, dunning policy)."""

    _inherit = "account.collection.risk.scoring"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _upsert(self, rows):
        """Write the scored rows, then flag the customers whose segment got worse
        (the segments in force before, read in one query per company)."""
        previous = self._fetch_segments_in_force(rows)
        result = super()._upsert(rows)
        moves = [
            (row["company_id"], row["partner_id"], old_id, row["segment_id"])
            for row in rows
            if (old_id := previous.get((row["company_id"], row["partner_id"])))
            and row["segment_id"]
            and old_id != row["segment_id"]
        ]
        if moves:
            self._flag_worse_segments(moves)
        return result

    @api.model
    def _fetch_segments_in_force(self, rows):
        """Return ``{(company id, partner id): segment id}`` of the risk records of
        ``rows`` before they are written."""
        by_company = defaultdict(list)
        for row in rows:
            by_company[row["company_id"]].append(row["partner_id"])
        segments = {}
        for company_id, partner_ids in by_company.items():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT partner_id, segment_id
                      FROM account_collection_partner_risk
                     WHERE company_id = %s AND partner_id = ANY(%s)
                       AND segment_id IS NOT NULL
                    """,
                    company_id,
                    partner_ids,
                )
            )
            segments.update(
                ((company_id, partner_id), segment_id)
                for partner_id, segment_id in self.env.cr.fetchall()
            )
        return segments

    @api.model
    def _flag_worse_segments(self, moves):
        """Plan an activity for the collector of each customer of ``moves``,
        ``[(company id, partner id, old segment id, new segment id)]``, whose new
        segment is worse (later in the segments' order) than the old one."""
        segment_model = (
            self.env["account.collection.risk.segment"]
            .sudo()
            .with_context(active_test=False)
        )
        segments = segment_model.search(
            [("company_id", "in", list({move[0] for move in moves}))],
            order="sequence, id",
        )
        rank = {segment.id: index for index, segment in enumerate(segments)}
        worse = [move for move in moves if rank.get(move[3], 0) > rank.get(move[2], 0)]
        if not worse:
            return self.env["mail.activity"]
        partners = self.env["res.partner"].sudo().browse({move[1] for move in worse})
        partners.fetch(["name"])
        activity_type = self.env.ref(
            "account_collection.mail_activity_type_segment_change"
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for company_id, partner_id, old_id, new_id in worse:
            company = self.env["res.company"].browse(company_id)
            partner = partners.browse(partner_id)
            old, new = segment_model.browse(old_id), segment_model.browse(new_id)
            user = partner._collection_responsible_user(company)
            if not user:
                _logger.info(
                    "No one to flag the move of %s to segment %s in %s: set a "
                    "collector or the default collector of the company.",
                    partner.display_name,
                    new.display_name,
                    company.name,
                )
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=activity_type.delay_count),
                    "summary": _(
                        "Risk segment worse: %(old)s to %(new)s (%(company)s)",
                        old=old.display_name,
                        new=new.display_name,
                        company=company.name,
                    ),
                    "note": self._segment_change_note(partner, company, old, new),
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _segment_change_note(self, partner, company, old, new):
        """What changes for the customer moving from segment ``old`` to ``new``:
        only the terms that differ."""
        none = _("none")
        currency = company.currency_id
        lines = []
        if old.payment_term_id != new.payment_term_id:
            lines.append(
                _(
                    "Payment term: %(old)s, now %(new)s",
                    old=old.payment_term_id.display_name or none,
                    new=new.payment_term_id.display_name or none,
                )
            )
        if old.deposit_percent != new.deposit_percent:
            old_deposit, new_deposit = (
                f"{segment.deposit_percent:g}" for segment in (old, new)
            )
            lines.append(
                _(
                    "Deposit: %(old)s%%, now %(new)s%%",
                    old=old_deposit,
                    new=new_deposit,
                )
            )
        if old.default_credit_limit != new.default_credit_limit:
            lines.append(
                _(
                    "Default credit limit: %(old)s, now %(new)s",
                    old=format_amount(self.env, old.default_credit_limit, currency),
                    new=format_amount(self.env, new.default_credit_limit, currency),
                )
            )
        if old.policy_id != new.policy_id:
            lines.append(
                _(
                    "Dunning policy: %(old)s, now %(new)s",
                    old=old.policy_id.display_name or none,
                    new=new.policy_id.display_name or none,
                )
            )
        intro = _(
            "%(partner)s moved from risk segment %(old)s to %(new)s.",
            partner=partner.display_name,
            old=old.display_name,
            new=new.display_name,
        )
        items = Markup("").join(Markup("<li>%s</li>") % line for line in lines)
        return (
            Markup("<p>%s</p><ul>%s</ul>") % (intro, items)
            if lines
            else (Markup("<p>%s</p>") % intro)
        )
