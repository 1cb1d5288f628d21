#!/usr/bin/env python3
"""Load harness behind bench/run.sh: starts the upstream and every target on loopback, runs wrk / h2load
against them interleaved over rounds, and writes bench/results/latest.md (raw tool output in results/raw/).

Only processes this script started are stopped, by their own pids.
"""
import argparse
import datetime
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
RESULTS = os.path.join(BENCH, "results")
RAW = os.path.join(RESULTS, "raw")
CONFIGS = os.path.join(BENCH, "configs")
GEN = os.path.join(OUT, "configs")
CLK_TCK = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loadtools  # noqa: E402
import report  # noqa: E402


# utime and stime, fields 14 and 15 of /proc/<pid>/stat, in the fields after the command name.
UTIME, STIME = 11, 12


def proc_stat(pid):
    """A process's /proc/<pid>/stat as (command name, the fields after it), or None when it is gone. The name is
    cut at the last ")" since it may itself contain spaces and parentheses."""
    try:
        with open("/proc/%s/stat" % pid) as f:
            stat = f.read()
        return stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
    except (OSError, ValueError):
        return None


class Server:
    """One process tree we started (nginx master + workers, haproxy, a dotnet app)."""

    def __init__(self, name, argv, ports, env=None):
        self.name = name
        self.argv = argv
        self.ports = ports
        self.env = env
        self.proc = None
        self.log = None

    def start(self):
        self.log = open(os.path.join(RAW, self.name + ".log"), "w")
        env = dict(os.environ)
        env.update(self.env or {})
        # A process group of its own (a terminal's Ctrl-C reaches the harness, which stops the servers in
        # order), but the harness's session: with the kernel's autogroup scheduling (on by default) a new
        # session is a new scheduling group, and the target, the upstream and the load generator would then
        # be throttled against each other group by group (see bench/README, "Scheduling groups").
        group = {"process_group": 0} if sys.version_info >= (3, 11) else {"preexec_fn": os.setpgrp}
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, **group)
        return self

    def pids(self):
        """The process and its children (nginx workers)."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        root = self.proc.pid
        result = [root]
        for entry in os.listdir("/proc"):
            stat = proc_stat(entry) if entry.isdigit() else None
            if stat is not None and int(stat[1][1]) == root:
                result.append(int(entry))
        return result

    def cpu_seconds(self):
        return sum(self.cpu_split())

    def cpu_split(self):
        """User and system CPU seconds of every process of the tree so far."""
        user = system = 0
        for pid in self.pids():
            stat = proc_stat(pid)
            if stat is not None:
                user += int(stat[1][UTIME])
                system += int(stat[1][STIME])
        return user / CLK_TCK, system / CLK_TCK

    def memory_kib(self, field):
        total = 0
        for pid in self.pids():
            try:
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith(field + ":"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class CpuMeter:
    """A server's CPU seconds since the last mark() (or since the meter was made)."""

    def __init__(self, server):
        self.server = server
        self.mark()

    def mark(self):
        self.start = self.server.cpu_seconds()

    def seconds(self):
        return self.server.cpu_seconds() - self.start


def wait_for_port(port, timeout, server=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server is not None and not server.alive():
            raise RuntimeError("%s exited early (see results/raw/%s.log)" % (server.name, server.name))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("port %d did not open within %ss" % (port, timeout))


def ensure_ports_free(ports):
    """Fails when something already listens on one of the ports: a stray process from an earlier run would
    otherwise answer for the target about to start there (wait_for_port cannot tell who accepted)."""
    busy = []
    for port in sorted(set(ports)):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                busy.append(port)
        except OSError:
            pass
    if busy:
        raise RuntimeError("something already listens on 127.0.0.1 port(s) %s; stop it first "
                           "(a stray nginx, haproxy, legate or YarpBaseline from an earlier run?)"
                           % ", ".join(str(p) for p in busy))


def http_get(port, path="/", host=None, timeout=5):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path))
    if host:
        request.add_header("Host", host)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def legate(name, config, ports, build="legate", binary=None, env=None):
    """Legate as shipped (the native AOT executable), build="legate-jit" for the same code on the JIT, or any
    executable given as binary (an A/B variant)."""
    executable = binary or os.path.join(OUT, build, "legate")
    return Server(name, [executable, "-c", config, "--concurrency", "2", "-l", "warn"], ports, env)


