#!/usr/bin/env bash
# Builds the sample app's executable jar (with the kwire modules it needs, installing nothing into your Maven
# repository) and runs it. With no kwire.client.bootstrap-servers the app starts a real single-node Kafka broker
# inside its own JVM, then says "kwire sample app is ready: open http://localhost:8080/".
#
#   scripts/run-sample.sh [--port N] [--broker-logs] [--no-build] [app arguments...]
#
#   --port N       the HTTP port (default 8080; 0 picks a free one)
#   --broker-logs  show the embedded Kafka broker's INFO logs on the console (by default only its warnings)
#   --no-build     run the jar built last time
#   anything else goes to the app, e.g. --kwire.client.bootstrap-servers=localhost:9092
#
# Ctrl-C stops the app cleanly: the kwire client closes, then the broker, whose data directory is deleted.
set -euo pipefail
cd "$(dirname "$0")/.."

port=8080
broker_logs=false
build=true
app_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:-}"; shift $(( $# > 1 ? 2 : 1 )) ;;
    --port=*) port="${1#--port=}"; shift ;;
    --broker-logs) broker_logs=true; shift ;;
    --no-build) build=false; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) app_args+=("$1"); shift ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "run-sample.sh: --port wants a number (0 for any free port), got '$port'" >&2; exit 2 ;;
esac

if $build; then
  echo "==> Building kwire and the sample app's jar, tests skipped (about a minute with a warm Maven repository)"
  log="$(mktemp -t kwire-sample-build.XXXXXX)"
  started=$SECONDS
  # One line per module as Maven reaches it; the whole output goes to a log kept for when the build fails.
  set +e
  mvn -B -ntp -pl sample-app -am package -DskipTests 2>&1 | tee "$log" \
    | grep --line-buffered -E '^\[INFO\] Building [^j]|^\[INFO\] BUILD|^\[ERROR\]' \
    | sed -u -e 's/^\[INFO\] Building /    building /' -e 's/^\[INFO\] /    /'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "==> The build failed (exit $status); the last lines of its log ($log):" >&2
    tail -n 40 "$log" >&2
    exit "$status"
  fi
  rm -f "$log"
  echo "==> Built in $(( SECONDS - started )) s"
fi

jar="$(ls sample-app/target/kwire-sample-app-*.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ]; then
  echo "run-sample.sh: no sample-app/target/kwire-sample-app-*.jar: run without --no-build first" >&2
  exit 1
fi

args=("--server.port=$port")
if $broker_logs; then
  args+=("--logging.level.kafka=INFO" "--logging.level.org.apache.kafka=INFO" "--logging.level.state.change.logger=INFO")
fi
echo "==> Starting $jar on port $port (Ctrl-C stops it)"
# A trap (not an ignored signal, which the JVM would inherit) lets the script report the stop after Ctrl-C:
# the JVM gets the SIGINT itself, closes the app and exits with 130.
trap 'true' INT TERM
set +e
java -jar "$jar" "${args[@]}" "${app_args[@]+"${app_args[@]}"}"
status=$?
set -e
case "$status" in
  0|130|143) echo "==> The sample app stopped." ;;
  *) echo "==> The sample app exited with status $status" >&2; exit "$status" ;;
esac
