#!/usr/bin/env bash
# Measures device MQTT publish -> hono-ingress -> Kafka -> twin-ingestion -> twin server -> twin event, end to end in
# one JVM on 127.0.0.1, and writes bench/results/connectivity.md.
# Usage: bench/run-connectivity.sh [key=value ...]   e.g. seed-seconds=180 step-seconds=20 steps=1000,2000,5000
# (defaults take about 10-12 minutes; see the report's "How to rerun" for the keys)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building the benchmark..."
mvn -B -q -DskipTests install -pl bench -am
# the JVM `./plantmesh up` runs: its default options and heap (no -Xmx: a quarter of the machine's memory)
source scripts/jvm-defaults.sh
exec java "${PLANTMESH_JVM_DEFAULTS[@]}" ${JAVA_OPTS:-} -XX:FlightRecorderOptions:stackdepth=128 \
    -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.ConnectivityBenchmark "$@"
