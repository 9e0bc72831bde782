#!/usr/bin/env bash
# Install the OSU 0.18 um standard-cell Liberty file (osu018_stdcells.lib) from Debian's
# `qflow-tech-osu018` package without installing the package (nor qflow): the .deb is
# downloaded with `apt-get download`, unpacked with `dpkg-deb -x` in a temporary directory, and
# only the .lib is copied to the fixed path below. Nothing is done when the file is already there.
# Used by verif/system/check_osu018.sh (CTest synth_osu018_crosscheck); see synth/lib/README.md.
# Usage: synth/lib/fetch_osu018.sh [--force]   (needs root, or sudo without a password prompt)
set -euo pipefail

pkg=qflow-tech-osu018
member=usr/share/qflow/tech/osu018/osu018_stdcells.lib
dest_dir=/usr/local/share/sharpgen/osu018
dest="$dest_dir/osu018_stdcells.lib"

force=0
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "fetch_osu018: unknown option '$a' (allowed: --force)" >&2; exit 2 ;;
  esac
done

if [ "$force" = 0 ] && [ -s "$dest" ]; then
  echo "fetch_osu018: $dest already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "fetch_osu018: error: installing $dest (from the Debian package '$pkg') needs root or password-less sudo" >&2
  exit 1
fi
for t in apt-get dpkg-deb; do
  command -v "$t" >/dev/null 2>&1 || { echo "fetch_osu018: error: '$t' not found (a Debian-based system is needed)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sharp_osu018.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt-get download fetches as the unprivileged `_apt` user when it can write the target
# directory; otherwise (a root-only mktemp directory) it warns and downloads unsandboxed.
chmod 755 "$tmp"
mkdir "$tmp/dl"
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
  chown _apt "$tmp/dl"
fi

export DEBIAN_FRONTEND=noninteractive
download() { (cd "$tmp/dl" && apt-get download -q "$pkg" </dev/null); }
if ! download >"$tmp/download.log" 2>&1; then
  # The package lists may be missing or stale (fresh container): refresh them once and retry.
  echo "fetch_osu018: 'apt-get download $pkg' failed; running apt-get update and retrying"
  "${SUDO[@]}" apt-get update -q </dev/null >"$tmp/update.log" 2>&1 || true
  if ! download >"$tmp/download.log" 2>&1; then
    sed 's/^/  /' "$tmp/download.log" >&2
    echo "fetch_osu018: error: cannot download the Debian package '$pkg' with 'apt-get download'" \
         "(is a Debian/Ubuntu archive with it configured and reachable?)" >&2
    exit 1
  fi
fi

debs=("$tmp"/dl/"$pkg"_*.deb)
if [ ! -f "${debs[0]}" ]; then
  echo "fetch_osu018: error: 'apt-get download $pkg' produced no .deb file" >&2
  exit 1
fi
mkdir "$tmp/x"
if ! dpkg-deb -x "${debs[0]}" "$tmp/x"; then
  echo "fetch_osu018: error: cannot unpack $(basename "${debs[0]}") (package '$pkg')" >&2
  exit 1
fi
lib="$tmp/x/$member"
if [ ! -s "$lib" ] || ! grep -q 'library *( *osu018_stdcells *)' "$lib"; then
  echo "fetch_osu018: error: package '$pkg' has no usable /$member" >&2
  exit 1
fi

"${SUDO[@]}" install -d -m 755 "$dest_dir"
# Copied to a temporary name first, so that an interrupted run never leaves a partial file.
"${SUDO[@]}" install -m 644 "$lib" "$dest.tmp.$$"
"${SUDO[@]}" mv -f "$dest.tmp.$$" "$dest"
echo "fetch_osu018: installed $dest (from $(basename "${debs[0]}"))"
