#!/usr/bin/env bash
# The kwire vs Apache kafka-clients comparison: JMH codec benchmarks, round trips against a fake broker in its
# own JVM, round trips and Produce against a real in-JVM broker, large-cluster metadata (JMH, retained bytes), one
# client on 100 fake brokers, a slow name server, client CPU per 1 MB Produce. Writes every table to $OUT/report.md.
#
#   scripts/bench.sh                 # the full comparison, about 30 minutes on 2 cores
#   QUICK=1 scripts/bench.sh         # a ~3 minute smoke run with short timings (numbers are rough)
#   SKIP=codec,real scripts/bench.sh # leave parts out (codec, fake, pinned, tls, real, external, hol, cluster,
#                                    # many, dns, produce)
#   ONLY=hol scripts/bench.sh        # one part alone: hol = head-of-line latency with 5 long-poll Fetches, ~2 min
#   ONLY=pinned scripts/bench.sh     # client and fake broker pinned (taskset) to one CPU, then to two
#   ONLY=tls scripts/bench.sh        # round trips and 1 MB Produce over TLS 1.3 against the fake broker, then
#                                    # Produce CPU per MB over fresh connections, pinned to two CPUs and to one,
#                                    # and on two CPUs with Apache's producer send buffer (128 KiB)
#   ONLY=external scripts/bench.sh   # a real Kafka 4.1.2 broker as a process of its own: plaintext, SSL, pinned
#   ONLY=cluster scripts/bench.sh    # large clusters: Metadata of 1,000 brokers, 1k/10k/100k partitions (~6 min)
#   ONLY=many scripts/bench.sh       # one client on 100 fake brokers (~1 min)
#   ONLY=dns scripts/bench.sh        # requests to one broker while another's name takes 1 s to resolve (~1 min)
#   ONLY=produce scripts/bench.sh    # client CPU per 1 MB Produce: real broker, then plain text on two CPUs (~4 min; PERF=1 adds a
#                                    # perf profile of each client thread where perf works)
# Set LOCK=/path/to/lockfile to run each measurement under flock (one benchmark at a time on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/benchmarks/results/latest}
QUICK=${QUICK:-0}
SKIP=${SKIP:-}
if [ -n "${ONLY:-}" ]; then
  SKIP=$(printf '%s\n' codec fake pinned tls real external hol cluster many dns produce | grep -vx "$ONLY" \
    | paste -sd, -)
fi
mkdir -p "$OUT"

if [ "$QUICK" = 1 ]; then
  JMH_ROUNDS=1; JMH_ARGS="-wi 1 -w 500ms -i 3 -r 500ms"; RT_ROUNDS=2; RT_MS=250; RT_WARM=150; HOL_MS=2000
  CLUSTER_JMH="-wi 1 -w 1s -i 2 -r 1s"; MANY_ARGS="--rounds 2 --duration-ms 500 --idle-polls 2000"
  DNS_ARGS="--rounds 1 --stall-ms 500 --duration-ms 1500"
  PRODUCE_ROUNDS=2; PRODUCE_MS=500; EXT_ROUNDS=2; TLS_CONNECTIONS=3
else
  JMH_ROUNDS=3; JMH_ARGS="-wi 2 -w 1s -i 5 -r 1s"; RT_ROUNDS=5; RT_MS=500; RT_WARM=400; HOL_MS=10000
  CLUSTER_JMH="-wi 3 -w 2s -i 5 -r 2s"; MANY_ARGS="--rounds 5 --duration-ms 2000 --idle-polls 20000"
  DNS_ARGS="--rounds 3 --stall-ms 1000 --duration-ms 3000"
  PRODUCE_ROUNDS=7; PRODUCE_MS=1000
  # The broker process's own jitter moves single rounds by 10-20%: more rounds for a steadier median, and a
  # multiple of 6, so that the three clients run in every order equally often.
  EXT_ROUNDS=12
  # Each connection settles at its own CPU per MB over TLS (20-30% apart): a median over many fresh connections.
  TLS_CONNECTIONS=16 # four clients: as many rounds in each direction of their order
fi

echo "== build" >&2
mvn -q ${MVN_OPTS:-} -pl benchmarks -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$ROOT/benchmarks/target/classpath.txt" -Dmdep.includeScope=runtime >&2
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
JAVA=${JAVA:-java}
# Every measurement goes through $RUN: under flock when LOCK names a lock file.
RUN=()
if [ -n "${LOCK:-}" ]; then
  RUN=(flock "$LOCK")
