"""Runs wrk and h2load and parses what they print."""
import os
import re
import subprocess
import time

WRK_CONNECTIONS = 50
WRK_THREADS = 2
H2_CONNECTIONS = 10
H2_STREAMS = 10
H2_THREADS = 2
# h2load's unrecorded warm-up (--warm-up-time): its request counts and latencies start after it.
H2_WARMUP_S = 1

_UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0, "m": 60_000_000.0}


def _latency_us(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNITS_US[m.group(2)] if m else None


def _save(prefix, suffix, text):
    if prefix:
        with open(prefix + suffix, "w") as f:
            f.write(text)


def wrk(port, path, duration, host, script, raw_prefix):
    argv = ["wrk", "-t%d" % WRK_THREADS, "-c%d" % WRK_CONNECTIONS, "-d%ds" % duration, "--latency", "--timeout", "5s"]
    if host:
        argv += ["-H", "Host: " + host]
    if script:
        argv += ["-s", script]
    argv.append("http://127.0.0.1:%d%s" % (port, path))
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
    out = proc.stdout + proc.stderr
    _save(raw_prefix, ".wrk.txt", " ".join(argv) + "\n" + out)
    result = {"tool": "wrk", "rps": 0.0, "requests": 0, "errors": 0, "non2xx": 0, "socket_errors": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        result["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        result["requests"] = int(m.group(1))
    for pct, key in (("50", "p50_us"), ("99", "p99_us")):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        if m:
            result[key] = _latency_us(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        result["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        result["socket_errors"] = sum(int(g) for g in m.groups())
    result["errors"] = result["non2xx"] + result["socket_errors"]
    if proc.returncode != 0:
        result["errors"] += 1
    return result


def h2load(port, path, duration, raw_prefix, connections=H2_CONNECTIONS, streams=H2_STREAMS, h1=False, rps=None,
           at_main=None):
    """h2c prior knowledge (or HTTP/1.1 with h1=True); rps caps each connection's request rate (a fixed load).

    at_main, if given, is called when the warm-up is over and the recorded part begins, so that a caller measuring
    the target's CPU or system calls can count over the same requests h2load reports (not the warm-up's too)."""
    log = (raw_prefix or "/tmp/legate-bench-h2load") + ".h2load.log"
    if os.path.exists(log):
        os.remove(log)  # h2load appends
    argv = ["h2load", "-c%d" % connections, "-m%d" % streams, "-t%d" % H2_THREADS, "-D%d" % duration,
            "--warm-up-time=%d" % H2_WARMUP_S, "--log-file=" + log]
    if h1:
        argv.append("--h1")
    if rps:
        argv.append("--rps=%d" % rps)
    argv.append("http://127.0.0.1:%d%s" % (port, path))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if at_main is not None:
        time.sleep(H2_WARMUP_S)
        at_main()
    stdout, stderr = proc.communicate(timeout=duration + 60)
    out = stdout + stderr
    _save(raw_prefix, ".h2load.txt", " ".join(argv) + "\n" + out)
    result = {"tool": "h2load", "rps": 0.0, "requests": 0, "errors": 0, "non2xx": 0, "socket_errors": 0}
    m = re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out)
    if m:
        result["rps"] = float(m.group(1))
    m = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, "
                  r"(\d+) timeout", out)
    if m:
        result["requests"] = int(m.group(3))
        result["socket_errors"] = int(m.group(5)) + int(m.group(6))
        result["failed"] = int(m.group(4))
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    if m:
        result["non2xx"] = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    result["errors"] = result["non2xx"] + result["socket_errors"] + result.get("failed", 0)
    if proc.returncode != 0:
        result["errors"] += 1
    durations = _log_durations(log)
    if durations:
        durations.sort()
        result["p50_us"] = durations[len(durations) // 2]
        result["p99_us"] = durations[min(len(durations) - 1, (len(durations) * 99) // 100)]
    if not raw_prefix and os.path.exists(log):
        os.remove(log)
    return result


def _log_durations(path):
    """h2load --log-file: start time (us since epoch), status, microseconds until the response ended."""
    durations = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) >= 3:
                    try:
                        durations.append(float(parts[2]))
                    except ValueError:
                        pass
    except OSError:
        pass
    return durations


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"
