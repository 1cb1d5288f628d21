#!/usr/bin/env bash
# Load benchmark: Legate vs nginx, HAProxy, a bare YARP forwarder and the upstream itself, all on loopback.
# Usage: bench/run.sh [--quick] [--duration S] [--rounds N] [--warmup S] [--scenarios a,b] [--no-build]
# Writes bench/results/latest.md; raw tool output goes to bench/results/raw/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
BENCH="$(pwd)"
REPO="$(cd .. && pwd)"

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v h2load >/dev/null 2>&1 || need+=(nghttp2-client)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  # The Debian packages start system services where an init system runs; the bench starts its own copies.
  for svc in nginx haproxy; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      systemctl stop "$svc" || true
    fi
  done
fi
export PATH="$PATH:/usr/sbin:/sbin"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ "$build" = 1 ]; then
  # A private artifacts path: never shares obj/ with a developer's or the test command's build.
  echo "building Legate and the YARP baseline (Release)"
  # Legate as shipped (native AOT, the default of `dotnet publish`) and the same code on the JIT, which is
  # how an application that embeds the library runs it.
  dotnet publish "$REPO/src/Legate.Cli" -c Release -o "$BENCH/out/legate" --artifacts-path "$BENCH/out/artifacts" -nologo -v q
  dotnet publish "$REPO/src/Legate.Cli" -c Release -p:PublishAot=false -o "$BENCH/out/legate-jit" --artifacts-path "$BENCH/out/artifacts-jit" -nologo -v q
  dotnet publish "$BENCH/YarpBaseline" -c Release -o "$BENCH/out/yarp" --artifacts-path "$BENCH/out/artifacts" -nologo -v q
fi

python3 "$BENCH/scripts/genconfigs.py" "$BENCH/out" "$REPO"
exec python3 "$BENCH/scripts/harness.py" ${args[@]+"${args[@]}"}