fi
JVM="-Xms1g -Xmx1g -XX:+UseParallelGC"

{
  echo "# kwire vs Apache kafka-clients $(basename "$(tr ':' '\n' <<<"$CP" | grep -m1 kafka-clients)" .jar)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem:/{print $2}') GiB, $("$JAVA" -version 2>&1 | head -1), load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`${BENCH_COMMAND:-scripts/bench.sh}\` (QUICK=$QUICK)."
  echo
} > "$OUT/report.md"

if [[ ",$SKIP," != *",codec,"* ]]; then
  echo "== codec (JMH, $JMH_ROUNDS round(s))" >&2
  files=()
  for r in $(seq 1 "$JMH_ROUNDS"); do
    "${RUN[@]}" $JAVA -cp "$CP" org.openjdk.jmh.Main CodecBenchmark -f 1 $JMH_ARGS -prof gc \
      -rf json -rff "$OUT/jmh-$r.json" > "$OUT/jmh-$r.log" 2>&1
    files+=("$OUT/jmh-$r.json")
  done
  {
    echo "## Codec (JMH, -prof gc)"
    echo
    $JAVA -cp "$CP" -XX:TieredStopAtLevel=1 io.kwire.bench.Describe
    echo
    python3 "$ROOT/benchmarks/scripts/jmh-table.py" "${files[@]}"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",fake,"* ]]; then
  echo "== round trips against the fake broker" >&2
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips fake --rounds "$RT_ROUNDS" --duration-ms "$RT_MS" \
    --warmup-ms "$RT_WARM" --out "$OUT/fake.md" > /dev/null
  {
    echo "## Round trips, one connection, fake broker in its own JVM (canned bytes)"
    echo
    echo "Median of $RT_ROUNDS interleaved rounds of ${RT_MS} ms per cell; ratio columns are medians of per-round ratios."
    echo "Targets: kwire / apache >= 1.2 at in flight 1 and >= 2 at 5 and 16; kwire / raw >= 0.5 at 5 and 16;"
    echo "CPU kwire / apache <= 0.5."
    echo
    cat "$OUT/fake.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",pinned,"* ]]; then
  for pin in same split; do
    echo "== round trips against the fake broker, pinned: $pin" >&2
    load_before=$(uptime)
    "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips fake --pin "$pin" \
      --clients kwire,apache,raw,raw-spin,kwire-nospin --requests API_VERSIONS,METADATA_1 --rounds "$RT_ROUNDS" \
      --duration-ms "$RT_MS" --warmup-ms "$RT_WARM" --out "$OUT/pinned-$pin.md" > /dev/null
    load_after=$(uptime)
    {
      if [ "$pin" = same ]; then
        echo "## Round trips, fake broker in its own JVM, both JVMs pinned to CPU 0 (taskset)"
      else
        echo "## Round trips, fake broker in its own JVM pinned to CPU 1, the client's JVM to CPU 0 (taskset)"
      fi
      echo
      echo "Median of $RT_ROUNDS interleaved rounds of ${RT_MS} ms per cell. kwire-nospin: kwire with pollSpin 0 (no spin"
      echo "before a blocking select), in the same rounds; raw-spin: the raw client reading a non-blocking socket until"
      echo "the answer is there (with raw, the floor of waiting). Targets: kwire / apache >= 1.0 at in flight 1 and >= 1.5 at 5"
      echo "and 16; CPU kwire / apache <= 0.6. Load: before \`$load_before\`, after \`$load_after\`."
      echo
      cat "$OUT/pinned-$pin.md"
      echo
    } >> "$OUT/report.md"
  done
fi

if [[ ",$SKIP," != *",tls,"* ]]; then
  echo "== round trips and Produce over TLS 1.3 against the fake broker" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips fake --tls --clients kwire,apache,kwire-nospin,kwire-openssl \
    --rounds "$RT_ROUNDS" --duration-ms "$RT_MS" --warmup-ms "$RT_WARM" --out "$OUT/tls.md" > /dev/null
  load_after=$(uptime)
  {
    echo "## TLS 1.3: round trips and Produce of 1 MB batches, fake broker in its own JVM (SSLSocket listener)"
    echo
    echo "Median of $RT_ROUNDS interleaved rounds of ${RT_MS} ms per cell; unpinned. Targets: kwire / apache >= 1.0 in"
    echo "throughput at <= 0.8x its CPU per MB. Load: before \`$load_before\`, after \`$load_after\`."
    echo
    cat "$OUT/tls.md"
    echo
  } >> "$OUT/report.md"
  # split-producer: Apache with its producer's 128 KiB send buffer (send.buffer.bytes), kwire with its default.
  for variant in split same split-producer; do
    pin=${variant%%-*}
    extra=()
    [ "$variant" = split-producer ] && extra=(--apache-send-buffer 131072)
    echo "== TLS 1.3 Produce CPU per MB over fresh connections, $variant" >&2
    load_before=$(uptime)
    "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.TlsProduceConnections --pin "$pin" ${extra[@]+"${extra[@]}"} \
      --connections "$TLS_CONNECTIONS" --out "$OUT/tls-connections-$variant.md" > /dev/null \
      2> "$OUT/tls-connections-$variant.log"
    load_after=$(uptime)
    {
      echo "## TLS 1.3 Produce, CPU per MB over $TLS_CONNECTIONS fresh connections of each client ($variant)"
      echo
      echo "Target: kwire / apache <= 0.8 in CPU per MB at >= 1.0 in throughput. Load: before \`$load_before\`, after"
      echo "\`$load_after\`."
      echo
      cat "$OUT/tls-connections-$variant.md"
      echo
    } >> "$OUT/report.md"
  done
fi

if [[ ",$SKIP," != *",real,"* ]]; then
  echo "== round trips and Produce against a real broker" >&2
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips real --rounds "$RT_ROUNDS" --duration-ms "$RT_MS" \
    --warmup-ms "$RT_WARM" --out "$OUT/real.md" > /dev/null 2> "$OUT/real.log"
  {
    echo "## Real broker (Kafka 4.1.2 KafkaClusterTestKit, one combined node, in the benchmark JVM, loopback)"
    echo
    echo "Median of $RT_ROUNDS interleaved rounds of ${RT_MS} ms per cell. Target: kwire / apache >= 0.95."
    echo
    cat "$OUT/real.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",external,"* ]]; then
  # Unpinned plaintext, unpinned over an SSL listener, and pinned: client on CPU 0, broker on CPU 1 (as on two hosts).
  for variant in plain tls split; do
    case $variant in
      plain) opts=(); name=external; title=""; placement=unpinned; third=kwire-nospin ;;
      tls) opts=(--tls); name=external-tls; title=", SSL listener, TLS 1.3"; placement=unpinned; third=kwire-openssl ;;
      split) opts=(--pin split); name=external-split; title=", client on CPU 0, broker on CPU 1"; placement=pinned
        third=kwire-nospin ;;
    esac
    echo "== round trips and Produce against a real broker in its own process ($variant)" >&2
    load_before=$(uptime)
    "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips external ${opts[@]+"${opts[@]}"} \
      --clients "kwire,apache,$third" --requests API_VERSIONS,METADATA_1,PRODUCE_1MB --rounds "$EXT_ROUNDS" \
      --duration-ms "$RT_MS" --warmup-ms "$RT_WARM" --out "$OUT/$name.md" > /dev/null 2> "$OUT/$name.log"
    load_after=$(uptime)
    {
      echo "## Real broker (Kafka 4.1.2, ExternalKafkaBroker: one KRaft node in a JVM of its own, loopback$title)"
      echo
      echo "Median of $EXT_ROUNDS interleaved rounds of ${RT_MS} ms per cell; $placement. Load: before \`$load_before\`,"
      echo "after \`$load_after\`."
      echo
      cat "$OUT/$name.md"
      echo
    } >> "$OUT/report.md"
  done
