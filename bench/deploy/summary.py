"""The summary of bench/deploy/run.sh as Markdown: medians side by side, the ratio to the floor,
berth's steps (from its --json lines). usage: summary.py OUT RUNS SIZE BERTH_SIZE LOAD_BEFORE
LOAD_AFTER NPROC"""
import collections
import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary_lib import measured, read_json_lines, read_stamped, read_times  # noqa: E402

out, runs, size, berth_size, load_before, load_after, nproc = sys.argv[1:8]
runs, size, berth_size = int(runs), int(size), int(berth_size)

times = read_times(out)  # case -> round -> seconds


CASES = [
    ("floor", "floor: scp + ssh `mv && systemctl restart` + curl /healthz until 200"),
    ("fast", "berth deploy, new version, `--settle 0 --passes 1`"),
    ("same", "berth deploy, identical redeploy (already current)"),
    ("default", "berth deploy, new version, default health (settle 5 s, passes 3, 1 s)"),
    ("ansible", "ansible-playbook: copy + systemd restart + uri (tuned)"),
    ("first", "berth deploy, new version, berth itself uploaded first"),
]
floor = statistics.median(measured(times, "floor"))
print(f"{runs} rounds (after 1 warm-up), service {size / 1e6:.1f} MB "
      f"(random bytes: does not compress), berth uploaded to hosts {berth_size / 1e6:.2f} MB "
      f"({berth_size / 2**20:.2f} MiB, stripped); {nproc} cores, load average "
      f"{load_before} before, {load_after} after.\n")
print("| case | median (s) | min–max (s) | × floor |")
print("|---|---:|---:|---:|")
for case, text in CASES:
    t = measured(times, case)
    m = statistics.median(t)
    print(f"| {text} | **{m:.2f}** | {min(t):.2f}–{max(t):.2f} | {m / floor:.2f} |")
warm = times["fast"].get(0)
if warm is not None:
    print(f"| berth deploy to the fresh host (round 0: berth uploaded, unit created, "
          f"daemon-reload, enable; 1 sample) | {warm:.2f} | | {warm / floor:.2f} |")

# The same ratio round by round (each round's tools ran under the same load).
ratios = [times["fast"][r] / times["floor"][r] for r in times["floor"] if r >= 1 and r in times["fast"]]
print(f"\nberth deploy (`fast`) / floor, round by round: median {statistics.median(ratios):.2f}, "
      f"{min(ratios):.2f}–{max(ratios):.2f}.")

path = os.path.join(out, "floor.tsv")
if os.path.exists(path):
    with open(path) as f:
        rows = [line.split("\t") for line in f]
    parts = [[float(r[i]) for r in rows if int(r[0]) >= 1] for i in (1, 2, 3)]
    if all(parts):
        print("\nThe floor's parts, medians: scp %.0f ms, ssh `mv && systemctl restart` %.0f ms, "
              "curl until 200 %.0f ms." % tuple(statistics.median(p) * 1000 for p in parts))

# berth's own clock: each step's elapsed_ms (the "done" event), and took_ms of the result.
print("\nberth's steps, medians in ms over the measured rounds (`--json` events):\n")
steps_order = []
per_case = {}
for case in ("fast", "same", "default", "first"):
    steps = collections.defaultdict(list)
    took = []
    for rnd in range(1, runs + 1):
        path = os.path.join(out, "json", f"{case}-{rnd}.jsonl")
        if not os.path.exists(path):
            continue
        for e in read_json_lines(path):
            if e.get("type") == "event" and e.get("phase") == "done":
                steps[e["step"]].append(e["elapsed_ms"])
                if e["step"] not in steps_order:
                    steps_order.append(e["step"])
            elif e.get("type") == "result":
                took.append(e["took_ms"])
    per_case[case] = (steps, took)
print("| step | " + " | ".join(per_case) + " |")
print("|---|" + "---:|" * len(per_case))
for step in steps_order:
    cells = []
    for case in per_case:
        v = per_case[case][0].get(step)
        cells.append(f"{statistics.median(v):.0f}" if v else "")
    print(f"| {step} | " + " | ".join(cells) + " |")
cells = [f"{statistics.median(t):.0f}" if t else "" for _, t in per_case.values()]
print("| **took_ms** (berth's total) | " + " | ".join(cells) + " |")
cells = []
for case, (_, took) in per_case.items():
    wall = measured(times, case)
    cells.append(f"{statistics.median(wall) * 1000 - statistics.median(took):.0f}" if took else "")
print("| wall − took (process start, ssh, exit) | " + " | ".join(cells) + " |")

# The diagnostic rounds: berth's --json lines stamped on arrival (ms after berth was started).
diag = sorted(glob.glob(os.path.join(out, "diag", "*.events")))
if diag:
    rows = collections.defaultdict(lambda: collections.defaultdict(list))
    order = []
    for path in diag:
        exit_at, lines = read_stamped(path)
        last_done = None
        for t, e in lines:
            if e.get("type") == "result":
                rows["(result line)"]["at"].append(t)
                rows["(result line)"]["gap"].append(t - last_done)
                last_done = t
                if "(result line)" not in order:
                    order.append("(result line)")
                continue
            if e.get("type") != "event" or e.get("phase") not in ("start", "done"):
                continue
            step = e["step"]
            if step not in order:
                order.append(step)
            if e["phase"] == "start":
                rows[step]["gap"].append(t - (last_done if last_done is not None else 0))
                rows[step]["at"].append(t)
            else:
                rows[step]["done"].append(t)
                last_done = t
        rows["(berth exits)"]["at"].append(exit_at)
        rows["(berth exits)"]["gap"].append(exit_at - last_done)
    order.append("(berth exits)")
    order.sort(key=lambda step: statistics.median(rows[step]["at"]))
    print(f"\nberth's timeline, `fast`, {len(diag)} more rounds with the --json lines stamped as "
          "they arrived (ms after berth was started; medians). *gap*: since the previous step "
          "ended, outside any step:\n")
    print("| step | starts at | ends at | gap before it |")
    print("|---|---:|---:|---:|")

    def med(v):
        return f"{statistics.median(v):.0f}" if v else ""

    for step in order:
        r = rows[step]
        print(f"| {step} | {med(r['at'])} | {med(r.get('done', []))} | {med(r['gap'])} |")
