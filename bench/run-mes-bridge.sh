#!/usr/bin/env bash
# Measures the MES bridge (issue #4): dispatch decisions per second and the latency from a machine's DOWN to its
# orders being re-dispatched, with 5 bridges, 50 machines and 500 open orders in one JVM on 127.0.0.1, and writes
# bench/results/mes-bridge.md.
# Usage: bench/run-mes-bridge.sh [key=value ...]   e.g. faults=100 warm-up-faults=10 max-queue=10
# (defaults take a few minutes; see the report's "How to rerun" for the keys)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building the benchmark..."
mvn -B -q -DskipTests install -pl bench -am
exec java -Xmx2g -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.MesBridgeBenchmark "$@"
