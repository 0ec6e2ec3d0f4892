from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools.misc import format_amount, format_date, formatLang


class AccountCollectionDashboard(models.TransientModel):
    """The credit controller's dashboard: indicators at a date and their trend over
    the last twelve months (see ``account.collection.kpi`` for the definitions)."""

    _name = "account.collection.dashboard"
    _description = "Collection Dashboard"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    as_of_date = fields.Date(
        string="As of", required=True, default=fields.Date.context_today
    )
    company_names = fields.Char(string="Companies", compute="_compute_kpis")
    receivables = fields.Monetary(compute="_compute_kpis")
    overdue = fields.Monetary(compute="_compute_kpis")
    overdue_ratio = fields.Float(string="Overdue (%)", compute="_compute_kpis")
    dso_simple = fields.Float(string="DSO (days)", compute="_compute_kpis")
    dso_countback = fields.Float(
        string="DSO Count-back (days)", compute="_compute_kpis"
    )
    cei = fields.Float(string="Collection Effectiveness (%)", compute="_compute_kpis")
    average_days_to_pay = fields.Float(
        string="Average Days to Pay", compute="_compute_kpis"
    )
    amount_dispute = fields.Monetary(string="In Dispute", compute="_compute_kpis")
    amount_payment_plan = fields.Monetary(
        string="In Payment Plans", compute="_compute_kpis"
    )
    amount_litigation = fields.Monetary(string="In Litigation", compute="_compute_kpis")
    trend_html = fields.Html(string="Trend", compute="_compute_kpis", sanitize=False)
    level_html = fields.Html(
        string="Dunning Levels", compute="_compute_kpis", sanitize=False
    )
    customer_html = fields.Html(
        string="Slowest Payers", compute="_compute_kpis", sanitize=False
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("as_of_date", "company_id")
    @api.depends_context("allowed_company_ids")
    def _compute_kpis(self):
        for dashboard in self:
            companies = dashboard._kpi_companies()
            kpis = self.env["account.collection.kpi"]._compute_kpis(
                companies, dashboard.as_of_date or fields.Date.context_today(self)
            )
            dashboard.update(
                {
                    "company_names": ", ".join(companies.mapped("name")),
                    "receivables": kpis["receivables"],
                    "overdue": kpis["overdue"],
                    "overdue_ratio": _float(kpis["overdue_ratio"]),
                    "dso_simple": _float(kpis["dso_simple"]),
                    "dso_countback": _float(kpis["dso_countback"]),
                    "cei": _float(kpis["cei"]),
                    "average_days_to_pay": _float(kpis["average_days_to_pay"]),
                    "amount_dispute": kpis["dispute"],
                    "amount_payment_plan": kpis["payment_plan"],
                    "amount_litigation": kpis["litigation"],
                    "trend_html": dashboard._render_trend(kpis["series"]),
                    "level_html": dashboard._render_levels(kpis["levels"]),
                    "customer_html": dashboard._render_customers(kpis["days_to_pay"]),
                }
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_open_dashboard(self):
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": _("Collection Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_refresh(self):
        self.ensure_one()
        return True

    def action_open_aged(self):
        self.ensure_one()
        wizard = self.env["account.collection.aged.wizard"].create(
            {"as_of_date": self.as_of_date, "company_id": self.company_id.id}
        )
        return wizard.action_open_analysis()

    def action_export_aged_balance(self):
        self.ensure_one()
        wizard = self.env["account.collection.aged.wizard"].create(
            {"as_of_date": self.as_of_date, "company_id": self.company_id.id}
        )
        return wizard.action_export_aged_balance()

    def action_export_dunning_history(self):
        self.ensure_one()
        lines = self.env["account.collection.communication.line"].search(
            [
                ("company_id", "in", self._kpi_companies().ids),
                # Every reminder issued, whatever its state (the Status column
                # tells them apart): previews and cancelled ones were not.
                ("state", "not in", ("preview", "cancel")),
                ("date", ">", self.as_of_date - timedelta(days=365)),
                ("date", "<=", self.as_of_date),
            ]
        )
        xlsx = self.env["account.collection.xlsx"]
        return xlsx._download(
            f"dunning_history_{fields.Date.to_string(self.as_of_date)}.xlsx",
            xlsx._dunning_history_xlsx(lines),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _kpi_companies(self):
        """The allowed companies sharing the currency of the dashboard's company:
        amounts of different currencies are never added."""
        self.ensure_one()
        return (
            self.env.companies.filtered(
                lambda company: company.currency_id == self.company_id.currency_id
            )
            or self.company_id
        )

    def _amount(self, value):
        return format_amount(self.env, float(value or 0.0), self.currency_id)

    def _number(self, value, digits=1):
        """A number as the user's language writes it; empty when undefined."""
        return (
            "" if value is None else formatLang(self.env, float(value), digits=digits)
        )

    def _percent(self, value):
        """A percentage (in percent units) as Odoo's percentage widget shows it."""
        return "" if value is None else f"{self._number(value)}%"

    def _render_table(self, headers, rows):
        head = Markup("").join(
            Markup("<th class='text-end'>%s</th>") % header for header in headers
        )
        body = Markup("").join(
            Markup("<tr><th>%s</th>%s</tr>")
            % (
                label,
                Markup("").join(
                    Markup("<td class='text-end'>%s</td>") % cell for cell in cells
                ),
            )
            for label, cells in rows
        )
        return Markup(
            "<div class='table-responsive'><table class='table table-sm table-striped'>"
            "<thead><tr><th></th>%s</tr></thead><tbody>%s</tbody></table></div>"
        ) % (head, body)

    def _render_trend(self, series):
        peak = max((float(point["receivables"]) for point in series), default=0.0)
        bars = [
            Markup(
                "<div class='bg-primary ms-auto' style='width:12px;height:%spx' "
                "title='%s'></div>"
            )
            % (
                round(60 * float(point["receivables"]) / peak) if peak > 0 else 0,
                escape(self._amount(point["receivables"])),
            )
            for point in series
        ]
        rows = [
            ("", bars),
            (_("Receivables"), [self._amount(p["receivables"]) for p in series]),
            (_("Overdue"), [self._amount(p["overdue"]) for p in series]),
            (_("Overdue (%)"), [self._percent(p["overdue_ratio"]) for p in series]),
            (_("Credit Sales"), [self._amount(p["sales"]) for p in series]),
            (_("DSO (days)"), [self._number(p["dso_simple"]) for p in series]),
            (
                _("DSO Count-back (days)"),
                [self._number(p["dso_countback"]) for p in series],
            ),
            (
                _("Collection Effectiveness (%)"),
                [self._percent(p["cei"]) for p in series],
            ),
        ]
        headers = [
            format_date(self.env, p["date"], date_format="MMM yy") for p in series
        ]
        return self._render_table(headers, rows)

    def _render_levels(self, levels):
        if not levels:
            return Markup("<p class='text-muted'>%s</p>") % _(
                "No reminder sent in the last twelve months."
            )
        window = self.company_id.collection_effectiveness_days
        headers = [
            _("Items Reminded"),
            _("Amount Reminded"),
            _("Paid within %s days", window),
            _("Effectiveness"),
        ]
        rows = [
            (
                item["level"].display_name,
                [
                    str(item["count"]),
                    self._amount(item["reminded"]),
                    self._amount(item["paid"]),
                    self._percent(item["rate"]),
                ],
            )
            for item in levels
        ]
        return self._render_table(headers, rows)

    def _render_customers(self, days_to_pay, limit=10):
        if not days_to_pay:
            return Markup("<p class='text-muted'>%s</p>") % _(
                "No invoice paid in the last twelve months."
            )
        slowest = sorted(days_to_pay.items(), key=lambda item: -item[1][0])[:limit]
        partners = self.env["res.partner"].browse([pid for pid, _v in slowest])
        rows = [
            (partner.display_name, [self._number(days), str(count)])
            for partner, (_pid, (days, count)) in zip(partners, slowest, strict=True)
        ]
        return self._render_table([_("Average Days to Pay"), _("Invoices Paid")], rows)


def _float(value):
    return float(value) if value is not None else 0.0
