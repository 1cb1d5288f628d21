#!/usr/bin/env python3
"""Where a proxied request's CPU goes: user and system CPU, system calls and context switches per request, for
Legate builds, the peers and three .NET reference points, at one fixed HTTP/1.1 load.

    bench/scripts/percall.py [--rate 25000] [--duration 5] legate=bench/out/legate/legate yarp nginx haproxy \\
        socket-floor context-floor kestrel-floor

A target is NAME=BINARY[:ENV=VALUE,...] (a legate executable with bench/configs/legate.yaml), `yarp`, `nginx`,
`haproxy`, or one of bench/Floors' reference points: `socket-floor` (System.Net.Sockets only: read the request
head, pass its bytes upstream, pass the response back), `kestrel-floor` (the same behind a bare KestrelServer) and
`context-floor` (Kestrel's handler on an HttpContext filled by a minimal codec on bare sockets).
Targets run one after the other against the harness's nginx upstream, each with h2load --h1 at the fixed rate; after
h2load's warm-up the target's CPU is read over one window, then `perf stat` counts its system calls over the next
(apart, because tracing adds to every system call's cost; needs perf and the permission to trace, e.g. root).
Needs bench/run.sh to have built bench/out once; publishes bench/Floors into bench/out/floors when missing.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import loadtools  # noqa: E402
from harness import BENCH, CONFIGS, OUT, Server, wait_for_port  # noqa: E402

COUNTED = [
    ("recvfrom", "syscalls:sys_enter_recvfrom"),
    ("recv EAGAIN", "syscalls:sys_exit_recvfrom"),  # filtered to ret == -EAGAIN below
    ("sendto", "syscalls:sys_enter_sendto"),
    ("sendmsg", "syscalls:sys_enter_sendmsg"),
    ("writev", "syscalls:sys_enter_writev"),
    ("epoll_wait", "syscalls:sys_enter_epoll_wait"),
    ("futex", "syscalls:sys_enter_futex"),
    ("sched_yield", "syscalls:sys_enter_sched_yield"),
    ("all syscalls", "raw_syscalls:sys_enter"),
    ("cswitch", "context-switches"),
]


def target(spec, index):
    if spec == "yarp":
        return "yarp", harness.yarp("percall-yarp"), 18084
    if spec == "nginx":
        harness.prepare_nginx_conf("nginx-proxy.conf")
        return "nginx", harness.nginx("percall-nginx", "nginx-proxy.conf"), 18081
    if spec == "haproxy":
        return "haproxy", Server("percall-haproxy", ["haproxy", "-f", os.path.join(CONFIGS, "haproxy.cfg"), "-db"], []), 18082
    if spec in ("socket-floor", "context-floor", "kestrel-floor"):
        port = 28300 + index
        floors = os.path.join(OUT, "floors", "Floors")
        return spec, Server("percall-" + spec, [floors, spec.split("-")[0], str(port), "18080"], []), port
    port = 28300 + index
    name, server = harness.legate_variant(spec, "percall", port, port + 100)
    return name, server, port


def count(server, load, window):
    """Runs load(at_main); from the end of h2load's warm-up, first reads the server's CPU over `window` seconds, then
    counts its system calls (perf stat) over the next `window` seconds, apart so that perf's own cost on each system
    call does not show in the CPU. Returns the counts, the load's result and the user and system CPU seconds."""
    out = os.path.join(OUT, "run", "percall.perf")
    argv = ["perf", "stat", "-x,", "-o", out]
    for _, event in COUNTED:
        argv += ["-e", event]
        if event == "syscalls:sys_exit_recvfrom":
            argv += ["--filter", "ret == -11"]
    argv += ["-p", ",".join(str(p) for p in server.pids()), "--", "sleep", str(window)]
    measured = {}

    def at_main():
        # h2load runs on meanwhile: this only decides when to look.
        before = server.cpu_split()
        time.sleep(window)
        after = server.cpu_split()
        measured["cpu"] = (after[0] - before[0], after[1] - before[1])
        measured["perf"] = subprocess.Popen(argv, stderr=subprocess.DEVNULL)

    result = load(at_main)
    measured["perf"].wait()
    counts = {}
    with open(out) as f:
        for line in f:
            fields = line.split(",")
            if len(fields) > 3 and fields[0].strip().isdigit():
                counts[fields[2]] = int(fields[0])
    return counts, result, measured["cpu"][0], measured["cpu"][1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=25000, help="total req/s (h2load --h1, 50 connections)")
    parser.add_argument("--path", default="/", help="what to request: / (small body) or /16k")
    parser.add_argument("--duration", type=int, default=8, help="seconds of recorded load per target")
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()

    harness.prepare_dirs()
    harness.prepare_nginx_conf("nginx-upstream.conf")
    if any(t.endswith("-floor") for t in args.targets) and not os.path.exists(os.path.join(OUT, "floors", "Floors")):
        subprocess.run(["dotnet", "publish", os.path.join(BENCH, "Floors"), "-c", "Release", "-o",
                        os.path.join(OUT, "floors"), "--artifacts-path", os.path.join(OUT, "artifacts-floors"),
                        "-nologo", "-v", "q"], check=True)
    targets = [target(spec, i) for i, spec in enumerate(args.targets)]

    def load(port, duration, at_main=None):
        return loadtools.h2load(port, args.path, duration, None, connections=50, streams=1, h1=True, rps=args.rate // 50,
                                at_main=at_main)

    # Two windows inside h2load's recorded part, CPU then system calls, with a margin for perf to attach; requests in
    # a window are h2load's achieved rate times its length.
    window = max(1.0, (args.duration - 1.0) / 2)

    harness.ensure_ports_free([18080] + [port for _, _, port in targets])
    upstream = harness.nginx("percall-upstream", "nginx-upstream.conf")
    rows = []
    started = []
    try:
        upstream.start()
        started.append(upstream)
        wait_for_port(18080, 30, upstream)
        for name, server, port in targets:
            server.start()
            started.append(server)
            wait_for_port(port, 60, server)
            load(port, 3)  # warm-up, not counted
            counts, result, user, system = count(server, lambda at_main: load(port, args.duration, at_main), window)
            requests = max(1.0, result["rps"] * window)
            rows.append((name, result["rps"], result.get("p99_us", 0), user / requests * 1e6, system / requests * 1e6,
                         [counts.get(event, 0) / requests for _, event in COUNTED]))
            server.stop()
            started.remove(server)
    finally:
        for server in reversed(started):
            server.stop()

    print("| target | req/s | p99 | user µs/req | system µs/req | " + " | ".join(n for n, _ in COUNTED) + " |")
    print("|---" * (5 + len(COUNTED)) + "|")
    for name, rps, p99, user, system, per in rows:
        print("| %s | %.0f | %.2f ms | %.1f | %.1f | %s |" % (name, rps, p99 / 1000, user, system,
                                                           " | ".join("%.2f" % v for v in per)))


if __name__ == "__main__":
    main()