def yarp(name):
    """The bare YARP baseline: HTTP/1.1 on 18084, h2c on 18094, forwarding to the upstream on 18080."""
    return Server(name, [os.path.join(OUT, "yarp", "YarpBaseline"), "--h1-port", "18084", "--h2-port", "18094",
                         "--upstream", "http://127.0.0.1:18080"], [])


_VARIANT_NAMES = set()


def legate_variant(spec, prefix, port, admin_port):
    """A Legate executable given on a script's command line as NAME=BINARY[:ENV=VALUE,...], serving
    configs/legate.yaml moved to `port` (admin on `admin_port`); returns the name and the Server. The pseudo
    variable CONFIG=PATH serves another config instead (its ports 18086 and 19086 are moved the same way)."""
    name, _, rest = spec.partition("=")
    # The name picks the config file and the logs: a second variant of the same name would take over the first's.
    if (prefix, name) in _VARIANT_NAMES:
        raise SystemExit("two variants are named %r: give each its own NAME=" % name)
    _VARIANT_NAMES.add((prefix, name))
    binary, _, envs = rest.partition(":")
    env = dict(kv.split("=", 1) for kv in envs.split(",") if kv)
    with open(env.pop("CONFIG", os.path.join(CONFIGS, "legate.yaml"))) as f:
        text = f.read()
    config = os.path.join(OUT, "run", "%s-%s.yaml" % (prefix, name))
    with open(config, "w") as f:
        f.write(text.replace("18086", str(port)).replace("19086", str(admin_port)))
    return name, legate("%s-%s" % (prefix, name), config, [], binary=os.path.abspath(binary), env=env)


def nginx(name, conf):
    return Server(name, ["nginx", "-p", OUT, "-c", os.path.join(OUT, "run", conf), "-e",
                         os.path.join(RAW, name + ".error.log"), "-g", "daemon off;"], [])


def prepare_dirs():
    """Where the targets write: raw tool output, generated run files and nginx's temp paths."""
    os.makedirs(RAW, exist_ok=True)
    os.makedirs(os.path.join(OUT, "run"), exist_ok=True)
    for sub in ("upstream-body", "upstream-proxy", "upstream-fastcgi", "upstream-uwsgi", "upstream-scgi",
                "proxy-body", "proxy-proxy", "proxy-fastcgi", "proxy-uwsgi", "proxy-scgi"):
        os.makedirs(os.path.join(OUT, "tmp", sub), exist_ok=True)


def prepare_nginx_conf(name):
    with open(os.path.join(CONFIGS, name)) as f:
        text = f.read().replace("@OUT@", OUT).replace("@RAW@", RAW)
    with open(os.path.join(OUT, "run", name), "w") as f:
        f.write(text)


# Target name -> (server name, h1 port, h2c port). Several targets can share one server.
TARGETS = {
    "upstream (ceiling)": ("upstream", 18080, 18090),
    "nginx": ("nginx-proxy", 18081, 18091),
    "HAProxy": ("haproxy", 18082, 18092),
    "YARP baseline": ("yarp", 18084, 18094),
    "Legate": ("legate", 18086, 18086),
    "Legate (JIT)": ("legate-jit", 18085, 18085),
    "Legate reject_all stats": ("legate-nostats", 18087, 18087),
    "Legate 1,000 vhosts": ("legate-vhosts", 18088, 18088),
    "Legate 100 clusters": ("legate-clusters", 18089, 18089),
}

