# account_collection: the README's commands. Odoo 18 is found through ODOO_HOME or an
# `odoo` package the system Python finds; PostgreSQL, wkhtmltopdf and the Python dependencies
# (in the project's virtual environment) are installed when missing.
.PHONY: test compat demo bench backtest lint translations screenshots clean

test:
	bash scripts/test.sh

# Odoo's own tests of what the addon overrides (posting, payments, sending, portal...).
compat:
	bash scripts/compat.sh

demo:
	bash scripts/demo.sh

# Volume: make bench INVOICES=20000 (default 100000; CUSTOMERS defaults to one per 20).
bench:
	BENCH_INVOICES=$(or $(INVOICES),$(BENCH_INVOICES),100000) \
	BENCH_CUSTOMERS=$(or $(CUSTOMERS),$(BENCH_CUSTOMERS)) bash scripts/bench.sh

# Accuracy of the predicted payment dates: BACKTEST_DB (the demo's), BACKTEST_DATE (6 months ago).
backtest:
	bash scripts/backtest.sh

lint:
	bash scripts/lint.sh

# Retakes the README's screenshots from the demo served on DEMO_PORT (DEMO_DETACH=1 make demo first).
screenshots:
	bash scripts/screenshots.sh

translations:
	bash scripts/translations.sh

clean:
	rm -rf .build
