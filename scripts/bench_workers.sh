# The "workers" step of `make bench` (sourced by scripts/bench.sh): the scheduled run's
# batches taken by one cron worker, then by two at once, each on its own fresh copy of
# the measured database (taken by bench_workers_copy before the other steps change it).
# One JSON line: wall time of each, speed-up, communications and duplicates (same
# customer, company, currency and day: must be 0).

bench_workers_copy() {
    local db="$1" n
    for n in 1 2; do
        dropdb --if-exists --force "${db}_workers$n" 2>/dev/null
        createdb -T "$db" "${db}_workers$n"
    done
}

bench_workers() {
    local db="$1" results="$2" n i copy dir
    local tmp
    tmp="$(mktemp -d)"
    for n in 1 2; do
        copy="${db}_workers$n"
        dir="$tmp/$n"
        mkdir -p "$dir"
        BENCH_WORKER_ROLE=plan odoo_shell -d "$copy" --log-level=warn \
            < "$REPO_DIR/scripts/bench_workers.py" 2>>"$LOG"
        for i in $(seq "$n"); do
            BENCH_WORKER_ROLE=take BENCH_WORKERS="$n" BENCH_WORKERS_DIR="$dir" \
                odoo_shell -d "$copy" --log-level=warn \
                < "$REPO_DIR/scripts/bench_workers.py" 2>>"$LOG" &
        done
        wait
        psql -d "$copy" -Atc "
            SELECT COUNT(*),
                   COUNT(*) - COUNT(DISTINCT (partner_id, company_id, currency_id, date)),
                   (SELECT COUNT(*) FROM account_collection_communication_line)
              FROM account_collection_communication WHERE state != 'preview'" \
            > "$dir/counts" 2>>"$LOG"
        dropdb --if-exists --force "$copy" 2>/dev/null
    done
    "$PYTHON" "$REPO_DIR/scripts/bench_workers_result.py" "$tmp" >> "$results"
    tail -n 1 "$results" | "$PYTHON" -c \
        'import json, sys; r = json.load(sys.stdin); print("  " + r["label"] + ": " + ", ".join(f"{k}: {v}" for k, v in r["produced"].items()))'
    rm -rf "$tmp"
}
