#!/usr/bin/env bash
# `make screenshots`: the README's screenshots, taken from the running demo (DEMO_PORT, 8069
# by default) with Debian's Chromium, into static/description/screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

find_odoo
ensure_venv
ensure_chromium
URL="http://127.0.0.1:${DEMO_PORT:-8069}"
curl -sf "$URL/web/login" >/dev/null || die "No demo is served on $URL: run DEMO_DETACH=1 make demo first."
"$PYTHON" "$REPO_DIR/scripts/screenshots.py" "$URL" "$REPO_DIR/static/description/screenshots"
