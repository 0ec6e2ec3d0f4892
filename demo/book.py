"""The receivable book of the demo: customers paying well or late, their invoices
relative to today, a paid history for the risk scoring and a few planted anomalies
for the receivables audit."""

import logging
import unicodedata
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# (name, city, profile): the profile says how the customer pays, see DEMO_PROFILES.
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
DEMO_PROFILES = {
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
# "good" always pays on time and "late_15" steadily 12 days late: steady habits
# that make the predicted payment dates of the demo credible.
DEMO_PAID_HISTORY = {
    "good": [(-150, 1300.0, 0), (-120, 1100.0, 0), (-90, 1500.0, 0), (-60, 900.0, 2)],
    "late_15": [
        (-150, 1400.0, 12),
        (-120, 1750.0, 12),
        (-90, 1200.0, 12),
        (-60, 1600.0, 12),
    ],
    "late_60": [(-150, 2500.0, 55), (-110, 1800.0, 70)],
    "late_100": [(-230, 4000.0, 95), (-180, 3000.0, 120)],
    "late_130": [(-260, 6000.0, 125), (-200, 2500.0, 150)],
}


def company_env(env, company):
    """``env`` with ``company`` as the current company (``with_company``)."""
    return env["res.company"].with_company(company).env


def load_demo_data(
    env,
    company=None,
    today=None,
    anomalies=True,
    paid_history=True,
    customers=None,
    own_customers=False,
):
    """Create the demo customers and their invoices in ``company``. With
    ``own_customers`` the customers belong to that company only. Returns the
    customers, in the order of ``customers`` (default :data:`DEMO_CUSTOMERS`)."""
    customers = customers or DEMO_CUSTOMERS
    company = company or env.company
    today = today or fields.Date.context_today(env.user)
    env = company_env(env, company)
    product = demo_product(env, company)
    country = env.ref("base.fr")
    partners = env["res.partner"].create(
        [
            {
                "name": name,
                "is_company": True,
                "city": city,
                "country_id": country.id,
                "email": demo_email(name),
                "lang": "fr_FR" if env["res.lang"]._lang_get("fr_FR") else "en_US",
                "ref": f"DEMO-{index:03d}",
                "company_id": own_customers and company.id,
            }
            for index, (name, city, _profile) in enumerate(customers, 1)
        ]
    )
    vals_list, plan = [], []
    profiles = [profile for _name, _city, profile in customers]
    for partner, profile in zip(partners, profiles, strict=True):
        for rank, (due_offset, amount, paid_share) in enumerate(DEMO_PROFILES[profile]):
            due_date = today + timedelta(days=due_offset)
            vals_list.append(invoice_vals(partner, company, product, due_date, amount))
            plan.append((profile, rank, paid_share))
    invoices = env["account.move"].create(vals_list)
    invoices.action_post()
    for invoice, (profile, rank, paid_share) in zip(invoices, plan, strict=True):
        if paid_share:
            demo_pay(env, invoice, invoice.amount_total * paid_share, today)
        if profile == "disputed" and rank == 0:
            invoice._collection_block("dispute", "Livraison contestée")
    for partner, profile in zip(partners, profiles, strict=True):
        if profile == "credit_note":
            _credit_note(env, partner, product, today)
    if anomalies:
        plant_anomalies(env, company, product, today)
    if paid_history:
        _paid_history(env, partners, profiles, product, company, today)
    _logger.info(
        "Collection demo: %s customers and %s invoices created for %s",
        len(partners),
        len(invoices),
        company.name,
    )
    return partners


def invoice_vals(partner, company, product, due_date, amount):
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


def demo_email(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = "".join(char for char in ascii_name.lower() if char.isalnum())[:20]
    return f"compta@{slug}.example.com"


def demo_product(env, company):
    """The service the demo invoices, with the company's 20 % sale tax."""
    taxes = (
        env["account.tax"].search(
            [
                *env["account.tax"]._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", 20.0),
            ],
            limit=1,
        )
        or company.account_sale_tax_id
    )
    return env["product.product"].create(
        {
            "name": "Prestation de maintenance",
            "type": "service",
            "list_price": 100.0,
            "taxes_id": [Command.set(taxes.ids)],
            "company_id": company.id,
        }
    )


def demo_pay(env, invoice, amount, today):
    """Pay ``amount`` of ``invoice`` five days after its due date (at the latest
    today)."""
    return pay_on(
        env, invoice, amount, min(today, invoice.invoice_date_due + timedelta(days=5))
    )


def pay_on(env, invoice, amount, payment_date):
    """Pay ``amount`` of ``invoice`` on ``payment_date``, leaving the rest open."""
    return (
        env["account.payment.register"]
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


def _paid_history(env, partners, profiles, product, company, today):
    """Older invoices paid on time or late, per DEMO_PAID_HISTORY."""
    vals_list, paid_dates = [], []
    for partner, profile in zip(partners, profiles, strict=True):
        for due_offset, amount, days_late in DEMO_PAID_HISTORY.get(profile, ()):
            due_date = today + timedelta(days=due_offset)
            vals_list.append(invoice_vals(partner, company, product, due_date, amount))
            paid_dates.append(due_date + timedelta(days=days_late))
    invoices = env["account.move"].create(vals_list)
    invoices.action_post()
    for invoice, paid_date in zip(invoices, paid_dates, strict=True):
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": paid_date})._create_payments()
    return invoices


def _credit_note(env, partner, product, today):
    credit_note = env["account.move"].create(
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


# ----------------------------------------------------------------------
# Planted anomalies, found by the receivables audit
# ----------------------------------------------------------------------
def plant_anomalies(env, company, product, today):
    """Add a few customers whose books hold one anomaly each: a duplicate
    invoice, a due date before the invoice date, an over-long payment term, an
    old unallocated payment, a credit note larger than its invoice and a refund
    paid just after a change of bank account. Returns them by anomaly."""
    Partner = env["res.partner"]
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
                "country_id": env.ref("base.fr").id,
                "email": demo_email(name),
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
    invoices = env["account.move"].create(
        [
            # the same invoice twice
            *(
                invoice(
                    partners["duplicate"],
                    1000.0,
                    today - 5 * day,
                    today + 25 * day,
                    "PO-4521",
                )
                for _copy in range(2)
            ),
            invoice(
                partners["due_before_date"],
                600.0,
                today - 10 * day,
                today - 20 * day,
            ),
            invoice(partners["long_term"], 2000.0, today - 10 * day, today + 110 * day),
            invoice(partners["credit_note"], 500.0, today - 40 * day, today - 10 * day),
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
    journal = env["account.journal"].search(
        [
            *env["account.journal"]._check_company_domain(company),
            ("type", "=", "bank"),
        ],
        limit=1,
    )
    payments = env["account.payment"].create(
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
    bank = env["res.partner.bank"].create(
        {
            "acc_number": "FR7630006000011234567890189",
            "partner_id": partners["bank_change"].id,
        }
    )
    # The account changed three days before the refund (dates are set as of the
    # demo's today, which may differ from the clock).
    env.flush_all()
    env.cr.execute(
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
