"""Screenshots of the running demo for the README, taken with Debian's Chromium driven by
Playwright (no browser download): `make screenshots` after `DEMO_DETACH=1 make demo`.

    python scripts/screenshots.py [URL] [OUT_DIR]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# (file name, path after the base URL): the screens of the README's tour.
SCREENS = [
    (
        "worklist",
        "/odoo/action-account_collection.account_collection_worklist_action",
    ),
    (
        "reminders",
        "/odoo/action-account_collection.account_collection_communication_action",
    ),
    (
        "overdue_invoices",
        "/odoo/action-account_collection.account_move_collection_action",
    ),
    (
        "dashboard",
        "/odoo/action-account_collection.account_collection_dashboard_action",
    ),
    ("payment_plans", "/odoo/action-account_collection.account_collection_plan_action"),
    (
        "customer_risk",
        "/odoo/action-account_collection.account_collection_partner_risk_action",
    ),
    (
        "solvency_notes",
        "/odoo/action-account_collection.account_collection_solvency_note_action",
    ),
    (
        "aged_receivables",
        "/odoo/action-account_collection.account_collection_aged_receivable_action",
    ),
    (
        "audit_findings",
        "/odoo/action-account_collection.account_collection_audit_finding_action",
    ),
    (
        "forecast",
        "/odoo/action-account_collection.account_collection_forecast_action",
    ),
    ("policy", "/odoo/action-account_collection.account_collection_policy_action/1"),
]


def main():
    url = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8069").rstrip("/")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "static/description/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        # Odoo's bus keeps a request open: wait for the web client, not for network idle.
        page.wait_for_selector(".o_main_navbar")
        for name, path in SCREENS:
            page.goto(url + path)
            page.wait_for_selector(
                ".o_action_manager .o_view_controller, .o_action_manager .o_form_view,"
                " .o_action_manager .o_collection_dashboard canvas"
            )
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
