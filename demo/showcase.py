"""The showcase of the demo, on top of its receivable book: payment plans, promises
to pay, an insolvent and a foreign customer, solvency notes, and a second company."""

import base64
import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont

from odoo import Command, fields

from .book import (
    company_env,
    demo_email,
    demo_product,
    invoice_vals,
    load_demo_data,
    pay_on,
)


def load_demo_showcase(env, company=None, today=None):
    """Add to the book of ``company`` what the other menus show: payment plans
    (running, at risk, breached, completed), promises to pay (running, kept,
    broken), a customer under an insolvency procedure, a foreign customer
    invoiced in US dollars and solvency notes (valid, expired). Returns the new
    customers by scenario."""
    company = company or env.company
    today = today or fields.Date.context_today(env.user)
    env = company_env(env, company)
    product = demo_product(env, company)
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
        key: env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "city": city,
                "country_id": env.ref("base.uk" if key == "foreign" else "base.fr").id,
                "email": demo_email(name),
                "lang": "en_US" if key == "foreign" else env.user.lang,
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
    invoices = env["account.move"].create(
        [
            invoice_vals(partners[key], company, product, today + offset * day, amount)
            for key, offset, amount in books
        ]
    )
    invoices.action_post()
    invoice_of = {
        key: invoice for (key, *_rest), invoice in zip(books, invoices, strict=True)
    }
    _plans(env, invoice_of, today)
    _promises(env, partners, invoice_of, today)
    partners["insolvent"].write(
        {
            "collection_insolvency": "receivership",
            "collection_insolvency_date": today - 20 * day,
        }
    )
    _foreign_invoices(env, partners["foreign"], company, product, today)
    _solvency_notes(env, partners, company, today)
    return partners


def _plans(env, invoice_of, today):
    """Four payment plans: one running on schedule, one with an installment a
    day late (at risk), one unpaid beyond the grace period (breached at the
    next daily update) and one fully paid (completed)."""
    Plan = env["account.collection.plan"]
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
            pay_on(env, invoice, installment.amount, installment.date_due)
        plans |= plan
    env["account.collection.plan.followup"]._update_plans(plans)
    return plans


def _promises(env, partners, invoice_of, today):
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
    pay_on(
        env,
        invoice_of["promise_kept"],
        invoice_of["promise_kept"].amount_residual,
        today - 4 * day,
    )


def _foreign_invoices(env, partner, company, product, today):
    """Two invoices in US dollars, one of them overdue: reminded in their own
    currency, apart from any euro debt."""
    usd = env.ref("base.USD")
    usd.active = True
    if not usd.rate_ids.filtered(lambda rate: rate.company_id == company):
        env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "company_id": company.id,
                "name": today - timedelta(days=365),
                "rate": 1.08,
            }
        )
    vals_list = [
        dict(
            invoice_vals(
                partner, company, product, today + timedelta(days=offset), amount
            ),
            currency_id=usd.id,
        )
        for offset, amount in ((-38, 8600.0), (12, 3900.0))
    ]
    invoices = env["account.move"].create(vals_list)
    invoices.action_post()
    return invoices


def _solvency_notes(env, partners, company, today):
    """A valid Banque de France rating with a credit limit, a valid credit
    insurer score and an expired internal review."""
    day = timedelta(days=1)
    return env["account.collection.solvency.note"].create(
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


def demo_logo(initials, color):
    """A plain logo for a demo company: its initials, white on ``color``, in the
    PNG format Odoo stores (base64), so that letters and pages show a logo."""
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 120, 120), radius=18, fill=color)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 54)
    except OSError:
        font = ImageFont.load_default()
    draw.text((60, 60), initials, fill="white", font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return base64.b64encode(output.getvalue())


def set_demo_logos(env):
    """Give each demo company a logo of its initials."""
    colors = ["#714B67", "#1F6F8B", "#8B5A1F"]
    companies = env["res.company"].search([], order="id")
    for index, company in enumerate(companies):
        initials = "".join(word[0] for word in company.name.split()[:2]).upper()
        company.logo = demo_logo(initials, colors[index % len(colors)])


def load_demo_second_company(env, today=None):
    """A second French company with its own chart of accounts and eight
    customers of its own, for the multi-company screens."""
    company = env["res.company"].create(
        {
            "name": "Durand Services SARL",
            "country_id": env.ref("base.fr").id,
            "currency_id": env.ref("base.EUR").id,
            "street": "8 quai des Chartrons",
            "zip": "33000",
            "city": "Bordeaux",
            "email": "compta@durand-services.example.com",
        }
    )
    env.user.company_ids |= company
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
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
    load_demo_data(
        env,
        company,
        today=today,
        anomalies=False,
        paid_history=False,
        customers=customers,
        own_customers=True,
    )
    return company
