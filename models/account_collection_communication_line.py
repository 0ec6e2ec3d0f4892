import json

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .account_collection_level import channel_labels


class AccountCollectionCommunicationLine(models.Model):
    """One open item listed in a communication: an invoice, a credit note or an
    unallocated payment, with what was due when the communication was made."""

    _name = "account.collection.communication.line"
    _description = "Collection Communication Line"
    _order = "date_maturity, id"
    _check_company_auto = True

    # The stored fields of a line inserted by _create_bulk().
    _BULK_FIELDS = (
        "communication_id",
        "company_id",
        "currency_id",
        "partner_id",
        "date",
        "move_line_id",
        "move_id",
        "level_id",
        "date_maturity",
        "days_overdue",
        "amount_residual",
    )

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    communication_id = fields.Many2one(
        "account.collection.communication",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="communication_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="communication_id.currency_id", store=True)
    partner_id = fields.Many2one(related="communication_id.partner_id", store=True)
    # Not stored: a communication changes state after its channels ran, which would
    # rewrite every line of a cycle.
    state = fields.Selection(related="communication_id.state")
    date = fields.Date(related="communication_id.date", store=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Journal Item",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id", store=True, index=True, string="Entry"
    )
    level_id = fields.Many2one(
        "account.collection.level",
        help="Level reached by this item; empty for credit notes and payments.",
    )
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    amount_residual = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        help="Amount still due when the communication was made; negative for "
        "credit notes and unallocated payments.",
    )
    user_id = fields.Many2one(related="communication_id.user_id")
    channel_summary = fields.Char(compute="_compute_channel_summary")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    def _compute_channel_summary(self):
        for line in self:
            line.channel_summary = ", ".join(channel_labels(line.communication_id))

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model
    def _create_bulk(self, vals_list):
        """Create the lines of the collection cycle, one INSERT per thousand lines.

        A cycle lists tens of thousands of open items and ``create()`` would spend
        more time on its per-record bookkeeping than on the inserts. Every stored
        field of a line (``_BULK_FIELDS``) is a plain value, given by the cycle or
        taken from the communication, so nothing is computed at insert; what depends on the lines (the invoices'
        dunning state, the communications' totals) is then marked for
        recomputation, as ``create()`` does."""
        if not vals_list:
            return self.browse()
        self.check_access("create")
        communications = self.env["account.collection.communication"].browse(
            {vals["communication_id"] for vals in vals_list}
        )
        # The fields related to the communication take its values, as create()
        # would compute them.
        related_values = {
            communication.id: {
                "company_id": communication.company_id.id,
                "currency_id": communication.currency_id.id,
                "partner_id": communication.partner_id.id,
                "date": communication.date,
            }
            for communication in communications
        }
        vals_list = [
            {**vals, **related_values[vals["communication_id"]]} for vals in vals_list
        ]
        # The lines travel as one JSON parameter per thousand lines, read back by
        # jsonb_to_recordset (typed like the columns): psycopg2 quotes one value
        # instead of fifteen thousand, and the server parses a short statement.
        record_type = SQL(", ").join(
            SQL(
                "%s %s",
                SQL.identifier(name),
                SQL(self._fields[name].column_type[1]),
            )
            for name in self._BULK_FIELDS
        )
        now = self.env.cr.now()
        ids = []
        # The foreign key checks of the lines are planned by PostgreSQL once per
        # connection and kept: planned while the communications table is nearly
        # empty (a new database, the first batches of a run), the check of
        # communication_id is a sequential scan that every later line repeats on a
        # growing table. Planned here with the index, whatever the table's size.
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        for chunk in split_every(1000, vals_list):
            rows = json.dumps(
                [
                    {
                        name: None if vals.get(name) is False else vals.get(name)
                        for name in self._BULK_FIELDS
                    }
                    for vals in chunk
                ],
                default=str,  # the dates, as ISO strings
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO %(table)s (%(columns)s, create_uid, create_date,
                                           write_uid, write_date)
                    SELECT %(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM ROWS FROM (
                               jsonb_to_recordset(%(rows)s::jsonb) AS (%(record_type)s)
                           ) WITH ORDINALITY AS line(%(columns)s, position)
                     ORDER BY line.position
                 RETURNING id
                    """,
                    table=SQL.identifier(self._table),
                    columns=SQL(", ").join(map(SQL.identifier, self._BULK_FIELDS)),
                    values=SQL(", ").join(
                        SQL.identifier("line", name) for name in self._BULK_FIELDS
                    ),
                    record_type=record_type,
                    uid=self.env.uid,
                    now=now,
                    rows=rows,
                )
            )
            ids += [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute("SET LOCAL enable_seqscan TO DEFAULT")
        lines = self.browse(ids)
        communications.invalidate_recordset(["line_ids"])
        self.env["account.move"].browse(
            {vals["move_id"] for vals in vals_list}
        ).invalidate_recordset(["collection_line_ids"])
        # Every stored field was given: none of them is recomputed, as in create().
        with self.env.protecting(
            [self._fields[name] for name in self._BULK_FIELDS], lines
        ):
            lines.modified(self._BULK_FIELDS, create=True)
        return lines
