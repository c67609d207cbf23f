#!/usr/bin/env bash
# Installs the ONNX Runtime shared library distill loads at run time.
#
# Debian has no ONNX Runtime package; the npm package onnxruntime-node ships the
# official Linux x64 build (MIT licence). We `npm pack` it (no install, no
# scripts run) and extract bin/napi-v6/linux/x64/libonnxruntime.so.1 into the
# cache folder the binary searches by itself (see internal/ortlib).
set -euo pipefail
version="${ORT_VERSION:-1.30.0}"
dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/distill/onnxruntime/$version}"
lib="$dest/libonnxruntime.so.1"
if [ -s "$lib" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-ort: npm is needed to fetch onnxruntime-node@$version" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install-ort: fetching onnxruntime-node@$version into $dest"
(cd "$tmp" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
tar -xzf "$tmp"/onnxruntime-node-"$version".tgz -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
mkdir -p "$dest"
cp "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib.tmp"
mv "$lib.tmp" "$lib"
echo "install-ort: installed $lib"
