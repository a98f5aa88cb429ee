#!/usr/bin/env bash
# echo-syscalls.sh SYSTEM...: how many calls each server read() and write() carries under workload (a) of
# `bench rpc --client ws` (Node ws, 1 connection x 256 in flight, compression not offered), from the server
# process's syscr/syscw in /proc/<pid>/io (Linux). SYSTEM: switchboard, raw, netty, netty-flush-each,
# rpc-websockets. Each server runs in a fresh process: 8 s of load untimed, then 5 s measured. Prints one
# Markdown row per system. Run from the repository root after ./switchboard build (and npm ci in
# switchboard-bench/node); JAVA_HOME as for ./switchboard. INFLIGHT=K changes the calls in flight.
set -euo pipefail

cd "$(dirname "$0")/../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
node_dir=switchboard-bench/node
classpath=$PWD/switchboard-bench/target/classes:$(<switchboard-bench/target/runtime-classpath.txt)
bench=("$java" --sun-misc-unsafe-memory-access=allow -cp "$classpath" dev.switchboard.bench.BenchMain)

# reads writes cpu-ticks of process $1
counters() {
  local r w
  r=$(awk '/^syscr/{print $2}' "/proc/$1/io")
  w=$(awk '/^syscw/{print $2}' "/proc/$1/io")
  printf '%s %s %s\n' "$r" "$w" "$(awk '{print $14 + $15}' "/proc/$1/stat")"
}

# field $2 (a number) of the client's JSON line $1
field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }

measure() {
  local system=$1 path=/ reply=request command line port pid r0 w0 t0 r1 w1 t1 out calls
  case $system in
    switchboard) command=("${bench[@]}" serve-rpc); path=/ws; reply=result ;;
    raw) command=("${bench[@]}" echo-server) ;;
    netty) command=("${bench[@]}" echo-server --netty) ;;
    netty-flush-each) command=("${bench[@]}" echo-server --netty --flush-each) ;;
    rpc-websockets) command=(node "$node_dir/rpcws-server.mjs" --host 127.0.0.1); reply=result ;;
    *) echo "unknown system '$system'" >&2; exit 2 ;;
  esac
  # The server prints {"port":N} once it listens and exits when its stdin closes.
  coproc server { exec "${command[@]}" --port 0 2>/dev/null; }
  pid=$server_PID
  read -r line <&"${server[0]}"
  port=$(tr -dc 0-9 <<<"$line")
  client=(node "$node_dir/ws-rpc-client.mjs" --url "ws://127.0.0.1:$port$path" --reply "$reply"
    --inflight "${INFLIGHT:-256}" --compression none)
  "${client[@]}" --warmup-seconds 8 --seconds 1 >/dev/null 2>&1
  read -r r0 w0 t0 < <(counters "$pid")
  out=$("${client[@]}" --warmup-seconds 0 --seconds 5 2>/dev/null | tail -1)
  read -r r1 w1 t1 < <(counters "$pid")
  calls=$(field "$out" calls)
  awk -v s="$system" -v c="$calls" -v cps="$(field "$out" callsPerSecond)" -v r=$((r1 - r0)) -v w=$((w1 - w0)) \
    -v t=$((t1 - t0)) 'BEGIN { printf "| %s | %.0f | %.2f | %.2f | %.1f |\n", s, cps, c / r, c / w, t * 1e4 / c }'
  exec {server[1]}>&-
  wait "$pid" 2>/dev/null || true
}

echo "| server | calls/s | calls per read() | calls per write | server µs CPU/call |"
echo "| --- | --: | --: | --: | --: |"
for system in "$@"; do measure "$system"; done
