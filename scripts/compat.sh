#!/usr/bin/env bash
# The long compatibility matrix: kwire against a broker of each Kafka release below (ZooKeeper and KRaft mode where
# a release has both), each started from its Maven Central artifacts as a separate process. Writes the results table
# to docs/compatibility.md. Takes long: every release's broker class path is resolved once (20-60 MB each, cached in
# the local Maven repository) and each broker starts in 5-20 s: about 7 minutes for the whole matrix once cached.
#   scripts/compat.sh                       # the whole matrix
#   scripts/compat.sh 2.8.2:zk,4.4.0:kraft  # only these
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASES="${1:-0.10.0.1:zk,0.10.1.1:zk,0.10.2.2:zk,0.11.0.3:zk,1.0.2:zk,1.1.1:zk,2.0.1:zk,2.1.1:zk,2.2.2:zk,\
2.3.1:zk,2.4.1:zk,2.5.1:zk,2.6.3:zk,2.7.2:zk,2.8.2:zk,3.0.2:zk,3.1.2:zk,3.2.3:zk,3.3.2:zk,3.3.2:kraft,3.4.1:zk,3.4.1:kraft,\
3.5.2:kraft,3.6.2:kraft,3.7.2:kraft,3.8.1:kraft,3.9.1:zk,3.9.1:kraft,4.0.1:kraft,4.1.2:kraft,4.2.2:kraft,\
4.3.2:kraft,4.4.0:kraft}"
mvn -B -ntp -pl client-it -am verify -Dtest=CompatibilityMatrix -Dsurefire.failIfNoSpecifiedTests=false \
    -Dkwire.compat.releases="$RELEASES" -Dkwire.compat.output="$PWD/docs/compatibility.md" \
    -DargLine="-Dkwire.compat.releases=$RELEASES -Dkwire.compat.output=$PWD/docs/compatibility.md"
echo "results: docs/compatibility.md"
