from dateutil.relativedelta import relativedelta

from odoo import _, api, models
from odoo.tools.misc import format_date

from .account_collection_audit_prescription import PRESCRIPTION_WARNING_MONTHS


class AccountCollectionDashboard(models.AbstractModel):
    """The dashboard's "prescription" card: the open invoices prescribed within
    six months of the dashboard's date (the audit's rule), amount and count."""

    _inherit = "account.collection.dashboard"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self, options=None):
        data = super().get_dashboard_data(options)
        options = self._dashboard_options(options)
        domain = self._prescription_domain(options)
        groups = self.env["account.move"]._read_group(
            domain, [], ["amount_residual_signed:sum", "__count"]
        )
        amount, count = groups[0] if groups else (0.0, 0)
        labels = self._card_labels()
        data["cards"].append(
            {
                "key": "prescription",
                "label": labels["prescription"],
                "value": self._raw(amount or 0.0),
                "formatted": self._amount(amount),
                "period": _(
                    "prescribed by %s",
                    self._format_prescription_limit(options),
                ),
                "detail": _("%s invoices", count),
                "count": count,
            }
        )
        return data

    @api.model
    def action_open_kpi(self, kpi, options=None):
        if kpi != "prescription":
            return super().action_open_kpi(kpi, options)
        options = self._dashboard_options(options)
        return self._list_action(
            "account.move",
            self._prescription_domain(options),
            _("Claims at Risk of Prescription"),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _card_labels(self):
        return {**super()._card_labels(), "prescription": _("Prescription at Risk")}

    @api.model
    def _prescription_limit(self, options):
        return options["as_of"] + relativedelta(months=PRESCRIPTION_WARNING_MONTHS)

    @api.model
    def _format_prescription_limit(self, options):
        return format_date(self.env, self._prescription_limit(options))

    @api.model
    def _prescription_domain(self, options):
        companies = self._kpi_companies()
        partner_ids = self._partner_ids(options, companies)
        domain = [
            ("company_id", "in", companies.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("collection_prescription_date", "!=", False),
            ("collection_prescription_date", "<=", self._prescription_limit(options)),
        ]
        if partner_ids is not None:
            domain.append(("commercial_partner_id", "in", list(partner_ids)))
        return domain