PEERS = ["upstream (ceiling)", "nginx", "HAProxy", "YARP baseline", "Legate"]
# The small-body scenarios also run the JIT build: what an application embedding Legate gets.
SMALL = PEERS + ["Legate (JIT)"]
REFS = ["nginx", "YARP baseline"]
# The same-load scenarios: 25,000 req/s in all, about 60% of what the slowest proxy (the YARP baseline) manages.
FIXED_CONNECTIONS_H1, FIXED_RPS_H1 = 50, 500
FIXED_CONNECTIONS_H2, FIXED_RPS_H2 = 10, 2500


def scenarios():
    lua = os.path.join(GEN, "clusters.lua")
    return [
        {"name": "small-h1", "title": "Small body, HTTP/1.1 (wrk)", "tool": "wrk", "path": "/", "targets": SMALL},
        {"name": "small-h2c", "title": "Small body, h2c prior knowledge (h2load)", "tool": "h2load", "path": "/",
         "targets": SMALL},
        {"name": "16k-h1", "title": "16 KiB body, HTTP/1.1 (wrk)", "tool": "wrk", "path": "/16k", "targets": PEERS},
        {"name": "vhosts", "title": "1,000 virtual hosts x 10 routes, matched route last (wrk, Host: vh999.bench.local)",
         "tool": "wrk", "path": "/", "host": "vh999.bench.local",
         "targets": ["Legate 1,000 vhosts", "Legate"] + REFS},
        {"name": "clusters", "title": "100 clusters x 4 hosts, round robin (wrk, path cycles /c0/../c99/)",
         "tool": "wrk", "path": "/", "script": lua, "script_targets": ["Legate 100 clusters"],
         "targets": ["Legate 100 clusters", "Legate"] + REFS},
        {"name": "stats", "title": "Stats cost: default stats vs stats_matcher reject_all (wrk)", "tool": "wrk",
         "path": "/", "targets": ["Legate", "Legate reject_all stats"] + REFS},
        # Latency at the same load: every target gets the same request rate, well below the slowest one's
        # capacity, so p99 compares like with like (the closed-loop runs above load each target to its own maximum).
        {"name": "fixed-h1", "title": "Same load, HTTP/1.1: {:,} req/s (h2load --h1, {} connections × {} req/s)".format(
             FIXED_CONNECTIONS_H1 * FIXED_RPS_H1, FIXED_CONNECTIONS_H1, FIXED_RPS_H1),
         "tool": "h2load", "h1": True, "connections": FIXED_CONNECTIONS_H1, "streams": 1, "rps": FIXED_RPS_H1,
         "path": "/", "targets": SMALL},
        {"name": "fixed-h2c", "title": "Same load, h2c: {:,} req/s (h2load, {} connections × {} streams, {:,} req/s each)".format(
             FIXED_CONNECTIONS_H2 * FIXED_RPS_H2, FIXED_CONNECTIONS_H2, loadtools.H2_STREAMS, FIXED_RPS_H2),
         "tool": "h2load", "connections": FIXED_CONNECTIONS_H2, "streams": loadtools.H2_STREAMS, "rps": FIXED_RPS_H2,
         "path": "/", "targets": SMALL},
    ]


def run_one(scenario, target, servers, duration, round_no, record=True):
    server_name, h1, h2 = TARGETS[target]
    server = servers[server_name]
    if not server.alive():
        return {"scenario": scenario["name"], "target": target, "round": round_no, "dead": True}
    tag = "%s.r%d.%s" % (scenario["name"], round_no, server_name) if record else None
    cpu = CpuMeter(server)
    # The other targets stay up between their runs; one that burns CPU while idle slows whichever target is measured.
    bystanders = {name: CpuMeter(other) for name, other in servers.items()
                  if other is not server and name != "upstream" and other.alive()}
    run_started = time.time()
    if scenario["tool"] == "h2load":
        port = h1 if scenario.get("h1") else h2
        # CPU counted from the end of h2load's warm-up, like its request count.
        result = loadtools.h2load(port, scenario["path"], duration, tag and os.path.join(RAW, tag),
                                  connections=scenario.get("connections", loadtools.H2_CONNECTIONS),
                                  streams=scenario.get("streams", loadtools.H2_STREAMS),
                                  h1=scenario.get("h1", False), rps=scenario.get("rps"),
                                  at_main=cpu.mark)
    else:
        script = scenario.get("script") if target in scenario.get("script_targets", []) else None
        result = loadtools.wrk(h1, scenario["path"], duration, scenario.get("host"), script,
                               tag and os.path.join(RAW, tag))
    result.update({
        "scenario": scenario["name"], "target": target, "round": round_no, "cpu_s": cpu.seconds(),
        "hwm_kib": server.memory_kib("VmHWM"), "rss_kib": server.memory_kib("VmRSS"),
        "dead": not server.alive(),
        "bystander_share": {name: meter.seconds() / max(1e-3, time.time() - run_started)
                            for name, meter in bystanders.items()},
    })
    return result


