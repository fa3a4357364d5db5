#!/bin/sh
# Installs leakward on a CI machine in seconds: the release binary for this platform, checked
# against its SHA-256, else a build from source (slower, same result). The docs/ci examples
# run it; Tests/LeakwardCLITests/DistTests runs it against a local release folder.
#
# Usage: install-leakward.sh [VERSION]        (default: the version of this checkout)
# Environment:
#   LEAKWARD_RELEASES  where releases live (default https://github.com/your-org/leakward/releases/download);
#                      VERSION's files are LEAKWARD_RELEASES/vVERSION/leakward-VERSION-linux-ARCH.tar.gz(.sha256)
#   LEAKWARD_SHA256    the tarball's expected SHA-256, pinned in your workflow (recommended: then
#                      a replaced release cannot pass); without it the release's .sha256 is used
#   LEAKWARD_PREFIX    where to put the binary (default /usr/local/bin)
#   LEAKWARD_SOURCE    a Leakward checkout to build when no binary fits (default: this script's)
# A checksum that does not match is an error, never a fallback.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-$(sed -n 's/^public let version = "\(.*\)"$/\1/p' "$here/Sources/LeakwardCore/Version.swift" 2>/dev/null || true)}
version=${version#v}
releases=${LEAKWARD_RELEASES:-https://github.com/your-org/leakward/releases/download}
prefix=${LEAKWARD_PREFIX:-/usr/local/bin}
source=${LEAKWARD_SOURCE:-$here}
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
name="leakward-$version-linux-$arch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

from_source() {
  echo "install-leakward: $1; building from source in $source instead (a few minutes)" >&2
  if [ ! -f "$source/Package.swift" ]; then
    echo "install-leakward: $source is not a Leakward checkout; nothing to build" >&2
    exit 1
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq libpcre2-dev libgit2-dev zlib1g-dev libbrotli-dev libdeflate-dev libcurl4-openssl-dev libcrypt-dev pkg-config >/dev/null
  fi
  swift build -c release --package-path "$source"
  mkdir -p "$prefix"
  install -m 755 "$source/.build/release/leakward" "$prefix/leakward"
  echo "install-leakward: built $("$prefix/leakward" --version) from source into $prefix" >&2
  exit 0
}

[ -n "$version" ] || from_source "no version given"
curl -fsSL --retry 3 -o "$work/$name.tar.gz" "$releases/v$version/$name.tar.gz" 2>"$work/curl.log" \
  || from_source "no release binary $name at $releases ($(tail -n 1 "$work/curl.log"))"
if [ -n "${LEAKWARD_SHA256:-}" ]; then
  echo "$LEAKWARD_SHA256  $name.tar.gz" > "$work/$name.tar.gz.sha256"
else
  curl -fsSL --retry 3 -o "$work/$name.tar.gz.sha256" "$releases/v$version/$name.tar.gz.sha256" 2>"$work/curl.log" \
    || { echo "install-leakward: $name.tar.gz has no .sha256 next to it; refusing an unverified binary" >&2; exit 1; }
fi
if ! (cd "$work" && sha256sum -c --status "$name.tar.gz.sha256"); then
  echo "install-leakward: $name.tar.gz does not match its SHA-256; refusing it (a damaged or replaced download)" >&2
  exit 1
fi
tar -xzf "$work/$name.tar.gz" -C "$work"
"$work/$name/leakward" --version >/dev/null 2>"$work/run.log" \
  || from_source "the release binary does not run here ($(head -n 1 "$work/run.log"))"
mkdir -p "$prefix"
install -m 755 "$work/$name/leakward" "$prefix/leakward"
echo "install-leakward: installed leakward $version ($arch, SHA-256 verified) into $prefix" >&2
