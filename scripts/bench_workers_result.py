"""The JSON line of the "workers" step of `make bench` (scripts/bench_workers.sh), from
the files its workers wrote: one folder per number of workers (1, 2), one
worker-<pid>.json per process and the counts of the copy ("communications|duplicates|
lines")."""

import json
import os
import sys


def measure(folder):
    workers = [
        json.load(open(os.path.join(folder, name), encoding="ascii"))  # noqa: SIM115
        for name in sorted(os.listdir(folder))
        if name.startswith("worker-")
    ]
    with open(os.path.join(folder, "counts"), encoding="ascii") as counts:
        communications, duplicates, lines = (
            int(value or 0) for value in counts.read().strip().split("|")
        )
    seconds = (
        max(w["end"] for w in workers) - min(w["start"] for w in workers)
        if workers
        else 0.0
    )
    return {
        "seconds": round(seconds, 3),
        "queries": sum(w["queries"] for w in workers),
        "peak_mb": max((w["peak_mb"] for w in workers), default=0.0),
        "batches": [w["batches"] for w in workers],
        "communications": communications,
        "duplicates": duplicates,
        "lines": lines,
    }


def main(folder):
    one, two = measure(os.path.join(folder, "1")), measure(os.path.join(folder, "2"))
    result = {
        "step": "workers",
        "label": "Scheduled run's batches taken by 2 cron workers at once",
        "seconds": two["seconds"],
        "queries": two["queries"],
        "peak_mb": two["peak_mb"],
        "produced": {
            "1 worker s": one["seconds"],
            "2 workers s": two["seconds"],
            "speed-up": round(one["seconds"] / two["seconds"], 2)
            if two["seconds"]
            else 0.0,
            "batches per worker": two["batches"],
            "communications (1 / 2 workers)": f"{one['communications']} / "
            f"{two['communications']}",
            "lines (1 / 2 workers)": f"{one['lines']} / {two['lines']}",
            "duplicates": one["duplicates"] + two["duplicates"],
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
