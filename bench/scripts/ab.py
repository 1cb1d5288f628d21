#!/usr/bin/env python3
"""Interleaved A/B of Legate builds or settings against the YARP baseline, on one scenario.

    bench/scripts/ab.py --rounds 6 --duration 8 --scenario fixed-h1 \\
        base=bench/out/legate/legate \\
        'threads2=bench/out/legate/legate:DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=2' \\
        yarp

A variant is NAME=BINARY[:ENV=VALUE,...], or `yarp` for the baseline (bench/out/yarp). Every variant is a long-lived
process on its own port (bench/configs/legate.yaml moved there), all forwarding to the harness's nginx upstream;
each round runs every variant once, the order rotated per round, so slow spells of the VM fall on all of them.
Prints each run, then per variant the medians over rounds and the p99 of every round. Needs bench/run.sh to have
built bench/out once (the YARP baseline, the nginx config).
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import loadtools  # noqa: E402
from harness import RAW, wait_for_port  # noqa: E402

SCENARIOS = {
    # The harness's fixed-load scenarios (25,000 req/s unless --rate says otherwise) and its closed-loop
    # small-body ones. mark() is called when the recorded part of the run begins (after h2load's warm-up).
    "fixed-h1": lambda port, d, raw, rate, mark: loadtools.h2load(port, "/", d, raw, connections=50, streams=1,
                                                                  h1=True, rps=rate // 50, at_main=mark),
    "fixed-h2c": lambda port, d, raw, rate, mark: loadtools.h2load(port, "/", d, raw, connections=10, streams=10,
                                                                   rps=rate // 10, at_main=mark),
    "small-h1": lambda port, d, raw, rate, mark: mark() or loadtools.wrk(port, "/", d, None, None, raw),
    "small-h2c": lambda port, d, raw, rate, mark: loadtools.h2load(port, "/", d, raw, at_main=mark),
    "16k-h1": lambda port, d, raw, rate, mark: mark() or loadtools.wrk(port, "/16k", d, None, None, raw),
}


def variant(spec, index):
    if spec == "yarp":
        return "yarp", harness.yarp("ab-yarp"), 18084, 18094
    port = 28100 + 2 * index
    name, server = harness.legate_variant(spec, "ab", port, port + 1)
    return name, server, port, port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=8, help="seconds per run")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="fixed-h1")
    parser.add_argument("--rate", type=int, default=25000, help="total req/s of the fixed-* scenarios")
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()

    harness.prepare_dirs()
    harness.prepare_nginx_conf("nginx-upstream.conf")
    variants = [variant(spec, i) for i, spec in enumerate(args.variants)]
    scenario = SCENARIOS[args.scenario]

    def load(port, duration, raw, mark=lambda: None):
        return scenario(port, duration, raw, args.rate, mark)
    h2 = args.scenario.endswith("h2c")

    harness.ensure_ports_free([18080] + [port for _, _, h1_port, h2_port in variants for port in (h1_port, h2_port)])
    upstream = harness.nginx("ab-upstream", "nginx-upstream.conf")
    started = []
    results = {name: [] for name, *_ in variants}
    try:
        upstream.start()
        started.append(upstream)
        wait_for_port(18080, 30, upstream)
        for name, server, h1_port, h2_port in variants:
            server.start()
            started.append(server)
            wait_for_port(h1_port, 60, server)
            load(h2_port if h2 else h1_port, 2, None)  # warm-up, not recorded
        for round_no in range(args.rounds):
            k = round_no % len(variants)
            for name, server, h1_port, h2_port in variants[k:] + variants[:k]:
                cpu = harness.CpuMeter(server)
                raw = os.path.join(RAW, "ab.%s.%d" % (name, round_no))
                r = load(h2_port if h2 else h1_port, args.duration, raw, cpu.mark)
                r["cpu_us"] = cpu.seconds() / max(1, r["requests"]) * 1e6
                results[name].append(r)
                print("round %d %-12s %8.0f req/s  p50 %6.0f µs  p99 %6.0f µs  CPU %5.1f µs/req  errors %d" % (
                    round_no, name, r["rps"], r.get("p50_us", 0), r.get("p99_us", 0), r["cpu_us"], r["errors"]),
                    flush=True)
    finally:
        for server in reversed(started):
            server.stop()

    print("medians over %d rounds:" % args.rounds)
    for name, runs in results.items():
        print("%-12s %8.0f req/s  p50 %6.0f µs  p99 %6.0f µs  CPU %5.1f µs/req  p99 per round %s" % (
            name, statistics.median(r["rps"] for r in runs), statistics.median(r.get("p50_us", 0) for r in runs),
            statistics.median(r.get("p99_us", 0) for r in runs), statistics.median(r["cpu_us"] for r in runs),
            [int(r.get("p99_us", 0)) for r in runs]))


if __name__ == "__main__":
    main()
