#!/usr/bin/env bash
# The idle soak: a kwire client with default settings (idle-probe-interval 30s, request-timeout 30s) against a real
# in-JVM Kafka broker, sending nothing for 5 minutes while its Spring health indicator is read every 200 ms. Fails
# if health ever leaves UP, a liveness probe fails or a connection is closed; prints the counts (also in
# client-autoconfigure/target/idle-soak.txt). About 6-7 minutes with the build.
#
#   scripts/idle-soak.sh              # 5 minutes
#   SOAK=PT1M scripts/idle-soak.sh    # another length (ISO-8601)
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${SOAK:-PT5M}
mvn -B -ntp -q ${MVN_OPTS:-} -pl client-autoconfigure -am verify -Dtest=KwireIdleSoakTests \
  -Dsurefire.failIfNoSpecifiedTests=false -Dkwire.idleSoak="$SOAK"
cat client-autoconfigure/target/idle-soak.txt
