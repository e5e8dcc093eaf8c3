#!/usr/bin/env bash
# Installs the Debian packages PlantMesh's browser tests need: chromium and chromium-driver (/usr/bin/chromium,
# /usr/bin/chromedriver). Idempotent and quiet when they are there; runs apt-get as root, through sudo otherwise.
#   scripts/install-test-packages.sh
set -euo pipefail

PACKAGES=(chromium chromium-driver)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-packages: apt-get was not found; install ${missing[*]} (Chromium and its ChromeDriver) with" \
       "your system's package manager so that /usr/bin/chromium and /usr/bin/chromedriver exist." >&2
  exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-test-packages: ${missing[*]} must be installed, which needs root; run this script as root or" \
       "install sudo." >&2
  exit 1
fi

echo "install-test-packages: installing ${missing[*]}..." >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for binary in /usr/bin/chromium /usr/bin/chromedriver; do
  if [[ ! -x "$binary" ]]; then
    echo "install-test-packages: $binary is still missing after installing ${missing[*]}; check apt-get's output" \
         "above." >&2
    exit 1
  fi
done
echo "install-test-packages: installed ${missing[*]} ($(/usr/bin/chromium --version 2>/dev/null || true))" >&2
