# Shared set-up for the project's commands: finds Odoo 18, PostgreSQL and the
# Python dependencies, installing what is missing. Sourced, not executed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE=account_collection
# Scratch space (addons path, logs) lives outside the clone: Odoo walks the addon's folder
# and must not find the addon again inside it.
BUILD_DIR="${BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/$MODULE/$(basename "$REPO_DIR")-$(printf '%s' "$REPO_DIR" | cksum | cut -d' ' -f1)}"
PYTHON="${PYTHON:-python3}"
# PostgreSQL is reached through its local socket as the OS user (peer authentication),
# unless PGHOST/PGPORT say otherwise.

log() { printf '[%s] %s\n' "$MODULE" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$MODULE" "$*" >&2; exit 2; }

# Odoo 18: ODOO_HOME (a directory holding odoo-bin) or an importable `odoo` package.
find_odoo() {
    if [ -n "${ODOO_HOME:-}" ]; then
        [ -f "$ODOO_HOME/odoo-bin" ] && [ -d "$ODOO_HOME/odoo" ] \
            || die "ODOO_HOME=$ODOO_HOME holds no odoo-bin and odoo/ directory."
    else
        ODOO_HOME="$("$PYTHON" - 2>/dev/null <<'PY' || true
import os, odoo
print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))
PY
)"
        if [ -z "$ODOO_HOME" ]; then
            die "Odoo 18.0 was not found. Get the Odoo 18.0 Community source (a checkout of
  the 18.0 branch of https://github.com/odoo/odoo or a nightly from https://nightly.odoo.com),
  then either set ODOO_HOME to the folder that holds odoo-bin, or make its folder importable
  (for instance: echo /path/to/odoo18 > \$(python3 -c 'import site; print(site.getsitepackages()[0])')/odoo.pth)."
        fi
    fi
    local version
    version="$(cd "$ODOO_HOME" && "$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null || true)"
    [ "$version" = "18" ] || die "The Odoo found in $ODOO_HOME is not 18.0 (version: ${version:-unreadable})."
    export ODOO_HOME
    export PYTHONPATH="$ODOO_HOME${PYTHONPATH:+:$PYTHONPATH}"
}

ensure_python_deps() {
    if ! "$PYTHON" -c 'import psycopg2, lxml, werkzeug, babel, reportlab, num2words, xlsxwriter, freezegun, ruff' 2>/dev/null; then
        log "Installing Python dependencies from PyPI"
        local constraint
        constraint="$(mktemp)"
        echo 'setuptools<70' > "$constraint"
        PIP_CONSTRAINT="$constraint" "$PYTHON" -m pip install -q \
            -r "$REPO_DIR/scripts/odoo-requirements.txt" \
            -r "$REPO_DIR/requirements.txt" \
            -r "$REPO_DIR/scripts/dev-requirements.txt"
        rm -f "$constraint"
    fi
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

ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
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

setup_all() {
    find_odoo
    ensure_python_deps
    ensure_postgres
    ensure_wkhtmltopdf
    prepare_addons_path
}