def bystander_note(results):
    """A note naming any idle target that used CPU while another was measured: steadily (median share of one core
    over the runs above 3%, like a file watcher) or once (above 10%, like a JIT build's tiered compilation)."""
    shares = {}
    for r in results:
        for name, share in r.get("bystander_share", {}).items():
            shares.setdefault(name, []).append(share)
    busy = [(statistics.median(v), max(v), name) for name, v in shares.items()
            if statistics.median(v) > 0.03 or max(v) > 0.10]
    if not busy:
        return None
    return "idle targets used CPU while others were measured (share of one core, median and largest over runs): " + \
        ", ".join("%s %.0f%% / %.0f%%" % (name, 100 * median, 100 * largest)
                  for median, largest, name in sorted(busy, reverse=True))


def probe_idle_and_big_config(notes):
    """Idle RSS with the quickstart config and load time / RSS of a 10,000-cluster config."""
    probes = {}
    for build, key in (("legate", "idle"), ("legate-jit", "idle_jit")):
        idle = legate("legate-idle", os.path.join(GEN, "legate-idle.yaml"), [18110], build=build).start()
        try:
            wait_for_port(18110, 60, idle)
            for _ in range(5):
                http_get(18110)
            time.sleep(3)
            probes[key + "_rss_kib"] = idle.memory_kib("VmRSS")
            probes[key + "_hwm_kib"] = idle.memory_kib("VmHWM")
        except Exception as e:  # noqa: BLE001 - a probe failure is reported, not fatal
            notes.append("idle probe (%s) failed: %s" % (build, e))
        finally:
            idle.stop()

    started = time.time()
    big = legate("legate-10k-clusters", os.path.join(GEN, "legate-10k-clusters.yaml"), [18100]).start()
    try:
        wait_for_port(18100, 120, big)
        status, _ = http_get(18100)
        probes["10k_ready_s"] = time.time() - started
        probes["10k_status"] = status
        probes["10k_hwm_kib"] = big.memory_kib("VmHWM")
        probes["10k_rss_kib"] = big.memory_kib("VmRSS")
    except Exception as e:  # noqa: BLE001
        notes.append("10,000-cluster probe failed: %s" % e)
    finally:
        big.stop()
    return probes


def stats_line_count(admin_port):
    try:
        _, body = http_get(admin_port, "/stats")
        return len([line for line in body.decode("utf-8", "replace").splitlines() if line.strip()])
    except Exception:  # noqa: BLE001
        return None


