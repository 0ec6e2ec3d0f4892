from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools import ageing
from ..tools.groups import COLLECTION_USER

PERIODS = ("month", "quarter", "year")
KPI_KEYS = (
    "receivables",
    "overdue",
    "dso",
    "cei",
    "days_to_pay",
    "dispute",
    "payment_plan",
    "litigation",
    "insolvency",
    "prescription",  # account_collection_dashboard_prescription.py
)
SLOWEST_PAYERS = 10


class AccountCollectionDashboard(models.AbstractModel):
    """The credit controller's dashboard (the OWL client action
    ``account_collection.dashboard``): its data in one call, the records behind
    each card and the exports. The indicators are defined in
    ``account.collection.kpi``."""

    _name = "account.collection.dashboard"
    _description = "Collection Dashboard"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self, options=None):
        """Return the figures of the dashboard, raw and formatted for the user.

        ``options``: ``period`` (``month``, ``quarter`` or ``year``: the window of
        the flow indicators), ``collector_id`` (the customers' collector),
        ``segment_id`` (their risk segment), ``as_of`` (default today). The
        companies are the allowed companies of the context sharing the currency
        of the current company."""
        options = self._dashboard_options(options)
        companies = self._kpi_companies()
        kpis = self.env["account.collection.kpi"]._compute_kpis(
            companies,
            options["as_of"],
            period=options["period"],
            partner_ids=self._partner_ids(options, companies),
        )
        currency = self.env.company.currency_id
        return {
            "options": {**options, "as_of": fields.Date.to_string(options["as_of"])},
            "companies": ", ".join(companies.mapped("name")),
            "currency_id": currency.id,
            "cards": self._cards(kpis, options),
            "trend": self._trend(kpis["series"]),
            "levels": self._levels(kpis["levels"]),
            "slowest_payers": self._slowest_payers(kpis["days_to_pay"]),
            "collectors": [
                {"id": user.id, "name": user.display_name}
                for user in self.env["res.users"].search(
                    [
                        ("groups_id", "in", self.env.ref(COLLECTION_USER).id),
                        ("company_ids", "in", companies.ids),
                    ]
                )
            ],
            "segments": [
                {"id": segment.id, "name": segment.display_name}
                for segment in self.env["account.collection.risk.segment"].search([])
            ],
        }

    @api.model
    def action_open_kpi(self, kpi, options=None):
        """Return the list of the records behind the card ``kpi``."""
        options = self._dashboard_options(options)
        companies = self._kpi_companies()
        partner_ids = self._partner_ids(options, companies)
        partner_domain = (
            [("partner_id", "in", partner_ids)] if partner_ids is not None else []
        )
        as_of = options["as_of"]
        if kpi == "cei":
            # The credit sales of the period the index collects.
            date_from = ageing.flow_period_start(as_of, options["period"])
            return self._list_action(
                "account.move",
                [
                    (f"commercial_{name}", op, value)
                    for name, op, value in partner_domain
                ]
                + [
                    ("company_id", "in", companies.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("date", ">=", date_from),
                    ("date", "<=", as_of),
                ],
                _("Credit Sales (%s)", self._period_label(date_from, as_of)),
            )
        if kpi == "days_to_pay":
            # The invoices whose days to pay the average weighs.
            date_from = ageing.flow_period_start(as_of, options["period"])
            paid = self.env["account.collection.kpi"]._days_to_pay(
                companies, date_from, as_of, partner_ids
            )
            return self._list_action(
                "account.move",
                [("id", "in", [row[4] for row in paid])],
                _("Invoices Paid (%s)", self._period_label(date_from, as_of)),
            )
        if kpi not in KPI_KEYS:
            raise UserError(_("Unknown indicator: %s", kpi))
        blocked = [("collection_blocked", "=", True)]
        domains = {
            "receivables": [],
            "dso": [],
            "overdue": [("days_overdue", ">", 0)],
            "dispute": [
                "|",
                "&",
                *blocked,
                ("collection_block_reason", "=", "dispute"),
                ("collection_einvoice_status", "=", "207"),
            ],
            "payment_plan": [
                *blocked,
                ("collection_block_reason", "=", "payment_plan"),
            ],
            "litigation": [
                "|",
                "&",
                ("collection_blocked", "=", True),
                ("collection_block_reason", "=", "litigation"),
                "&",
                ("collection_level_id.litigation", "=", True),
                "!",
                "&",
                ("collection_blocked", "=", True),
                ("collection_block_reason", "=", "payment_plan"),
            ],
            "insolvency": [("collection_insolvency", "!=", False)],
        }
        action = self._list_action(
            "account.collection.aged.receivable",
            partner_domain + domains[kpi],
            _(
                "%(indicator)s at %(date)s",
                indicator=self._card_labels()[kpi],
                date=format_date(self.env, as_of),
            ),
        )
        action["context"] = {"collection_as_of": fields.Date.to_string(as_of)}
        return action

    @api.model
    def action_open_aged(self, options=None):
        return self._aged_wizard(options).action_open_analysis()

    @api.model
    def action_export_aged_balance(self, options=None):
        """The aged balance of the customers the dashboard's filters keep."""
        options = self._dashboard_options(options)
        return self._aged_wizard(options).action_export_aged_balance(
            partner_ids=self._partner_ids(options, self.env.companies),
            scope=self._filters_label(options),
        )

    @api.model
    def action_export_dunning_history(self, options=None):
        """The reminders of the last twelve months to the customers the dashboard's
        filters keep."""
        options = self._dashboard_options(options)
        as_of = options["as_of"]
        companies = self._kpi_companies()
        domain = [
            ("company_id", "in", companies.ids),
            # Every reminder issued, whatever its state (the Status column
            # tells them apart): previews and cancelled ones were not.
            ("state", "not in", ("preview", "cancel")),
            ("date", ">", as_of - timedelta(days=365)),
            ("date", "<=", as_of),
        ]
        partner_ids = self._partner_ids(options, companies)
        if partner_ids is not None:
            domain.append(("partner_id", "in", partner_ids))
        lines = self.env["account.collection.communication.line"].search(domain)
        xlsx = self.env["account.collection.xlsx"]
        return xlsx._download(
            f"dunning_history_{fields.Date.to_string(as_of)}.xlsx",
            xlsx._dunning_history_xlsx(lines),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_options(self, options):
        """The options with their defaults; the reader must see the receivables
        (collection user and above)."""
        self.env["account.collection.aged.receivable"].check_access("read")
        options = dict(options or {})
        period = options.get("period") or "month"
        if period not in PERIODS:
            raise UserError(_("Unknown period: %s", period))
        as_of = fields.Date.to_date(options.get("as_of")) or fields.Date.context_today(
            self
        )
        return {
            "period": period,
            "as_of": as_of,
            "collector_id": int(options.get("collector_id") or 0) or False,
            "segment_id": int(options.get("segment_id") or 0) or False,
        }

    @api.model
    def _kpi_companies(self):
        """The allowed companies sharing the currency of the current company:
        amounts of different currencies are never added."""
        return self.env.companies.filtered(
            lambda company: company.currency_id == self.env.company.currency_id
        )

    @api.model
    def _partner_ids(self, options, companies):
        """The customers the filters keep, or None without a filter."""
        partner_ids = None
        if options["collector_id"]:
            partner_ids = set(
                self.env["res.partner"]
                .with_context(active_test=False)
                .search([("collection_user_id", "=", options["collector_id"])])
                .ids
            )
        if options["segment_id"]:
            segment_partners = set(
                self.env["account.collection.partner.risk"]
                .search(
                    [
                        ("segment_id", "=", options["segment_id"]),
                        ("company_id", "in", companies.ids),
                    ]
                )
                .partner_id.ids
            )
            partner_ids = (
                segment_partners
                if partner_ids is None
                else partner_ids & segment_partners
            )
        return sorted(partner_ids) if partner_ids is not None else None

    @api.model
    def _filters_label(self, options):
        """The dashboard's filters in words, or None without a filter."""
        labels = []
        if options["collector_id"]:
            collector = self.env["res.users"].browse(options["collector_id"])
            labels.append(_("Collector: %s", collector.name))
        if options["segment_id"]:
            segment = self.env["account.collection.risk.segment"].browse(
                options["segment_id"]
            )
            labels.append(_("Segment: %s", segment.display_name))
        return ", ".join(labels) or None

    @api.model
    def _aged_wizard(self, options):
        as_of = self._dashboard_options(options)["as_of"]
        return self.env["account.collection.aged.wizard"].create(
            {"as_of_date": as_of, "company_id": self.env.company.id}
        )

    @api.model
    def _list_action(self, model, domain, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "target": "current",
        }

    @api.model
    def _card_labels(self):
        return {
            "receivables": _("Receivables"),
            "overdue": _("Overdue"),
            "dso": _("DSO (days)"),
            "cei": _("Collection Effectiveness (%)"),
            "days_to_pay": _("Average Days to Pay"),
            "dispute": _("In Dispute"),
            "payment_plan": _("In Payment Plans"),
            "litigation": _("In Litigation"),
            "insolvency": _("In Insolvency"),
        }

    @api.model
    def _amount(self, value):
        return format_amount(
            self.env, float(value or 0.0), self.env.company.currency_id
        )

    @api.model
    def _number(self, value, digits=1):
        """A number as the user's language writes it; empty when undefined."""
        return (
            "" if value is None else formatLang(self.env, float(value), digits=digits)
        )

    @api.model
    def _percent(self, value):
        """A percentage (in percent units) as Odoo's percentage widget shows it."""
        return "" if value is None else f"{self._number(value)}%"

    @api.model
    def _period_label(self, date_from, date_to):
        """``1 Jun - 30 Jun 2025``: the period a figure covers."""
        start_format = "d MMM" if date_from.year == date_to.year else "d MMM y"
        return "{} - {}".format(
            format_date(self.env, date_from, date_format=start_format),
            format_date(self.env, date_to, date_format="d MMM y"),
        )

    @api.model
    def _raw(self, value):
        return None if value is None else float(value)

    @api.model
    def _cards(self, kpis, options):
        """One dict per card, in the order shown."""
        as_of = options["as_of"]
        flows = kpis["flows"]
        at_date = _("at %s", format_date(self.env, as_of))
        flow_period = self._period_label(flows["date_from"], flows["date_to"])
        labels = self._card_labels()

        def card(key, value, formatted, period, detail="", **extra):
            return {
                "key": key,
                "label": labels[key],
                "value": self._raw(value),
                "formatted": formatted,
                "period": period,
                "detail": detail,
                **extra,
            }

        return [
            card(
                "receivables",
                kpis["receivables"],
                self._amount(kpis["receivables"]),
                at_date,
            ),
            card(
                "overdue",
                kpis["overdue"],
                self._amount(kpis["overdue"]),
                at_date,
                _("%s of receivables", self._percent(kpis["overdue_ratio"])),
                ratio=self._raw(kpis["overdue_ratio"]),
                ratio_formatted=self._percent(kpis["overdue_ratio"]),
            ),
            card(
                "dso",
                flows["dso_simple"],
                self._number(flows["dso_simple"]),
                flow_period,
                _("Count-back: %s", self._number(kpis["dso_countback"])),
                countback=self._raw(kpis["dso_countback"]),
            ),
            card("cei", flows["cei"], self._percent(flows["cei"]), flow_period),
            card(
                "days_to_pay",
                flows["average_days_to_pay"],
                self._number(flows["average_days_to_pay"]),
                flow_period,
            ),
            card("dispute", kpis["dispute"], self._amount(kpis["dispute"]), at_date),
            card(
                "payment_plan",
                kpis["payment_plan"],
                self._amount(kpis["payment_plan"]),
                at_date,
            ),
            card(
                "litigation",
                kpis["litigation"],
                self._amount(kpis["litigation"]),
                at_date,
            ),
            card(
                "insolvency",
                kpis["insolvency"],
                self._amount(kpis["insolvency"]),
                at_date,
            ),
        ]

    @api.model
    def _trend(self, series):
        """The monthly points of the charts, raw and formatted."""
        return [self._format_point(point) for point in series]

    @api.model
    def _format_point(self, point):
        return {
            "label": format_date(self.env, point["date"], date_format="MMM yy"),
            "period": self._period_label(
                point.get("date_from") or point["date"].replace(day=1), point["date"]
            ),
            "receivables": self._raw(point["receivables"]),
            "overdue": self._raw(point["overdue"]),
            "dso_simple": self._raw(point["dso_simple"]),
            "dso_countback": self._raw(point["dso_countback"]),
            "cei": self._raw(point["cei"]),
            "receivables_formatted": self._amount(point["receivables"]),
            "overdue_formatted": self._amount(point["overdue"]),
            "overdue_ratio_formatted": self._percent(point["overdue_ratio"]),
            "sales_formatted": self._amount(point["sales"]),
            "dso_simple_formatted": self._number(point["dso_simple"]),
            "dso_countback_formatted": self._number(point["dso_countback"]),
            "cei_formatted": self._percent(point["cei"]),
        }

    @api.model
    def _levels(self, levels):
        return [
            {
                "level_id": item["level"].id,
                "name": item["level"].display_name,
                "count": item["count"],
                "reminded": self._raw(item["reminded"]),
                "reminded_formatted": self._amount(item["reminded"]),
                "paid": self._raw(item["paid"]),
                "paid_formatted": self._amount(item["paid"]),
                "rate": self._raw(item["rate"]),
                "rate_formatted": self._percent(item["rate"]),
                "window": _(
                    "Paid within %s days",
                    self.env.company.collection_effectiveness_days,
                ),
            }
            for item in levels
        ]

    @api.model
    def _slowest_payers(self, days_to_pay, limit=SLOWEST_PAYERS):
        slowest = sorted(days_to_pay.items(), key=lambda item: -item[1][0])[:limit]
        partners = self.env["res.partner"].browse([pid for pid, _v in slowest])
        return [
            {
                "partner_id": partner.id,
                "name": partner.display_name,
                "days": self._raw(days),
                "days_formatted": self._number(days),
                "count": count,
            }
            for partner, (_pid, (days, count)) in zip(partners, slowest, strict=True)
        ]
