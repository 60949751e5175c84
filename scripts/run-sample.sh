#!/usr/bin/env bash
# Builds kwire and starts the sample app. With no kwire.client.bootstrap-servers set, the app starts a real
# single-node Kafka broker on this machine first. Open http://localhost:8080/ once it says it started.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl sample-app spring-boot:run "$@"
