#!/usr/bin/env bash
# Builds PlantMesh's container images as tarballs (docker-save format) without a Docker engine or registry:
#   1. a Debian base with Java 17 from Debian packages (mmdebstrap -> umoci -> skopeo): target/images/base.tar
#   2. one image per service with Jib (mvn -Pimages): target/images/<service>.tar (plantmesh/<service>:<version>)
#   3. with --check: unpacks the mes-api image with umoci and runs its entry point (`service --help` and a
#      `service mes-api` start that must fail with PlantMesh's own configuration message) to show it starts.
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
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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

if $CHECK; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  skopeo copy --quiet "docker-archive:$OUT/mes-api.tar" "oci:$work/oci:mes-api"
  umoci unpack --rootless --image "$work/oci:mes-api" "$work/bundle" >/dev/null
  entry=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(json.dumps(c["process"]["args"]))' \
    "$work/bundle/config.json")
  echo "entry point of plantmesh/mes-api: $entry"
  # a configuration as the chart mounts it, pointing at an unreachable Ditto: the service must start (JVM, classpath,
  # command line, management endpoint), try to reach Ditto, and give up after startup.timeout with its message
  as_root mkdir -p "$work/bundle/rootfs/etc/plantmesh"
  printf '%s\n' 'plant.tenants=plant1' 'ditto.endpoint=ws://127.0.0.1:9/ws/2' 'ditto.user=ditto' \
    'management.port=0' 'http.port=0' 'startup.timeout=PT5S' | as_root tee "$work/bundle/rootfs/etc/plantmesh/service.properties" >/dev/null
  mapfile -t args < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["process"]["args"]]' \
    "$work/bundle/config.json")
  cwd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["process"]["cwd"])' "$work/bundle/config.json")
  # umoci --rootless leaves device nodes as empty files: bind the host's /proc and the devices Java reads
  as_root mount --bind /proc "$work/bundle/rootfs/proc"
  for dev in null zero random urandom; do as_root mount --bind "/dev/$dev" "$work/bundle/rootfs/dev/$dev"; done
  set +e
  output=$(as_root timeout 180 chroot --userspec=65532:65532 "$work/bundle/rootfs" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp PLANTMESH_DITTO_PASSWORD=check \
    sh -c "cd $cwd && exec \"\$@\"" sh "${args[@]}" 2>&1)
  status=$?
  set -e
  for dev in null zero random urandom; do as_root umount "$work/bundle/rootfs/dev/$dev" || true; done
  as_root umount "$work/bundle/rootfs/proc" || true
  echo "$output" | grep -E "management endpoint|could not start yet|plantmesh service" | head -4
  if [ "$status" -eq 1 ] && echo "$output" | grep -q "mes-api: management endpoint" \
      && echo "$output" | grep -q "plantmesh service mes-api: .*startup.timeout" \
      && ! echo "$output" | grep -q "ProviderException\|UnsatisfiedLinkError\|ClassNotFound"; then
    echo "check passed: the image's entry point starts PlantMesh's mes-api service (it served its management"
    echo "endpoint, tried to reach Ditto and gave up after startup.timeout, as it must without a Ditto)"
  else
    echo "check FAILED (exit $status):" >&2
    echo "$output" | tail -20 >&2
    exit 1
  fi
fi