fi

if [[ ",$SKIP," != *",hol,"* ]]; then
  echo "== head-of-line: Metadata and Produce while 5 long-poll Fetches wait on the same broker" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.HeadOfLine --duration-ms "$HOL_MS" --out "$OUT/hol.md" \
    > /dev/null 2> "$OUT/hol.log"
  {
    echo "## Head-of-line isolation (real broker, Kafka 4.1.2 KafkaClusterTestKit in the benchmark JVM, loopback)"
    echo
    echo "Round trips one at a time, ${HOL_MS} ms per phase and client; latencies in ms. \"with 5 fetches\": 5 Fetch"
    echo "requests (maxWaitMs 500, minBytes 1, empty partition) kept outstanding on the same broker by the same client."
    echo "Target: kwire with classes p99 loaded / idle <= 3."
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    cat "$OUT/hol.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",cluster,"* ]]; then
  echo "== large clusters: Metadata of 1,000 brokers and 1k / 10k / 100k partitions" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA -cp "$CP" org.openjdk.jmh.Main LargeMetadataBenchmark -f 1 $CLUSTER_JMH -prof gc \
    -rf json -rff "$OUT/cluster-jmh.json" > "$OUT/cluster-jmh.log" 2>&1
  "${RUN[@]}" $JAVA -Djdk.attach.allowAttachSelf -Djol.magicFieldOffset=true -Xms4g -Xmx4g -XX:+UseParallelGC \
    -cp "$CP" io.kwire.bench.cluster.LargeMetadataHeap --out "$OUT/cluster-heap.md" \
    > /dev/null 2> "$OUT/cluster-heap.log"
  {
    echo "## Large clusters (JMH -prof gc; retained bytes with JOL)"
    echo
    echo "A Metadata answer (v12) of 1,000 brokers and topics of 100 partitions, replication 3; kwire's"
    echo "MetadataTracker.update against Apache's Metadata.update (MetadataSnapshot + Cluster). Targets: <= 0.5x Apache"
    echo "in time and retained bytes; ns per partition flat from 1k to 100k partitions."
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    python3 "$ROOT/benchmarks/scripts/cluster-table.py" "$OUT/cluster-jmh.json"
    echo
    echo "Bytes kept after applying the first answer:"
    echo
    cat "$OUT/cluster-heap.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",many,"* ]]; then
  echo "== one client, 100 fake brokers" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.ManyBrokers --brokers 100 $MANY_ARGS \
    --out "$OUT/many.md" > /dev/null 2> "$OUT/many.log"
  {
    echo "## Many brokers (one fake-broker process with 100 loopback listeners)"
    echo
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    cat "$OUT/many.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",dns,"* ]]; then
  echo "== a slow name server: requests to one broker while another's name resolves" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.DnsStall $DNS_ARGS \
    --out "$OUT/dns.md" > /dev/null 2> "$OUT/dns.log"
  {
    echo "## A slow name server (two in-process fake brokers; the second one's name takes a while to resolve)"
    echo
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    cat "$OUT/dns.md"
    echo
  } >> "$OUT/report.md"
fi

if [[ ",$SKIP," != *",produce,"* ]]; then
  echo "== Produce 1 MB against the real broker: client CPU" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.RoundTrips real --requests PRODUCE_1MB --inflight 5 \
    --clients kwire,apache,kwire-direct \
    --rounds "$PRODUCE_ROUNDS" --duration-ms "$PRODUCE_MS" --warmup-ms 2000 --out "$OUT/produce.md" \
    > /dev/null 2> "$OUT/produce.log"
  {
    echo "## Produce CPU (1 MB batches, 5 in flight, real broker in the benchmark JVM)"
    echo
    echo "Median of $PRODUCE_ROUNDS interleaved rounds of ${PRODUCE_MS} ms."
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    cat "$OUT/produce.md"
    echo
  } >> "$OUT/report.md"
  # The same in plain text against the fake broker, client on CPU 0 and broker on CPU 1, over fresh connections.
  echo "== Produce 1 MB in plain text, fake broker, two CPUs, fresh connections" >&2
  load_before=$(uptime)
  "${RUN[@]}" $JAVA $JVM -cp "$CP" io.kwire.bench.roundtrip.TlsProduceConnections --plain --pin split \
    --connections "$TLS_CONNECTIONS" --out "$OUT/plain-connections-split.md" > /dev/null \
    2> "$OUT/plain-connections-split.log"
  {
    echo "## Produce 1 MB in plain text, fake broker, client on CPU 0 and broker on CPU 1, fresh connections"
    echo
    echo "Load: before \`$load_before\`, after \`$(uptime)\`."
    echo
    cat "$OUT/plain-connections-split.md"
    echo
  } >> "$OUT/report.md"
  if [ "${PERF:-0}" = 1 ] && perf record -e cpu-clock -o /dev/null -- true > /dev/null 2>&1; then
    for c in kwire apache; do
      "${RUN[@]}" "$ROOT/benchmarks/scripts/produce-profile.sh" "$c" "$OUT/perf-$c" >&2
    done
    {
      echo "Client thread profile (perf, cpu-clock, JIT symbols from the JVM's perf map):"
      echo
      python3 "$ROOT/benchmarks/scripts/perf-split.py" kwire="$OUT/perf-kwire/script.txt" \
        apache="$OUT/perf-apache/script.txt"
      echo
    } >> "$OUT/report.md"
  fi
fi

echo "== done: $OUT/report.md" >&2
cat "$OUT/report.md"
