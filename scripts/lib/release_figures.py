#!/usr/bin/env python3
"""Times two Tauri apps from spawn to their "ui-ready" line and sums their memory over every
process (the app and WebKit's children), run after run, alternately; prints medians and spreads.

Used by scripts/release-figures, which builds the apps and starts Xvfb, D-Bus and a keyring.
Launch = from just before spawning the process to the moment its "ui-ready" line arrives on stderr
(each app prints it when its page calls back, two animation frames after its first view is in the
page, i.e. once the frame painting it has been composited; the line also says how long the page
itself took since it began loading: "page_ms=…"). Memory = the sum of
Pss and of Rss from /proc/PID/smaps_rollup over the app and all its descendants, read a fixed time
after ready. Runs are never concurrent, so no shared page is split between the two apps. Another
program's WebKit process would split them (the ~75 MB of WebKit's libraries, counted half in each),
lowering both apps' PSS by the same amount and so raising the ratio: the runs count such
neighbours and say so. Anonymous memory (what the processes allocated) is printed too: no
neighbour moves it.
"""

import argparse
import json
import os
import re
import selectors
import signal
import statistics
import subprocess
import sys
import time

READY = b"ui-ready"
ANSI = re.compile(rb"\x1b\[[0-9;]*m")
PAGE_MS = re.compile(rb"page_ms=([0-9.]+)")
PHASES = re.compile(rb"phases=([a-z0-9:,-]+)")
# A step of the launch as both apps log it, with its time in ms since the Unix epoch.
LAUNCH_PHASE = re.compile(rb"launch-phase ([a-z0-9-]+) at_ms=([0-9.]+)")


