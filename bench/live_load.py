#!/usr/bin/env python3
"""Live-capture load benchmark: pktscope against tcpdump -w under the same loopback load.

Not part of ctest (it wants root and an otherwise idle machine). For each rate, each capture
command is started on lo with the BPF filter "udp dst port PORT", bench/udp_blast.c sends
RATE datagrams per second for SECONDS, the capture is stopped with SIGINT (as Ctrl-C), and the
script reads what the tool reported on stderr (captured / received by filter / dropped by
kernel, in tcpdump's wording, which pktscope keeps) and counts the records in the -w file.

  sudo bench/live_load.py [--rates 100000,200000,300000] [--seconds 5] [--repeat 2]
                          [--payload 64] [--flows 1] [--pktscope PATH] [--dir DIR]
                          [--workers 1,2] [--netns | --veth] [--only SUBSTRINGS]

--workers 1,2 adds `pktscope --workers N -w F` for each N (issue 14: live capture on every
core): N processes in one PACKET_FANOUT hash group, each writing F.wI.pcap; kept is the sum of
their records, the counters the parent's total. Give --flows in the hundreds so the hash has
flows to spread. --netns runs the sender and every capture inside a network namespace made for
the run (its own lo), so other programs' loopback traffic does not reach the captures. --veth
(issue 14's measure) makes two namespaces joined by a veth pair: the sender in one sends to
10.77.0.2 across the pair, and every capture runs in the other on its end, vc, where a socket
bound to the port (never read) keeps the kernel from answering each datagram with an ICMP error.

"missed" is datagrams sent minus records in the -w file (for tcpdump printing text, which writes
none, minus what it says it captured): every datagram the capture did not keep, whether the
kernel counted it as dropped or not. The runs of the tools are interleaved
(tcpdump, pktscope, tcpdump, ...) so a change in the machine's load hits both alike.
Everything goes to 127.0.0.1; every wait is bounded.
"""
import argparse
import glob
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def count_pcap_records(path):
    """Records in a classic pcap file (either byte order), without trusting anything but
    the record headers."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return 0
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, n = 24, 0
    while off + 16 <= len(data):
        caplen = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        off += 16 + caplen
        if off > len(data):
            break
        n += 1
    return n


def parse_stats(text):
    stats = {}
    for key, pattern in (("captured", r"(\d+) packets? captured"),
                         ("received", r"(\d+) packets? received by filter"),
                         ("kernel_dropped", r"(\d+) packets? dropped by kernel"),
                         ("if_dropped", r"(\d+) packets? dropped by interface")):
        # --workers: per-worker lines come first, the parent's total last
        m = re.findall(pattern, text)
        stats[key] = int(m[-1]) if m else None
    return stats


NETNS = []  # ["ip", "netns", "exec", NAME] of the captures under --netns or --veth
SENDER_NS = []  # the sender's: the same under --netns, the other namespace under --veth
DEST = []  # udp_blast's DEST under --veth


def blast_now(blast, rate, args):
    return subprocess.run(
        SENDER_NS + [blast, str(rate), str(args.seconds), str(args.payload), str(args.port),
                     str(args.flows)] + DEST,
        capture_output=True, text=True, timeout=args.seconds * 3 + 30)


def run_batch(name, argv, err_path, blast, rate, args):
    with open(err_path, "wb") as err, open(os.devnull, "wb") as devnull:
        cap = subprocess.Popen(NETNS + argv, stdout=devnull, stderr=err)
        try:
            time.sleep(1.5)  # the capture opens the interface and sets its filter
            if cap.poll() is not None:
                raise RuntimeError(f"{name} exited early: {open(err_path).read()}")
            sender = blast_now(blast, rate, args)
            time.sleep(1.0)  # let the capture catch up before asking it to stop
            cap.send_signal(signal.SIGINT)
            cap.wait(timeout=30)
        finally:
            if cap.poll() is None:
                cap.kill()
                cap.wait()
    return sender


def run_tui(name, argv, err_path, blast, rate, args, workdir):
    """The TUI in a detached tmux session (a 160x50 terminal), quit with Q."""
    session = f"pktscope-load-{os.getpid()}"
    done = os.path.join(workdir, "tui-done")
    if os.path.exists(done):
        os.unlink(done)
    cmd = " ".join(f"'{a}'" for a in NETNS + argv) + f" 2>'{err_path}'; touch '{done}'"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                    "TERM=screen " + cmd], check=True)
    try:
        time.sleep(2.0)
        sender = blast_now(blast, rate, args)
        time.sleep(1.0)
        subprocess.run(["tmux", "send-keys", "-t", session, "Q"], check=True)
        for _ in range(300):
            if os.path.exists(done):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{name} did not quit")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
    return sender


def worker_files(out_path):
    """--workers: F.pcap is written as F.w0.pcap, F.w1.pcap..."""
    base, ext = os.path.splitext(out_path)
    return sorted(glob.glob(base + ".w[0-9]*" + ext))


def run_one(name, argv, out_path, blast, rate, args, workdir):
    for f in [out_path] + worker_files(out_path):
        if os.path.exists(f):
            os.unlink(f)
    err_path = os.path.join(workdir, "stderr.txt")
    if name.startswith("pktscope TUI"):
        sender = run_tui(name, argv, err_path, blast, rate, args, workdir)
    else:
        sender = run_batch(name, argv, err_path, blast, rate, args)
    m = re.search(r"sent (\d+) datagrams in ([\d.]+) s \((\d+) per second\)", sender.stdout)
    if not m:
        raise RuntimeError(f"udp_blast said: {sender.stdout} {sender.stderr}")
    sent, reached = int(m.group(1)), int(m.group(3))
    stats = parse_stats(open(err_path, errors="replace").read())
    # Kept: the records in the -w file; without one (tcpdump printing text), what it says it
    # captured.
    parts = worker_files(out_path)
    if parts:
        in_file = sum(count_pcap_records(f) for f in parts)
    elif os.path.exists(out_path):
        in_file = count_pcap_records(out_path)
    else:
        in_file = stats["captured"] or 0
    return {"tool": name, "rate": rate, "sent": sent, "reached": reached,
            "sender_ok": sender.returncode == 0, "in_file": in_file,
            "missed": sent - in_file, **stats}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rates", default="100000,200000,300000")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--payload", type=int, default=64)
    ap.add_argument("--port", type=int, default=9999)
    ap.add_argument("--flows", type=int, default=1)
    ap.add_argument("--pktscope", default=os.path.join(ROOT, "build", "pktscope"))
    ap.add_argument("--dir", default=None)
    ap.add_argument("--workers", default=None,
                    help="comma-separated worker counts: adds pktscope --workers N -w F")
    ap.add_argument("--netns", action="store_true",
                    help="run sender and captures in a network namespace made for the run")
    ap.add_argument("--veth", action="store_true",
                    help="sender and captures in two namespaces joined by a veth pair")
    ap.add_argument("--only", default=None,
                    help="comma-separated substrings: run only the commands that contain one")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("live_load: capturing needs root")
    workdir = args.dir or tempfile.mkdtemp(prefix="pktscope-live-load-")
    os.makedirs(workdir, exist_ok=True)
    os.chmod(workdir, 0o777)  # both tools drop privileges before creating the -w file
    blast = os.path.join(workdir, "udp_blast")
    subprocess.run(["cc", "-O2", "-o", blast, os.path.join(ROOT, "bench", "udp_blast.c")],
                   check=True)

    filt = f"udp dst port {args.port}"
    ps = args.pktscope
    ifc = "vc" if args.veth else "lo"
    commands = [
        ("tcpdump -w F", lambda f: ["tcpdump", "-i", ifc, "-n", "-w", f, filt]),
        # text for every packet: tcpdump has no -w here, so its kernel counts are the measure
        ("tcpdump -n >/dev/null", lambda f: ["tcpdump", "-i", ifc, "-n", filt]),
        ("pktscope --stats -w F", lambda f: [ps, "-i", ifc, "--stats", "-w", f, filt]),
        ("pktscope --print -w F >/dev/null", lambda f: [ps, "-i", ifc, "--print", "-w", f, filt]),
        ("pktscope --conns -w F", lambda f: [ps, "-i", ifc, "--conns", "-w", f, filt]),
        ("pktscope TUI -w F", lambda f: [ps, "-i", ifc, "-w", f, filt]),
    ]
    for n in [int(w) for w in args.workers.split(",")] if args.workers else []:
        commands.append((f"pktscope --workers {n} -w F",
                         lambda f, n=n: [ps, "-i", ifc, "--workers", str(n), "-w", f, filt]))
    if args.only:
        commands = [c for c in commands if any(o in c[0] for o in args.only.split(","))]
    made = []
    sink = None
    try:
        if args.netns:
            ns = f"pktscope-load-{os.getpid()}"
            subprocess.run(["ip", "netns", "add", ns], check=True)
            made.append(ns)
            subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
            NETNS.extend(["ip", "netns", "exec", ns])
            SENDER_NS.extend(NETNS)
        elif args.veth:
            snd, cap = f"pktscope-snd-{os.getpid()}", f"pktscope-cap-{os.getpid()}"
            for ns in (snd, cap):
                subprocess.run(["ip", "netns", "add", ns], check=True)
                made.append(ns)
                subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
            subprocess.run(["ip", "link", "add", "vs", "netns", snd, "type", "veth", "peer",
                            "name", "vc", "netns", cap], check=True)
            subprocess.run(["ip", "-n", snd, "addr", "add", "10.77.0.1/24", "dev", "vs"],
                           check=True)
            subprocess.run(["ip", "-n", cap, "addr", "add", "10.77.0.2/24", "dev", "vc"],
                           check=True)
            subprocess.run(["ip", "-n", snd, "link", "set", "vs", "up"], check=True)
            subprocess.run(["ip", "-n", cap, "link", "set", "vc", "up"], check=True)
            NETNS.extend(["ip", "netns", "exec", cap])
            SENDER_NS.extend(["ip", "netns", "exec", snd])
            DEST.append("10.77.0.2")
            sink = subprocess.Popen(NETNS + [
                sys.executable, "-c",
                "import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                f"s.bind(('10.77.0.2', {args.port})); time.sleep(86400)"])
            time.sleep(0.5)
        rows = measure(commands, blast, args, workdir)
    finally:
        if sink:
            sink.kill()
            sink.wait()
        for ns in made:
            subprocess.run(["ip", "netns", "del", ns])
    report(commands, rows, args)
    if not args.dir:
        for f in os.listdir(workdir):
            os.unlink(os.path.join(workdir, f))
        os.rmdir(workdir)


def measure(commands, blast, args, workdir):
    rows = []
    for rate in [int(r) for r in args.rates.split(",")]:
        for _ in range(args.repeat):
            for name, make in commands:
                out = os.path.join(workdir, "out.pcap")
                row = run_one(name, make(out), out, blast, rate, args, workdir)
                rows.append(row)
                print(f"{rate:>8} {name:<34} sent {row['sent']:>9} in file {row['in_file']:>9} "
                      f"missed {row['missed']:>8} kernel dropped {row['kernel_dropped']}"
                      f"{'' if row['sender_ok'] else '  (sender fell short)'}",
                      flush=True)
    return rows


def report(commands, rows, args):
    print()
    print("| rate asked (pps) | command | runs | sent | kept | missed | missed % | "
          "kernel dropped |")
    print("|---|---|---|---|---|---|---|---|")
    for rate in [int(r) for r in args.rates.split(",")]:
        for name, _ in commands:
            rs = [r for r in rows if r["rate"] == rate and r["tool"] == name]
            sent = sum(r["sent"] for r in rs)
            kept = sum(r["in_file"] for r in rs)
            kd = sum(r["kernel_dropped"] or 0 for r in rs)
            print(f"| {rate:,} | `{name}` | {len(rs)} | {sent:,} | {kept:,} | {sent - kept:,} | "
                  f"{100.0 * (sent - kept) / sent:.3f} | {kd:,} |")


if __name__ == "__main__":
    main()
