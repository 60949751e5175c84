#!/usr/bin/env bash
# Profiles one client's thread during 1 MB Produce round trips (5 in flight) against the real in-JVM broker:
# perf samples (cpu-clock, call graphs through frame pointers, JIT symbols from the JVM's perf map) of the JVM for
# 7 seconds after the warm-up, then the samples of the client thread alone (the thread named "java": the main
# thread, which drives the client) as `perf script` text for perf-split.py.
#
#   benchmarks/scripts/produce-profile.sh kwire|apache OUTDIR     (after scripts/bench.sh has built the class path)
set -euo pipefail
cd "$(dirname "$0")/../.."
client=$1
out=$2
mkdir -p "$out"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
${JAVA:-java} -Xms1g -Xmx1g -XX:+UseParallelGC -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions \
  -XX:+DumpPerfMapAtExit -cp "$CP" io.kwire.bench.roundtrip.RoundTrips real --clients "$client" \
  --requests PRODUCE_1MB --inflight 5 --rounds 1 --duration-ms 9000 --warmup-ms 4000 --out "$out/run.md" \
  > /dev/null 2> "$out/run.log" &
pid=$!
for _ in $(seq 1 480); do
  grep -q "warm-up done" "$out/run.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
perf record -e cpu-clock -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep 7 2> "$out/perf.log"
wait "$pid"
tid=$(perf script -i "$out/perf.data" -F comm,tid 2>/dev/null | awk '$1 == "java" {print $2}' | sort | uniq -c \
  | sort -rn | awk 'NR == 1 {print $2}')
perf script -i "$out/perf.data" --tid "$tid" -F tid,ip,sym,dso > "$out/script.txt" 2>/dev/null
echo "$client: client thread $tid, $(grep -cE '^ *[0-9]+ *$' "$out/script.txt") samples" >&2
