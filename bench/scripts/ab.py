#!/usr/bin/env python3
"""Interleaved A/B of Legate builds or settings against the YARP baseline, on one scenario.

    bench/scripts/ab.py --rounds 6 --duration 8 --scenario fixed-h1 \\
        base=bench/out/legate/legate \\
        'threads2=bench/out/legate/legate:DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=2' \\
        yarp

A variant is NAME=BINARY[:ENV=VALUE,...], or `yarp` for the baseline (bench/out/yarp); CONFIG=PATH among the
variables serves that config instead of bench/configs/legate.yaml (its ports 18086/19086 are moved all the same). Every variant is a long-lived
process on its own port (bench/configs/legate.yaml moved there), all forwarding to the harness's nginx upstream;
each round runs every variant once, the order rotated per round, so slow spells of the VM fall on all of them.
Prints each run, then per variant the medians over rounds and the p99 of every round. Besides the variant's own
CPU per request, each run shows the upstream's and the load generator's, how much of the machine stayed idle and
how many TCP segments a request cost: on two shared cores, a variant can lose throughput through what it makes
its peers do. `--busiest` lists the processes that used the most CPU in each run; a variant that is not being
measured should be near 0%. Needs bench/run.sh to have built bench/out once (the YARP baseline, the nginx config).
"""
import argparse
import os
import resource
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


class MachineIdle:
    """The share of the machine's CPU time (all cores) spent idle since mark(), from /proc/stat. A closed-loop run
    that leaves the cores idle is bound by latency (thread hops, wake-ups), not by CPU per request."""

    def mark(self):
        self.start = self._read()
        self.segments_start = self._tcp_out_segments()
        self.processes_start = self._process_ticks()

    def busiest(self, count=6):
        """The processes that used the most CPU since mark(), as (name, share of one core in per cent)."""
        end = self._process_ticks()
        seconds = (sum(self._read()) - sum(self.start)) / max(1, os.cpu_count())
        used = sorted(((ticks - self.processes_start.get(pid, (name, 0))[1], name)
                       for pid, (name, ticks) in end.items()), reverse=True)[:count]
        return [(name, 100.0 * ticks / max(1, seconds)) for ticks, name in used if ticks > 0]

    @staticmethod
    def _process_ticks():
        ticks = {}
        for pid in os.listdir("/proc"):
            stat = harness.proc_stat(pid) if pid.isdigit() else None
            if stat is not None:
                name, fields = stat
                ticks[pid] = (name, int(fields[harness.UTIME]) + int(fields[harness.STIME]))
        return ticks

    def segments(self):
        """TCP segments sent on the machine since mark(), every process's and both directions of loopback."""
        return self._tcp_out_segments() - self.segments_start

    @staticmethod
    def _tcp_out_segments():
        with open("/proc/net/snmp") as f:
            rows = [line.split() for line in f if line.startswith("Tcp:")]
        return int(rows[1][rows[0].index("OutSegs")])

    def idle_percent(self):
        end = self._read()
        total = sum(end) - sum(self.start)
        idle = (end[3] + end[4]) - (self.start[3] + self.start[4])
        return 100.0 * idle / max(1, total)

    @staticmethod
    def _read():
        with open("/proc/stat") as f:
            return [int(v) for v in f.readline().split()[1:]]


def generator_us(before, requests, duration):
    """The load generator's CPU per recorded request. Its process also ran the warm-up (h2load's
    --warm-up-time), so its CPU time is scaled to the recorded share of the run, assuming an even load."""
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds * duration / (duration + loadtools.H2_WARMUP_S) / max(1, requests) * 1e6


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
    parser.add_argument("--busiest", action="store_true",
                        help="also print, per run, the processes that used the most CPU (share of one core)")
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
                upstream_cpu = harness.CpuMeter(upstream)
                machine = MachineIdle()

                def mark():
                    cpu.mark()
                    upstream_cpu.mark()
                    machine.mark()
                raw = os.path.join(RAW, "ab.%s.%d" % (name, round_no))
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                r = load(h2_port if h2 else h1_port, args.duration, raw, mark)
                r["cpu_us"] = cpu.seconds() / max(1, r["requests"]) * 1e6
                r["upstream_us"] = upstream_cpu.seconds() / max(1, r["requests"]) * 1e6
                r["idle"] = machine.idle_percent()
                r["segments"] = machine.segments() / max(1, r["requests"])
                busiest = machine.busiest()
                r["generator_us"] = generator_us(children, r["requests"], args.duration)
                results[name].append(r)
                print("round %d %-12s %8.0f req/s  p50 %6.0f µs  p99 %6.0f µs  CPU %5.1f µs/req  upstream %4.1f µs/req"
                      "  generator %4.1f µs/req  machine idle %4.1f%%  TCP segments %4.2f/req  errors %d" % (
                          round_no, name, r["rps"], r.get("p50_us", 0), r.get("p99_us", 0), r["cpu_us"],
                          r["upstream_us"], r["generator_us"], r["idle"], r["segments"], r["errors"]), flush=True)
                if args.busiest:
                    print("        busiest: " + ", ".join("%s %.0f%%" % b for b in busiest), flush=True)
    finally:
        for server in reversed(started):
            server.stop()

    print("medians over %d rounds:" % args.rounds)
    for name, runs in results.items():
        print("%-12s %8.0f req/s  p50 %6.0f µs  p99 %6.0f µs  CPU %5.1f µs/req  upstream %4.1f µs/req  idle %4.1f%%"
              "  p99 per round %s" % (
                  name, statistics.median(r["rps"] for r in runs), statistics.median(r.get("p50_us", 0) for r in runs),
                  statistics.median(r.get("p99_us", 0) for r in runs), statistics.median(r["cpu_us"] for r in runs),
                  statistics.median(r["upstream_us"] for r in runs), statistics.median(r["idle"] for r in runs),
                  [int(r.get("p99_us", 0)) for r in runs]))


if __name__ == "__main__":
    main()
