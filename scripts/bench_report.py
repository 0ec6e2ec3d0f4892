"""Print the figures of `make bench` (scripts/bench.sh) and the ratios against the targets."""

import json
import os
import sys

TARGETS = (
    # (label, ours, reference, target ratio)
    ("Collection cycle, ours / OCA account_credit_control", "ours", "oca", 0.25),
    ("Collection cycle, ours / hand-written SQL floor", "ours", "cycle_floor", 5.0),
    ("Aged receivables, ours / SQL floor", "ageing", "floor", 3.0),
)
SCORING_TARGET_SECONDS = 5.0
NOTICES_TARGET_PER_SECOND = 10.0


def main(path):
    with open(path, encoding="utf-8") as results:
        steps = {row["step"]: row for row in map(json.loads, results)}
    print()
    print(f"{'Step':<72} {'Time':>9} {'Queries':>8} {'Peak mem':>9}")
    for row in steps.values():
        print(
            f"{row['label']:<72} {row['seconds']:>8.2f}s {row['queries']:>8} "
            f"{row['peak_mb']:>7.1f}MB"
        )
        produced = ", ".join(
            f"{key}: {value}" for key, value in row["produced"].items()
        )
        print(f"    {produced}")
    print()
    print(f"{'Ratio':<72} {'Time':>9} {'Queries':>8} {'Peak mem':>9}  Target (time)")
    for label, ours, reference, target in TARGETS:
        if ours not in steps or reference not in steps:
            if reference == "oca" and ours in steps:
                print(f"{label:<72} {'OCA: not run':>28}")
            continue
        mine, theirs = steps[ours], steps[reference]
        ratios = [
            mine[key] / theirs[key] if theirs[key] else float("inf")
            for key in ("seconds", "queries", "peak_mb")
        ]
        verdict = "met" if ratios[0] <= target else "MISSED"
        print(
            f"{label:<72} {ratios[0]:>9.2f} {ratios[1]:>8.2f} {ratios[2]:>9.2f}"
            f"  <= {target:g}: {verdict}"
        )
    if "scoring" in steps:
        scoring = steps["scoring"]
        customers = scoring["produced"].get("customers scored", 0)
        per_thousand = scoring["seconds"] / customers * 1000 if customers else 0.0
        verdict = "met" if scoring["seconds"] <= SCORING_TARGET_SECONDS else "MISSED"
        print(
            f"{'Risk scoring, seconds per 1,000 customers':<72} {per_thousand:>9.2f}"
            f"{'':>20}  {customers} customers in {scoring['seconds']:.2f} s "
            f"<= {SCORING_TARGET_SECONDS:g} s: {verdict}"
        )
    for key in ("notices", "notices_single"):
        if key not in steps:
            continue
        row = steps[key]
        notices = row["produced"].get("notices", 0)
        rate = notices / row["seconds"] if row["seconds"] else 0.0
        verdict = "met" if rate >= NOTICES_TARGET_PER_SECOND else "MISSED"
        target = (
            f">= {NOTICES_TARGET_PER_SECOND:g}: {verdict}" if key == "notices" else ""
        )
        print(
            f"{'PDF notices per second, ' + ('batched' if key == 'notices' else 'one call each'):<72}"
            f" {rate:>9.1f}{'':>20}  {notices} notices in {row['seconds']:.2f} s, "
            f"+{row['peak_mb']:.1f} MB {target}"
        )
    print_cycle_checks(steps)
    if "ageing" in steps and "floor" in steps:
        ours, floor = steps["ageing"]["produced"], steps["floor"]["produced"]
        same = (
            ours["total"] == floor["total"] and ours["customers"] == floor["customers"]
        )
        print(
            f"Aged balance check: {ours['customers']} customers, total {ours['total']} "
            f"({'same as' if same else 'DIFFERENT FROM'} the floor's {floor['total']})"
        )


def print_cycle_checks(steps):
    """Memory of the cycle per invoice of the book (flat: a batch of customers in
    memory, not the book), the floor's output next to ours, the workers."""
    invoices = int(os.environ.get("BENCH_INVOICES") or 0)
    if "ours" in steps and invoices:
        peak = steps["ours"]["peak_mb"]
        print(
            f"{'Collection cycle, peak memory per 1,000 invoices of the book':<72} "
            f"{peak / invoices * 1000 * 1024:>7.1f}KB{'':>20}  +{peak:g} MB for "
            f"{invoices} invoices (flat: compare the runs of two sizes)"
        )
    if "ours" in steps and "cycle_floor" in steps:
        ours, floor = steps["ours"]["produced"], steps["cycle_floor"]["produced"]
        same = (ours["communications"], ours["lines"]) == (
            floor["communications"],
            floor["lines"],
        )
        print(
            f"Cycle check: {ours['communications']} communications, {ours['lines']} "
            f"lines ({'same as' if same else 'DIFFERENT FROM'} the floor's "
            f"{floor['communications']} and {floor['lines']})"
        )
    if "workers" in steps:
        workers = steps["workers"]["produced"]
        verdict = "met" if workers["duplicates"] == 0 else "MISSED"
        print(
            f"Two cron workers: {workers['1 worker s']:.2f} s with one, "
            f"{workers['2 workers s']:.2f} s with two (speed-up "
            f"{workers['speed-up']:.2f}), batches {workers['batches per worker']}, "
            f"communications {workers['communications (1 / 2 workers)']}, "
            f"duplicates {workers['duplicates']} (must be 0: {verdict})"
        )


if __name__ == "__main__":
    main(sys.argv[1])