def main():
    parser = argparse.ArgumentParser(description="Legate load harness (see bench/README.md)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (<= 10 recommended)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fixed-rounds", type=int, default=6,
                        help="rounds of the same-load scenarios (fixed-h1, fixed-h2c), whose p99 ratio is the noisiest")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load per target in round 1")
    parser.add_argument("--quick", action="store_true", help="3 s x 1 round, 1 s warm-up: a smoke check")
    parser.add_argument("--scenarios", default="", help="comma-separated subset (small-h1,small-h2c,16k-h1,vhosts,clusters,stats,fixed-h1,fixed-h2c)")
    parser.add_argument("--output", default=os.path.join(RESULTS, "latest.md"))
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds, args.fixed_rounds, args.warmup = 3, 1, 1, 1

    prepare_dirs()
    for stale in os.listdir(RAW):
        os.remove(os.path.join(RAW, stale))
    prepare_nginx_conf("nginx-upstream.conf")
    prepare_nginx_conf("nginx-proxy.conf")

    chosen = scenarios()
    if args.scenarios:
        wanted = set(args.scenarios.split(","))
        chosen = [s for s in chosen if s["name"] in wanted]
    needed = {TARGETS[t][0] for s in chosen for t in s["targets"]}

    notes = []
    servers = {
        "upstream": nginx("upstream", "nginx-upstream.conf"),
        "nginx-proxy": nginx("nginx-proxy", "nginx-proxy.conf"),
        "haproxy": Server("haproxy", ["haproxy", "-f", os.path.join(CONFIGS, "haproxy.cfg"), "-db"], []),
        "yarp": yarp("yarp"),
        "legate": legate("legate", os.path.join(CONFIGS, "legate.yaml"), []),
        "legate-jit": legate("legate-jit", os.path.join(GEN, "legate-jit.yaml"), [], build="legate-jit"),
        "legate-nostats": legate("legate-nostats", os.path.join(CONFIGS, "legate-nostats.yaml"), []),
        "legate-vhosts": legate("legate-vhosts", os.path.join(GEN, "legate-vhosts.yaml"), []),
        "legate-clusters": legate("legate-clusters", os.path.join(GEN, "legate-clusters.yaml"), []),
    }
    started = []
    results = []
    probes = {}
    ensure_ports_free([18080, 18100, 18110] + [port for _, (name, h1, h2) in TARGETS.items() if name in needed
                                               for port in (h1, h2)])
    try:
        upstream = servers["upstream"].start()
        started.append(upstream)
        wait_for_port(18080, 30, upstream)
        probes = probe_idle_and_big_config(notes)

        for name in sorted(needed - {"upstream"}):
            started.append(servers[name].start())
        for target, (name, h1, h2) in TARGETS.items():
            if name not in needed:
                continue
            server = servers[name]
            wait_for_port(h1, 90, server)
            host = "vh999.bench.local" if name == "legate-vhosts" else None
            path = "/c7/" if name == "legate-clusters" else "/"
            status, body = http_get(h1, path, host)
            if status != 200:
                notes.append("%s answered %d to the health check" % (target, status))
            if h2 != h1:
                wait_for_port(h2, 30, server)

        order = [(s, t) for s in chosen for t in s["targets"]]
        if args.warmup > 0:
            for scenario, target in order:
                run_one(scenario, target, servers, args.warmup, 0, record=False)
        for round_no in range(1, max(args.rounds, args.fixed_rounds) + 1):
            for scenario in chosen:
                if round_no > (args.fixed_rounds if scenario.get("rps") else args.rounds):
                    continue
                # Rotate the order every round so no target always runs first (or right after a heavy one).
                targets = scenario["targets"]
                shift = (round_no - 1) % len(targets)
                for target in targets[shift:] + targets[:shift]:
                    result = run_one(scenario, target, servers, args.duration, round_no)
                    results.append(result)
                    print("round %d %-10s %-26s %10.0f req/s  p99 %s  errors %s" % (
                        round_no, scenario["name"], target, result.get("rps", 0),
                        report.fmt_latency(result.get("p99_us")), result.get("errors", "?")), flush=True)
        note = bystander_note(results)
        if note:
            notes.append(note)
        nostats = stats_line_count(19087)
        withstats = stats_line_count(19086)
        if nostats is not None and withstats is not None:
            probes["stats_lines"] = (withstats, nostats)
    finally:
        for server in reversed(started):
            server.stop()

    machine = "%s, %d cores, %s" % (platform.node(), os.cpu_count(), loadtools.cpu_model())
    text = report.render(chosen, results, probes, notes, args, machine,
                         datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    with open(args.output, "w") as f:
        f.write(text)
    print("wrote " + os.path.relpath(args.output, REPO))


if __name__ == "__main__":
    main()
