#!/usr/bin/env bash
# Install the Debian packages sharpgen needs, skipping those already present.
# Then install the OSU 0.18 um Liberty file (synth/lib/fetch_osu018.sh; only the .lib is
# extracted from Debian's qflow-tech-osu018 package, to /usr/local/share/sharpgen/osu018).
# Usage: ci/setup.sh [--no-python] [--no-osu018]   (needs root, or sudo without a password prompt)
set -euo pipefail

want_python=1
want_osu018=1
for a in "$@"; do
  case "$a" in
    --no-python) want_python=0 ;;
    --no-osu018) want_osu018=0 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$a' (allowed: --no-python, --no-osu018)" >&2; exit 2 ;;
  esac
done

# The extra Liberty file, after the packages (idempotent: skipped when already installed).
fetch_osu018() {
  if [ "$want_osu018" = 1 ]; then
    "$(dirname "$0")/../synth/lib/fetch_osu018.sh"
  fi
}

pkgs=(cmake g++ make verilator yosys iverilog libfmt-dev libcli11-dev catch2 nlohmann-json3-dev
      zlib1g-dev python3 clang clang-format clang-tidy opensta slurm-wlm munge)
# Installed when the distribution has them (libFuzzer's runtime for ci/fuzz.sh; without it the
# fuzzing job falls back to its own random-mutation driver).
optional=(libclang-rt-dev)
if [ "$want_python" = 1 ]; then
  pkgs+=(python3-torch python3-numpy python3-sklearn python3-onnx libonnx-testdata)
fi

missing=()
missing_opt=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

for p in "${optional[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing_opt+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_opt[@]} -eq 0 ]; then
  echo "setup: all ${#pkgs[@]} packages already installed"
  fetch_osu018
  exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]} ${missing_opt[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "setup: error: installing packages needs root or password-less sudo; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]} ${missing_opt[*]}" >&2
  [ "$want_osu018" = 1 ] && echo "  $(dirname "$0")/../synth/lib/fetch_osu018.sh" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
for p in "${missing_opt[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then missing+=("$p"); else echo "setup: note: optional package $p not available"; fi
done
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fetch_osu018
echo "setup: done"