def process_table():
    """{pid: (ppid, name)} of every process, from /proc/*/stat."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The name sits in parentheses and may hold spaces; the ppid is the second field after it.
        close = stat.rindex(b")")
        table[int(entry)] = (int(stat[close + 2 :].split()[1]), stat[stat.index(b"(") + 1 : close].decode(errors="replace"))
    return table


def descendants(root, table=None):
    """The pid and all its living descendants, from the parent links in /proc/*/stat."""
    children = {}
    for pid, (ppid, _) in (table or process_table()).items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def other_webkit_processes(root, table):
    """How many WebKit web processes run outside root's tree (the kernel keeps 15 bytes of a name)."""
    ours = set(descendants(root, table))
    return sum(1 for pid, (_, name) in table.items() if name.startswith("WebKitWebProces") and pid not in ours)


def memory_of(pid):
    """(pss_kib, rss_kib, name, anonymous_kib) of one process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            fields = dict(line.split(":", 1) for line in f if line.count(":") == 1 and line[0].isupper())
        with open(f"/proc/{pid}/comm") as f:
            name = f.read().strip()
    except (OSError, ValueError):
        return None
    kib = lambda key: int(fields.get(key, "0 kB").split()[0])
    return kib("Pss"), kib("Rss"), name, kib("Anonymous")


def stop(proc, timeout=10):
    """Ends the app and whatever of its children outlive it."""
    family = descendants(proc.pid)
    for pid in reversed(family):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for pid in family[1:]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def ready_facts_of(buffered):
    """From the ready line, once it is whole: (the page's own share of the launch, "page_ms=…";
    where in the page it went, {phase: ms} from "phases=name:ms,…", empty if the line has none)."""
    tail = ANSI.sub(b"", buffered[buffered.index(READY) :])
    if b"\n" not in tail:
        return None
    line = tail.split(b"\n", 1)[0]
    found = PAGE_MS.search(line)
    phases = {}
    if listed := PHASES.search(line):
        for item in listed.group(1).decode().split(","):
            name, _, ms = item.rpartition(":")
            if name and ms.isdigit():
                phases[name] = int(ms)
    return (float(found.group(1)) if found else float("nan")), phases


def time_line(output, spawned_ms, page_ms, page_phases):
    """The launch's steps in ms since spawn: the apps' "launch-phase" lines, the page's start
    ("page-start": its clock's origin, which the page sends as "origin", ms since the epoch) and
    the page's milestones."""
    steps = {}
    for name, at in LAUNCH_PHASE.findall(ANSI.sub(b"", output)):
        steps.setdefault(name.decode(), float(at) - spawned_ms)
    origin = page_phases.pop("origin", None)
    if origin is not None:
        start = origin - spawned_ms
        steps["page-start"] = start
        for name, ms in page_phases.items():
            steps.setdefault(name, start + ms)
    return steps


def run_once(command, env, settle, timeout, log):
    """One launch: (launch seconds, pss KiB, rss KiB, {process name: pss KiB}, page ms, {phase: ms},
    {launch step: ms since spawn}, anonymous KiB, other programs' WebKit web processes)."""
    start = time.monotonic()
    spawned_ms = time.time() * 1000
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready_at = None
        buffered = output = b""
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stderr, selectors.EVENT_READ)
            while ready_at is None:
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    raise RuntimeError(f"{command[0]} gave no ready signal within {timeout} s")
                if not sel.select(left):
                    continue
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    raise RuntimeError(f"{command[0]} exited (status {proc.wait()}) before its ready signal")
                log.write(chunk)
                buffered += chunk
                output += chunk
                if READY in buffered:
                    ready_at = time.monotonic()
            # Keep draining stderr while the app settles, so it never blocks on a full pipe.
            settle_end = ready_at + settle
            facts = ready_facts_of(buffered)
            while (left := settle_end - time.monotonic()) > 0:
                if sel.select(left):
                    chunk = os.read(proc.stderr.fileno(), 65536)
                    if not chunk:
                        raise RuntimeError(f"{command[0]} exited (status {proc.wait()}) right after its ready signal")
                    log.write(chunk)
                    output += chunk
                    if facts is None:
                        buffered += chunk
                        facts = ready_facts_of(buffered)
        pss = rss = anonymous = 0
        by_name = {}
        table = process_table()
        for pid in descendants(proc.pid, table):
            m = memory_of(pid)
            if m:
                pss += m[0]
                rss += m[1]
                anonymous += m[3]
                by_name[m[2]] = by_name.get(m[2], 0) + m[0]
        page_ms, phases = facts or (float("nan"), {})
        steps = time_line(output, spawned_ms, page_ms, phases)
        neighbours = other_webkit_processes(proc.pid, table)
        return ready_at - start, pss, rss, by_name, page_ms, phases, steps, anonymous, neighbours
    finally:
        stop(proc)


def spread(values):
    return f"{min(values):.0f}–{max(values):.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True, help="the release app's binary")
    parser.add_argument("--minimal", required=True, help="the minimal Tauri app's binary")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds after ready before reading memory")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--work", required=True, help="a private folder for the apps' config, cache and logs")
    parser.add_argument("--dump", help="a file to write every run's figures to, as JSON")
    args = parser.parse_args()

    apps = {"app": [args.app], "minimal": [args.minimal]}
    env = dict(os.environ)
    env.pop("RUST_LOG", None)
    for key, sub in (("SCOPESTACK_COMPANION_HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        env[key] = os.path.join(args.work, sub)
        os.makedirs(env[key], exist_ok=True)

    results = {name: [] for name in apps}
    with open(os.path.join(args.work, "apps.log"), "ab") as log:
        try:
            for name, command in apps.items():  # a first launch of each, not counted: caches warm
                run_once(command, env, args.settle, args.timeout, log)
            for i in range(args.runs):
                order = ["app", "minimal"] if i % 2 == 0 else ["minimal", "app"]
                for name in order:
                    results[name].append(run_once(apps[name], env, args.settle, args.timeout, log))
                print(f"  run {i + 1}/{args.runs} done", file=sys.stderr)
        except RuntimeError as e:
            print(f"release-figures: {e}; its log: {log.name}", file=sys.stderr)
            return 1

    if args.dump:
        with open(args.dump, "w") as f:
            json.dump(results, f)

    def figures(name):
        runs = results[name]
        launch = [r[0] * 1000 for r in runs]
        pss = [r[1] / 1024 for r in runs]
        rss = [r[2] / 1024 for r in runs]
        page = [r[4] for r in runs]
        anonymous = [r[7] / 1024 for r in runs]
        return launch, pss, rss, page, anonymous

    app, minimal = figures("app"), figures("minimal")
    rows = [
        ("launch to usable UI (ms)", 0, 1.1),
        ("  of which in the page (ms)", 3, None),
        ("memory, PSS of all processes (MB)", 1, 1.1),
        ("memory, RSS of all processes (MB)", 2, None),
        ("memory, anonymous, all processes (MB)", 4, None),
    ]
    print(f"{'':36}{'ScopeStack Companion':>26}{'minimal Tauri app':>24}{'ratio':>8}  goal")
    for label, i, goal in rows:
        a, m = statistics.median(app[i]), statistics.median(minimal[i])
        ratio = a / m
        verdict = f"≤ {goal}×: {'met' if ratio <= goal else 'MISSED'}" if goal else "(for reference)"
        print(f"{label:36}{a:>12.0f} ({spread(app[i]):>11}){m:>10.0f} ({spread(minimal[i]):>11}){ratio:>7.2f}×  {verdict}")
    print(f"(medians of {args.runs} runs each, spread min–max; memory read {args.settle:g} s after ready)")
    crowded = sum(1 for name in results for run in results[name] if run[8] > 0)
    if crowded:
        print(f"WARNING: in {crowded} of {2 * args.runs} runs another program's WebKit process was running: it shares "
              "WebKit's libraries, so both apps' PSS read lower and the PSS ratio higher than alone. "
              "Close other WebKit apps (and tests) and run again.")
    phases = {}
    for run in results["app"]:
        for phase, ms in run[5].items():
            phases.setdefault(phase, []).append(ms)
    if phases:
        order = sorted(phases, key=lambda p: statistics.median(phases[p]))
        print("in the page, ScopeStack Companion (median ms since it began loading): " + ", ".join(f"{p} {statistics.median(phases[p]):.0f}" for p in order))
    steps = {name: {} for name in results}
    for name in results:
        for run in results[name]:
            for step, ms in run[6].items():
                steps[name].setdefault(step, []).append(ms)
    if steps["app"]:
        med = lambda name, step: statistics.median(steps[name][step]) if step in steps[name] else None
        print("launch time line (median ms since spawn; the minimal app's where it has the same step):")
        for step in sorted(steps["app"], key=lambda s: med("app", s)):
            minimal_at = med("minimal", step)
            beside = f"{minimal_at:>8.0f}" if minimal_at is not None else f"{'':>8}"
            print(f"  {step:22}{med('app', step):>8.0f}{beside}")
    for name, label in (("app", "ScopeStack Companion"), ("minimal", "minimal Tauri app")):
        last = results[name][-1][3]
        parts = ", ".join(f"{proc} {kib / 1024:.0f}" for proc, kib in sorted(last.items(), key=lambda kv: -kv[1]))
        print(f"PSS by process, last run, {label} (MB): {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
