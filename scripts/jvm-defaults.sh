# JVM options PlantMesh's own start scripts put before $JAVA_OPTS (sourced by ./plantmesh and the benchmark scripts,
# so that benchmarks measure the JVM that `./plantmesh up` runs). Later options win: JAVA_OPTS can override these.
#
# -XX:MaxTenuringThreshold=1: in the embedded footprint the store keeps its documents (twins, the event journal, the
#   audit log) in the heap, so much of what survives a young collection lives for an hour or more. G1's default copies
#   such objects between survivor spaces up to 15 times before promoting them; at 1,000 device messages/s that copying
#   made each young pause 35-45 ms (Object Copy of ~60 MB). Promoting after one survival cut the pauses to 10-13 ms
#   (connectivity benchmark, bench/results/connectivity.md). Requests live milliseconds, far shorter than the time
#   between young collections, so nothing short-lived is promoted by this.
PLANTMESH_JVM_DEFAULTS=(-XX:MaxTenuringThreshold=1)
