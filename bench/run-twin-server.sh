#!/usr/bin/env bash
# Measures the embedded twin server and writes bench/results/twin-server.md.
# Usage: bench/run-twin-server.sh [seconds-per-phase]   (default 20; the whole run takes about 8 x that)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building the benchmark..."
mvn -B -q -DskipTests install -pl bench -am
exec java -Xmx2g -jar bench/target/plantmesh-bench.jar "${1:-20}" bench/results/twin-server.md
