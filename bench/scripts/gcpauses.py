#!/usr/bin/env python3
"""GC pauses of a native Legate build under the fixed HTTP/1.1 load (25,000 req/s), from uprobes.

    bench/scripts/gcpauses.py bench/out/legate/legate [--duration 8]

Native AOT has no EventPipe, so the pauses are timed with `perf` on uprobes at the runtime's own functions (their
addresses come from the `.dbg` file next to the binary): GCToEEInterface::SuspendEE (entry: the pause starts;
return: every thread stopped), GCToEEInterface::RestartEE (return: the pause ends) and the phases of
WKS::gc_heap (mark, plan, relocate). Prints the count and the p50/p90/max of each. Needs root and perf.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import loadtools  # noqa: E402
from harness import CONFIGS, RAW, wait_for_port  # noqa: E402

PROBES = {
    "suspend": "GCToEEInterface::SuspendEE(SUSPEND_REASON)",
    "restart": "GCToEEInterface::RestartEE(bool)",
    "mark": "WKS::gc_heap::mark_phase(int)",
    "plan": "WKS::gc_heap::plan_phase(int)",
    "relocate": "WKS::gc_heap::relocate_phase(int, unsigned char*)",
}
TRACEFS = "/sys/kernel/tracing/uprobe_events"


def file_offsets(binary):
    """Symbol -> file offset of each probed function (uprobes take offsets, the symbol table virtual addresses)."""
    symbols = subprocess.run(["nm", "-C", binary + ".dbg"], capture_output=True, text=True, check=True).stdout
    addresses = {}
    for line in symbols.splitlines():
        address, _, name = line.split(" ", 2)
        if name in PROBES.values():
            addresses[name] = int(address, 16)
    segments = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout
    loads = [line.split() for line in segments.splitlines() if line.strip().startswith("LOAD")]

    def to_offset(vaddr):
        for _, offset, seg_vaddr, _, size, *_ in loads:
            if int(seg_vaddr, 16) <= vaddr < int(seg_vaddr, 16) + int(size, 16):
                return vaddr - int(seg_vaddr, 16) + int(offset, 16)
        raise SystemExit("no LOAD segment holds 0x%x" % vaddr)

    missing = [name for name in PROBES.values() if name not in addresses]
    if missing:
        raise SystemExit("not in %s.dbg: %s" % (binary, ", ".join(missing)))
    return {key: to_offset(addresses[name]) for key, name in PROBES.items()}


def tracefs(line):
    # One command per write, and no seek (Python's append mode seeks, which tracefs refuses).
    fd = os.open(TRACEFS, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def add_probes(binary, offsets):
    for key, offset in offsets.items():
        tracefs("p:legate_gc/%s %s:0x%x" % (key, binary, offset))
        tracefs("r:legate_gc/%s_ret %s:0x%x" % (key, binary, offset))


def remove_probes():
    for key in PROBES:
        for name in (key, key + "_ret"):
            try:
                tracefs("-:legate_gc/" + name)
            except OSError:
                pass  # never added


def durations(script_output):
    """Per measure, the list of durations in µs: phases entry->return, the pause SuspendEE entry->RestartEE return."""
    open_at, spans = {}, {key: [] for key in ("pause", "suspend", "mark", "plan", "relocate")}
    for line in script_output.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        at = float(fields[0].rstrip(":"))
        event = fields[1].rstrip(":").split(":")[-1]
        if event == "suspend":
            open_at["pause"] = at
        if event.endswith("_ret"):
            key = event[:-4]
            if key == "restart":
                key = "pause"
            if key in open_at and key in spans:
                spans[key].append((at - open_at.pop(key)) * 1e6)
        else:
            open_at[event] = at
    return spans


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--duration", type=int, default=8)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    offsets = file_offsets(binary)

    harness.prepare_dirs()
    harness.prepare_nginx_conf("nginx-upstream.conf")
    harness.ensure_ports_free([18080, 18086])
    upstream = harness.nginx("gc-upstream", "nginx-upstream.conf")
    legate = harness.legate("gc-legate", os.path.join(CONFIGS, "legate.yaml"), [], binary=binary)
    started = []
    data = os.path.join(RAW, "gcpauses.perf.data")
    try:
        remove_probes()  # left over from an interrupted run
        add_probes(binary, offsets)
        upstream.start()
        started.append(upstream)
        wait_for_port(18080, 30, upstream)
        legate.start()
        started.append(legate)
        wait_for_port(18086, 60, legate)
        loadtools.h2load(18086, "/", 3, None, connections=50, streams=1, h1=True, rps=500)
        events = [arg for key in PROBES for arg in ("-e", "legate_gc:%s" % key, "-e", "legate_gc:%s_ret" % key)]
        perf = subprocess.Popen(["perf", "record", "-q", "-o", data, "-p", str(legate.proc.pid)] + events
                                + ["--", "sleep", str(args.duration)], stderr=subprocess.DEVNULL)
        result = loadtools.h2load(18086, "/", args.duration, None, connections=50, streams=1, h1=True, rps=500)
        perf.wait()
    finally:
        for server in reversed(started):
            server.stop()
        remove_probes()
    script = subprocess.run(["perf", "script", "-i", data, "-F", "time,event"], capture_output=True, text=True).stdout
    print("%.0f req/s, p99 %.0f µs, over %d s" % (result["rps"], result.get("p99_us", 0), args.duration))
    for key, spans in durations(script).items():
        if not spans:
            continue
        spans.sort()
        at = lambda q: spans[min(len(spans) - 1, int(len(spans) * q))]  # noqa: E731
        print("%-9s n=%4d  p50 %6.0f µs  p90 %6.0f µs  max %6.0f µs" % (key, len(spans), at(0.5), at(0.9), spans[-1]))


if __name__ == "__main__":
    main()
