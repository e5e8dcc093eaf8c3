#!/usr/bin/env bash
# Runs the paper's scenario (issue #9, docs/scenario.md): baseline and mesh, Table 1 from PlantMesh's own
# measurements, and records the machine's load (uptime) before and after, since other work may share the machine.
# Usage: bench/run-scenario.sh NAME [plantmesh scenario options ...]
#   e.g. bench/run-scenario.sh paper-rate --duration 10m
#        bench/run-scenario.sh rate-100x --duration 3m --rate 1000000
# Writes bench/results/scenario-NAME.md (+ .svg) and bench/results/scenario-NAME.log (terminal output).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bench/run-scenario.sh NAME [plantmesh scenario options ...]}"
shift
if [[ ! -f launcher/target/plantmesh.jar ]]; then
  echo "building the plantmesh jar..."
  mvn -B -q -Dmaven.test.skip=true package -pl launcher -am
fi
log="bench/results/scenario-$name.log"
{
  echo "uptime before: $(uptime)"
  echo "cores: $(nproc)"
  java -Xmx3g -jar launcher/target/plantmesh.jar scenario --report "bench/results/scenario-$name.md" "$@"
  echo "uptime after: $(uptime)"
} 2>&1 | grep --line-buffered -v -E '^[0-9:.]+ (DEBUG|INFO) +' | tee "$log"
