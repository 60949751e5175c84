#!/usr/bin/env bash
# Profiles one client's thread during 1 MB Produce round trips (5 in flight) against the real in-JVM broker (or,
# with tls as the third argument, against the fake broker in its own JVM over TLS 1.3):
# perf samples (cpu-clock, call graphs through frame pointers, JIT symbols from the JVM's perf map) of the JVM for
# 7 seconds after the warm-up, then the samples of the client thread alone (the thread named "java": the main
# thread, which drives the client) as `perf script` text for perf-split.py, with the address range of each JVM stub
# (stubs.txt, from -XX:+PrintStubCode) so that it can tell the AES, GHASH and copy stubs apart.
#
#   benchmarks/scripts/produce-profile.sh kwire|apache OUTDIR [real|tls]   (after scripts/bench.sh has built the
#                                                                         class path)
set -euo pipefail
cd "$(dirname "$0")/../.."
client=$1
out=$2
case "${3:-real}" in
  real) target=(real) ;;
  tls) target=(fake --tls) ;;
  *) echo "third argument: real or tls, not $3" >&2; exit 2 ;;
esac
mkdir -p "$out"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
${JAVA:-java} -Xms1g -Xmx1g -XX:+UseParallelGC -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions \
  -XX:+DumpPerfMapAtExit -XX:+PrintStubCode -cp "$CP" io.kwire.bench.roundtrip.RoundTrips "${target[@]}" \
  --clients "$client" --requests PRODUCE_1MB --inflight 5 --rounds 1 --duration-ms 9000 --warmup-ms 4000 \
  --out "$out/run.md" \
  2> "$out/run.log" > >(grep -E '^[A-Za-z].* \[0x[0-9a-f]+, 0x[0-9a-f]+\]' > "$out/stubs.txt") &
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
