import logging
import unicodedata
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# (name, city, profile): the profile says how the customer pays, see _DEMO_PROFILES.
DEMO_CUSTOMERS = [
    ("Boulangerie Martin SARL", "Lyon", "good"),
    ("Transports Lefèvre SAS", "Rouen", "late_30"),
    ("Garage du Centre", "Tours", "late_60"),
    ("Pharmacie des Arcades", "Nantes", "good"),
    ("Imprimerie Rousseau", "Lille", "late_15"),
    ("Hôtel Bellevue", "Annecy", "partial"),
    ("Cabinet Moreau Architectes", "Bordeaux", "good"),
    ("Menuiserie Girard", "Dijon", "late_100"),
    ("Clinique Vétérinaire Saint-Roch", "Montpellier", "due_soon"),
    ("Brasserie du Port", "Marseille", "late_45"),
    ("Électricité Bernard & Fils", "Reims", "disputed"),
    ("Librairie Fontaine", "Grenoble", "good"),
    ("Agence Horizon Voyages", "Nice", "late_130"),
    ("Ferme des Trois Chênes", "Rennes", "late_7"),
    ("Studio Lumière Photo", "Paris", "credit_note"),
    ("Coopérative Agricole du Val", "Orléans", "late_30"),
    ("Plomberie Dubois", "Metz", "partial"),
    ("Laboratoire Analyses Ouest", "Brest", "due_soon"),
    ("Café de la Gare", "Limoges", "late_15"),
    ("Auto-École Mistral", "Toulon", "late_60"),
    ("Fleurs & Jardins Lambert", "Angers", "good"),
    ("Société Nouvelle de Peinture", "Clermont-Ferrand", "late_100"),
    ("Restaurant Le Gourmet", "Strasbourg", "late_45"),
    ("Entreprise Petit Bâtiment", "Caen", "late_7"),
    ("Opticiens Réunis", "Perpignan", "good"),
    ("Salon Coiffure Élégance", "Avignon", "disputed"),
    ("Menuiserie Alu Sud", "Nîmes", "late_130"),
    ("Traiteur Delorme", "Besançon", "partial"),
    ("Informatique Services Pro", "Poitiers", "late_30"),
    ("Centre Équestre des Pins", "Pau", "due_soon"),
    ("Quincaillerie Henry", "Amiens", "late_15"),
    ("Cave à Vins Chevalier", "Beaune", "late_60"),
    ("Atelier Mécanique Roux", "Le Mans", "good"),
    ("Crèche Les Petits Loups", "Mulhouse", "credit_note"),
    ("Sécurité Incendie Blanc", "Saint-Étienne", "late_45"),
    ("Bureau d'Études Mercier", "Toulouse", "late_100"),
]

# Per profile: list of (days from today to the due date, amount excl. tax, paid share).
_DEMO_PROFILES = {
    "good": [(20, 1200.0, 0.0), (-25, 800.0, 1.0)],
    "due_soon": [(3, 2400.0, 0.0), (12, 650.0, 0.0)],
    "late_7": [(-8, 950.0, 0.0), (15, 400.0, 0.0)],
    "late_15": [(-16, 1750.0, 0.0), (-5, 300.0, 0.0)],
    "late_30": [(-33, 4200.0, 0.0), (-12, 980.0, 0.0)],
    "late_45": [(-47, 2600.0, 0.0), (-20, 1100.0, 0.0)],
    "late_60": [(-62, 3150.0, 0.0), (-35, 720.0, 0.0)],
    "late_100": [(-101, 5400.0, 0.0), (-70, 1900.0, 0.0), (-40, 860.0, 0.0)],
    "late_130": [(-135, 7800.0, 0.0), (-95, 2300.0, 0.0)],
    "partial": [(-40, 3000.0, 0.4), (-10, 1500.0, 0.5)],
    "disputed": [(-50, 2200.0, 0.0), (-18, 640.0, 0.0)],
    "credit_note": [(-25, 1800.0, 0.0), (-9, 500.0, 0.0)],
}

