#!/usr/bin/env bash
# Measures the ERP bridge and the embedded ERP (issue #5): postings per second through the bridge and against the
# embedded ERP directly, and the latency from a work order's completion on its twin to its goods receipt posted and
# recorded, with the durable store, the twin server, the embedded ERP and the bridge in one JVM on 127.0.0.1; writes
# bench/results/erp-bridge.md.
# Usage: bench/run-erp-bridge.sh [key=value ...]   e.g. rates=1,10,40 clients=8,32 workers=32
# (defaults take a few minutes; see the report's "How to rerun" for the keys)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building the benchmark..."
mvn -B -q -o -DskipTests package -pl bench -am
exec java -Xmx2g -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.ErpBridgeBenchmark "$@"
