#!/usr/bin/env bash
# Builds PlantMesh's container images as tarballs (docker-save format) without a Docker engine or registry:
#   1. a Debian base with Java 17 from Debian packages (mmdebstrap -> umoci -> skopeo): target/images/base.tar
#   2. one image per service with Jib (mvn -Pimages): target/images/<service>.tar (plantmesh/<service>:<version>)
#   3. with --check: unpacks the mes-api, maintenance and web-ui images with umoci and runs each entry point against
#      endpoints that do not answer: mes-api and maintenance must start, try their dependencies and give up after
#      startup.timeout with PlantMesh's own message; the web UI, which needs none to start, must report itself up.
# Load the tarballs into a cluster with `kind load image-archive`, `k3s ctr images import`, or push them with
# `skopeo copy docker-archive:target/images/<service>.tar docker://<registry>/plantmesh/<service>:<tag>`.
#
# Usage: scripts/build-images.sh [--check] [--rebuild-base] [--offline]
# Needs root (or sudo) only to install mmdebstrap, umoci and skopeo when they are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/images"
SUITE="${PLANTMESH_BASE_SUITE:-bookworm}"
CHECK=false
REBUILD_BASE=false
MVN_OFFLINE=()
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=true ;;
    --rebuild-base) REBUILD_BASE=true ;;
    --offline) MVN_OFFLINE=(-o) ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build-images.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "build-images.sh: $* needs root; run as root or install sudo" >&2; exit 1; fi
}

missing=()
for tool in mmdebstrap umoci skopeo; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  as_root apt-get update -q
  as_root apt-get install -y -q "${missing[@]}"
fi

mkdir -p "$OUT"
if [ ! -s "$OUT/base.tar" ] || $REBUILD_BASE; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "building the base: Debian $SUITE + openjdk-17-jre-headless (about a minute)"
  start=$(date +%s)
  # essential variant + Java; the host's APT sources (Debian mirror) are used
  as_root mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless,ca-certificates \
    --customize-hook='chroot "$1" sh -c "mkdir -p /var/lib/plantmesh /etc/plantmesh && chown 65532:65532 /var/lib/plantmesh"' \
    "$SUITE" "$work/rootfs.tar"
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:base"
  umoci raw add-layer --image "$work/oci:base" "$work/rootfs.tar"
  umoci config --image "$work/oci:base" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.user 65532:65532 --config.workingdir /var/lib/plantmesh
  rm -f "$OUT/base.tar"
  skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$OUT/base.tar:plantmesh/base:$SUITE-jre17"
  echo "base: $OUT/base.tar ($(du -h "$OUT/base.tar" | cut -f1), $(( $(date +%s) - start )) s)"
  rm -rf "$work"
  trap - EXIT
fi

echo "building the service images with Jib"
(cd "$ROOT" && mvn -B -q "${MVN_OFFLINE[@]}" -Pimages package -pl launcher -am -DskipTests \
  -Dplantmesh.image.base="tar://$OUT/base.tar")
ls -l "$OUT"/*.tar

# Unpacks the image of service $1 with umoci and runs its entry point as user 65532 in the unpacked file system,
# with a configuration as the chart mounts it ($2: extra properties lines, separated by |) pointing at endpoints
# that do not answer. $3: "gives-up" (the service must try its dependencies and give up after startup.timeout with
# its own message) or "serves" (it needs no dependency to start: it must report itself up; it is stopped then).
check_image() {
  local service=$1 extra=$2 expect=$3 work status output
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  skopeo copy --quiet "docker-archive:$OUT/$service.tar" "oci:$work/oci:$service"
  umoci unpack --rootless --image "$work/oci:$service" "$work/bundle" >/dev/null
  entry=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(json.dumps(c["process"]["args"]))' \
    "$work/bundle/config.json")
  echo "entry point of plantmesh/$service: $entry"
  as_root mkdir -p "$work/bundle/rootfs/etc/plantmesh"
  { printf '%s\n' 'plant.tenants=plant1' 'ditto.endpoint=ws://127.0.0.1:9/ws/2' 'ditto.url=http://127.0.0.1:9' \
      'ditto.user=ditto' 'management.port=0' 'http.port=0' 'startup.timeout=PT5S'
    if [ -n "$extra" ]; then tr '|' '\n' <<<"$extra"; echo; fi
  } | as_root tee "$work/bundle/rootfs/etc/plantmesh/service.properties" >/dev/null
  mapfile -t args < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["process"]["args"]]' \
    "$work/bundle/config.json")
  cwd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["process"]["cwd"])' "$work/bundle/config.json")
  # umoci --rootless leaves device nodes as empty files: bind the host's /proc and the devices Java reads
  as_root mount --bind /proc "$work/bundle/rootfs/proc"
  for dev in null zero random urandom; do as_root mount --bind "/dev/$dev" "$work/bundle/rootfs/dev/$dev"; done
  # bounded: a service that gives up ends by itself; one that serves is stopped once it reports itself up (or at the
  # time limit)
  as_root timeout 180 chroot --userspec=65532:65532 "$work/bundle/rootfs" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp PLANTMESH_DITTO_PASSWORD=check \
    PLANTMESH_MONGO_URI=mongodb://127.0.0.1:9/check \
    sh -c "cd $cwd && exec \"\$@\"" sh "${args[@]}" >"$work/output" 2>&1 &
  local pid=$!
  if [ "$expect" = serves ]; then
    for _ in $(seq 1 170); do
      if grep -q "$service is up" "$work/output" || ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 1
    done
    as_root pkill -TERM -P "$pid" 2>/dev/null || true
  fi
  set +e
  wait "$pid"
  status=$?
  set -e
  output=$(cat "$work/output")
  for dev in null zero random urandom; do as_root umount "$work/bundle/rootfs/dev/$dev" || true; done
  as_root umount "$work/bundle/rootfs/proc" || true
  echo "$output" | grep -E "management endpoint|could not start yet|plantmesh service|is up" | head -4
  local ok=false
  if echo "$output" | grep -q "ProviderException\|UnsatisfiedLinkError\|ClassNotFound"; then
    ok=false
  elif [ "$expect" = gives-up ]; then
    [ "$status" -eq 1 ] && echo "$output" | grep -q "$service: management endpoint" \
      && echo "$output" | grep -q "plantmesh service $service: .*startup.timeout" && ok=true
  else
    echo "$output" | grep -q "$service: management endpoint" && echo "$output" | grep -q "$service is up" && ok=true
  fi
  rm -rf "$work"
  trap - EXIT
  if $ok; then
    if [ "$expect" = gives-up ]; then
      echo "check passed: the image's entry point starts PlantMesh's $service service (it served its management"
      echo "endpoint, tried its dependencies and gave up after startup.timeout, as it must without them)"
    else
      echo "check passed: the image's entry point starts PlantMesh's $service service (it served its management"
      echo "endpoint and reported itself up; stopped by the check)"
    fi
  else
    echo "check of $service FAILED (exit $status):" >&2
    echo "$output" | tail -20 >&2
    exit 1
  fi
}

if $CHECK; then
  check_image mes-api "" gives-up
  check_image maintenance "maintenance.mes.api=none" gives-up
  check_image web-ui "http.host=127.0.0.1" serves
fi