# Per profile: older invoices already paid, as (days from today to the due date,
# amount excl. tax, days late when paid): the payment history the risk scoring reads.
_DEMO_PAID_HISTORY = {
    "good": [(-90, 1500.0, 0), (-60, 900.0, 2)],
    "late_60": [(-150, 2500.0, 55), (-110, 1800.0, 70)],
    "late_100": [(-230, 4000.0, 95), (-180, 3000.0, 120)],
    "late_130": [(-260, 6000.0, 125), (-200, 2500.0, 150)],
}


class AccountCollectionDemo(models.AbstractModel):
    """Builds a realistic receivable book relative to today: the data of `make demo`
    and of the tests that check one collection cycle on it."""

    _name = "account.collection.demo"
    _description = "Collection Demo Data"

    @api.model
    def _load_demo_data(
        self,
        company=None,
        today=None,
        anomalies=True,
        paid_history=True,
        customers=None,
        own_customers=False,
    ):
        """Create the demo customers and their invoices in ``company``. With
        ``own_customers`` the customers belong to that company only."""
        customers = customers or DEMO_CUSTOMERS
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        self = self.with_company(company)
        product = self._demo_product(company)
        country = self.env.ref("base.fr")
        partners = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "country_id": country.id,
                    "email": self._demo_email(name),
                    "lang": "fr_FR"
                    if self.env["res.lang"]._lang_get("fr_FR")
                    else "en_US",
                    "ref": f"DEMO-{index:03d}",
                    "company_id": own_customers and company.id,
                }
                for index, (name, city, _profile) in enumerate(customers, 1)
            ]
        )
        invoice_vals, plan = [], []
        profiles = [profile for _name, _city, profile in customers]
        for partner, profile in zip(partners, profiles, strict=True):
            for rank, (due_offset, amount, paid_share) in enumerate(
                _DEMO_PROFILES[profile]
            ):
                due_date = today + timedelta(days=due_offset)
                invoice_vals.append(
                    self._demo_invoice_vals(partner, company, product, due_date, amount)
                )
                plan.append((profile, rank, paid_share))
        invoices = self.env["account.move"].create(invoice_vals)
        invoices.action_post()
        for invoice, (profile, rank, paid_share) in zip(invoices, plan, strict=True):
            if paid_share:
                self._demo_pay(invoice, invoice.amount_total * paid_share, today)
            if profile == "disputed" and rank == 0:
                invoice._collection_block("dispute", "Livraison contestée")
        for partner, profile in zip(partners, profiles, strict=True):
            if profile == "credit_note":
                self._demo_credit_note(partner, product, today)
        if anomalies:
            self._demo_plant_anomalies(company, product, today)
        if paid_history:
            self._demo_paid_history(partners, profiles, product, company, today)
        _logger.info(
            "Collection demo: %s customers and %s invoices created for %s",
            len(partners),
            len(invoices),
            company.name,
        )
        return partners

    @api.model
    def _demo_invoice_vals(self, partner, company, product, due_date, amount):
        """A one-line invoice issued 30 days before its due date."""
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_date": due_date - timedelta(days=30),
            "invoice_date_due": due_date,
            "invoice_line_ids": [
                Command.create(
                    {"product_id": product.id, "quantity": 1, "price_unit": amount}
                )
            ],
        }

    @api.model
    def _demo_email(self, name):
        ascii_name = (
            unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        )
        slug = "".join(char for char in ascii_name.lower() if char.isalnum())[:20]
        return f"compta@{slug}.example.com"

    @api.model
    def _demo_product(self, company):
        taxes = (
            self.env["account.tax"].search(
                [
                    *self.env["account.tax"]._check_company_domain(company),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", 20.0),
                ],
                limit=1,
            )
            or company.account_sale_tax_id
        )
        return self.env["product.product"].create(
            {
                "name": "Prestation de maintenance",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.set(taxes.ids)],
                "company_id": company.id,
            }
        )

    @api.model
    def _demo_pay(self, invoice, amount, today):
        """Pay ``amount`` of ``invoice`` five days after its due date (at the
        latest today)."""
        return self._demo_pay_on(
            invoice, amount, min(today, invoice.invoice_date_due + timedelta(days=5))
        )

    @api.model
    def _demo_pay_on(self, invoice, amount, payment_date):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": round(amount, 2),
                    "payment_date": payment_date,
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )

    @api.model
    def _demo_paid_history(self, partners, profiles, product, company, today):
        """Older invoices paid on time or late, per _DEMO_PAID_HISTORY."""
        vals_list, paid_dates = [], []
        for partner, profile in zip(partners, profiles, strict=True):
            for due_offset, amount, days_late in _DEMO_PAID_HISTORY.get(profile, ()):
                due_date = today + timedelta(days=due_offset)
                vals_list.append(
                    self._demo_invoice_vals(partner, company, product, due_date, amount)
                )
                paid_dates.append(due_date + timedelta(days=days_late))
        invoices = self.env["account.move"].create(vals_list)
        invoices.action_post()
        for invoice, paid_date in zip(invoices, paid_dates, strict=True):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": paid_date})._create_payments()
        return invoices

    @api.model
    def _demo_credit_note(self, partner, product, today):
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=15),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1, "price_unit": 250.0}
                    )
                ],
            }
        )
        credit_note.action_post()
        return credit_note

    # ------------------------------------------------------------------
    # Planted anomalies, found by the receivables audit
    # ------------------------------------------------------------------
    @api.model
    def _demo_plant_anomalies(self, company, product, today):
        """Add a few customers whose books hold one anomaly each: a duplicate
        invoice, a due date before the invoice date, an over-long payment term, an
        old unallocated payment, a credit note larger than its invoice and a refund
        paid just after a change of bank account. Returns them by anomaly."""
        Partner = self.env["res.partner"]
        names = {
            "duplicate": "Négoce Doublon SA",
            "due_before_date": "Atelier Échéance Inversée",
            "long_term": "Distribution Terme Long",
            "unallocated": "Services Acompte Orphelin",
            "credit_note": "Conseil Avoir Excessif",
            "bank_change": "Transports Virement Suspect",
        }
        partners = {
            key: Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": self.env.ref("base.fr").id,
                    "email": self._demo_email(name),
                    "ref": f"DEMO-A{index:02d}",
                }
            )
            for index, (key, name) in enumerate(names.items(), 1)
        }

        def invoice(partner, amount, invoice_date, due_date, ref=False):
            return {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date,
                "ref": ref,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1, "price_unit": amount}
                    )
                ],
            }

        day = timedelta(days=1)
        invoices = self.env["account.move"].create(
            [
                invoice(
                    partners["duplicate"],
                    1000.0,
                    today - 5 * day,
                    today + 25 * day,
                    "PO-4521",
                ),
                invoice(
                    partners["duplicate"],
                    1000.0,
                    today - 5 * day,
                    today + 25 * day,
                    "PO-4521",
                ),
                invoice(
                    partners["due_before_date"],
                    600.0,
                    today - 10 * day,
                    today - 20 * day,
                ),
                invoice(
                    partners["long_term"], 2000.0, today - 10 * day, today + 110 * day
                ),
                invoice(
                    partners["credit_note"], 500.0, today - 40 * day, today - 10 * day
                ),
            ]
        )
        invoices.action_post()
        refund = invoices[-1]._reverse_moves(
            [
                {
                    "invoice_date": today - 5 * day,
                    "invoice_date_due": today - 5 * day,
                    "date": today - 5 * day,
                }
            ]
        )
        refund.invoice_line_ids.price_unit = 700.0
        refund.action_post()
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        payments = self.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partners["unallocated"].id,
                    "amount": 900.0,
                    "date": today - 60 * day,
                    "journal_id": journal.id,
                    "company_id": company.id,
                },
                {
                    "payment_type": "outbound",
                    "partner_type": "customer",
                    "partner_id": partners["bank_change"].id,
                    "amount": 300.0,
                    "date": today,
                    "journal_id": journal.id,
                    "company_id": company.id,
                },
            ]
        )
        payments.action_post()
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": partners["bank_change"].id,
            }
        )
        # The account changed three days before the refund (dates are set as of the
        # demo's today, which may differ from the clock).
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner_bank SET create_date = %s, write_date = %s "
                "WHERE id = %s",
                today - 3 * day,
                today - 3 * day,
                bank.id,
            )
        )
        bank.invalidate_recordset(["create_date", "write_date"])
        return partners

    # ------------------------------------------------------------------
    # Showcase: every feature at work, on top of the book (make demo)
    # ------------------------------------------------------------------
    @api.model
    def _load_demo_showcase(self, company=None, today=None):
        """Add to the book of ``company`` what the other menus show: payment plans
        (running, at risk, breached, completed), promises to pay (running, kept,
        broken), a customer under an insolvency procedure, a foreign customer
        invoiced in US dollars and solvency notes (valid, expired). Returns the new
        customers by scenario."""
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        self = self.with_company(company)
        product = self._demo_product(company)
        day = timedelta(days=1)
        names = {
            "plan_running": ("Boucherie Vidal", "Valence"),
            "plan_at_risk": ("Transports Marchand", "Chartres"),
            "plan_breached": ("Maçonnerie Lopez", "Béziers"),
            "plan_completed": ("Pressing Saint-Michel", "Vannes"),
            "promise_running": ("Garage Lemaire", "Laval"),
            "promise_kept": ("Imprimerie Caron", "Arras"),
            "promise_broken": ("Bar Tabac Le Central", "Niort"),
            "insolvent": ("Déménagements Perrin", "Troyes"),
            "foreign": ("Northwind Trading Ltd", "London"),
        }
        partners = {
            key: self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "country_id": self.env.ref(
                        "base.uk" if key == "foreign" else "base.fr"
                    ).id,
                    "email": self._demo_email(name),
                    "lang": "en_US" if key == "foreign" else self.env.user.lang,
                    "ref": f"DEMO-S{index:02d}",
                }
            )
            for index, (key, (name, city)) in enumerate(names.items(), 1)
        }
        # (scenario, days from today to the due date, amount excl. tax)
        books = [
            ("plan_running", -70, 5000.0),
            ("plan_at_risk", -80, 3000.0),
            ("plan_breached", -120, 4000.0),
            ("plan_completed", -90, 2000.0),
            ("promise_running", -20, 1850.0),
            ("promise_kept", -25, 1200.0),
            ("promise_broken", -40, 2750.0),
            ("insolvent", -75, 6400.0),
            ("insolvent", -30, 2100.0),
        ]
        invoices = self.env["account.move"].create(
            [
                self._demo_invoice_vals(
                    partners[key], company, product, today + offset * day, amount
                )
                for key, offset, amount in books
            ]
        )
        invoices.action_post()
        invoice_of = {
            key: invoice for (key, *_rest), invoice in zip(books, invoices, strict=True)
        }
        self._demo_plans(invoice_of, today)
        self._demo_promises(partners, invoice_of, today)
        partners["insolvent"].write(
            {
                "collection_insolvency": "receivership",
                "collection_insolvency_date": today - 20 * day,
            }
        )
        self._demo_foreign_invoices(partners["foreign"], company, product, today)
        self._demo_solvency_notes(partners, company, today)
        return partners

    @api.model
    def _demo_plans(self, invoice_of, today):
        """Four payment plans: one running on schedule, one with an installment a
        day late (at risk), one unpaid beyond the grace period (breached at the
        next daily update) and one fully paid (completed)."""
        Plan = self.env["account.collection.plan"]
        day = timedelta(days=1)
        # (scenario, agreement date, first installment, installments, paid count)
        specs = [
            ("plan_running", -45, -20, 6, 1),
            ("plan_at_risk", -60, -31, 4, 1),
            ("plan_breached", -100, -90, 4, 0),
            ("plan_completed", -80, -60, 2, 2),
        ]
        plans = Plan
        for key, signed, start, count, paid in specs:
            invoice = invoice_of[key]
            plan = Plan.create(
                {
                    "partner_id": invoice.commercial_partner_id.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "date": today + signed * day,
                    "date_start": today + start * day,
                    "installment_count": count,
                    "frequency": "monthly",
                }
            )
            plan.action_generate_installments()
            plan.action_activate()
            for installment in plan.installment_ids.sorted("date_due")[:paid]:
                self._demo_pay_on(invoice, installment.amount, installment.date_due)
            plans |= plan
        self.env["account.collection.plan.followup"]._update_plans(plans)
        return plans

    @api.model
    def _demo_promises(self, partners, invoice_of, today):
        """A promise running, one kept (paid before its date) and one broken (its
        date passed unpaid): the next cycle settles the last two."""
        day = timedelta(days=1)
        partners["promise_running"]._collection_record_promise(
            today + 8 * day, invoice_of["promise_running"].amount_residual
        )
        for key in ("promise_kept", "promise_broken"):
            partners[key].write(
                {
                    "collection_promise_date": today - 2 * day,
                    "collection_promise_amount": invoice_of[key].amount_residual,
                    "collection_promise_set_date": today - 12 * day,
                }
            )
        self._demo_pay_on(
            invoice_of["promise_kept"],
            invoice_of["promise_kept"].amount_residual,
            today - 4 * day,
        )

    @api.model
    def _demo_foreign_invoices(self, partner, company, product, today):
        """Two invoices in US dollars, one of them overdue: reminded in their own
        currency, apart from any euro debt."""
        usd = self.env.ref("base.USD")
        usd.active = True
        if not usd.rate_ids.filtered(lambda rate: rate.company_id == company):
            self.env["res.currency.rate"].create(
                {
                    "currency_id": usd.id,
                    "company_id": company.id,
                    "name": today - timedelta(days=365),
                    "rate": 1.08,
                }
            )
        vals_list = [
            dict(
                self._demo_invoice_vals(
                    partner, company, product, today + timedelta(days=offset), amount
                ),
                currency_id=usd.id,
            )
            for offset, amount in ((-38, 8600.0), (12, 3900.0))
        ]
        invoices = self.env["account.move"].create(vals_list)
        invoices.action_post()
        return invoices

    @api.model
    def _demo_solvency_notes(self, partners, company, today):
        """A valid Banque de France rating with a credit limit, a valid credit
        insurer score and an expired internal review."""
        day = timedelta(days=1)
        return self.env["account.collection.solvency.note"].create(
            [
                {
                    "partner_id": partners["promise_running"].id,
                    "company_id": company.id,
                    "date": today - 40 * day,
                    "date_end": today + 325 * day,
                    "source": "banque_de_france",
                    "rating": "4+",
                    "credit_limit": 15000.0,
                    "note": "Cotation Banque de France favorable.",
                },
                {
                    "partner_id": partners["foreign"].id,
                    "company_id": company.id,
                    "date": today - 10 * day,
                    "date_end": today + 170 * day,
                    "source": "credit_insurer",
                    "rating": "6",
                    "score": 6.0,
                    "credit_limit": 20000.0,
                    "note": "Encours garanti par l'assureur-crédit.",
                },
                {
                    "partner_id": partners["plan_at_risk"].id,
                    "company_id": company.id,
                    "date": today - 420 * day,
                    "date_end": today - 55 * day,
                    "source": "internal",
                    "rating": "C",
                    "credit_limit": 8000.0,
                    "note": "Revue annuelle à renouveler.",
                },
            ]
        )

    @api.model
    def _load_demo_second_company(self, today=None):
        """A second French company with its own chart of accounts and eight
        customers of its own, for the multi-company screens."""
        company = self.env["res.company"].create(
            {
                "name": "Durand Services SARL",
                "country_id": self.env.ref("base.fr").id,
                "currency_id": self.env.ref("base.EUR").id,
                "street": "8 quai des Chartrons",
                "zip": "33000",
                "city": "Bordeaux",
                "email": "compta@durand-services.example.com",
            }
        )
        self.env.user.company_ids |= company
        self.env["account.chart.template"].try_loading(
            "fr", company=company, install_demo=False
        )
        customers = [
            ("Vignobles Castel", "Libourne", "late_45"),
            ("Chantier Naval Arcachon", "Arcachon", "late_100"),
            ("Surf Shop Océan", "Biarritz", "late_15"),
            ("Épicerie Fine Landaise", "Mont-de-Marsan", "good"),
            ("Cabinet Dentaire Garonne", "Agen", "due_soon"),
            ("Tonnellerie Dupuy", "Cognac", "late_30"),
            ("Hôtel des Vignes", "Saint-Émilion", "partial"),
            ("Scierie des Landes", "Dax", "late_60"),
        ]
        self.with_company(company)._load_demo_data(
            company,
            today=today,
            anomalies=False,
            paid_history=False,
            customers=customers,
            own_customers=True,
        )
        return company
