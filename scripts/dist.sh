#!/usr/bin/env bash
# Packs a built leakward for a release: OUTDIR/leakward-VERSION-linux-ARCH.tar.gz (one folder
# holding the binary, README and the hooks manifest) and its .sha256 in `sha256sum` format.
# `make dist` runs it after a release build with the Swift runtime linked in; the release
# workflow (.github/workflows/release.yml) runs `make dist`; Tests/LeakwardCLITests/DistTests
# runs this script on the tested binary.
#
# Usage: scripts/dist.sh BINARY [OUTDIR]
# LEAKWARD_EXPECT_VERSION=0.1.0 makes a binary of another version an error (a tag v0.1.0 must
# ship 0.1.0).
set -euo pipefail
binary=${1:?usage: scripts/dist.sh BINARY [OUTDIR]}
out=${2:-dist}
here=$(cd "$(dirname "$0")/.." && pwd)
version=$("$binary" --version)
if [ -n "${LEAKWARD_EXPECT_VERSION:-}" ] && [ "$version" != "${LEAKWARD_EXPECT_VERSION#v}" ]; then
  echo "dist: $binary is version $version, not ${LEAKWARD_EXPECT_VERSION#v}" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
name="leakward-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
install -m 755 "$binary" "$stage/$name/leakward"
cp "$here/README.md" "$here/.pre-commit-hooks.yaml" "$stage/$name/"
# Same bytes for the same inputs: fixed owner, order and time.
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -cf - "$name" | gzip -n -9 > "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
