#!/usr/bin/env python3
"""Where a proxied request's CPU goes: user and system CPU, system calls and context switches per request, for
Legate builds, the peers and two .NET reference points, at one fixed HTTP/1.1 load.

    bench/scripts/percall.py [--rate 25000] [--duration 5] legate=bench/out/legate/legate yarp nginx haproxy \\
        socket-floor kestrel-floor

A target is NAME=BINARY[:ENV=VALUE,...] (a legate executable with bench/configs/legate.yaml), `yarp`, `nginx`,
`haproxy`, or one of bench/Floors' two reference points: `socket-floor` (System.Net.Sockets only: read the request
head, pass its bytes upstream, pass the response back) and `kestrel-floor` (the same behind a bare KestrelServer).
Targets run one after the other against the harness's nginx upstream, each with h2load --h1 at the fixed rate
while `perf stat` counts its system calls (needs perf and the permission to trace the processes, e.g. root).
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
    ("writev", "syscalls:sys_enter_writev"),
    ("epoll_wait", "syscalls:sys_enter_epoll_wait"),
    ("futex", "syscalls:sys_enter_futex"),
    ("sched_yield", "syscalls:sys_enter_sched_yield"),
    ("all syscalls", "raw_syscalls:sys_enter"),
    ("cswitch", "context-switches"),
]


def target(spec, index, config_text):
    if spec == "yarp":
        return "yarp", harness.yarp("percall-yarp"), 18084
    if spec == "nginx":
        harness.prepare_nginx_conf("nginx-proxy.conf")
        return "nginx", harness.nginx("percall-nginx", "nginx-proxy.conf"), 18081
    if spec == "haproxy":
        return "haproxy", Server("percall-haproxy", ["haproxy", "-f", os.path.join(CONFIGS, "haproxy.cfg"), "-db"], []), 18082
    if spec in ("socket-floor", "kestrel-floor"):
        port = 28300 + index
        floors = os.path.join(OUT, "floors", "Floors")
        return spec, Server("percall-" + spec, [floors, spec.split("-")[0], str(port), "18080"], []), port
    name, _, rest = spec.partition("=")
    binary, _, envs = rest.partition(":")
    env = dict(kv.split("=", 1) for kv in envs.split(",") if kv)
    port = 28300 + index
    config = os.path.join(OUT, "run", "percall-%s.yaml" % name)
    with open(config, "w") as f:
        f.write(config_text.replace("18086", str(port)).replace("19086", str(port + 100)))
    return name, harness.legate("percall-" + name, config, [], binary=os.path.abspath(binary), env=env), port


def count(server, load):
    """Runs load() with perf stat attached to the server's processes; returns the counts and the load's result."""
    out = os.path.join(OUT, "run", "percall.perf")
    argv = ["perf", "stat", "-x,", "-o", out]
    for _, event in COUNTED:
        argv += ["-e", event]
        if event == "syscalls:sys_exit_recvfrom":
            argv += ["--filter", "ret == -11"]
    argv += ["-p", ",".join(str(p) for p in server.pids())]
    perf = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
    time.sleep(1)  # perf attaches
    user0, sys0 = server.cpu_split()
    result = load()
    user1, sys1 = server.cpu_split()
    perf.send_signal(2)
    perf.wait()
    counts = {}
    with open(out) as f:
        for line in f:
            fields = line.split(",")
            if len(fields) > 3 and fields[0].strip().isdigit():
                counts[fields[2]] = int(fields[0])
    return counts, result, user1 - user0, sys1 - sys0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=25000, help="total req/s (h2load --h1, 50 connections)")
    parser.add_argument("--duration", type=int, default=5, help="seconds counted per target")
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()

    harness.prepare_dirs()
    harness.prepare_nginx_conf("nginx-upstream.conf")
    if any(t.endswith("-floor") for t in args.targets) and not os.path.exists(os.path.join(OUT, "floors", "Floors")):
        subprocess.run(["dotnet", "publish", os.path.join(BENCH, "Floors"), "-c", "Release", "-o",
                        os.path.join(OUT, "floors"), "--artifacts-path", os.path.join(OUT, "artifacts-floors"),
                        "-nologo", "-v", "q"], check=True)
    with open(os.path.join(CONFIGS, "legate.yaml")) as f:
        config_text = f.read()
    targets = [target(spec, i, config_text) for i, spec in enumerate(args.targets)]

    def load(port, duration):
        return loadtools.h2load(port, "/", duration, None, connections=50, streams=1, h1=True, rps=args.rate // 50)

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
            counts, result, user, system = count(server, lambda: load(port, args.duration))
            requests = max(1, result["requests"])
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
