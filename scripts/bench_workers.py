"""One cron worker of the "workers" step of `make bench` (run in `odoo shell`, see
scripts/bench_workers.sh).

BENCH_WORKER_ROLE=plan plans the scheduled run of the company on the bench date: its
customers split into batches (``account.collection.run.batch``), as the daily cron does.
BENCH_WORKER_ROLE=take takes and processes the pending batches as the cron "process
reminder batches" does (``_process_pending_batches``: SKIP LOCKED, a commit per
batch) until none is left. The BENCH_WORKERS processes of a measure wait for each
other once their registry is loaded, then start together; each writes its start and
end (epoch seconds), batches, queries and peak memory to a JSON file in
BENCH_WORKERS_DIR.
"""

import json
import os
import time

from odoo import fields

env = globals()["env"]  # provided by `odoo shell`
cr = env.cr
ROLE = os.environ["BENCH_WORKER_ROLE"]


def memory_kb(key):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


if ROLE == "plan":
    today = fields.Date.context_today(env["res.partner"])
    runs = env["account.collection.engine"]._plan_scheduled_runs(env.company, today)
    cr.commit()
    print(f"  planned {len(runs.batch_ids)} batches", flush=True)
else:
    folder = os.environ["BENCH_WORKERS_DIR"]
    workers = int(os.environ["BENCH_WORKERS"])
    pid = os.getpid()
    open(os.path.join(folder, f"ready-{pid}"), "w", encoding="ascii").close()
    deadline = time.monotonic() + 600
    while (
        sum(name.startswith("ready-") for name in os.listdir(folder)) < workers
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")  # resets the peak resident size (VmHWM)
    rss_before = memory_kb("VmRSS")
    queries_before = cr.sql_log_count
    start = time.time()
    done = env["account.collection.run.batch"]._process_pending_batches(
        time_budget=24 * 3600, notify=False
    )
    end = time.time()
    result = {
        "start": start,
        "end": end,
        "batches": done,
        "queries": cr.sql_log_count - queries_before,
        "peak_mb": round((memory_kb("VmHWM") - rss_before) / 1024, 1),
    }
    with open(os.path.join(folder, f"worker-{pid}.json"), "w", encoding="ascii") as out:
        json.dump(result, out)
    print(f"  worker {pid}: {done} batches in {end - start:.2f} s", flush=True)
