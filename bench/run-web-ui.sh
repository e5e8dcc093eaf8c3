#!/usr/bin/env bash
# Measures the web UI (issue #8) in Debian's headless Chromium against the whole demo plant (the embedded footprint as
# `plantmesh up` runs it, on free ports in a temporary directory): the plant overview's render time after load, and
# the JS heap and DOM node count of a tab left open on the overview (and one on a twin page) for an hour of the live
# plant, from Chrome DevTools' Performance.getMetrics. Writes bench/results/web-ui.md. Not part of `mvn verify`.
# Usage: bench/run-web-ui.sh [key=value ...]   e.g. minutes=10 render-runs=5   (default: an hour and a few minutes)
# Needs chromium and chromium-driver (scripts/install-test-packages.sh). MAVEN_ARGS (e.g. -o) is passed to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building the web UI, the launcher and the benchmark..."
# test-compile in the reactor: the modules' classes are used from their target/ folders, nothing is installed
mvn -B -q ${MAVEN_ARGS:-} -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt -pl web-ui/browser-tests -am
CP="web-ui/browser-tests/target/test-classes:$(cat web-ui/browser-tests/target/bench-classpath.txt)"
exec java -Xmx3g -Dlogback.configurationFile=web-ui/browser-tests/src/test/resources/logback-bench.xml \
    -cp "$CP" io.plantmesh.webui.browser.WebUiBenchmark "$@"
