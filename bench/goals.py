#!/usr/bin/env python3
"""bench/goals.py: issue 11's table, measured in one run, interleaved.

    goals.py --pktscope P --bare B --full F [--sub S] [--label TEXT] [--repeat N]
             [--out results.md] [--tui]

Runs every command of COMMANDS on the capture F (tshark, some fifty times slower, on S: the
first packets of F, made by run.sh), REPEAT rounds, each round running every command once in
turn, so that a change in the machine's load falls on all of them alike. For each command it
keeps the median of the rounds: CPU seconds (user + system of the child, from wait4 in
bench/rusage.c), wall seconds, peak RSS. Then it prints the commands' table and the goals table: each pktscope mode
against its anchor (the bare libpcap loop, tcpdump, tshark), the ratio of CPU seconds per packet,
and whether the goal is met; and what each goal leaves pktscope a packet, beside the cost of only
reading the file (budget_table). With --tui it also times the TUI in tmux: the first screen (the
first packet's row drawn), the whole file indexed (every packet listed from the outline) and the
whole file analysed (dissected and tracked); jumping to the last packet (G) once indexed; a
display filter typed once indexed, until it covers the whole file (the analysis goes on
meanwhile: a filter needs it); then, once analysed, the same filter over the whole file
(TUI_FILTER, until the list's count is shown) and opening the connection table (c).

Not part of ctest: timings belong here, never in a test.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# name, which capture ("full" or "sub"), the command (F is replaced by the capture's path)
COMMANDS = [
    ("bare libpcap loop (pcap_next_ex)", "full", ["{bare}", "F"]),
    ("pktscope index pass (file_source_index)", "full", ["{index_pass}", "F"]),
    ("tcpdump -r F -w /dev/null", "full", ["tcpdump", "-r", "F", "-w", "/dev/null"]),
    ("tcpdump -nr F", "full", ["tcpdump", "-nr", "F"]),
    ("pktscope --stats --threads 1", "full", ["{pktscope}", "--stats", "--threads", "1", "-r", "F"]),
    ("pktscope --stats -Y 'tcp.port == 80 || dns'", "full",
     ["{pktscope}", "--stats", "-Y", "tcp.port == 80 || dns", "-r", "F"]),
    ("pktscope --print --threads 1", "full", ["{pktscope}", "--print", "--threads", "1", "-r", "F"]),
    ("pktscope --print --threads 2", "full", ["{pktscope}", "--print", "--threads", "2", "-r", "F"]),
    ("pktscope --json --threads 1", "full", ["{pktscope}", "--json", "--threads", "1", "-r", "F"]),
    ("pktscope --json --threads 2", "full", ["{pktscope}", "--json", "--threads", "2", "-r", "F"]),
    ("pktscope --conns --threads 1", "full", ["{pktscope}", "--conns", "--threads", "1", "-r", "F"]),
    ("pktscope --conns --threads 2", "full", ["{pktscope}", "--conns", "--threads", "2", "-r", "F"]),
    ("tshark -T fields -e frame.number", "sub",
     ["tshark", "-n", "-r", "F", "-T", "fields", "-e", "frame.number"]),
    ("tshark -T ek", "sub", ["tshark", "-n", "-r", "F", "-T", "ek"]),
    ("tshark -q -z conv,tcp", "sub", ["tshark", "-n", "-q", "-r", "F", "-z", "conv,tcp"]),
    ("pktscope --json --threads 1 (sub)", "sub",
     ["{pktscope}", "--json", "--threads", "1", "-r", "F"]),
    ("pktscope --conns --threads 1 (sub)", "sub",
     ["{pktscope}", "--conns", "--threads", "1", "-r", "F"]),
]

# what, pktscope's row, the anchor's row, "slower" (pktscope / anchor must be at most the goal),
# "faster" (anchor / pktscope must be at least the goal), both in CPU time, or "wall" (pktscope's
# wall time / the anchor's at most the goal), the goal (issue 11; None: shown, not a goal). CPU
# per packet is compared with one thread; --threads is measured by its wall time against one
# thread's.
GOALS = [
    ("--stats vs a bare libpcap loop", "pktscope --stats --threads 1",
     "bare libpcap loop (pcap_next_ex)",
     "slower", 1.5),
    ("--print vs tcpdump -nr", "pktscope --print --threads 1", "tcpdump -nr F", "faster", 5.0),
    ("--json vs tshark -T fields -e frame.number", "pktscope --json --threads 1 (sub)",
     "tshark -T fields -e frame.number", "faster", 20.0),
    ("--conns vs tshark -q -z conv,tcp", "pktscope --conns --threads 1 (sub)",
     "tshark -q -z conv,tcp", "faster", 100.0),
    ("--json: 2 threads vs 1 (wall)", "pktscope --json --threads 2",
     "pktscope --json --threads 1", "wall", 0.6),
    ("--conns: 2 threads vs 1 (wall)", "pktscope --conns --threads 2",
     "pktscope --conns --threads 1", "wall", 0.6),
    ("--print: 2 threads vs 1 (wall; not a goal)", "pktscope --print --threads 2",
     "pktscope --print --threads 1", "wall", None),
]
TUI_FIRST_SCREEN_GOAL = 0.2
TUI_ACTION_GOAL = 1.0  # G once indexed; the filter and the connection table once analysed
TUI_FILTER = "tcp.port == 80"


READ_FLOOR = "pktscope index pass (file_source_index)"


def budget_table(med):
    """What each CPU goal leaves pktscope a packet (the anchor's cost divided by the goal, or
    multiplied for a "slower" one), beside what this run measured, and beside the cost of only
    reading the file and splitting it into records (pktscope's index pass, its fastest reader,
    which neither dissects nor tracks): a budget below that floor cannot be met on this machine
    by any change to what follows the read. Returns the lines (none when a row is missing)."""
    floor = med.get(READ_FLOOR)
    if not floor:
        return []
    f = floor["cpu"] / floor["packets"]
    out = ["", "| goal (issue 11) | the goal allows pktscope | pktscope now | reading F alone "
           "(index pass) | budget left past the read |", "|---|---:|---:|---:|---:|"]
    for what, mine, anchor, kind, goal in GOALS:
        if kind == "wall" or goal is None or mine not in med or anchor not in med:
            continue
        p = med[mine]["cpu"] / med[mine]["packets"]
        q = med[anchor]["cpu"] / med[anchor]["packets"]
        allowed = q * goal if kind == "slower" else q / goal
        left = allowed - f
        out.append("| %s | %.2f µs | %.2f µs | %.2f µs | %s |" %
                   (what, allowed * 1e6, p * 1e6, f * 1e6,
                    "%.2f µs" % (left * 1e6) if left > 0 else "**none**"))
    return out


def run_once(rusage, cmd):
    """One run of cmd through bench/rusage.c (see there why not Python's own wait4): its wall
    and CPU seconds, peak RSS and exit status."""
    with tempfile.NamedTemporaryFile("r") as res, open(os.devnull, "wb") as null:
        subprocess.run([rusage, res.name, *cmd], stdout=null, stderr=null)
        wall, cpu, rss_kib, code = res.read().split()
    return {"wall": float(wall), "cpu": float(cpu), "rss_mb": int(rss_kib) / 1024,
            "code": int(code)}


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True,
                          timeout=30)


def tui_wait(sock, done, limit=120):
    """Seconds until done(screen lines) holds, polling every 10 ms; None past limit."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if done(tmux(sock, "capture-pane", "-p", "-t", "b").stdout.splitlines()):
            return time.monotonic() - t0
        time.sleep(0.01)
    return None


def title_settled(screen, word, packets):
    """The title counts every packet and no longer shows `word`'s progress bar."""
    return bool(screen) and word not in screen[0] and ("%d packets" % packets) in screen[0]


def tui_last(sock, packets):
    """Seconds to show the last packet's row (G); the clock starts when tmux has taken the key."""
    tmux(sock, "send-keys", "-t", "b", "G")
    last = "%d " % packets
    return tui_wait(sock, lambda s: any(l.lstrip().startswith(last) for l in s[1:]))


def tui_actions(sock):
    """Once analysed: seconds to filter the whole list by TUI_FILTER (from Enter until the title
    gives the count shown, no progress left), and to open the connection table (c)."""
    times = {}
    tmux(sock, "send-keys", "-t", "b", "f")
    tui_wait(sock, lambda s: any("Filter (display filter" in l for l in s), 10)
    tmux(sock, "send-keys", "-t", "b", "-l", TUI_FILTER)
    time.sleep(0.1)
    tmux(sock, "send-keys", "-t", "b", "Enter")
    times["filter"] = tui_wait(sock, lambda s: bool(s) and " shown | filter: " in s[0] and
                               "filtering" not in s[0])
    tmux(sock, "send-keys", "-t", "b", "c")
    times["conns"] = tui_wait(sock, lambda s: any(l.startswith(" Connections: ") for l in s))
    return times


def tui_once(pktscope, capture, packets):
    """Seconds from start to the first packet's row on screen, to the file indexed whole (the
    title counts every packet and no longer says "indexing": the outline, every packet listed),
    and to the file analysed whole (no longer "analysing": every packet dissected and tracked),
    in a 120x40 tmux terminal; then the actions' times: G as soon as indexed, the filter and the
    connection table once analysed. Every wait is bounded."""
    tui_once.runs = getattr(tui_once, "runs", 0) + 1
    sock = "pktscope-bench-%d-%d" % (os.getpid(), tui_once.runs)
    first = indexed = analysed = None
    actions = {}
    # The clock starts when the shell in the pane is about to exec pktscope (it writes
    # CLOCK_MONOTONIC, the clock time.monotonic() reads, to a file): starting tmux and its shell
    # is not pktscope's time.
    work = tempfile.mkdtemp(prefix="pktscope-bench-")
    started = os.path.join(work, "started")
    launcher = os.path.join(work, "launch.py")
    with open(launcher, "w") as f:
        f.write("import os, sys, time\n"
                "with open(sys.argv[1], 'w') as f:\n"
                "    f.write(repr(time.monotonic()))\n"
                "os.execvp(sys.argv[2], sys.argv[2:])\n")
    try:
        tmux(sock, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
             "python3 %s %s env NO_COLOR=1 TERM=screen %s -r %s; sleep 30" %
             (launcher, started, pktscope, capture))
        deadline = time.monotonic() + 300
        t0 = None
        while time.monotonic() < deadline:
            screen = tmux(sock, "capture-pane", "-p", "-t", "b").stdout.splitlines()
            if t0 is None:
                try:
                    t0 = float(open(started).read())
                except (OSError, ValueError):
                    time.sleep(0.002)
                    continue
            now = time.monotonic() - t0
            if first is None and any(line.lstrip().startswith("1 ") for line in screen[1:4]):
                first = now
            if first is not None and title_settled(screen, "indexing", packets):
                indexed = now
                break
            time.sleep(0.005)
        if indexed is not None:
            actions["last"] = tui_last(sock, packets)
            waited = tui_wait(sock, lambda s: title_settled(s, "analysing", packets), 300)
            if waited is not None:
                analysed = time.monotonic() - t0
                time.sleep(0.5)  # the screen settles
                actions.update(tui_actions(sock))
    finally:
        tmux(sock, "kill-server")
        shutil.rmtree(work, ignore_errors=True)
    return first, indexed, analysed, actions


def tui_filter_at_index(pktscope, capture, packets):
    """Seconds from Enter on TUI_FILTER, typed as soon as the file is indexed (the analysis just
    begun), until the filter covers the whole file: the title gives the count shown with no
    progress bar left (neither "filtering" nor "analysing"). The strict reading of "filtering
    within 1 s once indexed": a filter needs the analysis, which goes on meanwhile."""
    tui_once.runs = getattr(tui_once, "runs", 0) + 1
    sock = "pktscope-bench-%d-%d" % (os.getpid(), tui_once.runs)
    try:
        tmux(sock, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
             "env NO_COLOR=1 TERM=screen %s -r %s; sleep 30" % (pktscope, capture))
        if tui_wait(sock, lambda s: title_settled(s, "indexing", packets), 60) is None:
            return None
        tmux(sock, "send-keys", "-t", "b", "f")
        if tui_wait(sock, lambda s: any("Filter (display filter" in l for l in s), 10) is None:
            return None
        tmux(sock, "send-keys", "-t", "b", "-l", TUI_FILTER)
        tmux(sock, "send-keys", "-t", "b", "Enter")
        whole = "Display filter '%s': " % TUI_FILTER
        every = " of %d packets" % packets

        def covered(s):
            # The filter's pass is over and it answered for every packet: the analysis is
            # over, or the filter could be answered ahead of it (a header filter: its message
            # counts every packet, with nothing left for the analysis).
            if not s or " shown | filter: " not in s[0] or "filtering" in s[0]:
                return False
            if "analysing" not in s[0]:
                return True
            return any(whole in l and every in l and "analys" not in l for l in s)
        return tui_wait(sock, covered, 120)
    finally:
        tmux(sock, "kill-server")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pktscope", required=True)
    ap.add_argument("--bare", required=True)
    ap.add_argument("--index-pass", required=True)
    ap.add_argument("--rusage", required=True)
    ap.add_argument("--full", required=True)
    ap.add_argument("--full-packets", type=int, required=True)
    ap.add_argument("--sub")
    ap.add_argument("--sub-packets", type=int)
    ap.add_argument("--label", default="")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tui", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    sub = a.sub or a.full
    sub_packets = a.sub_packets or a.full_packets
    captures = {"full": (a.full, a.full_packets), "sub": (sub, sub_packets)}
    have_tshark = shutil.which("tshark") is not None
    todo = [c for c in COMMANDS if have_tshark or c[2][0] != "tshark"]

    runs = {name: [] for name, _, _ in todo}
    tui_runs = []
    for r in range(a.repeat):
        for name, which, cmd in todo:
            path = captures[which][0]
            argv = [x.replace("{pktscope}", a.pktscope).replace("{bare}", a.bare)
                    .replace("{index_pass}", a.index_pass) for x in cmd]
            argv = [path if x == "F" else x for x in argv]
            res = run_once(a.rusage, argv)
            runs[name].append(res)
            print("round %d: %-46s cpu %7.2f s  wall %7.2f s  rss %7.1f MB%s" %
                  (r + 1, name, res["cpu"], res["wall"], res["rss_mb"],
                   "" if res["code"] == 0 else "  (exit %d)" % res["code"]), file=sys.stderr)
        if a.tui and shutil.which("tmux"):
            tui_runs.append(tui_once(a.pktscope, a.full, a.full_packets))
            tui_runs[-1][3]["filter_at_index"] = tui_filter_at_index(a.pktscope, a.full,
                                                                     a.full_packets)
            print("round %d: TUI first screen %s s, indexed %s s, analysed %s s, then %s" %
                  (r + 1, *tui_runs[-1]), file=sys.stderr)

    med = {}
    for name, which, _ in todo:
        rs = runs[name]
        med[name] = {k: statistics.median(x[k] for x in rs) for k in ("cpu", "wall", "rss_mb")}
        med[name]["packets"] = captures[which][1]
        med[name]["bad"] = any(x["code"] != 0 for x in rs)

    out = []
    load = open("/proc/loadavg").read().split()[:3]
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                      if l.startswith("model name")), "?")
    out.append("### %s%s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                             (" - " + a.label) if a.label else ""))
    out.append("")
    out.append("- machine: %d CPUs (%s), load average after the run: %s" %
               (os.cpu_count(), cpu_model, " ".join(load)))
    out.append("- capture: %s (%d packets, %d bytes); tshark and the (sub) rows: %s (%d packets)"
               % (a.full, a.full_packets, os.path.getsize(a.full), sub, sub_packets))
    out.append("- %d rounds, each command once a round in turn; medians" % a.repeat)
    out.append("")
    out.append("| command | packets | CPU (s) | wall (s) | µs CPU/packet | peak RSS (MB) |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for name, _, _ in todo:
        m = med[name]
        out.append("| %s%s | %d | %.2f | %.2f | %.2f | %.1f |" %
                   (name, " (failed)" if m["bad"] else "", m["packets"], m["cpu"], m["wall"],
                    m["cpu"] / m["packets"] * 1e6, m["rss_mb"]))
    out.append("")
    out.append("| goal (issue 11) | pktscope CPU/packet | anchor CPU/packet | ratio | goal | met |")
    out.append("|---|---:|---:|---:|---:|---|")
    for what, mine, anchor, kind, goal in GOALS:
        if mine not in med or anchor not in med:
            out.append("| %s | - | - | - | %s | not measured |" % (what, goal))
            continue
        if kind == "wall":
            w, v = med[mine]["wall"], med[anchor]["wall"]
            goal_s = "at most %.1fx" % goal if goal is not None else ""
            met = "" if goal is None else "yes" if w / v <= goal else "**no**"
            out.append("| %s | %.2f s wall | %.2f s wall | %.2fx | %s | %s |" %
                       (what, w, v, w / v, goal_s, met))
            continue
        p = med[mine]["cpu"] / med[mine]["packets"]
        q = med[anchor]["cpu"] / med[anchor]["packets"]
        if kind == "slower":
            ratio, ok, shown = p / q, p / q <= goal, "%.2fx the anchor" % (p / q)
            goal_s = "at most %.1fx" % goal
        else:
            ratio, ok, shown = q / p, q / p >= goal, "%.1fx faster" % (q / p)
            goal_s = "at least %.0fx faster" % goal
        out.append("| %s | %.2f µs | %.2f µs | %s | %s | %s |" %
                   (what, p * 1e6, q * 1e6, shown, goal_s, "yes" if ok else "**no**"))
    if tui_runs:
        firsts = [f for f, _, _, _ in tui_runs if f is not None]
        idx = [i for _, i, _, _ in tui_runs if i is not None]
        done = [d for _, _, d, _ in tui_runs if d is not None]
        bare_wall = med.get("bare libpcap loop (pcap_next_ex)", {}).get("wall")
        if firsts:
            f = statistics.median(firsts)
            out.append("| TUI: first screen of F (wall) | %.3f s | | | at most %.1f s | %s |" %
                       (f, TUI_FIRST_SCREEN_GOAL, "yes" if f <= TUI_FIRST_SCREEN_GOAL
                        else "**no**"))
        if idx and bare_wall:
            i = statistics.median(idx)
            out.append("| TUI: whole file indexed (wall) vs the bare loop's wall | %.2f s | "
                       "%.2f s | %.2fx | no slower | %s |" %
                       (i, bare_wall, i / bare_wall, "yes" if i <= bare_wall else "**no**"))
        if done and bare_wall:
            d = statistics.median(done)
            out.append("| TUI: whole file analysed (wall; not a goal) vs the bare loop's wall | "
                       "%.2f s | %.2f s | %.2fx | | |" % (d, bare_wall, d / bare_wall))
        for key, what in (("last", "TUI: jump to the last packet, once indexed (wall)"),
                          ("filter_at_index", "TUI: display filter `%s` typed once indexed, "
                           "until it covers F (wall)" % TUI_FILTER),
                          ("filter", "TUI: display filter `%s` over F, once analysed (wall)"
                           % TUI_FILTER),
                          ("conns", "TUI: open the connection table, once analysed (wall)")):
            ts = [acts[key] for _, _, _, acts in tui_runs if acts.get(key) is not None]
            if not ts:
                out.append("| %s | - | | | at most %.0f s | not measured |" %
                           (what, TUI_ACTION_GOAL))
                continue
            v = statistics.median(ts)
            out.append("| %s | %.2f s | | | at most %.0f s | %s |" %
                       (what, v, TUI_ACTION_GOAL, "yes" if v <= TUI_ACTION_GOAL else "**no**"))
    out.extend(budget_table(med))
    out.append("")
    text = "\n".join(out)
    print(text)
    if a.out:
        with open(a.out, "a") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
