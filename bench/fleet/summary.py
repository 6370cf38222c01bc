"""The summary of bench/fleet/run.sh as Markdown: medians side by side, the fleet / one-host ratio
round by round, the CPU each case used, berth's steps per host (from its --json lines), the
stamped timelines, the simulated scheduler. usage: summary.py OUT RUNS N SIZE BERTH_SIZE
LOAD_BEFORE LOAD_HOSTS LOAD_AFTER NPROC"""
import collections
import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary_lib import measured, read_json_lines, read_stamped, read_times  # noqa: E402

out, runs, n, size, berth_size, load_before, load_hosts, load_after, nproc = sys.argv[1:10]
runs, n, size, berth_size = int(runs), int(n), int(size), int(berth_size)
med = statistics.median

times = read_times(out)  # case -> round -> seconds


CASES = [
    ("floor1", "floor to 1 host: scp + ssh `mv && systemctl restart` + curl until 200"),
    ("floorn", f"floor to {n} hosts at once (the same, in parallel)"),
    ("one", "**berth deploy to 1 host**, new version, `--settle 0 --passes 1`"),
    ("fleet", f"**berth deploy to {n} hosts**, one batch, `--forks {n}`, the same settings"),
    ("ansible", f"ansible-playbook on {n} hosts, forks {n}: copy + systemd restart + uri (tuned)"),
    ("one-first", "berth deploy to 1 host, berth itself uploaded first"),
    ("fleet-first", f"berth deploy to {n} hosts, berth itself uploaded first to each"),
]
one = med(measured(times, "one"))
print(f"{runs} rounds (after 1 warm-up) on {n} hosts, service {size / 1e6:.1f} MB (random "
      f"bytes: does not compress), berth uploaded to hosts {berth_size / 1e6:.2f} MB; {nproc} "
      f"cores, load average {load_before} before, {load_hosts} after the hosts' rounds, "
      f"{load_after} after the simulation.\n")
print("| case | median (s) | min–max (s) | × 1 host |")
print("|---|---:|---:|---:|")
for case, text in CASES:
    t = measured(times, case)
    if t:
        print(f"| {text} | **{med(t):.2f}** | {min(t):.2f}–{max(t):.2f} | {med(t) / one:.2f} |")
for case, text in (("one", "1 host"), ("fleet", f"{n} hosts")):
    warm = times[case].get(0)
    if warm is not None:
        print(f"| berth's first deploy to fresh hosts, {text} (round 0: berth uploaded, unit "
              f"written, daemon-reload, enable; 1 sample) | {warm:.2f} | | {warm / one:.2f} |")


def ratios(a, b):
    return [(r, times[a][r] / times[b][r]) for r in sorted(times[b]) if r >= 1 and r in times[a]]


fr = ratios("fleet", "one")
print(f"\n{n} hosts / 1 host, round by round: "
      + ", ".join(f"{x:.2f}" for _, x in fr)
      + f"; **median {med(x for _, x in fr):.2f}** ({min(x for _, x in fr):.2f}–"
      f"{max(x for _, x in fr):.2f}); target ≤ 1.3: "
      + ("**met**" if med(x for _, x in fr) <= 1.3 else "**missed**") + ".")
ff = ratios("fleet-first", "one-first")
if ff:
    print(f"With berth uploaded first: median {med(x for _, x in ff):.2f} "
          f"({min(x for _, x in ff):.2f}–{max(x for _, x in ff):.2f}).")
fl = ratios("floorn", "floor1")
if fl:
    print(f"The floor on {n} hosts / on 1, round by round: **median {med(x for _, x in fl):.2f}** "
          f"({min(x for _, x in fl):.2f}–{max(x for _, x in fl):.2f}): what {n} hosts cost this "
          "test bed without berth.")
fa = ratios("ansible", "fleet")
if fa:
    print(f"Ansible / berth on {n} hosts, round by round: median {med(x for _, x in fa):.2f}.")

