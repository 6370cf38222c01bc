"""What bench/deploy/summary.py and bench/fleet/summary.py both read from a run's OUT directory:
the wall times per case and round, berth's --json lines, and the diagnostic rounds' lines stamped
as they arrived (bench/lib.sh: bench_stamped)."""
import collections
import json
import os


def read_times(out):
    """times.tsv as {case: {round: seconds}}."""
    times = collections.defaultdict(dict)
    with open(os.path.join(out, "times.tsv")) as f:
        for line in f:
            case, rnd, secs = line.split("\t")
            times[case][int(rnd)] = float(secs)
    return times


def measured(times, case):
    """A case's wall times of the measured rounds (round 0 is the warm-up), in round order."""
    return [t for r, t in sorted(times[case].items()) if r >= 1]


def read_json_lines(path):
    """The JSON objects of a file of JSON lines; a line that is not JSON is skipped."""
    with open(path) as f:
        for line in f:
            try:
                yield json.loads(line)
            except ValueError:
                continue


def read_stamped(events_path):
    """A stamped run (PREFIX.events, PREFIX.times): (ms from berth's start to its exit, [(ms
    after berth's start, JSON object) for each JSON line, in order])."""
    with open(events_path[: -len(".events")] + ".times") as f:
        marks = dict(line.split() for line in f)
    exec_t, exit_t = float(marks["exec"]), float(marks["exit"])
    lines = []
    with open(events_path) as f:
        for line in f:
            key, rest = line.rstrip("\n").split("\t", 1)
            try:
                e = json.loads(rest)
            except ValueError:
                continue
            lines.append(((float(key) - exec_t) * 1000, e))
    return (exit_t - exec_t) * 1000, lines