# The floor's parts per host: how each part grows from 1 host to N on this test bed.
path = os.path.join(out, "floor.tsv")
if os.path.exists(path):
    parts = collections.defaultdict(lambda: [[], [], []])
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if int(p[1]) >= 1:
                for i in range(3):
                    parts[p[0]][i].append(float(p[3 + i]) * 1000)
    if parts:
        print("\nThe floor's parts per host, medians in ms (over every host and round):\n")
        print("| case | scp (20 MB) | ssh `mv && systemctl restart` | curl until 200 |")
        print("|---|---:|---:|---:|")
        for case in ("floor1", "floorn"):
            if case in parts:
                print(f"| {case} | " + " | ".join(f"{med(v):.0f}" for v in parts[case]) + " |")

# CPU used during each case (cgroup v2): ours (this script, berth, ssh and its masters, Ansible),
# the hosts' (sshd, berth on the host, systemd, the service), the rest of the machine.
path = os.path.join(out, "cpu.tsv")
if os.path.exists(path):
    cpu = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            case, rnd = p[0], int(p[1])
            if rnd < 1:
                continue
            a, b = [int(x) for x in p[2:6]], [int(x) for x in p[6:10]]
            d = [(y - x) / 1000 for x, y in zip(a, b)]  # ms
            wall = times[case][rnd] * 1000
            cpu[case]["ours"].append(d[0])
            cpu[case]["hosts"].append(d[1])
            cpu[case]["others"].append(d[2] - d[0] - d[1])
            cpu[case]["busy"].append((d[0] + d[1]) / wall)
            cpu[case]["machine"].append(d[2] / wall)
            cpu[case]["stall"].append(d[3])
    print("\nCPU during each case, medians (cgroup v2 `cpu.stat`; *stall*: the machine's "
          "`cpu.pressure` some, time in which a runnable task waited for a CPU):\n")
    print("| case | wall (ms) | ours (ms) | the hosts' (ms) | cores busy with it | others (ms) "
          "| machine's cores busy | stall (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for case, _ in CASES:
        c = cpu.get(case)
        if not c:
            continue
        print(f"| {case} | {med(measured(times, case)) * 1000:.0f} | {med(c['ours']):.0f} | "
              f"{med(c['hosts']):.0f} | {med(c['busy']):.2f} | {med(c['others']):.0f} | "
              f"{med(c['machine']):.2f} | {med(c['stall']):.0f} |")


# berth's own clock: each step's elapsed_ms per host, and took_ms per host and in all.
steps_order = []
per_case = {}
for case in ("one", "fleet", "one-first", "fleet-first"):
    steps = collections.defaultdict(list)  # step -> every host's elapsed, every round
    slowest = collections.defaultdict(list)  # step -> the slowest host's, per round
    took, total = [], []
    for rnd in range(1, runs + 1):
        path = os.path.join(out, "json", f"{case}-{rnd}.jsonl")
        if not os.path.exists(path):
            continue
        this = collections.defaultdict(list)
        for e in read_json_lines(path):
            if e.get("type") == "event" and e.get("phase") == "done":
                this[e["step"]].append(e["elapsed_ms"])
                if e["step"] not in steps_order:
                    steps_order.append(e["step"])
            elif e.get("type") == "result":
                took.append(e["took_ms"])
                total.append(e["took_ms"])
            elif e.get("type") == "rollout-result":
                took += [h["took_ms"] for h in e["hosts"]]
                total.append(e["took_ms"])
        for step, v in this.items():
            steps[step] += v
            slowest[step].append(max(v))
    per_case[case] = (steps, slowest, took, total)
print("\nberth's steps in ms, medians over the measured rounds (`--json` events; with several "
      "hosts: over every host, and / the slowest host of each round):\n")
print("| step | " + " | ".join(per_case) + " |")
print("|---|" + "---:|" * len(per_case))


def cell(v, w=None):
    if not v:
        return ""
    return f"{med(v):.0f}" + (f" / {med(w):.0f}" if w and len(v) != len(w) else "")


for step in steps_order:
    print(f"| {step} | " + " | ".join(cell(s.get(step), sl.get(step))
                                      for s, sl, _, _ in per_case.values()) + " |")
print("| took_ms per host | " + " | ".join(cell(t) for _, _, t, _ in per_case.values()) + " |")
print("| **took_ms** (berth's total) | " + " | ".join(cell(t) for _, _, _, t in per_case.values())
      + " |")
cells = []
for case, (_, _, _, total) in per_case.items():
    cells.append(f"{med(measured(times, case)) * 1000 - med(total):.0f}" if total else "")
print("| wall − took (process start, ssh, exit) | " + " | ".join(cells) + " |")

# The diagnostic rounds: berth's --json lines stamped on arrival, ms after berth was started. For
# each step: when the first host started it and when the last host ended it (medians over rounds).
diag = sorted(glob.glob(os.path.join(out, "diag", "*.events")))
if diag:
    rows = {}  # case -> step -> {"first": [...], "last": [...]}
    for path in diag:
        case = os.path.basename(path).rsplit("-", 1)[0]
        exit_at, lines = read_stamped(path)
        first, last = {}, {}
        for t, e in lines:
            if e.get("type") in ("result", "rollout-result"):
                first.setdefault("(result line)", t)
                last["(result line)"] = t
            elif e.get("type") == "event" and e.get("phase") in ("start", "done"):
                first.setdefault(e["step"], t)
                last[e["step"]] = t
        first["(berth exits)"] = last["(berth exits)"] = exit_at
        r = rows.setdefault(case, collections.defaultdict(lambda: {"first": [], "last": []}))
        for step in first:
            r[step]["first"].append(first[step])
            r[step]["last"].append(last[step])
    print(f"\nberth's timeline, {len(diag) // max(len(rows), 1)} more rounds per case with the "
          "--json lines stamped as they arrived (ms after berth was started, medians): when the "
          "first host started each step, when the last one ended it:\n")
    cases = list(rows)
    order = sorted({s for c in cases for s in rows[c]},
                   key=lambda s: min(med(rows[c][s]["first"]) for c in cases if s in rows[c]))
    print("| step | " + " | ".join(f"{c}: first start | {c}: last end" for c in cases) + " |")
    print("|---|" + "---:|---:|" * len(cases))
    for step in order:
        cells = []
        for c in cases:
            v = rows[c].get(step)
            cells += [f"{med(v['first']):.0f}", f"{med(v['last']):.0f}"] if v else ["", ""]
        print(f"| {step} | " + " | ".join(cells) + " |")

# The simulated scheduler (scheduler_bench: one line per configuration).
path = os.path.join(out, "sched.tsv")
if os.path.exists(path):
    print("\nThe rollout scheduler over simulated hosts (scheduler_bench: one batch, each host's "
          "deploy a sleep of the latency; medians of 5 rollouts; *added*: the rollout's wall time "
          "minus that of the same sleeps on bare threads, per host; CPU: all threads, per host; "
          "RSS: before the first rollout / the process's peak):\n")
    print("| hosts | latency | forks | events | rollout (ms) | bare threads (ms) | added per host "
          "(µs) | CPU per host (µs) | bare CPU per host (µs) | RSS before / peak (MiB) |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    with open(path) as f:
        for line in f:
            p = line.split("\t")
            if len(p) < 12:
                continue
            lat = "0" if p[2] == "0" else f"{int(p[2]) / 1000:g} ms"
            print(f"| {int(p[0]):,} | {lat} | {p[1]} | {p[3]} | {float(p[5]):.1f} | "
                  f"{float(p[6]):.1f} | {float(p[7]):.2f} | {float(p[8]):.2f} | "
                  f"{float(p[9]):.2f} | {int(p[10]) / 1024:.1f} / {int(p[11]) / 1024:.1f} |")
